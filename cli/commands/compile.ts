/** thoadc FILE: compile to a TypeScript (or JS + .d.ts) module, with the bound weights beside it or embedded; --check compares with the files on disk. */
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, extname, join, relative, resolve } from "node:path";
import { typescriptTarget } from "../../compiler/index.js";
import type { EmitOptions } from "../../compiler/codegen/target.js";
import type { CommonFlags } from "../options.js";
import { CliExit, compileFile, fail, writeOutputs } from "../front.js";
import { encodeWeights, importedName } from "../model-file.js";

export interface CompileFlags extends CommonFlags { out?: string; emit?: string; standalone?: boolean; check?: boolean; embedWeights?: boolean }

/** The module's default path: next to the model, named like it (an imported file: like its model). */
function defaultOut(file: string, format: string, emit: string): string {
  if (format === "thd") return file.replace(/\.thd$/, "") + `.${emit}`;
  return join(dirname(file), `${importedName(file)}.${emit}`);
}

export function compileCommand(file: string, flags: CompileFlags): string {
  const emit = flags.emit ?? "ts";
  if (emit !== "ts" && emit !== "js") throw new CliExit(1, `thoadc: error TH115: --emit must be 'ts' or 'js', got '${emit}'`);
  const { result, options, model } = compileFile(file, flags, 2);
  const plan = result.state.plan!;
  const out = flags.out ?? defaultOut(file, model.format, emit);
  if (resolve(out) === resolve(file)) return fail(out, [{ code: "TH303", severity: "error", message: `-o names the model file itself; choose another output path`, span: undefined }]);
  const argv = [`--order ${options.order}`, ...(options.mode && options.mode !== "auto" ? [`--mode ${options.mode}`] : []), ...(options.dtype === "f32" ? ["--dtype f32"] : []), `--wrt ${plan.wrt.map((w) => w.name).join(",")}`, ...[...(options.dims ?? new Map())].map(([k, v]) => `--dim ${k}=${v}`), ...(options.model ? [`--model ${options.model}`] : []), ...(options.seedOutput ? ["--seed-output"] : []), ...(options.noSymmetry ? ["--no-symmetry"] : []), ...(options.noBatch !== undefined ? [`--batch ${options.noBatch} --no-batch`] : []), ...(flags.standalone ? ["--standalone"] : []), ...(flags.weights !== undefined ? [`--weights ${basename(flags.weights)}`] : []), ...(flags.embedWeights ? ["--embed-weights"] : [])];
  // bound weights: embedded in the module, or a safetensors file beside it that the module loads
  const files: [string, string | Uint8Array][] = [];
  let weights: EmitOptions["weights"];
  if (model.weights.size) {
    const bytes = encodeWeights(model.weights);
    if (flags.embedWeights) weights = { names: [...model.weights.keys()], embedded: Buffer.from(bytes).toString("base64") };
    else {
      const path = out.slice(0, out.length - extname(out).length) + ".safetensors";
      weights = { names: [...model.weights.keys()], file: `./${relative(dirname(out), path).split("\\").join("/")}` };
      files.push([path, bytes]);
    }
  } else if (flags.embedWeights) throw new CliExit(1, `thoadc: error TH115: --embed-weights: ${file} has no bound weights (an .onnx or model.json file has them, or give --weights FILE.safetensors)`);
  const emitOpts: EmitOptions = { flavor: emit, provenance: `${basename(file)} (${argv.join(" ")})`, runtimeImport: "thoad/runtime", ...(flags.standalone ? { standalone: true } : {}), ...(weights ? { weights } : {}) };
  files.unshift([out, typescriptTarget.module(plan, emitOpts)]);
  // an ES module: x.js pairs with x.d.ts, x.mjs (an ES module in a CommonJS package too) with x.d.mts
  if (emit === "js") files.splice(1, 0, [/\.mjs$/.test(out) ? out.replace(/\.mjs$/, ".d.mts") : out.replace(/\.js$/, "") + ".d.ts", typescriptTarget.declarations(plan, emitOpts)]);
  if (flags.check) {
    const same = (p: string, want: string | Uint8Array): boolean => {
      if (!existsSync(p)) return false;
      const got = readFileSync(p);
      return typeof want === "string" ? got.toString("utf8") === want : Buffer.compare(got, Buffer.from(want)) === 0;
    };
    const stale = files.filter(([p, want]) => !same(p, want)).map(([p]) => p);
    if (stale.length) throw new CliExit(1, `thoadc: ${stale.join(", ")} ${stale.length === 1 ? "is" : "are"} stale: ${existsSync(stale[0]!) ? "it differs from" : "missing;"} what thoadc generates from ${file}; regenerate without --check`);
    return `${files.map(([p]) => p).join(", ")} up to date`;
  }
  writeOutputs(files);
  return `wrote ${files.map(([p]) => p).join(", ")} (model ${plan.model}, order ${plan.order}, wrt [${plan.wrt.map((w) => w.name).join(", ")}], ${plan.mode} mode, ${plan.steps.length} steps${model.weights.size ? `, ${model.weights.size} bound weights${flags.embedWeights ? " embedded" : ""}` : ""})`;
}
