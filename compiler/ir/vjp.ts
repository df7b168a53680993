/**
 * Reverse mode as an IR-to-IR transform (docs/design.md section 8): the
 * gradient of a per-sample scalar y with respect to an input x, built from
 * ordinary IR nodes, so that both planners can differentiate it again (hvp is
 * the Taylor transform of this gradient along v, hvp-jet.ts).
 *
 * Cotangents are accumulated in reverse topological order, one rule per op
 * kind. A cotangent has its node's shape, lifted to [B] ++ shape when y is per
 * sample (transform-shapes.ts): the gradient of a per-sample y with respect to
 * a param is per sample too, as thoad's layout [B] ++ shape(y)\B ++ shape(x)
 * has it, never summed over the batch.
 */
import type { Span } from "../diagnostics/diagnostic.js";
import type { Builder } from "./builders.js";
import { BATCH, isBatched, topoOrder, type GatherSpec, type InputNode, type Node, type NodeOf, type OpKind, type Shape } from "./node.js";
import { dependents, fit, freshLetter, innerShape, lifted, must, onesLike, zeros } from "./transform-shapes.js";
import { unaryDerivative } from "./unary-derivative.js";

interface VjpCtx {
  readonly b: Builder;
  readonly span: Span;
  /** y is per sample: every cotangent carries the batch axis. */
  readonly perSample: boolean;
  needs(a: Node): boolean;
}

/** Contributions of cotangent g of n to each argument position (undefined: none, or not needed). */
type VjpRule<K extends OpKind> = (ctx: VjpCtx, n: NodeOf<K>, g: Node) => readonly (Node | undefined)[];

const liftOf = (ctx: VjpCtx, a: Node): Shape => lifted(a.shape, ctx.perSample);

/** g (n's lifted shape) summed down to a broadcast operand's lifted shape. */
function unbroadcast(ctx: VjpCtx, g: Node, target: Shape): Node {
  const { b, span } = ctx;
  if (g.shape.join() === target.join()) return g;
  const bo = isBatched(g.shape) ? 1 : 0;
  const gi = innerShape(g.shape), ti = innerShape(target), off = gi.length - ti.length;
  const axes: number[] = [];
  gi.forEach((d, j) => { if (j < off || (ti[j - off] === 1 && d !== 1)) axes.push(j + bo); });
  const s = axes.length ? must(b.sum(g, axes, false, span), "unbroadcast sum") : g;
  return must(b.reshape(s, target, span), "unbroadcast reshape");
}

/** A gather map of a tensor's axes from its distinct letters: view = the distinct letters, src = the spec (a diagonal or broadcast). */
function letterMap(view: readonly string[], spec: string, size: (c: string) => number): GatherSpec {
  return { view: view.map(size), src: [...spec].map(size), coef: [...spec].map((c) => view.map((v) => (v === c ? 1 : 0))), offset: [...spec].map(() => 0) };
}

const none = (): readonly (Node | undefined)[] => [];

const RULES: { readonly [K in OpKind]: VjpRule<K> } = {
  input: none,
  const: none,
  amax: none, // a constant for differentiation
  compare: none, // masks: constants for differentiation
  add: (ctx, n, g) => n.args.map((a) => (ctx.needs(a) ? unbroadcast(ctx, g, liftOf(ctx, a)) : undefined)),
  mul: (ctx, n, g) => {
    const [a, c] = n.args as [Node, Node];
    const term = (u: Node, other: Node) => (ctx.needs(u) ? unbroadcast(ctx, must(ctx.b.mul(g, other, ctx.span), "product"), liftOf(ctx, u)) : undefined);
    return [term(a, c), term(c, a)];
  },
  unary: (ctx, n, g) => {
    const d = unaryDerivative(ctx.b, n, 1, ctx.span);
    return [d ? must(ctx.b.mul(g, d, ctx.span), "chain rule") : undefined];
  },
  sum: (ctx, n, g) => {
    const a = n.args[0]!;
    const target = liftOf(ctx, a), shift = target.length - a.shape.length;
    const axes = n.attrs.axes.map((x) => x + shift);
    const kept = must(ctx.b.reshape(g, target.map((d, i) => (axes.includes(i) ? 1 : d)), ctx.span), "sum adjoint reshape");
    return [fit(ctx.b, kept, target, ctx.span)];
  },
  reshape: (ctx, n, g) => [must(ctx.b.reshape(g, liftOf(ctx, n.args[0]!), ctx.span), "reshape adjoint")],
  transpose: (ctx, n, g) => {
    const perm = n.attrs.perm, inv = perm.map(() => 0);
    perm.forEach((p, i) => { inv[p] = i; });
    const full = isBatched(g.shape) && !isBatched(n.shape) ? [0, ...inv.map((p) => p + 1)] : inv;
    return [must(ctx.b.transpose(g, full, ctx.span), "transpose adjoint")];
  },
  einsum: (ctx, n, g) => {
    const { inputs, output } = n.attrs;
    const beta = isBatched(n.shape) ? output[0]! : freshLetter([...inputs, output]);
    const gSpec = isBatched(g.shape) && !isBatched(n.shape) ? beta + output : output;
    const sizes = new Map<string, number>([[beta, BATCH]]);
    n.args.forEach((a, i) => [...inputs[i]!].forEach((c, ax) => sizes.set(c, a.shape[ax]!)));
    return n.args.map((a, i) => {
      if (!ctx.needs(a)) return undefined;
      const target = liftOf(ctx, a);
      const tSpec = isBatched(target) && !isBatched(a.shape) ? beta + inputs[i]! : inputs[i]!;
      const others = n.args.map((o, j) => ({ o, s: inputs[j]! })).filter((_, j) => j !== i);
      const avail = new Set([gSpec, ...others.map((o) => o.s)].join(""));
      const uniq = [...new Set(tSpec)];
      const got = uniq.filter((c) => avail.has(c));
      let r = must(ctx.b.einsum(`${[gSpec, ...others.map((o) => o.s)].join(",")}->${got.join("")}`, [g, ...others.map((o) => o.o)], ctx.span), "einsum adjoint");
      const size = (c: string) => sizes.get(c)!;
      const innerOf = (cs: readonly string[]) => cs.filter((c) => size(c) !== BATCH);
      if (got.length < uniq.length) {
        // a letter only this operand has was summed: its adjoint is constant along it (a broadcast)
        r = must(ctx.b.gather(r, letterMap(innerOf(uniq), innerOf(got).join(""), size), innerOf(uniq).map(size), ctx.span), "einsum broadcast");
      }
      if (uniq.length < tSpec.length) {
        // a repeated letter took a diagonal: the adjoint writes that diagonal (a scatter)
        r = must(ctx.b.scatter(r, letterMap(innerOf(uniq), innerOf([...tSpec]).join(""), size), innerShape(target), ctx.span), "einsum diagonal");
      }
      return r;
    });
  },
  gather: (ctx, n, g) => [ctx.b.scatter(g, n.attrs.gather, innerShape(n.args[0]!.shape), ctx.span)],
  scatter: (ctx, n, g) => [ctx.b.gather(g, n.attrs.gather, innerShape(n.args[0]!.shape), ctx.span)],
  select: (_ctx, _n, g) => [undefined, undefined, undefined, g], // the derivatives are the blend's
};

/**
 * d y / d x for a per-sample scalar y (inner size 1; the caller checks), with
 * shape lifted(x.shape): [B] ++ shape(x)\B when y or x is per sample.
 */
export function gradient(b: Builder, y: Node, x: InputNode, span: Span): Node {
  const perSample = isBatched(y.shape) || isBatched(x.shape);
  const target = lifted(x.shape, perSample);
  const order = topoOrder([y]);
  const dep = dependents(order, x);
  if (!dep.has(y.id)) return zeros(b, target, isBatched(y.shape) ? y : x, span);
  const ctx: VjpCtx = { b, span, perSample, needs: (a) => dep.has(a.id) };
  const cot = new Map<number, Node>([[y.id, onesLike(b, y, span)]]);
  for (let i = order.length - 1; i >= 0; i--) {
    const n = order[i]!, g = cot.get(n.id);
    if (!g || n === x) continue;
    const parts = (RULES[n.op] as VjpRule<OpKind>)(ctx, n, g);
    parts.forEach((c, pos) => {
      const a = n.args[pos]!;
      if (!c || !dep.has(a.id)) return;
      const prev = cot.get(a.id);
      cot.set(a.id, prev ? must(b.add(prev, c, span), "cotangent sum") : c);
    });
  }
  return fit(b, cot.get(x.id)!, target, span);
}
