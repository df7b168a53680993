/**
 * Shape helpers shared by the IR-to-IR derivative transforms (vjp.ts, taylor.ts).
 *
 * A transform's tangents and cotangents are ordinary nodes. When the seed is
 * per sample (a batched direction v, or a batched output y) but a node is not
 * batched (a param, or an expression of params only), its tangent or cotangent
 * still differs per sample: it is "lifted", the node's shape with the batch
 * axis in front ([B] ++ shape). This keeps thoad's batch-unified layout
 * (docs/design.md section 1): samples stay independent, nothing is summed over
 * the batch.
 */
import type { Span } from "../diagnostics/diagnostic.js";
import type { Builder } from "./builders.js";
import { expand } from "./gathers.js";
import { BATCH, isBatched, type Node, type Shape } from "./node.js";

/** A builder result a transform cannot get wrong; undefined would be a bug in the transform. */
export function must<T>(x: T | undefined, what: string): T {
  if (x === undefined) throw new Error(`internal: derivative transform built a bad ${what}`);
  return x;
}

/** Per-sample axes: the batch axis removed. */
export const innerShape = (s: Shape): number[] => s.filter((d) => d !== BATCH);

/** A node's shape as its tangent or cotangent carries it: the batch axis added in front when per sample. */
export const lifted = (s: Shape, perSample: boolean): Shape => (perSample && !isBatched(s) ? [BATCH, ...s] : s);

/**
 * A lifted tangent of a lower-rank operand placed for broadcasting against a
 * lifted shape of rank r: size-1 axes after the batch axis ([B, 3] against
 * [B, 4, 3] becomes [B, 1, 3]), as NumPy alignment would do without the batch.
 */
export function alignTo(b: Builder, c: Node, target: Shape, span: Span): Node {
  if (!isBatched(c.shape) || !isBatched(target) || c.shape.length >= target.length) return c;
  const pad = target.length - c.shape.length;
  return must(b.reshape(c, [BATCH, ...Array<number>(pad).fill(1), ...innerShape(c.shape)], span), "alignment reshape");
}

/** c broadcast to exactly `shape` (an expand gather where it differs). */
export function fit(b: Builder, c: Node, shape: Shape, span: Span): Node {
  if (c.shape.join() === shape.join()) return c;
  const a = alignTo(b, c, shape, span);
  if (a.shape.join() === shape.join()) return a;
  return must(expand(b, a, shape, span, "derivative transform"), "broadcast");
}

/** Zeros of `shape`; a batched shape takes its batch axis from `batchRef` (a batched node), with no derivative. */
export function zeros(b: Builder, shape: Shape, batchRef: Node | undefined, span: Span): Node {
  const inner = innerShape(shape);
  const z = fit(b, b.const(0, span), inner, span);
  if (!isBatched(shape)) return z;
  if (!batchRef || !isBatched(batchRef.shape)) throw new Error("internal: batched zeros without a batched reference");
  const ref = must(b.compare("detach", [batchRef], span, "detach"), "detach");
  const r0 = must(b.mul(b.const(0, span), ref, span), "zero");
  const axes = ref.shape.map((_, i) => i).filter((i) => i > 0);
  const perSample = must(b.sum(r0, axes, false, span), "sum");
  const col = must(b.reshape(perSample, [BATCH, ...inner.map(() => 1)], span), "reshape");
  return must(b.add(col, z, span), "zeros");
}

/** Ones with ref's shape and no derivative (the seed of a reverse sweep). */
export function onesLike(b: Builder, ref: Node, span: Span): Node {
  const d = must(b.compare("detach", [ref], span, "detach"), "detach");
  return must(b.add(b.const(1, span), must(b.mul(b.const(0, span), d, span), "zero"), span), "ones");
}

/** Sum of the defined terms (undefined: no term). */
export function sumOf(b: Builder, terms: readonly (Node | undefined)[], span: Span): Node | undefined {
  let acc: Node | undefined;
  for (const t of terms) if (t) acc = acc ? must(b.add(acc, t, span), "sum of terms") : t;
  return acc;
}

/**
 * Nodes of `order` (topological) that depend on x: the masks of compare and
 * amax are constants for differentiation, and select's derivatives are its
 * blend's (args[3]).
 */
export function dependents(order: readonly Node[], x: Node): Set<number> {
  const dep = new Set<number>();
  for (const n of order) {
    if (n === x) dep.add(n.id);
    else if (n.op === "compare" || n.op === "amax") continue;
    else if (n.op === "select" ? dep.has(n.args[3]!.id) : n.args.some((a) => dep.has(a.id))) dep.add(n.id);
  }
  return dep;
}

/** A letter no einsum spec of the node uses (the batch axis of a lifted operand). */
export function freshLetter(used: Iterable<string>): string {
  const u = new Set([...used].join(""));
  const c = [..."zyxwvutsrqponmlkjihgfedcbaZYXWVUTSRQPONMLKJIHGFEDCBA"].find((l) => !u.has(l));
  if (!c) throw new Error("internal: einsum uses every letter");
  return c;
}
