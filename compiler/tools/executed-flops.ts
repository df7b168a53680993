/**
 * Executed flops: the floating-point arithmetic the emitted kernels really perform
 * in one call, counted by running an instrumented copy of the module (thoadc bench
 * --json `executed_flops`; bench/README.md). The plan's `flops` is an estimate
 * made before code generation (plan/cost.ts); this counts what the printed loops
 * do, register blocking, hoisting and skipped unsorted tuples included.
 *
 * What counts: each +, -, *, / (and +=, -=, *=, /=) whose operands include a
 * float value; a float value is an element of a kernel's array parameter (the
 * buffers t<N>) or anything computed from one. Index arithmetic (offsets, table
 * entries, loop counters) is integer and does not count; nor do sign flips,
 * comparisons, Math.min/max/abs, copies and fills. Other Math calls on floats
 * (tanh, exp, sqrt, ...) are counted apart, as `math_calls`.
 *
 * How: every kernel function `k<N>` is parsed line by line (the emitter writes one
 * statement a line); after each statement that does float arithmetic, a counter
 * increment by its static count is inserted, so loops, `continue`s over unsorted
 * tuples and the batch tile loop are counted as they run; a ternary branch that
 * does float work gets its own counter, `c ? (count, a) : (count, b)`, so only the
 * branch taken counts. A line the counter does not understand (float arithmetic
 * under an if, or in a loop header) makes the count unavailable rather than
 * wrong: `{ unsupported }`.
 */
import * as runtime from "../../runtime/index.js";
import type { TensorLike } from "../../runtime/index.js";
import { TARGETS, type TargetName } from "../codegen/targets.js";
import type { Plan } from "../plan/plan.js";

/** Per-line outcome: the float ops and Math calls a statement line performs every time, and counters for its ternary branches. */
export interface LineCount { readonly flops: number; readonly math: number; readonly edits?: readonly Edit[] }

type Ty = "f" | "i" | "n"; // float, integer (or boolean), a literal that takes its partner's type
interface Tok { readonly t: string; readonly k: "num" | "id" | "op"; /** offset in the text read */ readonly at: number }
/** A counter to insert into a line: before a ternary branch (`(counter, ` ... `)` around it), at these offsets. */
export interface Edit { readonly at: number; readonly end: number; readonly flops: number; readonly math: number }

const FREE_MATH = new Set(["min", "max", "abs", "floor", "ceil", "round", "trunc", "sign"]);

function tokens(s: string): Tok[] {
  const out: Tok[] = [];
  const re = /\s*(?:(\d+\.?\d*(?:e[+-]?\d+)?|\.\d+(?:e[+-]?\d+)?)|([A-Za-z_$][\w$]*)|(===|!==|\*\*=|\*\*|\+=|-=|\*=|\/=|%=|<=|>=|==|!=|&&|\|\||\+\+|--|[-+*/%<>=!?:.,;()[\]{}&|^~]))/y;
  let i = 0;
  while (i < s.length) {
    if (/^\s*$/.test(s.slice(i))) break;
    re.lastIndex = i;
    const m = re.exec(s);
    if (!m) throw new Unsupported(`cannot read '${s.slice(i, i + 20)}'`);
    const t = m[1] ?? m[2] ?? m[3]!;
    out.push({ t, k: m[1] ? "num" : m[2] ? "id" : "op", at: re.lastIndex - t.length });
    i = re.lastIndex;
  }
  return out;
}

class Unsupported extends Error {}

/** A kernel's scope: which names hold float arrays and which float values. */
export interface Scope { readonly arrays: Set<string>; readonly floats: Set<string> }

const BIN: Record<string, number> = { "||": 1, "&&": 2, "==": 3, "!=": 3, "===": 3, "!==": 3, "<": 4, ">": 4, "<=": 4, ">=": 4, "+": 5, "-": 5, "*": 6, "/": 6, "%": 6 };
const ARITH = new Set(["+", "-", "*", "/"]);

/** Parses one expression from toks[pos..]; counts float ops and Math calls. */
class Expr {
  pos = 0;
  flops = 0;
  math = 0;
  /** Branches of ternaries that do float work: counted where they run, by a counter wrapped around them. */
  readonly edits: Edit[] = [];
  constructor(private readonly toks: Tok[], private readonly scope: Scope) {}
  peek(): string | undefined { return this.toks[this.pos]?.t; }
  eat(t: string): void { if (this.toks[this.pos]?.t !== t) throw new Unsupported(`expected '${t}' at '${this.toks.slice(this.pos).map((x) => x.t).join(" ")}'`); this.pos++; }
  /** The type of a value: float if either side is float. */
  private join(a: Ty, b: Ty): Ty { return a === "f" || b === "f" ? "f" : a === "i" || b === "i" ? "i" : "n"; }

  expr(): Ty {
    const c = this.bin(0);
    if (this.peek() !== "?") return c;
    this.pos++;
    // one branch runs: its work is counted by a counter wrapped around it, not in the statement's static count
    const branch = (): Ty => {
      const f0 = this.flops, m0 = this.math, from = this.pos;
      const ty = this.expr();
      const last = this.toks[this.pos - 1]!;
      if (this.flops !== f0 || this.math !== m0) this.edits.push({ at: this.toks[from]!.at, end: last.at + last.t.length, flops: this.flops - f0, math: this.math - m0 });
      this.flops = f0; this.math = m0;
      return ty;
    };
    const a = branch();
    this.eat(":");
    const b = branch();
    return this.join(a, b);
  }
  private bin(minPrec: number): Ty {
    let left = this.unary();
    for (;;) {
      const op = this.peek();
      const p = op === undefined ? undefined : BIN[op];
      if (p === undefined || p <= minPrec) return left;
      this.pos++;
      const right = this.bin(p);
      if (p >= 5) {
        const ty = this.join(left, right);
        if (ty === "f" && ARITH.has(op!)) this.flops++;
        left = ty;
      } else left = "i";
    }
  }
  private unary(): Ty {
    const t = this.peek();
    if (t === "-" || t === "+") { this.pos++; return this.unary(); } // a sign flip is not arithmetic
    if (t === "!") { this.pos++; this.unary(); return "i"; }
    if (t === "new") { this.pos++; this.postfix(); return "i"; } // new Float64Array(n).fill(v): storage, no arithmetic
    return this.postfix();
  }
  private postfix(): Ty {
    const tok = this.toks[this.pos];
    if (!tok) throw new Unsupported("expression ends early");
    this.pos++;
    let ty: Ty;
    let name: string | undefined;
    if (tok.k === "num") ty = "n";
    else if (tok.t === "(") { ty = this.expr(); this.eat(")"); }
    else if (tok.k === "id") {
      name = tok.t;
      ty = tok.t === "Infinity" || tok.t === "NaN" ? "n" : this.scope.floats.has(tok.t) ? "f" : "i";
    } else throw new Unsupported(`unexpected '${tok.t}'`);
    for (;;) {
      const p = this.peek();
      if (p === "[") {
        this.pos++; this.expr(); this.eat("]");
        ty = name !== undefined && this.scope.arrays.has(name) ? "f" : "i";
        name = undefined;
      } else if (p === "." && name === "Math") {
        this.pos++;
        const fn = this.toks[this.pos++]!.t;
        this.eat("(");
        let arg: Ty = "n";
        while (this.peek() !== ")") { arg = this.join(arg, this.expr()); if (this.peek() === ",") this.pos++; }
        this.eat(")");
        if (arg === "f" && !FREE_MATH.has(fn)) this.math++;
        ty = arg === "f" ? "f" : "i";
        name = undefined;
      } else if (p === ".") {
        this.pos++;
        const member = this.toks[this.pos++]!.t;
        name = member === "subarray" && name !== undefined && this.scope.arrays.has(name) ? `${name}` : undefined;
        if (this.peek() === "(") { this.pos++; while (this.peek() !== ")") { this.expr(); if (this.peek() === ",") this.pos++; } this.eat(")"); }
        ty = "i";
      } else if (p === "(") {
        // a helper call ($rank<m>): integer arguments and result
        this.pos++;
        while (this.peek() !== ")") { if (this.expr() === "f") throw new Unsupported("a call with a float argument"); if (this.peek() === ",") this.pos++; }
        this.eat(")");
        ty = "i";
        name = undefined;
      } else return ty;
    }
  }
}

/** The target of an assignment: a float array element or float variable? */
function lhsIsFloat(toks: Tok[], scope: Scope): boolean {
  const name = toks[0]?.t;
  if (name === undefined) return false;
  if (toks.length === 1) return scope.floats.has(name);
  return toks[1]?.t === "[" && scope.arrays.has(name);
}

const ASSIGN = new Set(["=", "+=", "-=", "*=", "/="]);

/**
 * One statement (no trailing `;`): its float ops and Math calls, recording
 * declared float variables and array views in scope. Throws Unsupported.
 */
function statement(toks: Tok[], scope: Scope): LineCount {
  if (!toks.length) return { flops: 0, math: 0 };
  const head = toks[0]!.t;
  if (head === "const" || head === "let") {
    let flops = 0, math = 0, i = 1;
    const edits: Edit[] = [];
    while (i < toks.length) {
      const name = toks[i]!.t;
      if (toks[i + 1]?.t !== "=") { i += 1; if (toks[i]?.t === ",") i++; continue; } // `let acc;`
      const e = new Expr(toks.slice(i + 2), scope);
      const ty = e.expr();
      flops += e.flops; math += e.math; edits.push(...e.edits);
      const init = toks.slice(i + 2, i + 2 + e.pos);
      if (ty === "f") scope.floats.add(name);
      if (init.length >= 3 && scope.arrays.has(init[0]!.t) && init[1]!.t === "." && init[2]!.t === "subarray") scope.arrays.add(name);
      if (init[0]?.t === "new" && /^Float(32|64)Array$/.test(init[1]?.t ?? "")) scope.arrays.add(name);
      i += 2 + e.pos;
      if (toks[i]?.t === ",") i++;
      else if (i < toks.length) throw new Unsupported(`unexpected '${toks[i]!.t}' in a declaration`);
    }
    return { flops, math, edits };
  }
  // an assignment or an expression statement
  let depth = 0, at = -1;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!.t;
    if (t === "(" || t === "[") depth++;
    else if (t === ")" || t === "]") depth--;
    else if (depth === 0 && ASSIGN.has(t)) { at = i; break; }
  }
  if (at < 0) {
    if (toks.length === 2 && (toks[1]!.t === "++" || toks[1]!.t === "--")) return { flops: 0, math: 0 };
    const e = new Expr(toks, scope);
    e.expr();
    if (e.flops || e.math || e.edits.length) throw new Unsupported("float work in an expression statement");
    return { flops: 0, math: 0 };
  }
  const lhs = toks.slice(0, at), op = toks[at]!.t;
  const le = new Expr(lhs, scope);
  le.expr(); // index arithmetic only
  if (le.flops || le.edits.length) throw new Unsupported("float work in an assignment target");
  const e = new Expr(toks.slice(at + 1), scope);
  const ty = e.expr();
  if (e.pos !== toks.length - at - 1) throw new Unsupported("trailing tokens");
  const float = lhsIsFloat(lhs, scope) || ty === "f";
  if (lhs.length === 1 && ty === "f") scope.floats.add(lhs[0]!.t);
  return { flops: e.flops + (op !== "=" && float ? 1 : 0), math: e.math, edits: e.edits };
}

/** Splits tokens at top-level `;`. */
function splitStatements(toks: Tok[]): Tok[][] {
  const out: Tok[][] = [];
  let cur: Tok[] = [], depth = 0;
  for (const t of toks) {
    if (t.t === "(" || t.t === "[") depth++;
    if (t.t === ")" || t.t === "]") depth--;
    if (t.t === ";" && depth === 0) { out.push(cur); cur = []; } else cur.push(t);
  }
  if (cur.length) out.push(cur);
  return out;
}

/**
 * One source line of a kernel: the count of the statements it runs
 * unconditionally, or throws Unsupported where float work is conditional.
 */
export function countLine(line: string, scope: Scope): LineCount {
  let s = line.trim();
  if (s === "" || s.startsWith("//") || s.startsWith("/*") || s.startsWith("*")) return { flops: 0, math: 0 };
  let flops = 0, math = 0;
  const edits: Edit[] = [];
  // block punctuation around statements: `}`, `{`, `} else {`
  s = s.replace(/^\}\s*/, "").replace(/\{\s*$/, "").trim();
  if (s === "") return { flops: 0, math: 0 };
  const base = line.indexOf(s); // s is the line without its leading `}` and blanks: token offsets plus base are the line's
  const add = (c: LineCount): void => { flops += c.flops; math += c.math; for (const e of c.edits ?? []) edits.push({ ...e, at: e.at + base, end: e.end + base }); };
  const conditional = (body: Tok[]): void => {
    const probe: Scope = { arrays: new Set(scope.arrays), floats: new Set(scope.floats) };
    if (["for", "while", "if"].includes(body[0]?.t ?? "")) { control(body, probe); return; }
    for (const st of splitStatements(body)) {
      const c = statement(st.filter((t) => t.t !== "{" && t.t !== "}"), probe);
      if (c.flops || c.math || c.edits?.length) throw new Unsupported("float work under a condition");
    }
  };
  const control = (toks: Tok[], scope: Scope): void => {
    const head = toks[0]!.t;
    // the header: for (init; cond; update), if (cond) [body]
    let i = head === "else" ? 1 : 0;
    if (toks[i]?.t === "if") i++;
    if (head === "else" && toks[1]?.t !== "if") { conditional(toks.slice(1)); return; }
    if (toks[i]?.t === "for" || toks[i]?.t === "while") i++;
    if (toks[i]?.t !== "(") throw new Unsupported(`cannot read '${s}'`);
    let depth = 0, j = i;
    for (; j < toks.length; j++) { if (toks[j]!.t === "(") depth++; if (toks[j]!.t === ")" && --depth === 0) break; }
    const header = toks.slice(i + 1, j);
    for (const st of splitStatements(header)) {
      const c = statement(st, scope);
      if (c.flops || c.math || c.edits?.length) throw new Unsupported("float work in a loop or branch header");
    }
    const body = toks.slice(j + 1);
    if (body.length && !(body.length === 1 && body[0]!.t === "continue") && !(body.length === 2 && body[0]!.t === "continue")) conditional(body);
  };
  const toks = tokens(s);
  const head = toks[0]!.t;
  if (head === "for" || head === "while" || head === "if" || head === "else") { control(toks, scope); return { flops: 0, math: 0 }; }
  if (head === "return" || head === "break" || head === "continue") {
    if (toks.length > 2) conditional(toks.slice(1));
    return { flops: 0, math: 0 };
  }
  for (const st of splitStatements(toks)) {
    if (st.some((t) => t.t === "{" || t.t === "}")) { conditional(st); continue; }
    add(statement(st, scope));
  }
  return edits.length ? { flops, math, edits } : { flops, math };
}

/** The line with a counter around each ternary branch that does float work: `(counter, branch)`. */
function applyEdits(line: string, edits: readonly Edit[], counter: (f: number, m: number) => string): string {
  const ins = edits.flatMap((e) => [{ pos: e.at, text: `(${counter(e.flops, e.math)}, ` }, { pos: e.end, text: ")" }]).sort((a, b) => b.pos - a.pos);
  let out = line;
  for (const { pos, text } of ins) out = out.slice(0, pos) + text + out.slice(pos);
  return out;
}

/**
 * The module body (the function flavor instantiate() evaluates) with a counter
 * after every kernel statement that does float arithmetic: `globalThis[key].f`
 * (flops) and `.m` (Math calls). Returns `{ unsupported }` naming the first line
 * the counter cannot count exactly.
 */
export function instrumentModule(body: string, key: string): { text: string } | { unsupported: string } {
  const lines = body.split("\n");
  const out: string[] = [];
  let scope: Scope | undefined, depth = 0;
  for (const line of lines) {
    const m = /^\s*function (k\d+)\(([^)]*)\)\s*\{\s*$/.exec(line);
    if (m) {
      const params = m[2]!.split(",").map((p) => p.trim().replace(/[:?].*$/, "")).filter((p) => p && p !== "B");
      scope = { arrays: new Set(params), floats: new Set() };
      depth = 1;
      out.push(line);
      continue;
    }
    if (!scope) { out.push(line); continue; }
    let c: LineCount;
    try { c = countLine(line, scope); } catch (e) {
      if (e instanceof Unsupported) return { unsupported: `${e.message}: ${line.trim().slice(0, 160)}` };
      throw e;
    }
    const code = line.replace(/\/\/.*$/, "");
    depth += (code.match(/\{/g) ?? []).length - (code.match(/\}/g) ?? []).length;
    const g = `globalThis[${JSON.stringify(key)}]`;
    const inc = [c.flops ? `${g}.f += ${c.flops};` : "", c.math ? `${g}.m += ${c.math};` : ""].filter(Boolean).join(" ");
    const text = c.edits?.length ? applyEdits(line, c.edits, (f, m) => [f ? `${g}.f += ${f}` : "", m ? `${g}.m += ${m}` : ""].filter(Boolean).join(", ")) : line;
    out.push(inc ? `${text} ${inc}` : text);
    if (depth <= 0) scope = undefined;
  }
  return { text: out.join("\n") };
}

/** What one counted call performed: float ops and Math calls, or why it could not be counted. */
export type ExecutedCount = { readonly flops: number; readonly mathCalls: number } | { readonly unsupported: string };

/**
 * Runs the plan's module once, instrumented, on these inputs (one thread) and
 * returns what its kernels executed. Only a target that emits JavaScript ("ts")
 * can be counted this way.
 */
export function executedFlops(plan: Plan, inputs: Readonly<Record<string, TensorLike>>, target: TargetName = "ts"): ExecutedCount {
  if (target !== "ts") return { unsupported: `target ${target}: only the ts target's JavaScript kernels are counted` };
  const body = TARGETS[target].module(plan, { flavor: "function", provenance: "memory", runtimeImport: "" });
  const key = `__thoadFlops${process.pid}`;
  const inst = instrumentModule(body, key);
  if ("unsupported" in inst) return inst;
  const g = globalThis as unknown as Record<string, { f: number; m: number } | undefined>;
  g[key] = { f: 0, m: 0 };
  try {
    const fn = new Function("rt", inst.text)(runtime) as (i: typeof inputs, o: { threads: number }) => unknown;
    fn(inputs, { threads: 1 });
    return { flops: g[key]!.f, mathCalls: g[key]!.m };
  } finally { delete g[key]; }
}
