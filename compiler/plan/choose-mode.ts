/**
 * Mode choice from static shapes: both plans' flops and bytes at a reference
 * batch size, combined into one estimated time; the cheaper wins unless the
 * user forced a mode.
 */
import { planCost, type PlanCost } from "./cost.js";
import type { Plan } from "./plan.js";
import type { CostTarget } from "../codegen/target.js";
import { DEFAULT_COST_TARGET } from "../codegen/ts-cost.js";

/** Batch size for the estimate when none is given; both modes scale linearly in B. */
export const REFERENCE_BATCH = 128;

export interface ModeChoice {
  readonly mode: "forward" | "reverse";
  readonly forced: boolean;
  readonly forward?: PlanCost;
  readonly reverse?: PlanCost;
  readonly explanation: string;
}

/** Estimated seconds of a plan's cost on a target (its cost factors: seconds per flop and per byte, reverse-mode slowdown). */
export const estimateSeconds = (c: PlanCost, mode: "forward" | "reverse" = "forward", target: CostTarget = DEFAULT_COST_TARGET): number => {
  const f = target.costFactors();
  return (c.flops * f.secondsPerFlop + c.peakBytes * f.secondsPerByte) * (mode === "reverse" ? f.reverseSlowdown : 1);
};

export function chooseMode(forward: Plan | undefined, reverse: Plan | undefined, requested: "forward" | "reverse" | "auto", reverseSkipped?: string, batch = REFERENCE_BATCH, forwardSkipped?: string, target: CostTarget = DEFAULT_COST_TARGET): ModeChoice {
  const fc = forward && planCost(forward, batch, target);
  const rc = reverse && planCost(reverse, batch, target);
  const line = (name: string, c: PlanCost | undefined) =>
    c ? `  ${name.padEnd(8)} ${c.flops.toExponential(3)} flops, ${c.peakBytes.toExponential(3)} bytes, estimate ${(estimateSeconds(c, name === "reverse" ? "reverse" : "forward", target) * 1e3).toFixed(3)} ms` : `  ${name.padEnd(8)} ${(name === "reverse" ? reverseSkipped : forwardSkipped) ?? "not planned"}`;
  const head = [`mode estimates at B=${batch}:`, line("forward", fc), line("reverse", rc)];
  if (requested !== "auto") return { mode: requested, forced: true, forward: fc, reverse: rc, explanation: [...head, `chosen: ${requested} (forced by --mode ${requested})`].join("\n") };
  if (!rc) return { mode: "forward", forced: false, forward: fc, explanation: [...head, "chosen: forward (no reverse plan)"].join("\n") };
  if (!fc) return { mode: "reverse", forced: false, reverse: rc, explanation: [...head, "chosen: reverse (no forward plan)"].join("\n") };
  const ef = estimateSeconds(fc!, "forward", target), er = estimateSeconds(rc, "reverse", target);
  const mode = er < ef ? "reverse" : "forward";
  const ratio = mode === "reverse" ? ef / er : er / ef;
  return { mode, forced: false, forward: fc, reverse: rc, explanation: [...head, `chosen: ${mode} (estimated ${ratio.toFixed(2)}x cheaper)`].join("\n") };
}
