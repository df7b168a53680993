/**
 * Inside the frontend a bad file stops the import with one coded diagnostic,
 * thrown as an ImportFailure; importTfjs catches it (and anything else), so
 * callers never see a throw. Binary inputs have no line:column: spans are undefined.
 */
import type { Code } from "../../diagnostics/codes.js";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";

export class ImportFailure extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map((d) => `${d.code}: ${d.message}`).join("\n"));
  }
}

export const diagnostic = (code: Code, message: string): Diagnostic => ({ code, severity: "error", message, span: undefined });

export function fail(code: Code, message: string): never {
  throw new ImportFailure([diagnostic(code, message)]);
}

/** JSON values as they appear in messages: `[2, 2]`, `"same"`. */
export const show = (v: unknown): string => {
  if (Array.isArray(v)) return `[${v.map(show).join(", ")}]`;
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
};
