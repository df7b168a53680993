/**
 * Forward-mode differentiation as an IR-to-IR transform (docs/design.md
 * section 6): the tangent of a node with respect to an input x is built from
 * ordinary IR nodes, so it can be indexed, combined, reduced and differentiated
 * again, by another transform or by the planners (--order/--wrt), like any value.
 *
 * Two seeds, one engine: the tangent of n carries n's axes, then the seed's
 * trailing axes E:
 *  - "axes": E = shape(x)\B, the seed is the identity: the tangent is the
 *    Jacobian block in thoad's layout, shape(n) ++ shape(x)\B (d(y, x));
 *  - "dir": E = [], the seed is a direction v of x's shape: the tangent is J v.
 *
 * A tangent may lack its node's batch axis when it is the same for every sample
 * (it is then "shared": d(x @ W)/dx = W^T); broadcasting puts it back where it
 * meets a batched operand. One rule per op kind:
 *   add, sum, reshape, transpose, gather: linear, they map the tangent;
 *   mul, einsum: Leibniz, one term per operand with a tangent;
 *   unary f^(k)(a): f^(k+1)(a) T(a), f^(k+1) a unary node with deriv k + 1;
 *   amax, compare: constants for differentiation (no tangent);
 *   select: the tangent of its blend (its derivatives are the blend's).
 */
import type { Span } from "../diagnostics/diagnostic.js";
import { derivVanishes } from "../derive/elementwise.js";
import type { Builder } from "./builders.js";
import { BATCH, isBatched, topoOrder, type GatherSpec, type Node, type NodeOf, type OpKind, type Shape } from "./node.js";
import { innerShape, must } from "./transform-shapes.js";

/**
 * What x's tangent is: the identity over trailing axes shape(x)\B, or a direction v of
 * x's shape, or of x's per-sample shape (the same for every sample). A batched v needs a
 * batched x (a param's tangent is never per sample here; ir/transform-shapes.ts lifts).
 */
export type Seed = { readonly kind: "axes" } | { readonly kind: "dir"; readonly v: Node };

const inner = innerShape;
const ones = (k: number): number[] => Array<number>(k).fill(1);
const unit = (k: number, at: number): number[] => Array.from({ length: k }, (_, i) => (i === at ? 1 : 0));

/** The transform's state for one (x, seed): tangents by node id (null: none, the node does not depend on x). */
export class Jvp {
  /** The seed's trailing axes. */
  readonly E: readonly number[];
  private readonly memo = new Map<number, Node | null>();

  constructor(readonly b: Builder, readonly x: NodeOf<"input">, readonly seed: Seed, readonly span: Span) {
    this.E = seed.kind === "axes" ? inner(x.shape) : [];
    // tangents are never "lifted" to a batch axis their node lacks: a per-sample direction needs a batched x
    if (seed.kind === "dir" && isBatched(seed.v.shape) && !isBatched(x.shape)) throw new Error("internal: a per-sample direction for a variable without the batch axis");
  }

  /** The tangent of y (see the file comment), or undefined when y does not depend on x. */
  tangent(y: Node): Node | undefined {
    // iterative over a topological order: chains thousands of nodes deep do not recurse
    for (const n of topoOrder([y])) {
      if (this.memo.has(n.id)) continue;
      this.memo.set(n.id, (RULES[n.op] as Rule<OpKind>)(this, n) ?? null);
    }
    return this.memo.get(y.id) ?? undefined;
  }

  /** The tangent of an operand already visited. */
  t(a: Node): Node | undefined { return this.memo.get(a.id) ?? undefined; }

  /** v with |E| trailing size-1 axes, to multiply a tangent elementwise. */
  lift(v: Node): Node {
    if (this.E.length === 0 || v.shape.length === 0) return v;
    return must(this.b.reshape(v, [...v.shape, ...ones(this.E.length)], this.span), "lift");
  }

  /** t broadcast to exactly n's tangent shape (fitTangent). */
  fit(t: Node, n: Node): Node { return fitTangent(this.b, t, n.shape, this.E, this.span); }

  /** The sum of the present terms, or undefined when there is none. */
  total(terms: readonly (Node | undefined)[], n: Node): Node | undefined {
    let acc: Node | undefined;
    for (const term of terms) {
      if (!term) continue;
      const f = this.fit(term, n);
      acc = acc ? must(this.b.add(acc, f, this.span), "sum") : f;
    }
    return acc;
  }

  /** The seed: x's tangent with respect to itself. */
  seedNode(): Node {
    if (this.seed.kind === "dir") return this.seed.v;
    // the identity over x's per-sample axes, shared by all samples: a gather of the constant 1 whose
    // map is in range only on the diagonal (in_j = v_j - v_{r+j} must be 0), 0 elsewhere
    const s = inner(this.x.shape), r = s.length;
    if (r === 0) return this.b.const(1, this.span);
    const coef = s.map((_, j) => Array.from({ length: 2 * r }, (_, k) => (k === j ? 1 : k === r + j ? -1 : 0)));
    return this.b.gather(this.b.const(1, this.span), { view: [...s, ...s], src: ones(r), coef, offset: ones(r).map(() => 0) }, [...s, ...s], this.span);
  }
}

/**
 * t (a tangent of some operand, or a product with one) broadcast to exactly the tangent
 * shape of a node of shape `shape`: its axes (without the batch axis if t has none), then
 * E. t's axes align with those from the right, as in NumPy; size-1 axes repeat, and axes
 * in front of the per-sample ones (size 1) drop. A static gather map per sample; a map
 * that repeats nothing is a reshape.
 */
export function fitTangent(b: Builder, t: Node, shape: Shape, E: readonly number[], span: Span): Node {
  const full = [...shape, ...E];
  const tb = isBatched(t.shape);
  const src = tb ? t.shape.slice(1) : [...t.shape];
  const lead = isBatched(shape) ? 1 : 0;
  const view = full.slice(lead);
  const at = (j: number) => j + (tb ? 1 : 0) + full.length - t.shape.length - lead; // src axis j's axis in view (< 0: in front)
  if (src.some((d, j) => d !== 1 && (at(j) < 0 || view[at(j)] !== d))) throw new Error(`internal: a tangent of shape [${t.shape.join(",")}] does not broadcast to [${full.join(",")}]`);
  const prod = (s: readonly number[]) => s.reduce((p, d) => p * d, 1);
  if (prod(src) === prod(view)) return must(b.reshape(t, tb ? [BATCH, ...view] : view, span), "reshape");
  const coef = src.map((d, j) => (d === 1 ? Array<number>(view.length).fill(0) : unit(view.length, at(j))));
  return b.gather(t, { view, src, coef, offset: src.map(() => 0) }, view, span);
}

type Rule<K extends OpKind> = (j: Jvp, n: NodeOf<K>) => Node | undefined;

/** Fresh einsum letters not in `used`. */
export function freshLetters(used: string, k: number): string {
  const all = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  const out = [...all].filter((c) => !used.includes(c)).slice(0, k);
  if (out.length < k) throw new Error("internal: no einsum letters left for the tangent's axes");
  return out.join("");
}

/** A map on the leading axes, the identity on trailing axes E (padding's derivative is 0). */
function withTrailing(g: GatherSpec, E: readonly number[]): GatherSpec {
  const e = E.length, v = g.view.length;
  return {
    view: [...g.view, ...E],
    src: [...g.src, ...E],
    coef: [...g.coef.map((row) => [...row, ...Array<number>(e).fill(0)]), ...E.map((_, i) => unit(v + e, v + i))],
    offset: [...g.offset, ...Array<number>(e).fill(0)],
  };
}

/**
 * The linear map of an op linear in its one operand (sum, reshape, transpose, gather,
 * scatter) applied to t, laid out as the operand's axes (without the batch axis when t
 * has none) then trailing axes E, which the map leaves alone; other ops: undefined.
 * Tangents go through it here, and the second-order parts of forward-laplacian.ts too.
 */
export function linearMap(b: Builder, n: Node, t: Node, E: readonly number[], span: Span): Node | undefined {
  const a = n.args[0]!;
  const shift = isBatched(a.shape) && !isBatched(t.shape) ? 1 : 0;
  switch (n.op) {
    case "sum": return must(b.sum(t, n.attrs.axes.map((x) => x - shift), false, span), "sum");
    case "reshape": return must(b.reshape(t, [...(isBatched(t.shape) ? n.shape : inner(n.shape)), ...E], span), "reshape");
    case "transpose": {
      const p = n.attrs.perm.slice(shift).map((x) => x - shift);
      return must(b.transpose(t, [...p, ...E.map((_, i) => p.length + i)], span), "transpose");
    }
    case "gather": return b.gather(t, withTrailing(n.attrs.gather, E), [...inner(n.shape), ...E], span);
    case "scatter": return b.scatter(t, withTrailing(n.attrs.gather, E), [...inner(n.shape), ...E], span);
    default: return undefined;
  }
}

/** The tangent of an op linear in its one operand. */
const linear = (j: Jvp, n: Node): Node | undefined => { const ta = j.t(n.args[0]!); return ta && linearMap(j.b, n, ta, j.E, j.span); };

const RULES: { [K in OpKind]: Rule<K> } = {
  input: (j, n) => (n === j.x ? j.seedNode() : undefined),
  const: () => undefined,
  amax: () => undefined,
  compare: () => undefined,
  select: (j, n) => { const t = j.t(n.args[3]!); return t && j.fit(t, n); },
  add: (j, n) => j.total(n.args.map((a) => j.t(a)), n),
  mul: (j, n) => {
    const [a, c] = n.args as [Node, Node];
    const ta = j.t(a), tc = j.t(c);
    return j.total([ta && must(j.b.mul(ta, j.lift(c), j.span), "product"), tc && must(j.b.mul(j.lift(a), tc, j.span), "product")], n);
  },
  unary: (j, n) => {
    const a = n.args[0]!, ta = j.t(a);
    const k = (n.attrs.deriv ?? 0) + 1;
    if (!ta || derivVanishes(n.attrs.fn, k, n.attrs.exponent)) return undefined;
    const fk = must(j.b.unary(n.attrs.fn, a, j.span, n.attrs.exponent, k), "derivative");
    return j.fit(must(j.b.mul(j.lift(fk), ta, j.span), "product"), n);
  },
  sum: (j, n) => linear(j, n),
  reshape: (j, n) => linear(j, n),
  transpose: (j, n) => linear(j, n),
  einsum: (j, n) => {
    const specs = n.attrs.inputs, out = n.attrs.output;
    const F = freshLetters(specs.join("") + out, j.E.length);
    const terms = n.args.map((a, i) => {
      const ta = j.t(a);
      if (!ta) return undefined;
      // a shared tangent has no batch axis: its operand's first letter goes (the batch letter)
      const shared = isBatched(a.shape) && !isBatched(ta.shape);
      const ins = specs.map((s, k) => (k === i ? (shared ? s.slice(1) : s) + F : s));
      const batched = n.args.some((x, k) => (k === i ? isBatched(ta.shape) : isBatched(x.shape)));
      const o = (isBatched(n.shape) && !batched ? out.slice(1) : out) + F;
      return must(j.b.einsum(`${ins.join(",")}->${o}`, n.args.map((x, k) => (k === i ? ta : x)), j.span), "einsum");
    });
    return j.total(terms, n);
  },
  gather: (j, n) => linear(j, n),
  scatter: (j, n) => linear(j, n),
};

/**
 * The tangent of y with respect to the input x (see the file comment), or undefined when
 * y does not depend on x. With seed "axes" the result has shape(y) ++ shape(x)\B (without
 * the batch axis when it is the same for every sample: see `perSample`); with seed
 * {kind: "dir", v} it has y's shape (J v).
 */
export function tangent(b: Builder, y: Node, x: NodeOf<"input">, seed: Seed, span: Span): Node | undefined {
  return new Jvp(b, x, seed, span).tangent(y);
}

/**
 * t, a tangent of y, with y's batch axis: a shared tangent (no batch axis although y has
 * one) is broadcast over the samples by adding zeros that carry the batch axis (y > y is
 * 0 for every float, NaN included, and a constant for differentiation).
 */
export function perSample(b: Builder, t: Node, y: Node, span: Span): Node {
  if (!isBatched(y.shape) || isBatched(t.shape)) return t;
  const zero = must(b.compare("gt", [y, y], span, ">"), "zeros");
  const lifted = must(b.reshape(zero, [...y.shape, ...ones(t.shape.length - inner(y.shape).length)], span), "zeros");
  return must(b.add(t, lifted, span), "zeros");
}

/** Zeros of shape(y) ++ E (with y's batch axis): the derivative of a y that does not depend on x. */
export function zerosLike(b: Builder, y: Node, E: readonly number[], span: Span): Node {
  const base = y.op === "const" ? b.const(0, span) : must(b.compare("gt", [y, y], span, ">"), "zeros");
  const lifted = base.shape.length && E.length ? must(b.reshape(base, [...base.shape, ...ones(E.length)], span), "zeros") : base;
  return fitTangent(b, lifted, y.shape, E, span);
}
