/**
 * Elementwise functions: for each, code computing f^(0..M) at x for any M, and
 * a plain reference implementation of f for constant folding and tests.
 * Closed forms or recurrences with compile-time coefficients give every order
 * (docs/design.md section 3). Piecewise functions use the derivatives of
 * their branch, with PyTorch 1.13's choice of branch at the kink (docs/language.md).
 */
import type { UnaryFn } from "../ir/node.js";
import { erf, erfc, erfcLines, erfinv, erfinvLines, erfLines } from "./erf.js";
import { addPoly, derivPoly, horner, mulPoly, scalePoly, selfPolys } from "./poly.js";
import { add, and, assign, bare, call, cond, constDecl, div, eq, ex, gt, ifThen, inline, letDecl, lt, mod, mul, ne, neg, num, paren, scaleLeft, sub, v, type Expr, type LValue, type MathFn, type Stmt } from "../codegen/nest.js";
import { printStmts } from "../codegen/print-ts.js";

export { horner, selfPolys } from "./poly.js";

export interface UnaryRule {
  /** Highest derivative order that is not identically zero (Infinity: none vanish). */
  maxNonzero(exponent?: number): number;
  /**
   * Statements (loop-nest IR, codegen/nest.ts) computing f^(m)(x) for m = 0..M
   * into d[0..M] (each d[m] a variable or element to assign). x is a variable
   * holding the argument. Locals the statements declare are short lower-case
   * names without digits (never q, x, or a buffer name t<N>/S<N>/T<N>).
   */
  emit(x: string, d: readonly LValue[], exponent?: number): Stmt[];
  /** f(x) on one number, with the same conventions as d[0] (constant folding, tests). */
  value(x: number, exponent?: number): number;
}

const polyRule = (g: readonly number[], fn: MathFn, value: (x: number) => number): UnaryRule => ({
  maxNonzero: () => Infinity,
  emit: (x, d) => {
    const polys = selfPolys(g, d.length - 1), t = v("t");
    return [constDecl("t", call(fn, v(x))), ...d.map((o, m) => assign(o, m === 0 ? t : horner(polys[m]!, t)))];
  },
  value,
});

/** sigmoid(x) = 1 / (1 + e^-x), as 1 - sigmoid(-|x|) for x >= 0 (the sigmoidLines form). */
const sigmoid = (x: number): number => { const u = 1 / (1 + Math.exp(Math.abs(x))); return x < 0 ? u : 1 - u; };

/**
 * sigma^(k)(x) for k = 0..d.length-1 into d[k], each expression passed through wrap(k, expr).
 * sigma^(k) = P_k(sigma) (selfPolys, g = t - t^2) evaluated at u = sigma(-|x|) <= 1/2, using
 * P_k(1 - u) = (-1)^(k+1) P_k(u) (from sigma(-x) = 1 - sigma(x)): P_k(t) has the factor
 * t (1 - t), and near t = 1 evaluating it at t itself would cancel (relative error e^|x| eps).
 */
function sigmoidLines(x: string, d: readonly LValue[], wrap: (k: number, e: Expr) => Expr): Stmt[] {
  if (d.length === 0) return [];
  const polys = selfPolys([0, 1, -1], d.length - 1), X = v(x), u = v("u");
  const lines = [constDecl("u", div(num(1), paren(add(num(1), call("exp", call("abs", X))))))];
  if (d.length > 2) lines.push(constDecl("sg", cond(lt(X, num(0)), num(1), num(-1))));
  d.forEach((o, k) => {
    const e = k === 0 ? cond(lt(X, num(0)), u, sub(num(1), u)) : k % 2 === 1 ? horner(polys[k]!, u) : mul(v("sg"), paren(horner(polys[k]!, u)));
    lines.push(assign(o, wrap(k, e)));
  });
  return lines;
}

/** Falling factorial p (p-1) ... (p-m+1). */
const falling = (p: number, m: number): number => { let r = 1; for (let i = 0; i < m; i++) r *= p - i; return r; };

/**
 * scale * log(x + shift): the m-th derivative is scale (-1)^(m-1) (m-1)! / (x + shift)^m.
 * log, log1p (shift 1), log2 and log10 (scale 1/ln 2, 1/ln 10).
 */
const logRule = (fn: MathFn, ref: (x: number) => number, shift: number, scale: number): UnaryRule => ({
  maxNonzero: () => Infinity,
  emit: (x, d) => {
    const X = v(x), r = v("r");
    const lines = [assign(d[0]!, call(fn, X))];
    if (d.length > 1) lines.push(constDecl("r", div(num(1), shift === 0 ? X : paren(add(num(1), X)))));
    let c = scale;
    for (let m = 1; m < d.length; m++) {
      let e = mul(num(c), r);
      for (let j = 1; j < m; j++) e = mul(e, r);
      lines.push(assign(d[m]!, e));
      c *= -m;
    }
    return lines;
  },
  value: ref,
});

/**
 * Inverse trigonometric and hyperbolic functions, f' = s (1 + sg x^2)^(-a) with
 * a = 1 (atan, atanh) or 1/2 (asin, acos, asinh), s = +-1 (acos: -1):
 *   f^(m) = s P_m(x) (1 + sg x^2)^(-(a + m - 1)),  P_1 = 1,
 *   P_{m+1} = (1 + sg x^2) P_m' - 2 sg (a + m - 1) x P_m   (integer coefficients).
 */
export function inversePolys(sg: 1 | -1, a: 1 | 0.5, M: number): number[][] {
  const base = [1, 0, sg];
  const out: number[][] = [[0], [1]];
  for (let m = 1; m < M; m++) {
    const p = out[m]!;
    out.push(addPoly(mulPoly(base, derivPoly(p)), scalePoly(mulPoly([0, 1], p), -2 * sg * (a + m - 1))));
  }
  return out;
}

const inverseRule = (fn: MathFn, sg: 1 | -1, a: 1 | 0.5, sign: 1 | -1, ref: (x: number) => number): UnaryRule => ({
  maxNonzero: () => Infinity,
  emit: (x, d) => {
    const X = v(x), u = v("u"), w = v("w");
    const lines = [assign(d[0]!, call(fn, X))];
    if (d.length === 1) return lines;
    const polys = inversePolys(sg, a, d.length - 1);
    // 1 - x^2 as (1 - x)(1 + x): no cancellation near |x| = 1
    lines.push(constDecl("u", div(num(1), paren(sg === 1 ? add(num(1), mul(X, X)) : mul(paren(sub(num(1), X)), paren(add(num(1), X)))))));
    lines.push(letDecl("w", a === 1 ? u : call("sqrt", u)));
    for (let m = 1; m < d.length; m++) {
      if (m > 1) lines.push(assign(w, u, "*="));
      const p = scalePoly(polys[m]!, sign);
      lines.push(assign(d[m]!, p.length === 1 && p[0] === 1 ? w : mul(paren(horner(p, X)), w)));
    }
    return lines;
  },
  value: ref,
});

/** erf^(m) = 2/sqrt(pi) E_m(x) e^(-x^2),  E_1 = 1,  E_{m+1} = E_m' - 2 x E_m (Hermite: E_m = (-1)^(m-1) H_{m-1}). */
export function erfPolys(M: number): number[][] {
  const out: number[][] = [[0], [1]];
  for (let m = 1; m < M; m++) out.push(addPoly(derivPoly(out[m]!), mulPoly([0, -2], out[m]!)));
  return out;
}

/**
 * acosh^(m) = P_m(x) (x^2 - 1)^(1/2 - m),  P_1 = 1,  P_{m+1} = (x^2 - 1) P_m' - (2m - 1) x P_m
 * (integer coefficients), for x > 1.
 */
export function acoshPolys(M: number): number[][] {
  const out: number[][] = [[0], [1]];
  for (let m = 1; m < M; m++) out.push(addPoly(mulPoly([-1, 0, 1], derivPoly(out[m]!)), scalePoly(mulPoly([0, 1], out[m]!), -(2 * m - 1))));
  return out;
}

/**
 * erfinv^(m) = c^m Q_m(f) e^(m f^2) with f = erfinv(x), c = sqrt(pi) / 2 (from f' = c e^(f^2)):
 * Q_1 = 1, Q_{m+1} = Q_m' + 2 m f Q_m (polynomials in f).
 */
export function erfinvPolys(M: number): number[][] {
  const out: number[][] = [[0], [1]];
  for (let m = 1; m < M; m++) out.push(addPoly(derivPoly(out[m]!), scalePoly(mulPoly([0, 1], out[m]!), 2 * m)));
  return out;
}

/** A piecewise-constant function (sign, floor, ...): its value, and 0 for every derivative order. */
const stepRule = (value: (x: number) => number, lines: (x: Expr, out: LValue) => Stmt[]): UnaryRule => ({
  maxNonzero: () => 0,
  emit: (x, d) => [...lines(v(x), d[0]!), ...d.slice(1).map((o) => assign(o, 0))],
  value,
});

/** PyTorch's SELU constants (torch/csrc: SELU_ALPHA, SELU_SCALE). */
export const SELU_ALPHA = 1.6732632423543772848170429916717;
export const SELU_SCALE = 1.0507009873554804934193349852946;

/**
 * ELU family, scale * (x > 0 ? x : alpha (e^x - 1)). PyTorch 1.13 at x = 0:
 * f'(0) takes the negative branch (elu_backward tests x <= 0), every higher
 * derivative the positive one (elu_double_backward masks with x < 0): 0.
 */
const eluRule = (alpha: number, scale: number): UnaryRule => {
  const negC = alpha * scale;
  const times = (c: number, e: Expr) => (c === 1 ? e : mul(num(c), e));
  return {
    maxNonzero: () => Infinity,
    emit: (x, d) => {
      const X = v(x), e = v("e");
      return [
        assign(d[0]!, cond(gt(X, num(0)), times(scale, X), times(negC, call("expm1", X)))),
        ...(d.length > 1 ? [constDecl("e", times(negC, call("exp", X))), assign(d[1]!, cond(gt(X, num(0)), num(scale), e))] : []),
        ...d.slice(2).map((o) => assign(o, cond(lt(X, num(0)), e, num(0)))),
      ];
    },
    value: (x) => (x > 0 ? scale * x : negC * Math.expm1(x)),
  };
};

/** Whether f^(k) is identically zero (k > maxNonzero): a unary node with deriv k would be a constant 0. */
export const derivVanishes = (fn: UnaryFn, k: number, exponent?: number): boolean => k > UNARY[fn].maxNonzero(exponent);

/**
 * f^(k)(x) on one number (constant folding of a unary node with deriv k): the rule's own
 * emitted statements, run once.
 */
export function derivValue(fn: UnaryFn, k: number, x: number, exponent?: number): number {
  if (k === 0) return UNARY[fn].value(x, exponent);
  const d = Array.from({ length: k + 1 }, (_, m) => `d${m}`);
  const body = [`let ${d.join(", ")};`, ...printStmts(UNARY[fn].emit("x", d.map(v), exponent)), `return d${k};`].join("\n");
  return (new Function("x", body) as (x: number) => number)(x);
}

export const UNARY: Record<UnaryFn, UnaryRule> = {
  exp: { maxNonzero: () => Infinity, emit: (x, d) => [constDecl("e", call("exp", v(x))), ...d.map((o) => assign(o, v("e")))], value: Math.exp },
  // expm1^(m) = e^x for m >= 1; the value without cancellation near 0
  expm1: {
    maxNonzero: () => Infinity,
    emit: (x, d) => [assign(d[0]!, call("expm1", v(x))), ...(d.length > 1 ? [constDecl("e", call("exp", v(x)))] : []), ...d.slice(1).map((o) => assign(o, v("e")))],
    value: Math.expm1,
  },
  // log^(m) = (-1)^(m-1) (m-1)! / x^m
  log: logRule("log", Math.log, 0, 1),
  log1p: logRule("log1p", Math.log1p, 1, 1),
  log2: logRule("log2", Math.log2, 0, 1 / Math.LN2),
  log10: logRule("log10", Math.log10, 0, 1 / Math.LN10),
  sqrt: { maxNonzero: () => Infinity, emit: (x, d) => powEmit(x, d, 0.5), value: Math.sqrt },
  // norm() = norm_sqrt(sum(x^2)): torch's norm backward masks norm = 0 to a first derivative of
  // 0; the higher ones stay infinite there (sqrt'' (0) times 0 is NaN, as PyTorch's order 2 and up)
  norm_sqrt: { maxNonzero: () => Infinity, emit: (x, d) => [...powEmit(x, d, 0.5), ...(d.length > 1 ? [ifThen(eq(v(x), num(0)), bare(assign(d[1]!, 0)))] : [])], value: Math.sqrt },
  // std() = std_sqrt(var(x)): torch's std backward masks std = 0 to 0, so every derivative there is 0
  std_sqrt: { maxNonzero: () => Infinity, emit: (x, d) => [...powEmit(x, d, 0.5), ...(d.length > 1 ? [ifThen(eq(v(x), num(0)), inline(...d.slice(1).map((o) => assign(o, 0))))] : [])], value: Math.sqrt },
  pow: { maxNonzero: (p) => (Number.isInteger(p) && p! >= 0 ? p! : Infinity), emit: (x, d, p) => powEmit(x, d, p!), value: (x, p) => Math.pow(x, p!) },
  tanh: polyRule([1, 0, -1], "tanh", Math.tanh),
  sigmoid: { maxNonzero: () => Infinity, emit: (x, d) => sigmoidLines(x, d, (_, e) => e), value: sigmoid },
  // tan' = 1 + tan^2
  tan: polyRule([1, 0, 1], "tan", Math.tan),
  // softplus' = sigmoid: derivatives m >= 1 are sigmoid's of order m - 1.
  // PyTorch: above the threshold 20, softplus(x) = x: derivatives 1, 0, 0, ...
  softplus: {
    maxNonzero: () => Infinity,
    emit: (x, d) => {
      const X = v(x), big = gt(X, num(20));
      return [
        assign(d[0]!, cond(big, X, add(call("max", X, num(0)), call("log1p", call("exp", neg(call("abs", X))))))),
        ...sigmoidLines(x, d.slice(1), (k, e) => cond(big, num(k === 0 ? 1 : 0), e)),
      ];
    },
    value: (x) => (x > 20 ? x : Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)))),
  },
  // sin^(m)(x) = sin(x + m pi/2): the cycle sin, cos, -sin, -cos
  sin: { maxNonzero: () => Infinity, emit: (x, d) => trig(x, d, 0), value: Math.sin },
  cos: { maxNonzero: () => Infinity, emit: (x, d) => trig(x, d, 1), value: Math.cos },
  // sinh, cosh: the cycle of period 2
  sinh: { maxNonzero: () => Infinity, emit: (x, d) => hyper(x, d, 0), value: Math.sinh },
  cosh: { maxNonzero: () => Infinity, emit: (x, d) => hyper(x, d, 1), value: Math.cosh },
  asin: inverseRule("asin", -1, 0.5, 1, Math.asin),
  acos: inverseRule("acos", -1, 0.5, -1, Math.acos),
  asinh: inverseRule("asinh", 1, 0.5, 1, Math.asinh),
  atan: inverseRule("atan", 1, 1, 1, Math.atan),
  atanh: inverseRule("atanh", -1, 1, 1, Math.atanh),
  acosh: {
    maxNonzero: () => Infinity,
    emit: (x, d) => {
      const X = v(x), u = v("u"), w = v("w");
      const lines = [assign(d[0]!, call("acosh", X))];
      if (d.length === 1) return lines;
      const polys = acoshPolys(d.length - 1);
      // x^2 - 1 as (x - 1)(x + 1): no cancellation near x = 1
      lines.push(constDecl("u", div(num(1), paren(mul(paren(sub(X, num(1))), paren(add(X, num(1))))))), letDecl("w", call("sqrt", u)));
      for (let m = 1; m < d.length; m++) {
        if (m > 1) lines.push(assign(w, u, "*="));
        lines.push(assign(d[m]!, m === 1 ? w : mul(paren(horner(polys[m]!, X)), w)));
      }
      return lines;
    },
    value: Math.acosh,
  },
  // erfc^(m) = -erf^(m) for m >= 1; the value without cancellation for large x (Cody's erfc)
  erfc: { maxNonzero: () => Infinity, emit: (x, d) => erfFamily(x, d, erfcLines(x, d[0]!), -2 / Math.sqrt(Math.PI)), value: erfc },
  // erfinv' = c e^(f^2): the derivatives as polynomials in the value f (erfinvPolys)
  erfinv: {
    maxNonzero: () => Infinity,
    emit: (x, d) => {
      const fv = v("fv"), e = v("e"), w = v("w");
      const lines = [letDecl("fv", num(0)), ...erfinvLines(x, fv), assign(d[0]!, fv)];
      if (d.length === 1) return lines;
      const polys = erfinvPolys(d.length - 1);
      lines.push(constDecl("e", mul(num(Math.sqrt(Math.PI) / 2), call("exp", mul(fv, fv)))), letDecl("w", e));
      for (let m = 1; m < d.length; m++) {
        if (m > 1) lines.push(assign(w, e, "*="));
        lines.push(assign(d[m]!, m === 1 ? w : mul(paren(horner(polys[m]!, fv)), w)));
      }
      return lines;
    },
    value: erfinv,
  },
  // piecewise constant: every derivative is 0, at the jumps too (PyTorch's gradient is 0 everywhere)
  sign: stepRule((x) => (x > 0 ? 1 : x < 0 ? -1 : 0), (x, o) => [assign(o, signOf(x))]),
  floor: stepRule(Math.floor, (x, o) => [assign(o, call("floor", x))]),
  ceil: stepRule(Math.ceil, (x, o) => [assign(o, call("ceil", x))]),
  trunc: stepRule(Math.trunc, (x, o) => [assign(o, call("trunc", x))]),
  // half to even, as torch.round (Math.round rounds half up)
  round: stepRule(
    (x) => { const r = Math.round(x); return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r; },
    (x, o) => { const r = v("r"); return [constDecl("r", call("round", x)), assign(o, cond(and(eq(sub(r, x), num(0.5)), ne(mod(r, num(2)), num(0))), sub(r, num(1)), r))]; },
  ),
  erf: { maxNonzero: () => Infinity, emit: (x, d) => erfFamily(x, d, erfLines(x, d[0]!), 2 / Math.sqrt(Math.PI)), value: erf },
  // PyTorch: relu'(0) = 0
  relu: { maxNonzero: () => 1, emit: (x, d) => [assign(d[0]!, cond(gt(v(x), num(0)), v(x), num(0))), ...d.slice(1).map((o, m) => assign(o, m === 0 ? cond(gt(v(x), num(0)), num(1), num(0)) : num(0)))], value: (x) => (x > 0 ? x : 0) },
  // PyTorch: abs'(x) = sgn(x), sgn(0) = 0
  abs: {
    maxNonzero: () => 1,
    emit: (x, d) => [assign(d[0]!, call("abs", v(x))), ...d.slice(1).map((o, m) => assign(o, m === 0 ? signOf(v(x)) : num(0)))],
    value: Math.abs,
  },
  elu: eluRule(1, 1),
  selu: eluRule(SELU_ALPHA, SELU_SCALE),
};

/** x > 0 ? 1 : x < 0 ? -1 : 0 */
const signOf = (x: Expr): Expr => cond(gt(x, num(0)), num(1), cond(lt(x, num(0)), num(-1), num(0)));

/** erf and erfc: the value's statements, then f^(m) = c E_m(x) e^(-x^2) (erfPolys), c = +-2/sqrt(pi). */
function erfFamily(x: string, d: readonly LValue[], value: Stmt[], c: number): Stmt[] {
  if (d.length === 1) return value;
  const X = v(x), g = v("g");
  const polys = erfPolys(d.length - 1);
  const lines = [...value, constDecl("g", mul(num(c), call("exp", mul(neg(X), X))))];
  for (let m = 1; m < d.length; m++) lines.push(assign(d[m]!, m === 1 ? g : mul(paren(horner(polys[m]!, X)), g)));
  return lines;
}

/** (x^p)^(m) = p (p-1) ... (p-m+1) x^(p-m). */
function powEmit(x: string, d: readonly LValue[], p: number): Stmt[] {
  const X = v(x);
  const exact = (q: number): Expr =>
    q === 0 ? num(1) : q === 1 ? X : q === 2 ? mul(X, X) : q === -1 ? div(num(1), X) : q === 0.5 ? call("sqrt", X) : call("pow", X, num(q));
  return d.map((o, m) => {
    const c = falling(p, m);
    // c * e as written: a factor of a product or quotient joins its left operand
    return assign(o, c === 0 ? num(0) : c === 1 ? exact(p - m) : scaleLeft(num(c), exact(p - m)));
  });
}

function trig(x: string, d: readonly LValue[], shift: number): Stmt[] {
  const s = v("s"), c = v("c");
  const cyc = [s, c, neg(s), neg(c)];
  return [{ k: "decl", kind: "const", vars: [{ name: "s", init: call("sin", v(x)) }, { name: "c", init: call("cos", v(x)) }] }, ...d.map((o, m) => assign(o, cyc[(m + shift) % 4]!))];
}

function hyper(x: string, d: readonly LValue[], shift: number): Stmt[] {
  return [{ k: "decl", kind: "const", vars: [{ name: "sh", init: call("sinh", v(x)) }, { name: "ch", init: call("cosh", v(x)) }] }, ...d.map((o, m) => assign(o, v((m + shift) % 2 === 0 ? "sh" : "ch")))];
}
