/**
 * Local derivatives for reverse mode, one rule per IR op: given a node v and a
 * block of input slots (u_1..u_m, each an argument of v), the ways the mixed
 * derivative d^m v / du_1..du_m enters a contraction: how v's slot is indexed
 * in the frontier tensor, how each u slot is indexed in the result, and which
 * value factors multiply. Diagonal local derivatives are shared index names,
 * never materialised identities (docs/design.md section 3).
 */
import { BATCH, innerSize, isBatched, type GatherSpec, type Node, type NodeOf, type OpKind, type Shape } from "../ir/node.js";
import type { AxisRef, Factor, IndexRef } from "../plan/plan.js";

export interface LocalAlt {
  /** Index refs of v's slot axes (v's shape without the batch axis, or one flat axis, possibly read through a table). */
  readonly vRefs: readonly IndexRef[];
  /** Index refs of each u slot's axes, in block order (a flat axis may be written through a table). */
  readonly uRefs: readonly (readonly IndexRef[])[];
  readonly factors: readonly Factor[];
  readonly coef: number;
  /** Extents of the names this alternative introduces. */
  readonly sizes: Readonly<Record<string, number>>;
}

export interface ReverseCtx {
  /** Value of a node: a buffer, or a constant folded into the coefficient. */
  value(n: Node): { readonly buf: number } | { readonly c: number };
  /** f^(m) buffer of an elementwise node, if computed. */
  local(n: Node, m: number): number | undefined;
  /** A table of one side of a gather map, and how many offsets it lists. */
  gatherTable(spec: GatherSpec, side: "out" | "in"): { readonly table: number; readonly rows: number };
}

export type ReverseRule<K extends OpKind = OpKind> = (ctx: ReverseCtx, v: NodeOf<K>, block: readonly Node[], p: string) => LocalAlt[];

/** Inner axes (batch removed) with their position in the full shape. */
const innerAxes = (s: Shape): number[] => s.map((_, i) => i).filter((i) => s[i] !== BATCH);

/** Names for v's inner axes. */
function vNames(v: Node, p: string): { refs: string[]; sizes: Record<string, number> } {
  const refs: string[] = [], sizes: Record<string, number> = {};
  for (const a of innerAxes(v.shape)) { const n = `${p}a${a}`; refs.push(n); sizes[n] = v.shape[a]!; }
  return { refs, sizes };
}

/** Refs of an operand's axes when broadcast into v (NumPy alignment); withBatch adds "b" for its batch axis. */
function alignedRefs(u: Shape, v: Shape, p: string, withBatch: boolean): AxisRef[] {
  const off = v.length - u.length;
  const out: AxisRef[] = [];
  u.forEach((d, j) => {
    if (d === BATCH) { if (withBatch) out.push("b"); return; }
    const va = off + j;
    out.push(d === 1 && v[va] !== 1 ? null : `${p}a${va}`);
  });
  return out;
}

/** Slot assignments of a block to distinct argument positions holding the same nodes. */
function assignments(args: readonly Node[], block: readonly Node[]): number[][] {
  const out: number[][] = [];
  const rec = (i: number, used: number[]): void => {
    if (i === block.length) { out.push(used.slice()); return; }
    args.forEach((a, pos) => { if (a === block[i] && !used.includes(pos)) { used.push(pos); rec(i + 1, used); used.pop(); } });
  };
  rec(0, []);
  return out;
}

function valueFactor(ctx: ReverseCtx, n: Node, idx: AxisRef[]): { factor?: Factor; coef: number } {
  const v = ctx.value(n);
  return "c" in v ? { coef: v.c } : { factor: { buf: v.buf, idx }, coef: 1 };
}

/** The local derivative of a static index map (gather, or its transpose scatter): its rows' tables. */
function throughMap(ctx: ReverseCtx, spec: GatherSpec, block: readonly Node[], p: string, transpose: boolean): LocalAlt[] {
  if (block.length !== 1) return [];
  const tin = ctx.gatherTable(spec, "in"), tout = ctx.gatherTable(spec, "out");
  if (tin.rows === 0) return [];
  const r = `${p}r`;
  const [vt, ut] = transpose ? [tin, tout] : [tout, tin];
  return [{ vRefs: [{ table: vt.table, row: r, member: "0" }], uRefs: [[{ table: ut.table, row: r, member: "0" }]], factors: [], coef: 1, sizes: { [r]: tin.rows } }];
}

const none: ReverseRule = () => [];

export const REVERSE_RULES: { [K in OpKind]: ReverseRule<K> } = {
  input: none,
  const: none,
  amax: none, // a constant for differentiation
  compare: none, // masks: constants for differentiation
  // linear with a 0/1 local derivative: the transposed map. Row r of a gather's map reads v's
  // slot at out[r] and adds into u's slot at in[r] (a scatter-add); a scatter's, the other way
  // round (a gather); padding has no derivative.
  gather: (ctx, v, block, p) => throughMap(ctx, v.attrs.gather, block, p, false),
  scatter: (ctx, v, block, p) => throughMap(ctx, v.attrs.gather, block, p, true),
  unary: (ctx, v, block, p) => {
    const f = ctx.local(v, block.length);
    if (f === undefined) return []; // f^(m) is identically zero
    const n = `${p}e`;
    const b: AxisRef[] = isBatched(v.shape) ? ["b"] : [];
    return [{ vRefs: [n], uRefs: block.map(() => [n]), factors: [{ buf: f, idx: [...b, n] }], coef: 1, sizes: { [n]: innerSize(v.shape) } }];
  },
  select: (_ctx, v, block, p) => {
    // the derivatives are the blend's (args[3]): the identity to it, nothing to the selected operands
    if (block.length !== 1 || block[0] !== v.args[3]) return [];
    const n = `${p}f`;
    return [{ vRefs: [n], uRefs: [[n]], factors: [], coef: 1, sizes: { [n]: innerSize(v.shape) } }];
  },
  reshape: (_ctx, v, block, p) => {
    if (block.length !== 1) return [];
    const n = `${p}f`; // row-major data is unchanged: the flat slot is shared
    return [{ vRefs: [n], uRefs: [[n]], factors: [], coef: 1, sizes: { [n]: innerSize(v.shape) } }];
  },
  add: (_ctx, v, block, p) => {
    if (block.length !== 1) return [];
    const { refs, sizes } = vNames(v, p);
    return assignments(v.args, block).map(([pos]) => ({ vRefs: refs, uRefs: [alignedRefs(v.args[pos!]!.shape, v.shape, p, false)], factors: [], coef: 1, sizes }));
  },
  mul: (ctx, v, block, p) => {
    if (block.length > 2) return [];
    const { refs, sizes } = vNames(v, p);
    return assignments(v.args, block).flatMap((positions) => {
      let coef = 1;
      const factors: Factor[] = [];
      for (let pos = 0; pos < v.args.length; pos++) {
        if (positions.includes(pos)) continue;
        const a = v.args[pos]!;
        const f = valueFactor(ctx, a, alignedRefs(a.shape, v.shape, p, true));
        coef *= f.coef;
        if (f.factor) factors.push(f.factor);
      }
      return [{ vRefs: refs, uRefs: positions.map((pos) => alignedRefs(v.args[pos]!.shape, v.shape, p, false)), factors, coef, sizes }];
    });
  },
  einsum: (ctx, v, block, p) => {
    const ins = v.attrs.inputs, out = v.attrs.output;
    const sizes: Record<string, number> = {};
    let batchLetter: string | undefined;
    v.args.forEach((a, i) => [...ins[i]!].forEach((c, ax) => {
      if (a.shape[ax] === BATCH) batchLetter = c;
      else sizes[`${p}${c}`] = a.shape[ax]!;
    }));
    const ref = (c: string): AxisRef => (c === batchLetter ? "b" : `${p}${c}`);
    const slotRefs = (letters: string, shape: Shape): AxisRef[] => [...letters].filter((_, ax) => shape[ax] !== BATCH).map(ref);
    const vRefs = slotRefs(out, v.shape);
    return assignments(v.args, block).map((positions) => {
      let coef = 1;
      const factors: Factor[] = [];
      v.args.forEach((a, pos) => {
        if (positions.includes(pos)) return;
        const f = valueFactor(ctx, a, [...ins[pos]!].map(ref));
        coef *= f.coef;
        if (f.factor) factors.push(f.factor);
      });
      return { vRefs, uRefs: positions.map((pos) => slotRefs(ins[pos]!, v.args[pos]!.shape)), factors, coef, sizes };
    });
  },
  sum: (_ctx, v, block, p) => {
    if (block.length !== 1) return [];
    const a = v.args[0]!, axes = v.attrs.axes;
    const sizes: Record<string, number> = {};
    const aRefs: string[] = [];
    const vRefs: string[] = [];
    a.shape.forEach((d, ax) => {
      if (d === BATCH) return;
      const n = `${p}a${ax}`;
      sizes[n] = d;
      aRefs.push(n);
      if (!axes.includes(ax)) vRefs.push(n); // kept axes keep their order
    });
    return [{ vRefs, uRefs: [aRefs], factors: [], coef: 1, sizes }];
  },
  transpose: (_ctx, v, block, p) => {
    if (block.length !== 1) return [];
    const a = v.args[0]!, perm = v.attrs.perm;
    const sizes: Record<string, number> = {};
    const name = (ax: number) => { const n = `${p}a${ax}`; sizes[n] = a.shape[ax]!; return n; };
    const aRefs = innerAxes(a.shape).map(name);
    const vRefs = perm.filter((ax) => a.shape[ax] !== BATCH).map((ax) => `${p}a${ax}`);
    return [{ vRefs, uRefs: [aRefs], factors: [], coef: 1, sizes }];
  },
};
