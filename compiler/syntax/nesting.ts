/**
 * A limit on how deeply an expression nests, checked on the tokens before the
 * parser runs: the parser (and every later pass) recurses once per level, and
 * a few hundred levels of `(` overflow the JavaScript stack. Left-associative
 * chains (`a + b + ...`) do not nest and are not limited.
 */
import type { IToken, TokenType } from "chevrotain";
import * as T from "../../grammars/thd-lexer.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";

/** Levels of `(`, `[`, calls, indexing, prefix `-` and `**` in one expression (the parser overflows near 200 parentheses). */
export const MAX_NESTING = 100;

const OPERAND_END: ReadonlySet<TokenType> = new Set([T.Ident, T.Int, T.Float, T.StringLit, T.RParen, T.RBracket]);
const OPERAND: ReadonlySet<TokenType> = new Set([T.Ident, T.Int, T.Float, T.StringLit]);

/**
 * The first token past MAX_NESTING levels, as a TH117 diagnostic. Each open
 * bracket is a level; within one, a run of prefix `-`, `**` and index
 * suffixes nests too (`- - x`, `a ** b ** c`, `x[0][0]`) until any other
 * operator or separator ends the operand.
 */
export function nestingError(tokens: readonly IToken[]): Diagnostic | undefined {
  const chain: number[] = [0]; // per open bracket: the run of nesting operators inside it
  let depth = 0; // open brackets + every run
  let prev: TokenType | undefined;
  for (const t of tokens) {
    const ty = t.tokenType;
    const afterOperand = prev !== undefined && OPERAND_END.has(prev);
    if (ty === T.LParen || ty === T.LBracket) {
      if (ty === T.LBracket && afterOperand) { chain[chain.length - 1]!++; depth++; } // x[...]: an index suffix
      chain.push(0);
      depth++;
    } else if (ty === T.RParen || ty === T.RBracket) {
      if (chain.length > 1) depth -= 1 + chain.pop()!;
    } else if (ty === T.StarStar || (ty === T.Minus && !afterOperand)) {
      chain[chain.length - 1]!++;
      depth++;
    } else if (!OPERAND.has(ty)) {
      depth -= chain[chain.length - 1]!;
      chain[chain.length - 1] = 0;
    }
    if (depth > MAX_NESTING) {
      return {
        code: "TH117",
        severity: "error",
        message: `expression nested too deeply: more than ${MAX_NESTING} levels of parentheses, brackets, calls, indexing, unary '-' and '**'; name some subexpressions in statements of their own`,
        span: { line: t.startLine ?? 1, column: t.startColumn ?? 1, offset: t.startOffset, length: t.image.length },
      };
    }
    prev = ty;
  }
  return undefined;
}
