/** thoadc FILE.thd: compile to a TypeScript (or JS + .d.ts) module; --check compares with the file on disk. */
import { existsSync, readFileSync } from "node:fs";
import { basename } from "node:path";
import { typescriptTarget } from "../../compiler/index.js";
import type { CommonFlags } from "../options.js";
import { CliExit, compileFile, writeOutput } from "../front.js";

export interface CompileFlags extends CommonFlags { out?: string; emit?: string; standalone?: boolean; check?: boolean }

export function compileCommand(file: string, flags: CompileFlags): string {
  const emit = flags.emit ?? "ts";
  if (emit !== "ts" && emit !== "js") throw new CliExit(1, `thoadc: error TH115: --emit must be 'ts' or 'js', got '${emit}'`);
  const { result, options } = compileFile(file, flags, 2);
  const plan = result.state.plan!;
  const out = flags.out ?? file.replace(/\.thd$/, "") + `.${emit}`;
  const argv = [`--order ${options.order}`, ...(options.mode && options.mode !== "auto" ? [`--mode ${options.mode}`] : []), ...(options.dtype === "f32" ? ["--dtype f32"] : []), `--wrt ${plan.wrt.map((w) => w.name).join(",")}`, ...[...(options.dims ?? new Map())].map(([k, v]) => `--dim ${k}=${v}`), ...(options.model ? [`--model ${options.model}`] : []), ...(options.seedOutput ? ["--seed-output"] : []), ...(options.noSymmetry ? ["--no-symmetry"] : []), ...(options.noBatch !== undefined ? [`--batch ${options.noBatch} --no-batch`] : []), ...(flags.standalone ? ["--standalone"] : [])];
  const emitOpts = { flavor: emit, provenance: `${basename(file)} (${argv.join(" ")})`, runtimeImport: "thoad/runtime", standalone: flags.standalone } as const;
  const files: [string, string][] = [[out, typescriptTarget.module(plan, emitOpts)]];
  if (emit === "js") files.push([out.replace(/\.js$/, "") + ".d.ts", typescriptTarget.declarations(plan, emitOpts)]);
  if (flags.check) {
    const stale = files.filter(([p, text]) => !existsSync(p) || readFileSync(p, "utf8") !== text).map(([p]) => p);
    if (stale.length) throw new CliExit(1, `thoadc: ${stale.join(", ")} ${stale.length === 1 ? "is" : "are"} stale: ${existsSync(stale[0]!) ? "it differs from" : "missing;"} what thoadc generates from ${file}; regenerate without --check`);
    return `${files.map(([p]) => p).join(", ")} up to date`;
  }
  for (const [p, text] of files) writeOutput(p, text);
  return `wrote ${files.map(([p]) => p).join(", ")} (model ${plan.model}, order ${plan.order}, wrt [${plan.wrt.map((w) => w.name).join(", ")}], ${plan.mode} mode, ${plan.steps.length} steps)`;
}
