/**
 * thoadc FILE...: compile to a TypeScript (or JS + .d.ts) module, with the
 * bound weights beside it or embedded; --check compares with the files on
 * disk and says why they differ (cli/stale.ts). Files may be glob patterns.
 */
import { createHash } from "node:crypto";
import { basename, dirname, extname, join, relative, resolve } from "node:path";
import { DEFAULT_TARGET } from "../../compiler/index.js";
import type { EmitOptions } from "../../compiler/codegen/target.js";
import type { CommonFlags } from "../options.js";
import { CliExit, compileFile, fail, writeOutputs } from "../front.js";
import { expandArgs } from "../glob.js";
import { encodeWeights, importedName } from "../model-file.js";
import type { CommandResult } from "../output.js";
import { Progress } from "../progress.js";
import { checkOutput, type OutputCheck } from "../stale.js";

export interface CompileFlags extends CommonFlags { out?: string; emit?: string; standalone?: boolean; check?: boolean; embedWeights?: boolean; json?: boolean }

/** The module's default path: next to the model, named like it (an imported file: like its model). */
function defaultOut(file: string, format: string, emit: string): string {
  if (format === "thd") return file.replace(/\.thd$/, "") + `.${emit}`;
  return join(dirname(file), `${importedName(file)}.${emit}`);
}

interface Generated { readonly files: [string, string | Uint8Array][]; readonly summary: string; readonly info: Record<string, unknown> }

/** What thoadc writes for one model file: every path with its contents, and a summary. */
function generate(file: string, flags: CompileFlags, emit: "ts" | "js"): Generated {
  const { result, options, model } = compileFile(file, flags, 2);
  const plan = result.state.plan!;
  const out = flags.out ?? defaultOut(file, model.format, emit);
  if (resolve(out) === resolve(file)) return fail(out, [{ code: "TH303", severity: "error", message: `-o names the model file itself; choose another output path`, span: undefined }]);
  const argv = [`--order ${options.order}`, ...(options.target && options.target !== DEFAULT_TARGET ? [`--target ${options.target}`] : []), ...(options.mode && options.mode !== "auto" ? [`--mode ${options.mode}`] : []), ...(options.dtype === "f32" ? ["--dtype f32"] : []), `--wrt ${plan.wrt.map((w) => w.name).join(",")}`, ...[...(options.dims ?? new Map())].map(([k, v]) => `--dim ${k}=${v}`), ...(options.model ? [`--model ${options.model}`] : []), ...(options.seedOutput ? ["--seed-output"] : []), ...(options.want ? [`--want ${options.want.kind}`, ...(options.want.at !== undefined ? [`--at ${options.want.at}`] : []), ...(options.want.v !== undefined ? [`--v ${options.want.v}`] : []), ...(options.want.k !== undefined ? [`--jet-order ${options.want.k}`] : [])] : []), ...(options.noSymmetry ? ["--no-symmetry"] : []), ...(options.noBatch !== undefined ? [`--batch ${options.noBatch} --no-batch`] : []), ...(flags.standalone ? ["--standalone"] : []), ...(flags.weights !== undefined ? [`--weights ${basename(flags.weights)}`] : []), ...(flags.embedWeights ? ["--embed-weights"] : [])];
  const target = result.state.target!; // the resolved target (auto: the cost model's choice, thoadc explain says why)
  // bound weights: embedded in the module, or a safetensors file beside it that the module loads
  const files: [string, string | Uint8Array][] = [];
  let weights: EmitOptions["weights"];
  const bytes = model.weights.size ? encodeWeights(model.weights) : undefined;
  if (bytes) {
    if (flags.embedWeights) weights = { names: [...model.weights.keys()], embedded: Buffer.from(bytes).toString("base64") };
    else {
      const path = out.slice(0, out.length - extname(out).length) + ".safetensors";
      weights = { names: [...model.weights.keys()], file: `./${relative(dirname(out), path).split("\\").join("/")}` };
      files.push([path, bytes]);
    }
  } else if (flags.embedWeights) throw new CliExit(1, `thoadc: error TH115: --embed-weights: ${file} has no bound weights (an .onnx or model.json file has them, or give --weights FILE.safetensors)`);
  // the model as compiled (for an imported file: its .thd translation) and its weights: --check tells a changed model from changed flags
  const hash = createHash("sha256").update(model.source).update(bytes ?? new Uint8Array(0)).digest("hex").slice(0, 12);
  const emitOpts: EmitOptions = { flavor: emit, provenance: `${basename(file)} (${argv.join(" ")}; target ${target.name}${result.state.targetChoice!.forced ? "" : " chosen by the cost model"}; model sha256 ${hash})`, runtimeImport: "thoad/runtime", ...(flags.standalone ? { standalone: true } : {}), ...(weights ? { weights } : {}) };
  files.unshift([out, target.module(plan, emitOpts)]);
  // an ES module: x.js pairs with x.d.ts, x.mjs (an ES module in a CommonJS package too) with x.d.mts
  if (emit === "js") files.splice(1, 0, [/\.mjs$/.test(out) ? out.replace(/\.mjs$/, ".d.mts") : out.replace(/\.js$/, "") + ".d.ts", target.declarations(plan, emitOpts)]);
  const info = { model: plan.model, order: plan.order, wrt: plan.wrt.map((w) => w.name), mode: plan.mode, steps: plan.steps.length, boundWeights: model.weights.size, ...(flags.embedWeights ? { embedded: true } : {}) };
  const summary = `(model ${plan.model}, order ${plan.order}, wrt [${info.wrt.join(", ")}], ${plan.mode} mode, ${plan.steps.length} steps${model.weights.size ? `, ${model.weights.size} bound weights${flags.embedWeights ? " embedded" : ""}` : ""})`;
  return { files, summary, info };
}

/** One model file's outcome. */
interface Outcome { readonly file: string; readonly status: "written" | "up to date" | "stale" | "error"; readonly outputs: readonly (OutputCheck | { readonly path: string; readonly status: "written" })[]; readonly text: string; readonly info?: Record<string, unknown>; readonly error?: string }

function checkText(o: Outcome): string {
  if (o.status !== "stale") return o.text;
  const lines: string[] = [];
  for (const c of o.outputs as OutputCheck[]) if (c.status !== "up to date") lines.push(`thoadc: ${c.path} is stale: ${c.reason}; regenerate without --check`, ...(c.diff ?? []));
  return lines.join("\n");
}

export function compileCommand(args: readonly string[], flags: CompileFlags): CommandResult {
  const emit = flags.emit ?? "ts";
  if (emit !== "ts" && emit !== "js") throw new CliExit(1, `thoadc: error TH115: --emit must be 'ts' or 'js', got '${emit}'`);
  const { files, unmatched } = expandArgs(args);
  if (unmatched.length) throw new CliExit(1, `thoadc: error TH301: no file matches ${unmatched.map((u) => `'${u}'`).join(", ")}`);
  if (flags.out !== undefined && files.length > 1) throw new CliExit(1, `thoadc: error TH115: -o names one output, but ${files.length} models are given (${files.join(", ")}); leave -o out to write each next to its model`);
  const progress = new Progress();
  const outcomes: Outcome[] = [];
  for (const [i, file] of files.entries()) {
    progress.update(`thoadc: compiling ${file}${files.length > 1 ? ` (${i + 1}/${files.length})` : ""}, order ${flags.order ?? 2}...`);
    try {
      const g = generate(file, flags, emit);
      if (flags.check) {
        const checks = g.files.map(([p, want]) => checkOutput(p, want, file));
        const stale = checks.some((c) => c.status !== "up to date");
        outcomes.push({ file, status: stale ? "stale" : "up to date", outputs: checks, text: `${g.files.map(([p]) => p).join(", ")} up to date`, info: g.info });
      } else {
        writeOutputs(g.files);
        outcomes.push({ file, status: "written", outputs: g.files.map(([path]) => ({ path, status: "written" as const })), text: `wrote ${g.files.map(([p]) => p).join(", ")} ${g.summary}`, info: g.info });
      }
    } catch (e) {
      // a model that does not compile, or outputs that cannot be written: reported, and the next model goes on
      if (!(e instanceof CliExit)) throw e;
      outcomes.push({ file, status: "error", outputs: [], text: e.text, error: e.text });
    }
  }
  progress.done();
  const failed = outcomes.some((o) => o.status === "error"), stale = outcomes.some((o) => o.status === "stale");
  // --check: 2 for any error (it outranks staleness), 1 when something is stale
  const status = flags.check ? (failed ? 2 : stale ? 1 : 0) : failed ? 1 : 0;
  if (flags.json) {
    const json = { status: failed ? "error" : stale ? "stale" : flags.check ? "up to date" : "written", exitCode: status, models: outcomes.map(({ text: _, ...o }) => o) };
    return { stdout: JSON.stringify(json, null, 2), status };
  }
  if (status === 0) return outcomes.map((o) => o.text).join("\n");
  // something failed or is stale: the whole report on stderr, nothing on stdout
  return { stderr: outcomes.map((o) => (flags.check ? checkText(o) : o.text)).join("\n"), status };
}
