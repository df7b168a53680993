/**
 * Storage of reverse mode's frontier blocks and chain intermediates
 * (docs/design.md section 2): a buffer is [B?, y, slots...], and side by side
 * slots with the same label (the positions of one repeated frontier node, or
 * of one transformed run) are symmetric, so they form one packed axis in the
 * runtime's layout (sorted tuples, lexicographic). Terms address a packed run
 * by its coordinates (GroupRef): reads through a rank table at any order,
 * writes through a sorted-only table.
 */
import { multisetCount } from "../../runtime/packed.js";
import type { PlanBuilder } from "../plan/plan-builder.js";
import { isGroupRef, refNames, type IndexRef, type Term } from "../plan/plan.js";

/** One slot (axis group of a node) of a frontier block or chain intermediate: slots with equal labels side by side are symmetric. */
export interface Slot { readonly label: string; readonly n: number }

/** Storage layout of a buffer's slots: runs of equal labels (one packed axis each when symmetric), else one axis per slot. */
export interface Layout { readonly slots: readonly Slot[]; readonly symmetric: boolean }

/** The stored axes: runs of equal labels side by side (symmetric), else one run per slot. */
export function runs(l: Layout): { start: number; len: number }[] {
  const out: { start: number; len: number }[] = [];
  l.slots.forEach((s, i) => {
    const last = out[out.length - 1];
    if (l.symmetric && last && l.slots[last.start]!.label === s.label) last.len++;
    else out.push({ start: i, len: 1 });
  });
  return out;
}

/** Entries per output row: the product of the runs' packed sizes. */
export const layoutSize = (l: Layout): number => runs(l).reduce((p, r) => p * multisetCount(l.slots[r.start]!.n, r.len), 1);

/**
 * A buffer's index refs after [B?, y] given every slot's refs: a repeated run
 * is one packed axis addressed by its coordinates (read: any order; write:
 * sorted tuples only).
 */
export function layoutRefs(pb: PlanBuilder, l: Layout, slotRefs: readonly (readonly IndexRef[])[], mode: "read" | "write"): IndexRef[] {
  return runs(l).flatMap(({ start, len }) => {
    const refs = slotRefs.slice(start, start + len).flat();
    return len === 1 ? refs : [{ table: pb.groupTable(l.slots[start]!.n, len, mode === "write"), of: refs }];
  });
}

/** A ref with group tables named by their group (rank and sorted tables of one group address the same data). */
export function refText(pb: PlanBuilder, r: IndexRef): string {
  if (r === null || typeof r === "string") return String(r);
  if (isGroupRef(r)) { const t = pb.tables[r.table]!; return `G${t.ns[0]}^${t.ms[0]}<${r.of.map((x) => refText(pb, x)).join(",")}>`; }
  return `T${r.table}[${r.row},${r.member}]`;
}

/**
 * A packed group written sorted-only and read at the same coordinates, in the
 * same order, whose indices appear nowhere else in the term: the read's packed
 * index is the write's, so both become one plain index over the packed entries
 * (no table, no skipped tuples; contiguous and register-blockable).
 */
export function fuseGroups(pb: PlanBuilder, t: Term, sizes: Record<string, number | "B">): Term {
  const out = [...t.out!];
  const factors = t.factors.map((f) => ({ ...f, idx: [...f.idx] }));
  const count = new Map<string, number>();
  for (const r of [...out, ...factors.flatMap((f) => f.idx)]) for (const n of refNames(r, sizes)) count.set(n, (count.get(n) ?? 0) + 1);
  const key = (r: IndexRef) => refText(pb, r);
  let fused = 0;
  out.forEach((o, oi) => {
    if (!isGroupRef(o) || !o.of.every((x) => typeof x === "string") || new Set(o.of).size !== o.of.length) return;
    if (o.of.some((x) => count.get(x as string) !== 2)) return;
    for (const f of factors) {
      const fi = f.idx.findIndex((r) => isGroupRef(r) && key(r) === key(o));
      if (fi < 0) continue;
      const tb = pb.tables[o.table]!;
      const extent = multisetCount(tb.ns[0]!, tb.ms[0]!);
      const name = `p${extent}_${fused++}`;
      sizes[name] = extent;
      out[oi] = name;
      f.idx[fi] = name;
      return;
    }
  });
  return fused ? { ...t, factors, out } : t;
}
