/**
 * Taylor mode as an IR-to-IR transform (docs/design.md section 8): pushes the
 * curve x(t) = x + t v through the graph of the roots and returns, per node,
 * its Taylor coefficients c_1..c_k in the normalisation
 * y(x + t v) = y + sum_j c_j t^j (so c_j = (1/j!) d^j/dt^j y(x + t v) at
 * t = 0). jet (hvp-jet.ts) rescales by j! to JAX's derivative normalisation;
 * hvp takes c_1 of the gradient (forward over reverse).
 *
 * One rule per op kind. Linear ops map every coefficient; mul and einsum use
 * the Cauchy product c_j(ab) = sum_i a_i b_(j-i) (O(k^2) terms per node);
 * exp, sin, cos, tanh, sigmoid and log use the recurrences of their ODEs
 * (O(k^2), `recurrence`); other elementwise f use Faa di Bruno in coefficient
 * form, c_j(f(a)) = sum_m f^(m)(a_0)/m! [(a - a_0)^m]_j, with the powers of the
 * series built by Cauchy products (O(k^3) terms). Coefficients are lifted to
 * [B] ++ shape when v or x is per sample (transform-shapes.ts).
 */
import type { Span } from "../diagnostics/diagnostic.js";
import type { Builder } from "./builders.js";
import { isBatched, topoOrder, type InputNode, type Node, type NodeOf, type OpKind, type Shape } from "./node.js";
import { alignTo, dependents, fit, freshLetter, innerShape, lifted, must, sumOf, zeros } from "./transform-shapes.js";
import { unaryDerivative } from "./unary-derivative.js";

/** Coefficients 1..k of a node (index 0 unused); undefined: structurally zero. */
export type Series = readonly (Node | undefined)[];

interface TaylorCtx {
  readonly b: Builder;
  readonly span: Span;
  readonly k: number;
  /** The direction (or x) is per sample: every coefficient carries the batch axis. */
  readonly perSample: boolean;
  readonly x: Node;
  readonly v: Node;
  /** Coefficient j of a node; 0 is the node itself (its value). */
  coef(a: Node, j: number): Node | undefined;
}

type TaylorRule<K extends OpKind> = (ctx: TaylorCtx, n: NodeOf<K>) => Series;

const liftOf = (ctx: TaylorCtx, n: Node): Shape => lifted(n.shape, ctx.perSample);
const orders = (ctx: TaylorCtx): number[] => Array.from({ length: ctx.k + 1 }, (_, j) => j);

/** Applies a linear map to every coefficient of the operand. */
function linear(ctx: TaylorCtx, a: Node, f: (c: Node) => Node | undefined): Series {
  return orders(ctx).map((j) => { const c = j === 0 ? undefined : ctx.coef(a, j); return c && f(c); });
}

/** Whether a coefficient of operand a is lifted (it has the batch axis, a does not). */
const isLifted = (c: Node, a: Node): boolean => isBatched(c.shape) && !isBatched(a.shape);

const none: TaylorRule<OpKind> = () => [];

/** x's first coefficient: v, with the batch axis of a batched x when v is the same for every sample. */
function direction(ctx: TaylorCtx): Node {
  const { b, span, v, x } = ctx;
  const target = liftOf(ctx, x);
  if (isBatched(target) && !isBatched(v.shape)) return must(b.add(zeros(b, target, x, span), v, span), "direction");
  return fit(b, v, target, span);
}

/** The Cauchy product's coefficient j of two series given by coefficient functions (undefined: zero). */
function cauchy(ctx: TaylorCtx, p: (i: number) => Node | undefined, q: (i: number) => Node | undefined, j: number, from = 0): Node | undefined {
  const terms: Node[] = [];
  for (let i = from; i <= j; i++) {
    const x = p(i), y = q(j - i);
    if (x && y) terms.push(must(ctx.b.mul(x, y, ctx.span), "Cauchy product"));
  }
  return sumOf(ctx.b, terms, ctx.span);
}

/** Coefficient j of y from y' = z a': j y_j = sum_(i=1..j) i a_i z_(j-i). */
function odeStep(ctx: TaylorCtx, A: (i: number) => Node | undefined, Z: (i: number) => Node | undefined, j: number, sign = 1): Node | undefined {
  const { b, span } = ctx;
  const terms: Node[] = [];
  for (let i = 1; i <= j; i++) {
    const p = A(i), q = Z(j - i);
    if (p && q) terms.push(must(b.mul(b.const((sign * i) / j, span), must(b.mul(p, q, span), "product"), span), "recurrence"));
  }
  return sumOf(b, terms, span);
}

/**
 * O(k^2) recurrences from the ODE each function satisfies (Griewank and Walther,
 * Evaluating Derivatives, section 13.2): exp y' = y a'; sin and cos as a pair
 * s' = c a', c' = -s a'; tanh y' = (1 - y^2) a'; sigmoid y' = (y - y^2) a'; log
 * a y' = a'. Undefined for the other functions (Faa di Bruno).
 */
function recurrence(ctx: TaylorCtx, n: NodeOf<"unary">): Series | undefined {
  const { b, span, k } = ctx;
  const a = n.args[0]!, fn = n.attrs.fn;
  const A = (i: number) => ctx.coef(a, i);
  const Y: (Node | undefined)[] = [n];
  const y = (i: number) => Y[i];
  if (fn === "exp") for (let j = 1; j <= k; j++) Y.push(odeStep(ctx, A, y, j));
  else if (fn === "sin" || fn === "cos") {
    // the pair (s, c): y is one of them, w the other, y' = sign w a', w' = -sign y a'
    const sign = fn === "sin" ? 1 : -1;
    const W: (Node | undefined)[] = [must(b.unary(fn === "sin" ? "cos" : "sin", a, span), "sin/cos pair")];
    for (let j = 1; j <= k; j++) {
      Y.push(odeStep(ctx, A, (i) => W[i], j, sign));
      W.push(odeStep(ctx, A, y, j, -sign));
    }
  } else if (fn === "tanh" || fn === "sigmoid") {
    // z = 1 - y^2 (tanh) or y - y^2 (sigmoid), coefficient m from y_0..y_m
    const Z: (Node | undefined)[] = [];
    const z = (m: number): Node | undefined => {
      if (Z[m] !== undefined || m in Z) return Z[m];
      const sq = cauchy(ctx, y, y, m);
      const base = fn === "tanh" ? (m === 0 ? b.const(1, span) : undefined) : Y[m];
      const v = sq ? (base ? must(b.add(base, must(b.mul(b.const(-1, span), sq, span), "neg"), span), "z") : must(b.mul(b.const(-1, span), sq, span), "neg")) : base;
      Z[m] = v;
      return v;
    };
    for (let j = 1; j <= k; j++) Y.push(odeStep(ctx, A, z, j));
  } else if (fn === "log") {
    // j a_0 y_j = j a_j - sum_(i=1..j-1) (j - i) a_i y_(j-i)
    const inv = must(b.unary("pow", a, span, -1), "1 / a");
    for (let j = 1; j <= k; j++) {
      const terms: Node[] = [];
      const aj = A(j);
      if (aj) terms.push(aj);
      for (let i = 1; i < j; i++) {
        const p = A(i), q = Y[j - i];
        if (p && q) terms.push(must(b.mul(b.const(-(j - i) / j, span), must(b.mul(p, q, span), "product"), span), "log recurrence"));
      }
      const s = sumOf(b, terms, span);
      Y.push(s && must(b.mul(inv, s, span), "log recurrence"));
    }
  } else return undefined;
  return [undefined, ...Y.slice(1)];
}

const RULES: { readonly [K in OpKind]: TaylorRule<K> } = {
  input: (ctx, n) => orders(ctx).map((j) => (j === 1 && n === ctx.x ? direction(ctx) : undefined)),
  const: none,
  amax: none, // a constant for differentiation
  compare: none, // masks: constants for differentiation
  add: (ctx, n) => orders(ctx).map((j) => {
    if (j === 0) return undefined;
    const t = n.args.map((a) => { const c = ctx.coef(a, j); return c && alignTo(ctx.b, c, liftOf(ctx, n), ctx.span); });
    const s = sumOf(ctx.b, t, ctx.span);
    return s && fit(ctx.b, s, liftOf(ctx, n), ctx.span);
  }),
  mul: (ctx, n) => {
    const [a, c] = n.args as [Node, Node];
    const target = liftOf(ctx, n);
    return orders(ctx).map((j) => {
      if (j === 0) return undefined;
      const terms: Node[] = [];
      for (let i = 0; i <= j; i++) {
        const p = ctx.coef(a, i), q = ctx.coef(c, j - i);
        if (p && q) terms.push(must(ctx.b.mul(alignTo(ctx.b, p, target, ctx.span), alignTo(ctx.b, q, target, ctx.span), ctx.span), "Cauchy product"));
      }
      const s = sumOf(ctx.b, terms, ctx.span);
      return s && fit(ctx.b, s, target, ctx.span);
    });
  },
  unary: (ctx, n) => {
    const { b, span, k } = ctx;
    const a = n.args[0]!;
    const A = (i: number) => ctx.coef(a, i);
    const rec = n.attrs.deriv ? undefined : recurrence(ctx, n);
    if (rec) return rec;
    // powers of the series (a - a_0): P[m][j], j >= m
    const P: (Node | undefined)[][] = [[], orders(ctx).map((j) => (j === 0 ? undefined : A(j)))];
    for (let m = 2; m <= k; m++) {
      P.push(orders(ctx).map((j) => {
        if (j < m) return undefined;
        const terms: Node[] = [];
        for (let i = 1; i <= j - m + 1; i++) {
          const p = P[m - 1]![j - i], q = A(i);
          if (p && q) terms.push(must(b.mul(p, q, span), "series power"));
        }
        return sumOf(b, terms, span);
      }));
    }
    const out: (Node | undefined)[] = [undefined];
    const scaled: (Node | undefined | null)[] = [];
    let fact = 1;
    for (let j = 1; j <= k; j++) {
      const terms: Node[] = [];
      for (let m = 1; m <= j; m++) {
        const p = P[m]![j];
        if (!p) continue;
        if (scaled[m] === undefined) {
          fact = 1;
          for (let i = 2; i <= m; i++) fact *= i;
          const d = unaryDerivative(b, n, m, span);
          scaled[m] = d ? must(b.mul(b.const(1 / fact, span), d, span), "Taylor factor") : null;
        }
        const f = scaled[m];
        if (f) terms.push(must(b.mul(f, p, span), "Faa di Bruno term"));
      }
      out.push(sumOf(b, terms, span));
    }
    return out;
  },
  sum: (ctx, n) => linear(ctx, n.args[0]!, (c) => {
    const shift = isLifted(c, n.args[0]!) ? 1 : 0;
    return must(ctx.b.sum(c, n.attrs.axes.map((x) => x + shift), false, ctx.span), "sum");
  }),
  reshape: (ctx, n) => linear(ctx, n.args[0]!, (c) => must(ctx.b.reshape(c, lifted(n.shape, isBatched(c.shape)), ctx.span), "reshape")),
  transpose: (ctx, n) => linear(ctx, n.args[0]!, (c) => {
    const perm = isLifted(c, n.args[0]!) ? [0, ...n.attrs.perm.map((p) => p + 1)] : n.attrs.perm;
    return must(ctx.b.transpose(c, perm, ctx.span), "transpose");
  }),
  einsum: (ctx, n) => {
    const { inputs, output } = n.attrs;
    const beta = isBatched(n.shape) ? output[0]! : freshLetter([...inputs, output]);
    const r = n.args.length;
    return orders(ctx).map((j) => {
      if (j === 0) return undefined;
      const terms: Node[] = [];
      // every composition j = j_1 + ... + j_r with a nonzero coefficient j_i of each operand
      const pick: number[] = [];
      const rec = (i: number, left: number): void => {
        if (i === r - 1) {
          pick.push(left);
          const ops = pick.map((ji, q) => ctx.coef(n.args[q]!, ji));
          if (ops.every((o) => o)) {
            const specs = ops.map((o, q) => (isLifted(o!, n.args[q]!) ? beta + inputs[q]! : inputs[q]!));
            const lift = !isBatched(n.shape) && ops.some((o, q) => isLifted(o!, n.args[q]!));
            terms.push(must(ctx.b.einsum(`${specs.join(",")}->${lift ? beta : ""}${output}`, ops as Node[], ctx.span), "einsum term"));
          }
          pick.pop();
          return;
        }
        for (let ji = 0; ji <= left; ji++) { pick.push(ji); rec(i + 1, left - ji); pick.pop(); }
      };
      rec(0, j);
      const s = sumOf(ctx.b, terms, ctx.span);
      return s && fit(ctx.b, s, liftOf(ctx, n), ctx.span);
    });
  },
  gather: (ctx, n) => linear(ctx, n.args[0]!, (c) => ctx.b.gather(c, n.attrs.gather, innerShape(n.shape), ctx.span)),
  scatter: (ctx, n) => linear(ctx, n.args[0]!, (c) => ctx.b.scatter(c, n.attrs.gather, innerShape(n.shape), ctx.span)),
  select: (ctx, n) => orders(ctx).map((j) => (j === 0 ? undefined : ctx.coef(n.args[3]!, j))), // the derivatives are the blend's
};

/**
 * The Taylor coefficients 1..k of each root along x(t) = x + t v (index j of
 * the result: c_j; undefined where structurally zero). v has x's per-sample
 * shape (the caller checks); lifted shapes where v or x is per sample.
 */
export function taylorSeries(b: Builder, roots: readonly Node[], x: InputNode, v: Node, k: number, span: Span): Series[] {
  const perSample = isBatched(v.shape) || isBatched(x.shape);
  const order = topoOrder(roots);
  const dep = dependents(order, x);
  const series = new Map<number, Series>();
  const ctx: TaylorCtx = {
    b, span, k, perSample, x, v,
    coef: (a, j) => (j === 0 ? a : series.get(a.id)?.[j]),
  };
  for (const n of order) {
    if (!dep.has(n.id)) continue;
    series.set(n.id, (RULES[n.op] as TaylorRule<OpKind>)(ctx, n));
  }
  return roots.map((r) => orders(ctx).map((j) => (j === 0 ? undefined : series.get(r.id)?.[j])));
}
