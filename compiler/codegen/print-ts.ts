/**
 * The TypeScript target's printer of the loop-nest IR (nest.ts): JavaScript
 * text, with an element read ending in `!` in a .ts module (ReadEnd, loops.ts).
 * Parentheses: those a `paren` node records, and those precedence requires.
 */
import type { Body, Expr, Stmt } from "./nest.js";

/** How an element read ends: "" in JavaScript, "!" in TypeScript (noUncheckedIndexedAccess). */
export type ReadEnd = "" | "!";

/** A number as a JS literal (shortest round-trip form; -0 as 0). */
export const numText = (v: number): string => (Object.is(v, -0) ? "0" : `${v}`);

const PREC: Record<string, number> = { "&&": 4, "===": 8, "!==": 8, "<": 9, "<=": 9, ">": 9, ">=": 9, "+": 11, "-": 11, "*": 12, "/": 12, "%": 12 };
const ATOM = 20, UNARY = 14, COND = 2;

function prec(e: Expr): number {
  switch (e.k) {
    case "bin": return PREC[e.op]!;
    case "neg": case "not": return UNARY;
    case "cond": return COND;
    default: return ATOM; // a negative number literal is printed only where a unary minus could stand
  }
}

export function printExpr(e: Expr, nn: ReadEnd = ""): string {
  const p = (x: Expr, min: number): string => (prec(x) < min ? `(${printExpr(x, nn)})` : printExpr(x, nn));
  switch (e.k) {
    case "num": return numText(e.v);
    case "var": return e.name;
    case "elem": return `${e.array}[${printExpr(e.at, nn)}]${nn}`;
    case "paren": return `(${printExpr(e.a, nn)})`;
    // left-associative: the right operand of an equal precedence is grouped
    case "bin": return `${p(e.a, PREC[e.op]!)} ${e.op} ${p(e.b, PREC[e.op]! + 1)}`;
    // "--x" would be a decrement: a negated negative is grouped
    case "neg": { const t = p(e.a, UNARY); return t.startsWith("-") ? `-(${t})` : `-${t}`; }
    case "not": return `!${p(e.a, UNARY)}`;
    case "call": return `Math.${e.fn}(${e.args.map((a) => printExpr(a, nn)).join(", ")})`;
    case "cond": return `${p(e.test, COND + 1)} ? ${p(e.then, COND)} : ${p(e.else, COND)}`;
  }
}

/** A statement on one line (a bare or inline body's statements). */
function oneLine(s: Stmt, nn: ReadEnd): string {
  const ls = printStmt(s, "", nn);
  if (ls.length !== 1) throw new Error(`internal: a ${s.k} statement laid out on one line takes ${ls.length} lines`);
  return ls[0]!;
}

/** A body after its header (`if (c)`, `else`): its first line continues the header's line. */
function printBody(b: Body, indent: string, nn: ReadEnd): { head: string; rest: string[]; closed: boolean } {
  if (b.layout === "bare") return { head: ` ${oneLine(b.stmts[0]!, nn)}`, rest: [], closed: false };
  if (b.layout === "inline") return { head: ` { ${b.stmts.map((s) => oneLine(s, nn)).join(" ")} }`, rest: [], closed: false };
  return { head: " {", rest: [...printStmts(b.stmts, `${indent}  `, nn), `${indent}}`], closed: true };
}

function printIf(s: Extract<Stmt, { k: "if" }>, indent: string, prefix: string, nn: ReadEnd): string[] {
  const t = printBody(s.then, indent, nn);
  const out = [`${indent}${prefix}if (${printExpr(s.test, nn)})${t.head}`, ...t.rest];
  if (!s.else) return out;
  // "} else" after a braced block, "else" on a line of its own after a one-line branch
  const lead = t.closed ? out.pop()!.slice(indent.length) + " else" : "else";
  const only = s.else.stmts[0];
  if (s.else.layout === "bare" && only?.k === "if") return [...out, ...printIf(only, indent, `${lead} `, nn)];
  const e = printBody(s.else, indent, nn);
  return [...out, `${indent}${lead}${e.head}`, ...e.rest];
}

export function printStmt(s: Stmt, indent: string, nn: ReadEnd = ""): string[] {
  switch (s.k) {
    case "decl": return [`${indent}${s.kind} ${s.vars.map((d) => (d.init ? `${d.name} = ${printExpr(d.init, nn)}` : d.name)).join(", ")};`];
    case "assign": return [`${indent}${printExpr(s.to)} ${s.op} ${printExpr(s.value, nn)};`];
    case "break": return [`${indent}break;`];
    case "if": return printIf(s, indent, "", nn);
    case "block": { const b = printBody(s.body, indent, nn); return [`${indent}${b.head.slice(1)}`, ...b.rest]; }
    case "for": {
      const b = printBody(s.body, indent, nn);
      return [`${indent}for (let ${s.v} = ${printExpr(s.from, nn)}; ${printExpr(s.test, nn)}; ${s.v}${s.by === 1 ? "++" : ` += ${s.by}`})${b.head}`, ...b.rest];
    }
  }
}

export function printStmts(ss: readonly Stmt[], indent = "", nn: ReadEnd = ""): string[] {
  return ss.flatMap((s) => printStmt(s, indent, nn));
}
