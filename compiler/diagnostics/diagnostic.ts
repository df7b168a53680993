/** A diagnostic is data: collected by every phase, rendered by the CLI, never thrown. */
import type { Code } from "./codes.js";
export interface Span {
  readonly line: number; // 1-based
  readonly column: number; // 1-based
  readonly offset: number; // 0-based start offset in the source
  readonly length: number; // characters covered (>= 1 for a caret)
}

export type Severity = "error" | "warning";

export interface Diagnostic {
  readonly code: Code; // stable, e.g. "TH101"; catalogue in codes.ts and docs/diagnostics.md
  readonly severity: Severity;
  readonly message: string;
  readonly span: Span | undefined; // undefined: no source position (e.g. a bad CLI flag)
}

/** Thrown only across the public API boundary when a phase produced errors. */
export class CompileError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map((d) => `${d.code}: ${d.message}`).join("\n"));
    this.name = "CompileError";
  }
}

export const NO_SPAN: Span = { line: 1, column: 1, offset: 0, length: 1 };

export function spanBetween(a: Span, b: Span): Span {
  return { line: a.line, column: a.column, offset: a.offset, length: Math.max(1, b.offset + b.length - a.offset) };
}
