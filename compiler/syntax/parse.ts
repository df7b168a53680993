/**
 * Source text -> AST + diagnostics: lex (TH001), parse with recovery (TH002),
 * build the AST (cst-to-ast.ts); an expression nested deeper than the parser's
 * stack allows is TH117 (nesting.ts). Never throws; with errors, the program holds
 * whatever could be built.
 */
import type { IRecognitionException, IToken } from "chevrotain";
import { thdLexer } from "../../grammars/thd-lexer.js";
import { thdParser } from "../../grammars/thd-parser.js";
import type { Diagnostic, Span } from "../diagnostics/diagnostic.js";
import type { Program } from "./ast.js";
import { cstToAst, syntaxError } from "./cst-to-ast.js";
import { nestingError } from "./nesting.js";

/** More errors than this are mostly cascades of the first ones. */
export const MAX_ERRORS = 20;

export function parse(source: string): { program: Program; diagnostics: Diagnostic[] } {
  const lexed = thdLexer.tokenize(source);
  const diagnostics: Diagnostic[] = lexed.errors.map((e) => {
    const text = source.slice(e.offset, e.offset + e.length);
    return {
      code: "TH001",
      severity: "error",
      message: text.startsWith('"') ? "unterminated string" : `unexpected character${text.length > 1 ? "s" : ""} '${text}'`,
      span: { line: e.line ?? 1, column: e.column ?? 1, offset: e.offset, length: Math.max(1, e.length) },
    };
  });

  // too deep for the recursive parser: report it instead of overflowing the stack
  const deep = nestingError(lexed.tokens);
  if (deep) return { program: { models: [] }, diagnostics: capped([...diagnostics, deep]) };

  thdParser.input = lexed.tokens; // also resets the parser's state and errors
  const cst = thdParser.program();
  for (const e of thdParser.errors) diagnostics.push(syntaxError(e.message, errorSpan(e, source)));

  const built = cstToAst(cst);
  for (const d of built.diagnostics) diagnostics.push(d);
  return { program: built.program, diagnostics: capped(diagnostics) };
}

/** The offending token, or the end of the file when the parser ran out of tokens. */
function errorSpan(e: IRecognitionException, source: string): Span {
  const t: IToken = e.token;
  if (Number.isFinite(t.startOffset) && t.image.length > 0) {
    return { line: t.startLine ?? 1, column: t.startColumn ?? 1, offset: t.startOffset, length: t.image.length };
  }
  return endOfFile(source);
}

function endOfFile(source: string): Span {
  const lines = source.split(/\r\n|\r|\n/); // the lexer's line ends
  return { line: lines.length, column: lines[lines.length - 1]!.length + 1, offset: source.length, length: 1 };
}

/** Sort by position; keep the first MAX_ERRORS and add one TH003 if some were dropped. */
function capped(diags: Diagnostic[]): Diagnostic[] {
  const sorted = diags
    .map((d, i) => ({ d, i }))
    .sort((a, b) => (a.d.span?.offset ?? Infinity) - (b.d.span?.offset ?? Infinity) || a.i - b.i)
    .map(({ d }) => d);
  if (sorted.length <= MAX_ERRORS) return sorted;
  const kept = sorted.slice(0, MAX_ERRORS);
  kept.push({
    code: "TH003",
    severity: "error",
    message: `too many errors (${sorted.length}); only the first ${MAX_ERRORS} are shown`,
    span: sorted[MAX_ERRORS]!.span,
  });
  return kept;
}
