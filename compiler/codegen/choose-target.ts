/**
 * The default target (`--target auto`): each (mode, target) pair's estimated
 * seconds at the reference batch size (wasm-cost.ts: per step, GEMM calls and
 * staging copies on wasm, the same steps as JavaScript loop nests on ts, the
 * other steps alike on both). On ts the mode is the mode choice's
 * (plan/choose-mode.ts); on wasm the cheaper of the modes. wasm wins only when
 * estimated more than AUTO_MARGIN faster than ts: the wasm estimate rests on
 * microbenchmarks of its kernel, and a near tie is not worth loading a module.
 *
 * A forced target (--target ts|wasm) keeps it (with the mode choice's mode on
 * ts, the cheaper on wasm); a forced mode restricts the pairs to that mode's plan.
 */
import { planCost } from "../plan/cost.js";
import type { Plan } from "../plan/plan.js";
import type { CostTarget } from "./target.js";
import type { TargetName } from "./targets.js";
import { targetEstimate, type TargetEstimate } from "./wasm-cost.js";

/** wasm is the default only when estimated faster than ts by more than this factor. */
export const AUTO_MARGIN = 1.1;

export interface PairEstimate extends TargetEstimate {
  readonly mode: "forward" | "reverse";
}

export interface TargetChoice {
  readonly target: TargetName;
  readonly mode: "forward" | "reverse";
  /** Forced by the options (--target ts|wasm), not chosen. */
  readonly forced: boolean;
  readonly estimates: readonly PairEstimate[];
  readonly explanation: string;
}

const ms = (s: number): string => `${+(s * 1e3).toPrecision(3)} ms`;

/**
 * `plans`: the plans the mode choice may take (one when the mode is forced or
 * only one was built); `tsMode`: the mode choice's mode; `ts`: the ts target's cost side.
 */
export function chooseTarget(plans: readonly Plan[], tsMode: "forward" | "reverse", requested: TargetName | "auto", batch: number, ts: CostTarget): TargetChoice {
  const estimates: PairEstimate[] = plans.map((p) => ({ mode: p.mode, ...targetEstimate(p, batch, p.mode, ts, planCost(p, batch, ts).peakBytes) }));
  // forward first: ties keep forward, as the mode choice does
  const bt = estimates.find((e) => e.mode === tsMode) ?? estimates[0]!;
  const bw = estimates.reduce((a, e) => (e.wasm < a.wasm ? e : a));
  const lines = [`target estimates at B=${batch}:`];
  for (const e of estimates) {
    const share = e.flops ? (100 * e.wasmFlops) / e.flops : 0;
    const head = estimates.length > 1 ? `${e.mode} ` : "";
    lines.push(`  ${head}ts   ${ms(e.ts)} (${ms(e.sharedSeconds)} of it in steps costed alike on both)`);
    const tables = e.tableSteps ? `; ${e.tableSteps} through index tables, ${((100 * e.tableFlops) / e.flops).toFixed(0)}%: ${ms(e.tableSeconds)}` : "";
    const maps = e.mapSteps ? `; ${e.mapSteps} elementwise, ${((100 * e.mapFlops) / e.flops).toFixed(0)}%: ${ms(e.mapSeconds)}` : "";
    lines.push(`  ${head}wasm ${ms(e.wasm)} (${e.wasmSteps} GEMM step${e.wasmSteps === 1 ? "" : "s"}, ${share.toFixed(0)}% of the flops: ${ms(e.gemmSeconds)}${tables}${maps}; staging copies ${ms(e.stagingSeconds)})`);
  }
  const ratio = bt.ts / bw.wasm;
  const pair = (e: PairEstimate) => (estimates.length > 1 ? `, ${e.mode} mode` : "");
  if (requested !== "auto") {
    const e = requested === "ts" ? bt : bw;
    lines.push(`chosen: ${requested}${pair(e)} (forced by --target ${requested}; ts / wasm estimated ${ratio.toFixed(2)})`);
    return { target: requested, mode: e.mode, forced: true, estimates, explanation: lines.join("\n") };
  }
  const wasm = ratio > AUTO_MARGIN;
  const why = bw.wasmSteps + bw.tableSteps + bw.mapSteps === 0 ? "no step runs in wasm"
    : `ts / wasm estimated ${ratio.toFixed(2)}; wasm when above ${AUTO_MARGIN}`;
  const e = wasm ? bw : bt;
  lines.push(`chosen: ${wasm ? "wasm" : "ts"}${pair(e)} (--target auto: ${why})`);
  return { target: wasm ? "wasm" : "ts", mode: e.mode, forced: false, estimates, explanation: lines.join("\n") };
}
