/**
 * The loop-nest IR between a plan and a target's text: expression trees,
 * statements and loops. Targets print it (print-ts.ts for TypeScript/JS).
 * Precedence is the printer's business; a `paren` node records grouping a
 * rule chose to write (the printed text keeps it, the value does not depend
 * on it). Elementwise derivative rules (derive/elementwise.ts) build it.
 */

export type BinOp = "+" | "-" | "*" | "/" | "%" | "<" | "<=" | ">" | ">=" | "===" | "!==" | "&&";

/** Math functions the rules call (JavaScript's Math names). */
export type MathFn = "exp" | "expm1" | "log" | "log1p" | "log2" | "log10" | "sqrt" | "pow" | "abs" | "max" | "tanh" | "tan" | "sin" | "cos" | "sinh" | "cosh" | "asin" | "acos" | "asinh" | "acosh" | "atan" | "atanh" | "floor" | "ceil" | "trunc" | "round";

export type Expr =
  | { readonly k: "num"; readonly v: number }
  | { readonly k: "var"; readonly name: string }
  /** An element of an array: a[at]. */
  | { readonly k: "elem"; readonly array: string; readonly at: Expr }
  | { readonly k: "bin"; readonly op: BinOp; readonly a: Expr; readonly b: Expr }
  | { readonly k: "neg"; readonly a: Expr }
  | { readonly k: "not"; readonly a: Expr }
  | { readonly k: "call"; readonly fn: MathFn; readonly args: readonly Expr[] }
  | { readonly k: "cond"; readonly test: Expr; readonly then: Expr; readonly else: Expr }
  | { readonly k: "paren"; readonly a: Expr };

/** What an assignment writes: a variable or an array element. */
export type LValue = Extract<Expr, { k: "var" } | { k: "elem" }>;

/**
 * A statement list and how a printer lays it out: "bare" one statement on the
 * line of its header (no braces), "inline" braces on one line, "lines" one
 * statement per line.
 */
export interface Body { readonly stmts: readonly Stmt[]; readonly layout: "bare" | "inline" | "lines" }

export type Stmt =
  | { readonly k: "decl"; readonly kind: "const" | "let"; readonly vars: readonly { readonly name: string; readonly init?: Expr }[] }
  | { readonly k: "assign"; readonly to: LValue; readonly op: "=" | "+=" | "-=" | "*="; readonly value: Expr }
  | { readonly k: "if"; readonly test: Expr; readonly then: Body; readonly else?: Body }
  /** for (let v = from; test; v++ or v += by) body */
  | { readonly k: "for"; readonly v: string; readonly from: Expr; readonly test: Expr; readonly by: number; readonly body: Body }
  | { readonly k: "break" }
  | { readonly k: "block"; readonly body: Body };

// builders: the rules read like the mathematics
export const num = (v: number): Expr => ({ k: "num", v });
export const v = (name: string): LValue => ({ k: "var", name });
export const elem = (array: string, at: Expr): LValue => ({ k: "elem", array, at });
const bin = (op: BinOp) => (a: Expr, b: Expr): Expr => ({ k: "bin", op, a, b });
export const add = bin("+"), sub = bin("-"), mul = bin("*"), div = bin("/"), mod = bin("%"), and = bin("&&");
export const lt = bin("<"), le = bin("<="), gt = bin(">"), ge = bin(">="), eq = bin("==="), ne = bin("!==");
export const neg = (a: Expr): Expr => ({ k: "neg", a });
export const not = (a: Expr): Expr => ({ k: "not", a });
export const call = (fn: MathFn, ...args: Expr[]): Expr => ({ k: "call", fn, args });
export const cond = (test: Expr, then: Expr, otherwise: Expr): Expr => ({ k: "cond", test, then, else: otherwise });
export const paren = (a: Expr): Expr => ({ k: "paren", a });
/** A number or an expression. */
export const ex = (a: Expr | number): Expr => (typeof a === "number" ? num(a) : a);

export const constDecl = (name: string, init: Expr): Stmt => ({ k: "decl", kind: "const", vars: [{ name, init }] });
export const letDecl = (name: string, init?: Expr): Stmt => ({ k: "decl", kind: "let", vars: [init ? { name, init } : { name }] });
export const assign = (to: LValue, value: Expr | number, op: "=" | "+=" | "-=" | "*=" = "="): Stmt => ({ k: "assign", to, op, value: ex(value) });
export const lines = (...stmts: Stmt[]): Body => ({ stmts, layout: "lines" });
export const bare = (stmt: Stmt): Body => ({ stmts: [stmt], layout: "bare" });
export const inline = (...stmts: Stmt[]): Body => ({ stmts, layout: "inline" });
export const ifThen = (test: Expr, then: Body, otherwise?: Body): Stmt => (otherwise ? { k: "if", test, then, else: otherwise } : { k: "if", test, then });
/**
 * c * e as the text "c * e" parses: the factor joins the leftmost operand of a
 * product or quotient (2 * 1 / x is (2 * 1) / x).
 */
export const scaleLeft = (c: Expr, e: Expr): Expr => (e.k === "bin" && (e.op === "*" || e.op === "/") ? { ...e, a: scaleLeft(c, e.a) } : mul(c, e));
export const forUp = (name: string, to: Expr | number, body: Body): Stmt => ({ k: "for", v: name, from: num(0), test: lt(v(name), ex(to)), by: 1, body });
export const brk: Stmt = { k: "break" };
export const block = (...stmts: Stmt[]): Stmt => ({ k: "block", body: lines(...stmts) });
