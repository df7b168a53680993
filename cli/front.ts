/** Shared CLI plumbing: read a file, run the pipeline, report diagnostics (exit 1) or hand back the result. */
import { lstatSync, mkdirSync, readFileSync, readlinkSync, renameSync, rmSync, writeFileSync, type Stats } from "node:fs";
import { dirname } from "node:path";
import { fmtBytes, renderDiagnostic, renderDiagnostics, runPipeline, type CompileOptions, type CompileResult, type Diagnostic, type Plan } from "../compiler/index.js";
import { randomInputsSize } from "../compiler/tools/random-inputs.js";
import { compileOptions, type CommonFlags } from "./options.js";
import { readModelFile, type ModelFile } from "./model-file.js";

export class CliExit extends Error {
  constructor(readonly status: number, readonly text: string) { super(text); }
}

export function fail(file: string, diagnostics: readonly Diagnostic[], source?: string): never {
  throw new CliExit(1, renderDiagnostics(diagnostics, file, source));
}

export function readSource(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    return fail(file, [{ code: "TH301", severity: "error", message: `cannot read '${file}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, span: undefined }]);
  }
}

/**
 * Reads a model file of any format (cli/model-file.ts), compiles it, and checks
 * its bound weights against the model's params (TH505).
 */
export function compileFile(file: string, flags: CommonFlags, defaultOrder: number, extra: Partial<CompileOptions> = {}, until?: string): { result: CompileResult; source: string; options: CompileOptions; model: ModelFile } {
  const o = compileOptions(flags, defaultOrder);
  if (!o.options) return fail(file, o.diagnostics);
  const model = readModelFile(file, { ...(flags.model !== undefined ? { name: flags.model } : {}), ...(flags.weights !== undefined ? { weights: flags.weights } : {}) });
  const options = { ...o.options, ...extra };
  const result = runPipeline(model.source, options, until);
  if (!result.ok) fail(model.label, result.diagnostics, model.source);
  // warnings (TH123) go to stderr and the command goes on
  for (const d of result.diagnostics) process.stderr.write(renderDiagnostic(d, model.label, model.source) + "\n");
  const ir = result.state.ir;
  if (ir && model.weights.size) {
    const ds: Diagnostic[] = [];
    const byName = new Map(ir.inputs.map((i) => [i.attrs.name, i] as const));
    for (const [name, w] of model.weights) {
      const decl = byName.get(name);
      const declared = decl?.shape;
      if (!decl) ds.push({ code: "TH505", severity: "error", message: `bound weight '${name}' is not an input or param of model '${ir.name}' (they are: ${[...byName.keys()].join(", ")})`, span: undefined });
      else if (!decl.attrs.isParam) ds.push({ code: "TH505", severity: "error", message: `bound weight '${name}' names an input of model '${ir.name}'; only params take bound weights`, span: undefined });
      else if (declared!.length !== w.shape.length || declared!.some((d, k) => d !== w.shape[k])) ds.push({ code: "TH505", severity: "error", message: `bound weight '${name}' has shape [${w.shape.join(", ")}], but model '${ir.name}' declares [${declared!.join(", ")}]`, span: undefined });
    }
    if (ds.length) fail(flags.weights ?? file, ds);
  }
  return { result, source: model.source, options, model };
}

export const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

/**
 * check and bench draw every input (params too, but bound weights) at random:
 * refuse (TH403) inputs over --max-memory, or too long for one typed array,
 * before allocating them.
 */
export function randomInputsFit(file: string, plan: Plan, batch: number, options: CompileOptions, skip: { has(name: string): boolean }): void {
  const { bytes, largest } = randomInputsSize(plan, batch, skip);
  const limit = options.maxMemory ?? Infinity;
  if (bytes <= limit && largest <= 2 ** 32 - 1) return;
  const why = largest > 2 ** 32 - 1 ? `one of them has ${largest} elements, more than a typed array holds` : `over the limit of ${fmtBytes(limit)} (--max-memory)`;
  fail(file, [{ code: "TH403", severity: "error", message: `the random inputs at B=${batch} take ${fmtBytes(bytes)}: ${why}; use a smaller --batch, smaller --dim values, or bind the large params with --weights`, span: undefined }]);
}


/**
 * Writes through a temporary file so a reader never sees a partial file; a
 * failure (missing directory, no permission) is a clean error, not a crash.
 */
export function writeOutput(path: string, text: string): void {
  writeOutputs([[path, text]]);
}

/**
 * Writes several files as one: every file goes to a temporary name first, and
 * only when all are written are they renamed into place, so an error leaves
 * none of them (a module never appears without its weights). Missing folders
 * are created. A rename would silently replace a read-only file or a symlink
 * (with a regular file, leaving the link's target as it was): both are refused
 * (TH303), before anything is written. A symlink is refused rather than written
 * through: its target may be the model itself, or outside the output folder.
 */
export function writeOutputs(files: readonly (readonly [string, string | Uint8Array])[]): void {
  const tmps: string[] = [];
  let current = files[0]?.[0] ?? "";
  const cannot = (why: string): never => fail(current, [{ code: "TH303", severity: "error", message: `cannot write '${current}': ${why}`, span: undefined }]);
  for (const [path] of files) {
    current = path;
    const st = lstat(path);
    if (st?.isSymbolicLink()) cannot(`it is a symbolic link (to '${readlinkSync(path)}'); write to the file itself, or remove the link`);
    if (st?.isFile() && (st.mode & 0o222) === 0) cannot("it is read-only; make it writable or choose another path");
  }
  try {
    for (const [path, content] of files) {
      current = path;
      mkdirSync(dirname(path) || ".", { recursive: true });
      const tmp = `${path}.${process.pid}.tmp`;
      tmps.push(tmp);
      writeFileSync(tmp, content);
    }
    files.forEach(([path], k) => { current = path; renameSync(tmps[k]!, path); });
  } catch (e) {
    for (const t of tmps) rmSync(t, { force: true });
    cannot((e as NodeJS.ErrnoException).code ?? (e as Error).message);
  }
}

const lstat = (path: string): Stats | undefined => {
  try { return lstatSync(path); } catch { return undefined; }
};
