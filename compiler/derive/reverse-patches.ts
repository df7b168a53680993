/**
 * Reverse mode through im2col without the patches (issue 12 section 4).
 * Convolution and pooling lower to P = gather(h) (im2col, node.ts GatherSpec)
 * read by an einsum (conv) or a sum (pooling), possibly through a reshape
 * (groups) and a product with a constant mask (max pooling). Expanding such a
 * node v through P would put P on the frontier: G[P^k] holds (kernel
 * volume)^k times the entries of G[h^k]. Instead v is expanded straight into
 * h: v = f(A), A = m * gather(h) (reshaped), so
 *
 *   dv/dh [h_in(r)] = sum over taken rows r of the map (dv/dA)[A at row r] * m[r]
 *
 * Each row r of the map is one taken patch entry; the rule of v's op indexes
 * A's axes by names, and those names become reads of the coordinates of r
 * (runtime gatherTable with coord: floor(out offset / stride) % extent, one
 * table per run of consecutive axes). The u slot is written at the map's input
 * offset (a scatter-add), padding rows are absent (derivative 0). Every other
 * argument of v, and mixed blocks (d^2 v / dh dW), keep the rule's own refs with
 * the same substitution.
 */
import { innerSize, isBatched, type GatherSpec, type Node } from "../ir/node.js";
import { innerShape } from "../ir/transform-shapes.js";
import { stridesOf } from "../../runtime/tensor.js";
import type { PlanBuilder } from "../plan/plan-builder.js";
import type { Factor, IndexRef } from "../plan/plan.js";
import type { LocalAlt, ReverseCtx } from "./reverse-rules.js";

/** An argument A of v that is (a reshape of) mask * gather(h), the gather expanding h. */
export interface Patch {
  /** Position of A in v.args. */
  readonly pos: number;
  /** h: what v is expanded into in place of A. */
  readonly src: Node;
  /** The gather's map (P = gather(h)). */
  readonly spec: GatherSpec;
  /** Constant factors of A (max pooling's argmax mask), each with the node it multiplies (same elements as P). */
  readonly masks: readonly Node[];
}

/** A as a patch expression over an expanding gather, or undefined. */
function patchOf(a: Node, dep: ReadonlySet<number>): Omit<Patch, "pos"> | undefined {
  const masks: Node[] = [];
  for (;;) {
    if (a.op === "reshape") { a = a.args[0]!; continue; }
    if (a.op === "mul" && a.args.length === 2) {
      const d = a.args.filter((x) => dep.has(x.id));
      const m = a.args.find((x) => !dep.has(x.id));
      // the mask with A's elements (a constant for differentiation), the other factor A's shape
      if (d.length !== 1 || !m || d[0]!.shape.join() !== a.shape.join() || innerShape(m.shape).join() !== innerShape(a.shape).join()) return undefined;
      masks.push(m);
      a = d[0]!;
      continue;
    }
    if (a.op === "gather" && dep.has(a.args[0]!.id) && innerSize(a.shape) > innerSize(a.args[0]!.shape)) return { src: a.args[0]!, spec: a.attrs.gather, masks };
    return undefined;
  }
}

/**
 * The patch argument of v when v (an einsum or a sum) reads exactly one, and
 * its h is not otherwise an argument of v; else undefined (v expands as usual).
 */
export function patchArg(v: Node, dep: ReadonlySet<number>): Patch | undefined {
  if (v.op !== "einsum" && v.op !== "sum") return undefined;
  const found = v.args.map((a, pos) => { const p = patchOf(a, dep); return p && { ...p, pos }; }).filter((p) => p !== undefined);
  if (found.length !== 1) return undefined;
  const p = found[0]!;
  if (v.args.some((a, i) => i !== p.pos && (a === v.args[p.pos] || a === p.src))) return undefined;
  return p;
}

/**
 * The rule's alternatives for v with A in place of h, rewritten to sum over the
 * map's rows: A's axis names become coordinate reads of row `${prefix}r`, the
 * h slot is written at the map's input offset, masks multiply.
 */
export function throughPatch(pb: PlanBuilder, ctx: ReverseCtx, v: Node, patch: Patch, alts: readonly LocalAlt[], at: number, prefix: string): LocalAlt[] {
  const A = v.args[patch.pos]!;
  const spec = patch.spec;
  const tin = pb.gatherTable(spec, "in");
  if (tin.rows === 0) return [];
  const r = `${prefix}r`;
  /** Refs over axes of a view of P's elements (A's or a mask's): runs of consecutive axes become one coordinate read. */
  const coordRefs = (view: readonly number[], names: readonly (string | undefined)[], refs: readonly IndexRef[]): IndexRef[] => {
    const strides = stridesOf(view);
    const out: IndexRef[] = [];
    for (let i = 0; i < refs.length; i++) {
      const a = names.indexOf(refs[i] as string);
      if (typeof refs[i] !== "string" || a < 0) { out.push(refs[i]!); continue; }
      let end = a + 1;
      while (i + 1 < refs.length && typeof refs[i + 1] === "string" && names.indexOf(refs[i + 1] as string) === end) { end++; i++; }
      const extent = view.slice(a, end).reduce((p, d) => p * d, 1);
      out.push({ table: pb.gatherCoordTable(spec, strides[end - 1]!, extent), row: r, member: "0" });
    }
    return out;
  };
  const view = innerShape(A.shape);
  const out: LocalAlt[] = [];
  for (const alt of alts) {
    const names = alt.uRefs[at]!;
    // the rule names A's axes once each (else they are not free coordinates of a row)
    if (names.length !== view.length || names.some((n) => typeof n !== "string") || new Set(names).size !== names.length) return [];
    const ns = names as readonly string[];
    const sub = (refs: readonly IndexRef[]) => coordRefs(view, ns, refs);
    let coef = alt.coef;
    const factors: Factor[] = alt.factors.map((f) => ({ buf: f.buf, idx: sub(f.idx) }));
    for (const m of patch.masks) {
      const mv = ctx.value(m);
      if ("c" in mv) { coef *= mv.c; continue; }
      const mView = innerShape(m.shape);
      const mNames = mView.map((_, a) => `${prefix}m${a}`);
      factors.push({ buf: mv.buf, idx: [...(isBatched(m.shape) ? ["b"] : []), ...coordRefs(mView, mNames, mNames)] });
    }
    const sizes: Record<string, number> = { ...alt.sizes, [r]: tin.rows };
    for (const n of ns) delete sizes[n];
    out.push({
      vRefs: sub(alt.vRefs),
      uRefs: alt.uRefs.map((u, j) => (j === at ? [{ table: tin.table, row: r, member: "0" }] : sub(u))),
      factors,
      coef,
      sizes,
    });
  }
  return out;
}
