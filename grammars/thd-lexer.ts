/**
 * Tokens of the .thd language. Labels are what error messages show
 * ("expected ')' but found 'x'"), so they are written for humans.
 */
import { createToken, Lexer, type TokenType } from "chevrotain";

// Whitespace and newlines are insignificant; `#` starts a comment to end of line,
// which is \n, \r\n or a lone \r (old Mac files: a comment must not swallow the rest).
export const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /[ \t\r\n]+/, group: Lexer.SKIPPED, line_breaks: true });
export const Comment = createToken({ name: "Comment", pattern: /#[^\r\n]*/, group: Lexer.SKIPPED });

export const Ident = createToken({ name: "Ident", pattern: /[A-Za-z_][A-Za-z0-9_]*/, label: "a name" });

// Keywords use longer_alt so that `inputs`, `dims`, `outputx` lex as identifiers.
function keyword(word: string): TokenType {
  const name = word[0]!.toUpperCase() + word.slice(1);
  return createToken({ name, pattern: new RegExp(word), longer_alt: Ident, label: `'${word}'` });
}
export const Model = keyword("model");
export const Batch = keyword("batch");
export const Dim = keyword("dim");
export const Input = keyword("input");
export const Param = keyword("param");
export const Output = keyword("output");
export const Fn = keyword("fn");

// Int and Float share the NumberLit category: expressions accept either, while
// `dim N = INT` and shapes consume Int only, so a float there is a syntax error.
export const NumberLit = createToken({ name: "NumberLit", pattern: Lexer.NA, label: "a number" });
export const Float = createToken({
  name: "Float",
  pattern: /(?:\d+\.\d*|\.\d+)(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+/,
  categories: [NumberLit],
  label: "a number",
});
export const Int = createToken({ name: "Int", pattern: /\d+/, categories: [NumberLit], label: "an integer" });
export const StringLit = createToken({ name: "StringLit", pattern: /"[^"\n]*"/, label: "a string" });

// Operator categories let the parser consume "any additive/multiplicative operator".
export const AddOp = createToken({ name: "AddOp", pattern: Lexer.NA, label: "'+' or '-'" });
export const MulOp = createToken({ name: "MulOp", pattern: Lexer.NA, label: "'*', '/' or '@'" });
export const Plus = createToken({ name: "Plus", pattern: /\+/, categories: [AddOp], label: "'+'" });
export const Minus = createToken({ name: "Minus", pattern: /-/, categories: [AddOp], label: "'-'" });
export const StarStar = createToken({ name: "StarStar", pattern: /\*\*/, label: "'**'" }); // before Star
export const Star = createToken({ name: "Star", pattern: /\*/, categories: [MulOp], label: "'*'" });
export const Slash = createToken({ name: "Slash", pattern: /\//, categories: [MulOp], label: "'/'" });
export const At = createToken({ name: "At", pattern: /@/, categories: [MulOp], label: "'@'" });

// Comparisons (masks): `>=` and `<=` before `>`, `<` and `=`.
export const CompOp = createToken({ name: "CompOp", pattern: Lexer.NA, label: "a comparison" });
export const Ge = createToken({ name: "Ge", pattern: />=/, categories: [CompOp], label: "'>='" });
export const Le = createToken({ name: "Le", pattern: /<=/, categories: [CompOp], label: "'<='" });
export const Gt = createToken({ name: "Gt", pattern: />/, categories: [CompOp], label: "'>'" });
export const Lt = createToken({ name: "Lt", pattern: /</, categories: [CompOp], label: "'<'" });
export const Ellipsis = createToken({ name: "Ellipsis", pattern: /\.\.\./, label: "'...'" }); // before Float

export const Equals = createToken({ name: "Equals", pattern: /=/, label: "'='" });
export const Colon = createToken({ name: "Colon", pattern: /:/, label: "':'" });
export const Comma = createToken({ name: "Comma", pattern: /,/, label: "','" });
export const LParen = createToken({ name: "LParen", pattern: /\(/, label: "'('" });
export const RParen = createToken({ name: "RParen", pattern: /\)/, label: "')'" });
export const LBracket = createToken({ name: "LBracket", pattern: /\[/, label: "'['" });
export const RBracket = createToken({ name: "RBracket", pattern: /\]/, label: "']'" });
export const LCurly = createToken({ name: "LCurly", pattern: /\{/, label: "'{'" });
export const RCurly = createToken({ name: "RCurly", pattern: /\}/, label: "'}'" });

/** Order matters: keywords before Ident, Float before Int, `**` before `*`. */
export const allTokens: TokenType[] = [
  WhiteSpace, Comment,
  Model, Batch, Dim, Input, Param, Output, Fn,
  Ident,
  Ellipsis, NumberLit, Float, Int, StringLit,
  AddOp, MulOp, Plus, Minus, StarStar, Star, Slash, At,
  CompOp, Ge, Le, Gt, Lt,
  Equals, Colon, Comma, LParen, RParen, LBracket, RBracket, LCurly, RCurly,
];

export const thdLexer = new Lexer(allTokens, { ensureOptimizations: false, positionTracking: "full" });
