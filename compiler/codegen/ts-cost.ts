/**
 * The TypeScript target's side of the cost model (target.ts CostTarget): its
 * schedule parameters, memory layout and cost factors. Apart from the emitter
 * so that plan/cost.ts can default to it without importing codegen.
 */
import type { Plan } from "../plan/plan.js";
import { TILE, tiledLayout } from "./slots.js";
import type { CostFactors, CostTarget, Layout } from "./target.js";

/** Schedule parameters of the TypeScript target's loop nests (schedule.ts). */
export interface TsParams {
  /** Samples per batch tile. */
  readonly tile: number;
  /** Copies of a summed (and of a blocked output) index per pass of the innermost loop: register blocking. */
  readonly unroll: number;
}

export const TS_PARAMS: TsParams = { tile: TILE, unroll: 4 };

/**
 * Calibrated on the grid of docs/modes.md: about 1 ns per counted flop and 0.25 ns
 * per byte allocated and touched; reverse-mode loop nests run about 1.5x slower
 * per flop than forward ones (diagonal and strided frontier accesses).
 */
const TS_FACTORS: CostFactors = { secondsPerFlop: 1e-9, secondsPerByte: 0.25e-9, reverseSlowdown: 1.5 };

export const typescriptCost = (params: TsParams = TS_PARAMS): CostTarget & { readonly params: TsParams } => ({
  name: "ts",
  params,
  layout: (plan: Plan): Layout => tiledLayout(plan, params.tile),
  costFactors: () => TS_FACTORS,
});

/** The default target's cost side (the cost model's default). */
export const DEFAULT_COST_TARGET = typescriptCost();
