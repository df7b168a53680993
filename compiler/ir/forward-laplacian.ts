/**
 * The Laplacian and the Hessian's diagonal of y with respect to an input x,
 * as an IR-to-IR transform (forward-Laplacian propagation, docs/design.md
 * section 7): cost linear in n = size(x) per sample, the full Hessian never
 * formed. The result is ordinary IR, so both planners differentiate it again
 * (--order/--wrt, d()).
 *
 * Every node v carries, besides its value:
 *   T_v = dv/dx, shape(v) ++ [n]            (x's per-sample elements flattened to one axis)
 *   S_v = diag: D_v[..., i] = d^2 v / dx_i^2, shape(v) ++ [n]
 *         trace: L_v = sum_i d^2 v / dx_i^2,  shape(v)
 * seeded at x by T = I, S = 0. Linear ops map T and S alike; the rest:
 *   a * b:  T = T_a b + a T_b,   S = S_a b + a S_b + 2 <T_a, T_b>
 *   f(a):   T = f'(a) T_a,       S = f'(a) S_a + f''(a) <T_a, T_a>
 *   multilinear einsum(a_1..a_k): T = sum_i E(..T_i..), S = sum_i E(..S_i..) + 2 sum_{i<j} E(..T_i..T_j..)
 * where <T_a, T_b> is T_a T_b elementwise (diag) or summed over the n axis (trace).
 * amax and compare are constants; select selects T and S and differentiates as its blend.
 *
 * Absent T or S is zero (v does not depend on x, or is linear in it). A T or S
 * may lack the batch axis while v has it: the same for every sample (x a param,
 * or T_x = I itself): x @ W1 then has T = W1^T, computed once, not per sample.
 */
import type { Span } from "../diagnostics/diagnostic.js";
import type { Builder } from "./builders.js";
import { expand } from "./gathers.js";
import { derivVanishes } from "../derive/elementwise.js";
import { BATCH, innerSize, isBatched, topoOrder, type GatherSpec, type Node, type NodeOf, type OpKind, type Shape } from "./node.js";

/** diag: hessian_diag (S has the n axis); trace: laplacian (S has not). */
export type SecondOrder = "diag" | "trace";

interface Carried { readonly T?: Node; readonly S?: Node }

/** What a rule sees: the builder, the mode, n, and the carried pair of each operand. */
interface Ctx {
  readonly b: Builder;
  readonly mode: SecondOrder;
  readonly n: number;
  readonly span: Span;
  of(a: Node): Carried;
}

const perSample = (s: Shape): Shape => s.filter((d) => d !== BATCH);
/** T or S lacks v's batch axis: axis k of v is axis k - 1 of it. */
const shifted = (v: Node, t: Node): number => (isBatched(v.shape) && !isBatched(t.shape) ? 1 : 0);

/** Builders report shape errors as diagnostics; here shapes are consistent by construction. */
function must<T>(x: T | undefined, what: string): T {
  if (x === undefined) throw new Error(`internal: forward-laplacian: ${what}`);
  return x;
}

/**
 * Operations on a carried tensor t of node v (extra: t has the trailing n axis):
 * the linear maps of v's op applied to t, with axes shifted when t lacks v's batch axis.
 */
class Carrier {
  constructor(readonly c: Ctx) {}
  get b(): Builder { return this.c.b; }

  /** v's value aligned with a carried tensor: a trailing unit axis if it has the n axis. */
  lift(v: Node, extra: boolean): Node {
    return extra ? must(this.b.reshape(v, [...v.shape, 1], this.c.span), "lift") : v;
  }
  add(x: Node | undefined, y: Node | undefined): Node | undefined {
    return x && y ? must(this.b.add(x, y, this.c.span), "add") : x ?? y;
  }
  mul(x: Node | undefined, y: Node | undefined): Node | undefined {
    return x && y ? must(this.b.mul(x, y, this.c.span), "mul") : undefined;
  }
  scale(k: number, x: Node | undefined): Node | undefined {
    return x && must(this.b.mul(this.b.const(k, this.c.span), x, this.c.span), "scale");
  }
  /** <t, u>: elementwise (diag), or summed over the n axis (trace); t and u have the n axis. */
  pair(t: Node | undefined, u: Node | undefined): Node | undefined {
    if (!t || !u) return undefined;
    return this.c.mode === "diag" ? this.mul(t, u) : must(this.b.einsum("...z,...z->...", [t, u], this.c.span), "pair");
  }
  /** Zeros of v's shape (++ [1] if extra), with no derivative: 0 even where v is NaN or infinite. */
  zerosOf(v: Node, extra: boolean): Node {
    const e = this.lift(v, extra);
    return must(this.b.compare("lt", [e, e], this.c.span, "zeros"), "zeros");
  }
  /** t with v's batch axis (t the same for every sample, v batched: t plus zeros of v's shape). */
  batched(t: Node, v: Node, extra: boolean): Node {
    return isBatched(v.shape) && !isBatched(t.shape) ? this.add(t, this.zerosOf(v, extra))! : t;
  }
  /** t (of a node of shape `from`, broadcasting to `to`) expanded to `to`: its own batch axis or none. */
  fit(t: Node, to: Shape, extra: boolean): Node {
    const target = [...(isBatched(t.shape) ? to : perSample(to)), ...(extra ? [this.c.n] : [])];
    return t.shape.join() === target.join() ? t : must(expand(this.b, t, target, this.c.span, "fit"), "fit");
  }
}

/** f^(k) at n's argument as a node (n may itself be a derivative f^(j)); undefined where it vanishes identically (relu'', a polynomial's). */
function derivative(c: Ctx, n: NodeOf<"unary">, k: number): Node | undefined {
  const { fn, exponent } = n.attrs, j = (n.attrs.deriv ?? 0) + k;
  return derivVanishes(fn, j, exponent) ? undefined : must(c.b.unary(fn, n.args[0]!, c.span, exponent, j), "derivative");
}

/** A gather map with the n axis as one more axis of the view and the source, mapped to itself (padding's derivatives are 0). */
const withN = (g: GatherSpec, n: number): GatherSpec =>
  ({ view: [...g.view, n], src: [...g.src, n], coef: [...g.coef.map((r) => [...r, 0]), [...g.view.map(() => 0), 1]], offset: [...g.offset, 0] });

/** A rule: the carried pair of node n from its operands'. */
type Rule<K extends OpKind> = (c: Ctx, k: Carrier, n: NodeOf<K>) => Carried;

/** Both carried tensors through a map that is linear in them (extra: whether the tensor has the n axis). */
const linear = (c: Ctx, n: Node, map: (t: Node, extra: boolean) => Node | undefined): Carried => {
  const { T, S } = c.of(n.args[0]!);
  return { T: T && map(T, true), S: S && map(S, c.mode === "diag") };
};

const RULES: { readonly [K in OpKind]: Rule<K> } = {
  input: () => ({}), // x itself is seeded before the walk; other inputs are constants
  const: () => ({}),
  amax: () => ({}),
  compare: () => ({}),
  add: (c, k, n) => {
    const [a, b] = n.args.map((x) => c.of(x)) as [Carried, Carried];
    const sum = (x: Node | undefined, y: Node | undefined, extra: boolean) => (x && y ? k.add(x, y) : x ? k.fit(x, n.shape, extra) : y && k.fit(y, n.shape, extra));
    return { T: sum(a.T, b.T, true), S: sum(a.S, b.S, c.mode === "diag") };
  },
  mul: (c, k, n) => {
    const [a, b] = n.args as [Node, Node];
    const ca = c.of(a), cb = c.of(b);
    const ex = c.mode === "diag";
    return {
      T: k.add(k.mul(ca.T, k.lift(b, true)), k.mul(k.lift(a, true), cb.T)),
      S: k.add(k.add(k.mul(ca.S, k.lift(b, ex)), k.mul(k.lift(a, ex), cb.S)), k.scale(2, k.pair(ca.T, cb.T))),
    };
  },
  unary: (c, k, n) => {
    const a = n.args[0]!;
    const { T, S } = c.of(a);
    if (!T) return {};
    const ex = c.mode === "diag";
    const d1 = derivative(c, n, 1), d2 = derivative(c, n, 2);
    if (!d1) return {};
    return {
      T: k.mul(k.lift(d1, true), T),
      S: k.add(k.mul(k.lift(d1, ex), S), d2 && k.mul(k.lift(d2, ex), k.pair(T, T))),
    };
  },
  sum: (c, k, n) => linear(c, n, (t) => {
    const s = shifted(n.args[0]!, t);
    return must(c.b.sum(t, n.attrs.axes.map((x) => x - s), false, c.span), "sum");
  }),
  reshape: (c, k, n) => linear(c, n, (t, extra) => {
    const to = isBatched(t.shape) ? n.shape : perSample(n.shape);
    return must(c.b.reshape(t, [...to, ...(extra ? [c.n] : [])], c.span), "reshape");
  }),
  transpose: (c, k, n) => linear(c, n, (t, extra) => {
    const s = shifted(n.args[0]!, t);
    const perm = n.attrs.perm.slice(s).map((p) => p - s);
    return must(c.b.transpose(t, extra ? [...perm, perm.length] : perm, c.span), "transpose");
  }),
  gather: (c, k, n) => linear(c, n, (t, extra) =>
    c.b.gather(t, extra ? withN(n.attrs.gather, c.n) : n.attrs.gather, [...perSample(n.shape), ...(extra ? [c.n] : [])], c.span)),
  scatter: (c, k, n) => linear(c, n, (t, extra) =>
    c.b.scatter(t, extra ? withN(n.attrs.gather, c.n) : n.attrs.gather, [...perSample(n.shape), ...(extra ? [c.n] : [])], c.span)),
  einsum: (c, k, n) => {
    const ops = n.args.map((a) => c.of(a));
    const { inputs, output } = n.attrs;
    const z = [..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"].find((ch) => !inputs.some((s) => s.includes(ch)))!;
    /** The contraction with operand i replaced by `repl[i]` (each with the n axis, z, iff `withN`). */
    const term = (repl: ReadonlyMap<number, Node>, outN: boolean): Node => {
      const specs: string[] = [], args: Node[] = [];
      n.args.forEach((a, i) => {
        const r = repl.get(i);
        if (!r) { specs.push(inputs[i]!); args.push(a); return; }
        const s = shifted(a, r) ? inputs[i]!.slice(1) : inputs[i]!;
        specs.push(r.shape.length > s.length ? s + z : s);
        args.push(r);
      });
      // the batch letter leaves the output when no operand has it any more (every replaced one lacks it)
      const present = new Set(specs.join(""));
      const out = [...output].filter((ch) => present.has(ch)).join("") + (outN ? z : "");
      return must(c.b.einsum(`${specs.join(",")}->${out}`, args, c.span), "einsum");
    };
    const ex = c.mode === "diag";
    let T: Node | undefined, S: Node | undefined;
    ops.forEach((o, i) => {
      if (o.T) T = k.add(T, term(new Map([[i, o.T]]), true));
      if (o.S) S = k.add(S, term(new Map([[i, o.S]]), ex));
      for (let j = i + 1; j < ops.length; j++) {
        const p = ops[j]!;
        if (o.T && p.T) S = k.add(S, k.scale(2, term(new Map([[i, o.T], [j, p.T]]), ex)));
      }
    });
    return { T, S };
  },
  select: (c, k, n) => {
    const [m, x, y, blend] = n.args as [Node, Node, Node, Node];
    const cx = c.of(x), cy = c.of(y), cb = c.of(blend);
    const ex = c.mode === "diag";
    const zero = c.b.const(0, c.span);
    // the value selects (a NaN in the branch not taken stays out), derivatives are the blend's
    const sel = (tx: Node | undefined, ty: Node | undefined, tb: Node | undefined, extra: boolean): Node | undefined =>
      tb && c.b.select(k.lift(m, extra), tx ?? zero, ty ?? zero, isBatched(m.shape) ? k.batched(tb, n, extra) : tb, c.span);
    return { T: sel(cx.T, cy.T, cb.T, true), S: sel(cx.S, cy.S, cb.S, ex) };
  },
};

/** The identity [n, n] reshaped to shape(x)\B ++ [n]: T at x. */
function seed(b: Builder, x: Node, n: number, span: Span): Node {
  const one = must(b.reshape(b.const(1, span), [1], span), "seed");
  // out[i, j] = one[i - j], in range only on the diagonal; padding 0
  const eye = b.gather(one, { view: [n, n], src: [1], coef: [[1, -1]], offset: [0] }, [n, n], span);
  return must(b.reshape(eye, [...perSample(x.shape), n], span), "seed");
}

/**
 * S at y: the Laplacian (shape(y)), or the diagonal (`[B]? ++ shape(y)\B ++ shape(x)\B`),
 * zeros when y is linear in x; `dependsOnX` false when y does not depend on x at all.
 * The transform adds nodes to b's graph and leaves y's untouched (the graph is
 * immutable; pruning drops the nodes the outputs do not use).
 */
export function forwardLaplacian(b: Builder, y: Node, x: NodeOf<"input">, mode: SecondOrder, span: Span): { value: Node; dependsOnX: boolean } {
  const n = innerSize(x.shape);
  const carried = new Map<number, Carried>();
  const ctx: Ctx = { b, mode, n, span, of: (a) => carried.get(a.id) ?? {} };
  const k = new Carrier(ctx);
  for (const v of topoOrder([y])) {
    if (v.id === x.id) { carried.set(v.id, { T: seed(b, x, n, span) }); continue; }
    if (!v.args.some((a) => carried.has(a.id))) continue;
    const r = (RULES[v.op] as Rule<OpKind>)(ctx, k, v);
    if (r.T || r.S) carried.set(v.id, r);
  }
  const ex = mode === "diag";
  const S = carried.get(y.id)?.S;
  // the result has y's batch axis even when S is the same for every sample
  const full = S ? k.batched(S, y, ex) : ex ? must(expand(b, k.zerosOf(y, true), [...y.shape, n], span, "zeros"), "zeros") : k.zerosOf(y, false);
  const out = ex ? [...y.shape, ...perSample(x.shape)] : y.shape;
  return { value: must(b.reshape(full, out, span), "result"), dependsOnX: carried.has(y.id) };
}
