/**
 * The TypeScript target's memory layout (target.ts Layout): batch tiling and
 * buffer reuse. Intermediate buffers share a few storage slots. A buffer takes
 * a free slot of its kind (batched or not) when its step runs and frees it
 * after its last reader; reshape aliases share their root's storage. Buffers
 * that reach an output get storage of their own (the caller keeps them).
 */
import { lastUses, reads, stepOutputs } from "../plan/liveness.js";
import type { Plan } from "../plan/plan.js";
import type { Layout } from "./target.js";

export type SlotAssignment = Pick<Layout, "slotOf" | "slots">;

export function assignSlots(plan: Plan): SlotAssignment {
  const root = new Map<number, number>();
  const rootOf = (id: number): number => root.get(id) ?? id;
  for (const s of plan.steps) if (s.kind === "alias") root.set(s.out, rootOf(s.input));
  const last = new Map<number, number>();
  for (const [id, i] of lastUses(plan)) { const r = rootOf(id); last.set(r, Math.max(last.get(r) ?? -1, i)); }

  // buffers by the step that reads them last, in `last`'s order (a scan of `last` per step was quadratic)
  const lastAt = new Map<number, number[]>();
  for (const [r, l] of last) { const at = lastAt.get(l); if (at) at.push(r); else lastAt.set(l, [r]); }

  const slots: { batched: boolean; size: number }[] = [];
  const free: number[] = [];
  const slotOf = new Map<number, number>();
  plan.steps.forEach((s, i) => {
    if (s.kind !== "alias") {
      for (const o of stepOutputs(s)) {
        const b = plan.buffers[o]!;
        if ((last.get(o) ?? i) === Infinity) continue; // reaches an output
        // best fit among free slots of the same kind, else a new slot
        let best = -1;
        for (const f of free) {
          const sl = slots[f]!;
          if (sl.batched !== b.batched) continue;
          if (best < 0 || Math.abs(sl.size - b.size) < Math.abs(slots[best]!.size - b.size)) best = f;
        }
        if (best < 0) { best = slots.length; slots.push({ batched: b.batched, size: b.size }); }
        else free.splice(free.indexOf(best), 1);
        slots[best]!.size = Math.max(slots[best]!.size, b.size);
        slotOf.set(o, best);
      }
    }
    // free after the step, so a step never writes into storage it reads
    for (const r of lastAt.get(i) ?? []) if (slotOf.has(r)) free.push(slotOf.get(r)!);
    // a buffer never read (e.g. an unused f^(m)) is free right away
    for (const o of stepOutputs(s)) if (!last.has(o) && slotOf.has(o)) free.push(slotOf.get(o)!);
  });
  return { slotOf, slots };
}

/** Samples per tile: every batched step runs on one tile before the next tile starts. */
export const TILE = 16;

/**
 * A plan whose tile of TILE samples holds little (a few values and first derivatives per
 * sample) runs larger tiles, doubling while one tile's batched slots stay within TILE_BYTES
 * (a share of a 512 KB L2), up to MAX_TILE: each tile costs every step a kernel call and a
 * view of each buffer, which in trig order 1 (448 bytes a sample) outweighed its arithmetic
 * (B = 1024, one thread, interleaved: 1.18x faster with tiles of 256, 1.12x with 64).
 */
const TILE_BYTES = 128 * 1024;
const MAX_TILE = 256;

/** Tiling and slots of a plan, with at least `tile` samples per tile (see TILE_BYTES): slots are assigned in the tiled step order. */
export function tiledLayout(plan: Plan, tile: number): Layout {
  const tiling = tiled(plan);
  const slots = assignSlots(tiling?.plan ?? plan);
  if (!tiling) return { tiling, tile: 0, ...slots };
  const perSample = slots.slots.reduce((n, sl) => n + (sl.batched ? sl.size : 0), 0) * (plan.dtype === "f32" ? 4 : 8);
  let t = tile;
  while (2 * t <= MAX_TILE && 2 * t * perSample <= TILE_BYTES) t *= 2;
  return { tiling, tile: t, ...slots };
}

/**
 * Batch tiling (codegen): steps whose outputs carry no batch axis (they depend
 * on params only) run first, once; then all batched steps run tile by tile, so
 * one tile's intermediates stay in cache and their storage is TILE samples, not
 * B. Valid when no unbatched step reads a batched buffer (always, since the
 * batch axis is never reduced); otherwise the plan runs untiled (undefined).
 * A --no-batch plan is never tiled: its diagonal steps read every sample of
 * unbatched buffers.
 */
export function tiled(plan: Plan): { plan: Plan; prologue: number } | undefined {
  if (plan.staticBatch !== undefined) return undefined;
  const batchedStep = (st: Plan["steps"][number]) => stepOutputs(st).some((o) => plan.buffers[o]!.batched);
  const head = plan.steps.filter((st) => !batchedStep(st)), tail = plan.steps.filter(batchedStep);
  if (tail.length === 0) return undefined;
  if (head.some((st) => reads(st).some((r) => plan.buffers[r]!.batched))) return undefined;
  return { plan: { ...plan, steps: [...head, ...tail] }, prologue: head.length };
}
