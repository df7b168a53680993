/**
 * Elementwise steps (`t10,t11,t12 = tanh^(0..2)(t9)`) in wasm, two f64 lanes
 * at a time: the derivative rule's own statements (derive/elementwise.ts,
 * loop-nest IR expression trees) compiled to f64x2 code, with the Math calls
 * that have a vector version (wasm/vector-math.ts: exp, tanh, sin, cos, log)
 * inlined. A rule calling anything else (sinh, atan, ...) stays JavaScript, as
 * does a step with none of those calls (plain arithmetic is as fast in
 * JavaScript).
 * f32 buffers: each pair of elements is widened to f64x2, computed in f64 and
 * rounded once at its store, as the JavaScript kernel computes in doubles and
 * rounds when it stores into a Float32Array.
 *
 * + - * / and the comparisons are IEEE operations either way, so the results
 * equal the JavaScript kernel's up to the vector math (within 3 ulp of Math's:
 * test/wasm/vector-math.test.ts).
 */
import type { MapStep, Plan } from "../plan/plan.js";
import { UNARY } from "../derive/elementwise.js";
import { elem, v, type Expr, type Stmt } from "./nest.js";
import { SCALAR_FALLBACK, VECTOR_MATH, vectorSinCos, whileLoop, type Element, type FunctionBuilder, type Local, type SimdBitsOp, type SimdOp, type VectorMathFn } from "../wasm/index.js";

export interface MapKernel {
  /** Elements per sample (or in all, unbatched). */
  readonly size: number;
  readonly batched: boolean;
  /** The rule's statements: they read the variable x and assign o<j>[q] (output j) and locals. */
  readonly stmts: readonly Stmt[];
  /** Buffer ids: the input, and output j. */
  readonly input: number;
  readonly outs: readonly number[];
  /** The vector Math functions the statements call, sorted; and every call (per element: what the JavaScript kernel pays). */
  readonly fns: readonly VectorMathFn[];
  readonly calls: readonly VectorMathFn[];
  /** The variables the statements take both sin and cos of (sin's and cos's rules): one shared reduction, vectorSinCos. */
  readonly sincos: readonly string[];
}

/** A vector Math call: the function, and its argument's name when that is a variable. */
interface Call { readonly fn: VectorMathFn; readonly of?: string }

/** The host Math functions a module's map kernels fall back to (vector-math.ts SCALAR_FALLBACK), sorted: the module imports them. */
export const fallbackImports = (kernels: Iterable<MapKernel>): VectorMathFn[] =>
  [...new Set([...kernels].flatMap((k) => k.fns.filter((fn) => SCALAR_FALLBACK.has(fn))))].sort();

const VECTOR_FNS = new Set<string>(Object.keys(VECTOR_MATH));
const ARITH: Partial<Record<string, SimdOp>> = { "+": "f64x2.add", "-": "f64x2.sub", "*": "f64x2.mul", "/": "f64x2.div" };
const COMPARE: Partial<Record<string, SimdBitsOp>> = { "<": "f64x2.lt", "<=": "f64x2.le", ">": "f64x2.gt", ">=": "f64x2.ge", "===": "f64x2.eq", "!==": "f64x2.ne" };
const PLAIN_CALLS: Partial<Record<string, SimdOp>> = { abs: "f64x2.abs", sqrt: "f64x2.sqrt", max: "f64x2.max", min: "f64x2.min" };

/** Why the tree cannot be vectorised, or undefined; `calls` collects the vector Math calls. */
function exprProblem(e: Expr, calls: Call[]): string | undefined {
  switch (e.k) {
    case "num": case "var": return undefined;
    case "elem": return "reads an array";
    case "paren": case "neg": return exprProblem(e.a, calls);
    case "not": return "a logical not";
    case "bin":
      if (!ARITH[e.op] && !COMPARE[e.op] && e.op !== "&&") return `operator ${e.op}`;
      return exprProblem(e.a, calls) ?? exprProblem(e.b, calls);
    case "cond": return exprProblem(e.test, calls) ?? exprProblem(e.then, calls) ?? exprProblem(e.else, calls);
    case "call":
      if (VECTOR_FNS.has(e.fn)) calls.push({ fn: e.fn as VectorMathFn, of: e.args[0]?.k === "var" ? e.args[0].name : undefined });
      else if (!PLAIN_CALLS[e.fn]) return `Math.${e.fn} has no vector version`;
      return e.args.reduce<string | undefined>((p, a) => p ?? exprProblem(a, calls), undefined);
  }
}

function stmtProblem(s: Stmt, calls: Call[]): string | undefined {
  switch (s.k) {
    case "decl": return s.vars.reduce<string | undefined>((p, x) => p ?? (x.init ? exprProblem(x.init, calls) : undefined), undefined);
    case "assign":
      if (s.op !== "=" && s.op !== "*=") return `assignment ${s.op}`;
      if (s.to.k === "elem" && (s.to.at.k !== "var" || s.to.at.name !== "q" || !/^o\d+$/.test(s.to.array))) return "an assignment to an array element other than the output's";
      return exprProblem(s.value, calls);
    default: return `a statement of kind ${s.k}`;
  }
}

/** The step's kernel, or why it stays JavaScript. */
export function matchMapStep(s: MapStep, plan: Plan): MapKernel | string {
  if (s.outs.some((o) => o === undefined)) return "an output left out";
  const skip = Array.from({ length: s.deriv ?? 0 }, (_, m) => `z${m}`);
  const stmts = UNARY[s.fn].emit("x", [...skip.map(v), ...s.outs.map((_, j) => elem(`o${j}`, v("q")))], s.exponent);
  const calls: Call[] = [];
  for (const st of stmts) { const p = stmtProblem(st, calls); if (p) return p; }
  if (!calls.length) return `no Math call with a vector version (${Object.keys(VECTOR_MATH).join(", ")}): as fast in JavaScript`;
  const b = plan.buffers[s.input]!;
  const of = (fn: VectorMathFn) => new Set(calls.flatMap((c) => (c.fn === fn && c.of !== undefined ? [c.of] : [])));
  const cosOf = of("cos");
  return {
    size: b.size, batched: b.batched, stmts: [...skip.map((z) => ({ k: "decl", kind: "let", vars: [{ name: z }] }) as const), ...stmts], input: s.input, outs: s.outs as number[],
    fns: [...new Set(calls.map((c) => c.fn))].sort(), calls: calls.map((c) => c.fn), sincos: [...of("sin")].filter((n) => cosOf.has(n)).sort(),
  };
}

type Kind = "num" | "mask";

/**
 * Compiles the statements for the elements at byte offset `off` (+ `at`) of
 * every buffer: two ("pair"), or one in lane 0 ("last"); f32 elements widened.
 */
function emitBody(f: FunctionBuilder, m: MapKernel, input: Local, outs: readonly Local[], off: Local, at: number, mode: "pair" | "last", el: Element, fallback: ReadonlyMap<string, number>): void {
  const env = new Map<string, Local>();
  const trig = new Map<string, { sin: Local; cos: Local }>();
  const x = f.local("v128");
  f.get(input).get(off).op("i32.add");
  if (el.name === "f64") f.mem(mode === "pair" ? "v128.load" : "v128.load64_zero", { offset: at });
  else f.mem(mode === "pair" ? "v128.load64_zero" : "v128.load32_zero", { offset: at }).bits("f64x2.promote_low_f32x4");
  f.set(x);
  env.set("x", x);
  const expr = (e: Expr): Kind => {
    switch (e.k) {
      case "num": f.v128Splat("f64x2", e.v); return "num";
      case "var": { const l = env.get(e.name); if (!l) throw new Error(`wasm map step: variable ${e.name} read before it is set`); f.get(l); return "num"; }
      case "paren": return expr(e.a);
      case "neg": expr(e.a); f.simd("f64x2.neg"); return "num";
      case "bin": {
        const ka = expr(e.a), kb = expr(e.b);
        if (e.op === "&&") { if (ka !== "mask" || kb !== "mask") throw new Error("wasm map step: && of numbers"); f.bits("v128.and"); return "mask"; }
        if (ka !== "num" || kb !== "num") throw new Error("wasm map step: arithmetic on a comparison");
        const a = ARITH[e.op];
        if (a) { f.simd(a); return "num"; }
        f.bits(COMPARE[e.op]!);
        return "mask";
      }
      case "cond": {
        expr(e.then); expr(e.else);
        if (expr(e.test) !== "mask") throw new Error("wasm map step: a condition that is not a comparison");
        f.bits("v128.bitselect");
        return "num";
      }
      case "call": {
        const p = PLAIN_CALLS[e.fn];
        if (p) { for (const a of e.args) expr(a); f.simd(p); return "num"; }
        const a0 = e.args[0]!;
        if ((e.fn === "sin" || e.fn === "cos") && a0.k === "var" && m.sincos.includes(a0.name)) {
          let sc = trig.get(a0.name);
          if (!sc) trig.set(a0.name, (sc = vectorSinCos(f, env.get(a0.name)!, { sin: fallback.get("sin")!, cos: fallback.get("cos")! })));
          f.get(sc[e.fn]);
          return "num";
        }
        const arg = f.local("v128");
        expr(e.args[0]!); f.set(arg);
        VECTOR_MATH[e.fn as VectorMathFn](f, arg, fallback.get(e.fn));
        return "num";
      }
      case "elem": case "not": throw new Error(`wasm map step: ${e.k}`);
    }
  };
  for (const s of m.stmts) {
    if (s.k === "decl") {
      for (const d of s.vars) { const l = f.local("v128"); if (d.init) { expr(d.init); f.set(l); } env.set(d.name, l); }
    } else if (s.k === "assign") {
      const to = s.to;
      if (to.k === "var") {
        trig.delete(to.name);
        const l = env.get(to.name) ?? f.local("v128");
        if (s.op === "*=") f.get(l);
        expr(s.value);
        if (s.op === "*=") f.simd("f64x2.mul");
        f.set(l); env.set(to.name, l);
      } else {
        const j = Number(to.array.slice(1));
        f.get(outs[j]!).get(off).op("i32.add");
        if (s.op === "*=") throw new Error("wasm map step: *= on an output");
        expr(s.value);
        if (el.name === "f32") f.bits("f32x4.demote_f64x2_zero");
        if (el.name === "f64" && mode === "pair") f.mem("v128.store", { offset: at });
        else f.storeLane(el.name === "f32" && mode === "last" ? "v128.store32_lane" : "v128.store64_lane", 0, { offset: at });
      }
    } else throw new Error(`wasm map step: statement ${s.k}`);
  }
}

/**
 * The driver: bt (the tile's samples), then the addresses of `ids` (the JS
 * kernel's parameters). Two pairs of elements an iteration, then one pair,
 * then the odd last element through lane 0. `fallback`: the function index of
 * each imported host Math function (fallbackImports).
 */
export function emitMapStep(f: FunctionBuilder, m: MapKernel, bt: Local, addr: (id: number) => Local, el: Element, fallback: ReadonlyMap<string, number>): void {
  const end = f.local("i32"), off = f.local("i32");
  const pair = 2 * el.bytes;
  if (m.batched) f.get(bt).i32Const(m.size * el.bytes).op("i32.mul"); else f.i32Const(m.size * el.bytes);
  f.set(end).i32Const(0).set(off);
  const input = addr(m.input), outs = m.outs.map(addr);
  whileLoop(f, () => f.get(off).i32Const(2 * pair).op("i32.add").get(end).op("i32.le_s"), () => {
    emitBody(f, m, input, outs, off, 0, "pair", el, fallback);
    emitBody(f, m, input, outs, off, pair, "pair", el, fallback);
    f.get(off).i32Const(2 * pair).op("i32.add").set(off);
  });
  const one = f.block();
  f.get(off).i32Const(pair).op("i32.add").get(end).op("i32.gt_s").brIf(one);
  emitBody(f, m, input, outs, off, 0, "pair", el, fallback);
  f.get(off).i32Const(pair).op("i32.add").set(off);
  f.end(one);
  const last = f.block();
  f.get(off).get(end).op("i32.ge_s").brIf(last);
  emitBody(f, m, input, outs, off, 0, "last", el, fallback);
  f.end(last);
}
