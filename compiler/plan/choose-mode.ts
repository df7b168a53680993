/**
 * Mode choice from static shapes: both plans' flops and bytes at a reference
 * batch size, combined into one estimated time; the cheaper wins unless the
 * user forced a mode.
 */
import { planCost, type PlanCost } from "./cost.js";
import type { Plan } from "./plan.js";

/** Reference batch for the estimate; both modes scale linearly in B. */
export const REFERENCE_BATCH = 128;
/** Estimated seconds per flop and per byte allocated and touched (calibrated in docs/modes.md). */
export const SECONDS_PER_FLOP = 1e-9;
export const SECONDS_PER_BYTE = 0.25e-9;

export interface ModeChoice {
  readonly mode: "forward" | "reverse";
  readonly forced: boolean;
  readonly forward?: PlanCost;
  readonly reverse?: PlanCost;
  readonly explanation: string;
}

export const estimateSeconds = (c: PlanCost): number => c.flops * SECONDS_PER_FLOP + c.peakBytes * SECONDS_PER_BYTE;

export function chooseMode(forward: Plan | undefined, reverse: Plan | undefined, requested: "forward" | "reverse" | "auto", reverseSkipped?: string): ModeChoice {
  const fc = forward && planCost(forward, REFERENCE_BATCH);
  const rc = reverse && planCost(reverse, REFERENCE_BATCH);
  const line = (name: string, c: PlanCost | undefined) =>
    c ? `  ${name.padEnd(8)} ${c.flops.toExponential(3)} flops, ${c.peakBytes.toExponential(3)} bytes, estimate ${(estimateSeconds(c) * 1e3).toFixed(3)} ms` : `  ${name.padEnd(8)} ${name === "reverse" && reverseSkipped ? reverseSkipped : "not planned"}`;
  const head = [`mode estimates at B=${REFERENCE_BATCH}:`, line("forward", fc), line("reverse", rc)];
  if (requested !== "auto") return { mode: requested, forced: true, forward: fc, reverse: rc, explanation: [...head, `chosen: ${requested} (forced by --mode ${requested})`].join("\n") };
  if (!rc) return { mode: "forward", forced: false, forward: fc, explanation: [...head, "chosen: forward (no reverse plan)"].join("\n") };
  const ef = estimateSeconds(fc!), er = estimateSeconds(rc);
  const mode = er < ef ? "reverse" : "forward";
  const ratio = mode === "reverse" ? ef / er : er / ef;
  return { mode, forced: false, forward: fc, reverse: rc, explanation: [...head, `chosen: ${mode} (estimated ${ratio.toFixed(2)}x cheaper)`].join("\n") };
}
