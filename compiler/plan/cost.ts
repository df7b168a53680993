/** Static cost estimates of a plan: flops per step and peak live bytes, at a given batch size. */
import { elementBytes, isGroupRef, refNames, type Plan, type Step } from "./plan.js";
import { multisetCount } from "../../runtime/packed.js";
import { assertNever } from "../assert-never.js";
import type { CostTarget } from "../codegen/target.js";
import { DEFAULT_COST_TARGET } from "../codegen/ts-cost.js";
import { lastUses, reads, stepOutputs } from "./liveness.js";

export function stepFlops(plan: Plan, s: Step, B: number): number {
  const ext = (v: number | "B") => (v === "B" ? B : v);
  switch (s.kind) {
    case "contract": {
      let total = 0;
      for (const t of s.terms) {
        const out = t.out ?? s.outIdx;
        const idx = new Set<string>();
        for (const r of out) for (const n of refNames(r, s.sizes)) idx.add(n);
        for (const f of t.factors) for (const r of f.idx) for (const n of refNames(r, s.sizes)) idx.add(n);
        // the batch extent apart, so that rounding the packed fraction below keeps flops affine in B
        let n = 1, nb = 1;
        for (const i of idx) if (s.sizes[i] === "B") nb *= B; else n *= s.sizes[i] as number;
        // a write to a packed group keeps the sorted tuples only: the loops over
        // its coordinates run outermost (inside the batch loop) and each position's
        // loop runs under a sorted prefix, so position j is compared for
        // C(n + j - 1, j) * n tuples; one operation per comparison
        let kept = 1, guard = 0;
        for (const r of out) {
          if (!isGroupRef(r) || plan.tables[r.table]!.kind !== "sorted") continue;
          const tb = plan.tables[r.table]!;
          const gn = tb.ns[0]!, gm = tb.ms[0]!;
          kept *= multisetCount(gn, gm) / tb.rows;
          for (let j = 0; j < gm; j++) guard += multisetCount(gn, j) * gn;
        }
        // a read of a packed group at any order: m coordinates sorted and m terms
        // added (about 2m operations) once per tuple of its coordinates
        let ranks = 0;
        for (const f of t.factors) for (const r of f.idx) {
          if (!isGroupRef(r) || plan.tables[r.table]!.ms[0]! < 2) continue;
          let g = 1;
          for (const x of new Set(refNames(r, s.sizes))) g *= ext(s.sizes[x]!);
          ranks += 2 * plan.tables[r.table]!.ms[0]! * Math.min(g, n);
        }
        total += (Math.round(n * kept) * Math.max(1, t.factors.length) + guard + ranks) * nb; // multiplies and the add
      }
      return total;
    }
    case "map": {
      const b = plan.buffers[s.input]!;
      return (b.batched ? B : 1) * b.size * 4 * ((s.deriv ?? 0) + s.outs.length);
    }
    // flops count arithmetic on derivative data: seeds, masks, maxima and aliases move or compare values only
    case "seed": case "amax": case "alias": case "compare": return 0;
    default: return assertNever(s, "plan step kind");
  }
}

export const bufferBytes = (plan: Plan, id: number, B: number): number => {
  const b = plan.buffers[id]!;
  return b.role === "input" ? 0 : elementBytes(plan) * b.size * (b.batched ? B : 1);
};

export interface PlanCost {
  readonly flops: number;
  /** Largest sum of simultaneously live buffers (a lower bound for any allocation). */
  readonly liveBytes: number;
  /** What the emitted code allocates per call: shared slots plus buffers handed to the caller. */
  readonly peakBytes: number;
  readonly largest: { readonly name: string; readonly bytes: number };
}

/** The target's layout decides what is allocated (peakBytes); flops and live bytes are the plan's. */
export function planCost(plan: Plan, B: number, target: CostTarget = DEFAULT_COST_TARGET): PlanCost {
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
  const { tiling, tile, slotOf, slots } = target.layout(plan);
  const BT = tiling ? Math.min(B, tile) : B;
  let allocated = slots.reduce((a, sl) => a + elementBytes(plan) * sl.size * (sl.batched ? BT : 1), 0);
  for (const s of plan.steps) if (s.kind !== "alias") for (const o of stepOutputs(s)) if (!slotOf.has(o)) allocated += bufferBytes(plan, o, B);
  // rank tables of packed groups (rankTerms: m x n Int32) live with the module
  for (const t of plan.tables) if (t.kind === "rank" || t.kind === "sorted") allocated += 4 * t.ns[0]! * t.ms[0]!;
  return { flops, liveBytes: peak, peakBytes: allocated, largest };
}



/**
 * What a thread split of the batch needs (runtime Runner): the tile size, 0 when the plan
 * runs untiled (no split), and the flops per sample (the cost is affine in B), which
 * the split weighs against its hand-off.
 */
export function batchProfile(plan: Plan, target: CostTarget = DEFAULT_COST_TARGET): { tile: number; flopsPerSample: number } {
  return { tile: target.layout(plan).tile, flopsPerSample: planCost(plan, 2, target).flops - planCost(plan, 1, target).flops };
}
