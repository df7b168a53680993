/**
 * The scheduler: the loop-nest decisions for a plan step, recorded as data
 * that the emitter of a target prints (loops.ts, fused-nest.ts for the
 * TypeScript target). A contraction term's schedule says the loop order, which
 * indices are register-blocked (unrolled) and at which loop level each operand
 * is read (hoisting); a fused step's, the loop order.
 */
import { refNames, type ContractStep, type Plan, type Term } from "../plan/plan.js";
import type { Access } from "./loops.js";

const BIG = 1e15; // the batch loop goes outermost

export interface TermSchedule {
  /** Loop indices, outermost first (the blocked ones and the innermost last). */
  readonly order: readonly string[];
  /** Copies per pass of a blocked loop (the target's unroll parameter). */
  readonly unroll: number;
  /** A summed index unrolled just outside the innermost loop (register blocking). */
  readonly unrolled?: string;
  /** An output index unrolled just outside `unrolled`: an unroll x unroll block of products per pass. */
  readonly blockedOut?: string;
  /** Loops run one index value at a time, outermost first; the blocked and innermost loops follow. */
  readonly plainLevels: number;
  /** Loop level (in order) of each index. */
  readonly level: ReadonlyMap<string, number>;
  /** Hoisting: the level at which the output, and each factor, is read (-1: before every loop); the shallowest where all its indices are bound. */
  readonly outDepth: number;
  readonly factorDepth: readonly number[];
  /** The loops inside outDepth only sum into one output element: the sum runs in a local accumulator. */
  readonly accumulate: boolean;
  /** Coordinates of a packed group written sorted-only: they loop outermost (after the batch), an unsorted tuple skips the loops inside. */
  readonly guarded: ReadonlySet<string>;
}

export function scheduleTerm(step: ContractStep, term: Term, plan: Plan, out: Access, facs: readonly Access[], unroll: number): TermSchedule {
  const outView = term.out ?? step.outIdx;
  const all = [out, ...facs];
  const loopIdx = new Set<string>();
  // an output axis may be written through a table (gather, scatter-add) or a packed group
  for (const i of outView) for (const n of refNames(i, step.sizes)) loopIdx.add(n);
  for (const f of term.factors) for (const r of f.idx) for (const n of refNames(r, step.sizes)) loopIdx.add(n);
  // the coordinates of a packed group written sorted-only run outermost (after the batch):
  // an unsorted tuple skips everything inside
  const guarded = new Set(out.groups.filter((g) => g.sorted).flatMap((g) => g.names));
  // a coordinate of a packed group weighs its stride in the dense group, scaled to the packed
  // extent (sorted tuples keep the dense order, so locality follows the dense offset)
  // in a term reading a gather's coordinate tables (reverse mode through im2col), a table's row
  // weighs the stride the table's offsets are scaled by: the rows then run outside the dense
  // axes they move between, which run contiguously inside
  const coordTerm = all.some((a) => a.tables.some((t) => plan.tables[t.table]!.gather?.coord));
  const tableStride = (a: Access, i: string): number => (coordTerm ? a.tables.reduce((ts, t) => ts + (t.row === i ? t.stride : 0), 0) : 0);
  const score = (i: string): number => (step.sizes[i] === "B" ? BIG : (guarded.has(i) ? BIG / 2 : 0) + all.reduce((s, a) => s + (a.strides.get(i) ?? 0) + tableStride(a, i) + a.groups.reduce((gs, g) => gs + g.stride * (g.coef.get(i) ?? 0) * g.packedRatio, 0), 0));
  const order = [...loopIdx].sort((x, y) => score(y) - score(x) || (x < y ? -1 : x > y ? 1 : 0));
  // Register blocking: when the innermost index is an output index, a summed
  // index moves just outside it and is unrolled by `unroll`, so each output
  // element is read and written once per `unroll` products (out += a0*b0 + a1*b1 + ...).
  const outNames = new Set<string>();
  for (const i of outView) for (const n of refNames(i, step.sizes)) outNames.add(n);
  // a table's row or member cannot be unrolled; a packed group's coordinate can (its offset is an expression)
  const tableIdx = new Set(all.flatMap((a) => [...a.tables.flatMap((t) => [t.row, t.member]), ...a.groups.flatMap((g) => g.names.filter((n) => !g.coef.has(n)))]));
  let unrolled: string | undefined, blockedOut: string | undefined;
  if (order.length >= 2 && outNames.has(order[order.length - 1]!) && !guarded.has(order[order.length - 1]!)) {
    const summed = order.filter((i) => !outNames.has(i) && typeof step.sizes[i] === "number" && (step.sizes[i] as number) >= 2 * unroll && !tableIdx.has(i));
    if (summed.length) {
      unrolled = summed.reduce((a, b) => ((step.sizes[b] as number) > (step.sizes[a] as number) ? b : a));
      order.splice(order.indexOf(unrolled), 1);
      order.splice(order.length - 1, 0, unrolled);
      // and an output index no innermost read depends on moves just outside the
      // summed one, unrolled too: an unroll x unroll block of products per pass
      // reads each innermost operand once for `unroll` outputs
      const inner = order[order.length - 1]!;
      const innerReads = facs.filter((f) => f.strides.has(inner) || f.tables.some((t) => t.row === inner || t.member === inner) || f.groups.some((g) => g.names.includes(inner)));
      const outer = order.slice(0, -2).filter((i) => outNames.has(i) && !guarded.has(i) && typeof step.sizes[i] === "number" && (step.sizes[i] as number) >= unroll && !tableIdx.has(i) && !innerReads.some((f) => f.strides.has(i) || f.groups.some((g) => g.names.includes(i))));
      if (outer.length) {
        blockedOut = outer.reduce((a, b) => ((step.sizes[b] as number) > (step.sizes[a] as number) ? b : a));
        order.splice(order.indexOf(blockedOut), 1);
        order.splice(order.length - 2, 0, blockedOut);
      }
    }
  }
  // Loop-invariant code motion: each factor is read, and the product of the
  // factors bound so far formed, at the shallowest loop level where all its
  // indices are bound; when the innermost loops only sum into one output
  // element, the sum runs in a local accumulator.
  const level = new Map(order.map((i, l) => [i, l] as const));
  const depth = (a: Access): number => {
    let d = -1;
    for (const i of a.strides.keys()) d = Math.max(d, level.get(i)!);
    for (const t of a.tables) { d = Math.max(d, level.get(t.row)!); if (level.has(t.member)) d = Math.max(d, level.get(t.member)!); }
    for (const g of a.groups) for (const n of g.names) d = Math.max(d, level.get(n)!);
    return d;
  };
  const outDepth = depth(out);
  return {
    order, unroll, unrolled, blockedOut, level, guarded, outDepth,
    plainLevels: order.length - (blockedOut ? 3 : unrolled ? 2 : 0),
    factorDepth: facs.map(depth),
    accumulate: outDepth < order.length - 1,
  };
}

export interface FusedSchedule {
  /** The output indices, outermost first: batch, then table rows (entries read once per row), then by falling total stride. */
  readonly order: readonly string[];
}

export function scheduleFused(step: ContractStep, all: readonly Access[], facs: readonly Access[]): FusedSchedule {
  const outNames = step.outIdx.filter((r): r is string => typeof r === "string");
  const rows = new Set(facs.flatMap((a) => a.tables.map((t) => t.row)));
  const score = (i: string): number => all.reduce((s, a) => s + (a.strides.get(i) ?? 0), 0);
  const rank = (i: string): number => (step.sizes[i] === "B" ? 0 : rows.has(i) ? 1 : 2);
  return { order: [...outNames].sort((x, y) => rank(x) - rank(y) || score(y) - score(x) || (x < y ? -1 : x > y ? 1 : 0)) };
}
