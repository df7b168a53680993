/**
 * expectDiagnostics(source, [{ code, line, column }]): the diagnostics produced for
 * `source` are exactly these, in this order (messages are not compared).
 * `run` defaults to the parser; pass the full front end to check later phases.
 */
import { expect } from "vitest";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import type { Code } from "../../compiler/diagnostics/codes.js";
import { parse } from "../../compiler/syntax/parse.js";

export interface ExpectedDiagnostic {
  readonly code: Code;
  readonly line: number;
  readonly column: number;
}

export function expectDiagnostics(
  source: string,
  expected: readonly ExpectedDiagnostic[],
  run: (src: string) => readonly Diagnostic[] = (src) => parse(src).diagnostics,
): Diagnostic[] {
  const actual = [...run(source)];
  const brief = (d: Diagnostic) => ({ code: d.code, line: d.span?.line, column: d.span?.column });
  // On failure, the messages are shown alongside to make the mismatch readable.
  expect(actual.map(brief), actual.map((d) => `${d.code} ${d.span?.line}:${d.span?.column} ${d.message}`).join("\n")).toEqual(
    expected.map((e) => ({ code: e.code, line: e.line, column: e.column })),
  );
  return actual;
}
