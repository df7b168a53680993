/** Shared CLI plumbing: read a file, run the pipeline, report diagnostics (exit 1) or hand back the result. */
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { renderDiagnostics, runPipeline, type CompileOptions, type CompileResult, type Diagnostic } from "../compiler/index.js";
import { compileOptions, type CommonFlags } from "./options.js";

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

export function compileFile(file: string, flags: CommonFlags, defaultOrder: number, extra: Partial<CompileOptions> = {}, until?: string): { result: CompileResult; source: string; options: CompileOptions } {
  const source = readSource(file);
  const o = compileOptions(flags, defaultOrder);
  if (!o.options) return fail(file, o.diagnostics);
  const options = { ...o.options, ...extra };
  const result = runPipeline(source, options, until);
  if (!result.ok) fail(file, result.diagnostics, source);
  return { result, source, options };
}

export const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

/**
 * Writes through a temporary file so a reader never sees a partial file; a
 * failure (missing directory, no permission) is a clean error, not a crash.
 */
export function writeOutput(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    fail(path, [{ code: "TH303", severity: "error", message: `cannot write '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, span: undefined }]);
  }
}
