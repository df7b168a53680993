/** Static cost estimates of a plan: flops per step and peak live bytes, at a given batch size. */
import type { Plan, Step } from "./plan.js";
import { assignSlots, TILE, tiled } from "./slots.js";
import { lastUses, reads, stepOutputs } from "./liveness.js";

export function stepFlops(plan: Plan, s: Step, B: number): number {
  const ext = (v: number | "B") => (v === "B" ? B : v);
  switch (s.kind) {
    case "contract": {
      let total = 0;
      for (const t of s.terms) {
        const idx = new Set<string>();
        for (const r of t.out ?? s.outIdx) {
          if (typeof r === "string") idx.add(r);
          else if (r !== null) idx.add(r.row); // an output axis written through a table
        }
        for (const f of t.factors) for (const r of f.idx) {
          if (typeof r === "string") idx.add(r);
          else if (r !== null) { idx.add(r.row); if (r.member in s.sizes) idx.add(r.member); }
        }
        let n = 1;
        for (const i of idx) n *= ext(s.sizes[i]!);
        total += n * Math.max(1, t.factors.length); // multiplies and the add
      }
      return total;
    }
    case "map": {
      const b = plan.buffers[s.input]!;
      return (b.batched ? B : 1) * b.size * 4 * s.outs.length;
    }
    default: return 0;
  }
}

export const bufferBytes = (plan: Plan, id: number, B: number): number => {
  const b = plan.buffers[id]!;
  return b.role === "input" ? 0 : 8 * b.size * (b.batched ? B : 1);
};

export interface PlanCost {
  readonly flops: number;
  /** Largest sum of simultaneously live buffers (a lower bound for any allocation). */
  readonly liveBytes: number;
  /** What the emitted code allocates per call: shared slots plus buffers handed to the caller. */
  readonly peakBytes: number;
  readonly largest: { readonly name: string; readonly bytes: number };
}

export function planCost(plan: Plan, B: number): PlanCost {
  const last = lastUses(plan);
  // storage shared with an alias is freed by neither name (a conservative live estimate)
  const aliased = new Set(plan.steps.flatMap((s) => (s.kind === "alias" ? [s.input, s.out] : [])));
  let live = 0, peak = 0, flops = 0;
  let largest = { name: "-", bytes: 0 };
  plan.steps.forEach((s, i) => {
    flops += stepFlops(plan, s, B);
    if (s.kind !== "alias") for (const o of stepOutputs(s)) {
      const by = bufferBytes(plan, o, B);
      live += by;
      if (by > largest.bytes) largest = { name: plan.buffers[o]!.name, bytes: by };
    }
    peak = Math.max(peak, live);
    for (const r of new Set(reads(s))) if (last.get(r) === i && plan.buffers[r]!.role !== "input" && !aliased.has(r)) live -= bufferBytes(plan, r, B);
  });
  // as emitted: with batch tiling, batched intermediates hold one tile of samples
  const tiling = tiled(plan);
  const { slotOf, slots } = assignSlots(tiling?.plan ?? plan);
  const BT = tiling ? Math.min(B, TILE) : B;
  let allocated = slots.reduce((a, sl) => a + 8 * sl.size * (sl.batched ? BT : 1), 0);
  for (const s of plan.steps) if (s.kind !== "alias") for (const o of stepOutputs(s)) if (!slotOf.has(o)) allocated += bufferBytes(plan, o, B);
  return { flops, liveBytes: peak, peakBytes: allocated, largest };
}



/**
 * What a thread split of the batch needs (runtime Runner): the tile size, 0 when the plan
 * runs untiled (no split), and the flops per sample (the cost is affine in B), which
 * the split weighs against its hand-off.
 */
export function batchProfile(plan: Plan): { tile: number; flopsPerSample: number } {
  return { tile: tiled(plan) ? TILE : 0, flopsPerSample: planCost(plan, 2).flops - planCost(plan, 1).flops };
}
