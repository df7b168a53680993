/**
 * The cost model of the target choice (choose-target.ts): each target's
 * estimated time of a plan, step by step, in seconds on the machine the
 * constants were calibrated on (bench/calibrate-targets.mjs).
 *
 *   steps that run in JavaScript on both targets (not in wasm-steps.ts
 *     wasmSteps), and the bytes allocated: the ts cost model's estimate of them
 *     (flops x secondsPerFlop + bytes x secondsPerByte, x reverseSlowdown in
 *     reverse mode: plan/choose-mode.ts) times TS_RATES.modelScale;
 *   a GEMM-shaped step on ts: its flops x TS_RATES.gemmFlop (these loop nests
 *     run faster per counted flop than the ts model's average step);
 *   the same step on wasm: js per call of its driver from JavaScript (once per
 *     tile), and per GEMM call  call + flop x 2mnk + out x m n + edge x 2mk (n mod w)
 *     (w columns per register tile: 4 in f64, 8 in f32; the n mod w edge
 *     columns run scalar), per loop iteration of the driver; a packed B (A B^T)
 *     or a scaling pass at the JavaScript steps' cost per element;
 *   a wasm step of another kind than GEMM: as its JavaScript (not calibrated);
 *   staging on wasm: the inputs and caller buffers a wasm step touches are
 *     copied into the kernels' memory (inputs once, caller buffers zeroed and
 *     copied out: twice), copyPerByte x bytes.
 */
import { elementBytes, type Plan } from "../plan/plan.js";
import { stepFlops } from "../plan/cost.js";
import { reads, stepOutputs } from "../plan/liveness.js";
import type { CostTarget } from "./target.js";
import { wasmSteps, type Extent, type GemmTerm } from "./wasm-steps.js";

/** Seconds of a driver call from JavaScript and of one GEMM call's parts. */
export interface GemmRates { readonly js: number; readonly call: number; readonly flop: number; readonly out: number; readonly edge: number }
export interface WasmRates { readonly f64: GemmRates; readonly f32: GemmRates; readonly copyPerByte: number }
/** The ts target: seconds per second of the ts cost model's estimate, and per flop of a GEMM-shaped step. */
export interface TsRates { readonly modelScale: number; readonly gemmFlop: number }

/**
 * Calibrated by `node bench/calibrate-targets.mjs` (what it times and fits is
 * said there; its output is quoted in docs/targets.md), 2026-12-05 16:59 UTC
 * at load average 0.0 to 1.0, on this project's 2-core AMD EPYC, Node 20.
 */
export const WASM_RATES: WasmRates = {
  f64: { js: 1.09e-8, call: 1.45e-8, flop: 6.29e-11, out: 2.22e-10, edge: 4.95e-11 },
  f32: { js: 9.25e-9, call: 1.12e-8, flop: 1.84e-11, out: 7.20e-11, edge: 2.03e-11 },
  copyPerByte: 1.37e-11,
};
export const TS_RATES: TsRates = { modelScale: 0.492, gemmFlop: 3.26e-10 };

export interface TargetEstimate {
  /** Estimated seconds on the ts target and on the wasm target. */
  readonly ts: number;
  readonly wasm: number;
  /** Of the wasm estimate: the wasm steps' GEMMs, the staging copies. */
  readonly gemmSeconds: number;
  readonly stagingSeconds: number;
  /** Of both: the JavaScript steps and bytes (the part the targets share). */
  readonly sharedSeconds: number;
  /** Plan flops in GEMM-shaped steps, and in all steps. */
  readonly wasmFlops: number;
  readonly flops: number;
  /** GEMM-shaped steps of the plan. */
  readonly wasmSteps: number;
}

const columns = (dtype: "f64" | "f32"): number => (dtype === "f32" ? 8 : 4);

/** One term's GEMM calls over one tile of `bt` samples. */
function termSeconds(t: GemmTerm, bt: number, r: GemmRates, w: number, perElement: number): number {
  const e = (x: Extent) => x.c * (x.batch ? bt : 1);
  const m = e(t.m), n = e(t.n), k = e(t.k);
  const calls = t.loops.reduce((a, l) => a * e(l.extent), 1);
  let one = r.call + r.flop * 2 * m * n * k + r.out * m * n + r.edge * 2 * m * k * (n % w);
  if (t.packB) one += perElement * k * n;
  if (t.scaleBy) one += perElement * m * n;
  return calls * one;
}

/**
 * The plan's estimated seconds on each target at batch size B. `ts` gives the
 * layout (the wasm target's is the ts target's) and the ts cost model's factors.
 */
export function targetEstimate(plan: Plan, B: number, mode: "forward" | "reverse", ts: CostTarget, peakBytes: number, rates: { wasm: WasmRates; ts: TsRates } = { wasm: WASM_RATES, ts: TS_RATES }): TargetEstimate {
  const f = ts.costFactors();
  const dtype = plan.dtype ?? "f64";
  const r = rates.wasm[dtype], w = columns(dtype), eb = elementBytes(plan);
  const { tile, slotOf } = ts.layout(plan);
  // the tiles' sample counts: full tiles and the rest (untiled: one run of B)
  const tiles = tile ? [...Array<number>(Math.floor(B / tile)).fill(tile), ...(B % tile ? [B % tile] : [])] : [B];
  let js = 0, gemm = 0, wasmFlops = 0, flops = 0, count = 0;
  const staged = new Set<number>();
  const W = wasmSteps(plan);
  plan.steps.forEach((s, i) => {
    const fl = stepFlops(plan, s, B);
    flops += fl;
    const g = W.get(i);
    // a wasm step without GEMM terms (another kind of wasm kernel) is not calibrated: costed as its JavaScript
    if (!g || !g.terms.length) js += fl * f.secondsPerFlop;
    if (!g) return;
    for (const id of [...stepOutputs(s), ...reads(s)]) if (!slotOf.has(id)) staged.add(id);
    if (!g.terms.length) return;
    count++;
    wasmFlops += fl;
    const batched = stepOutputs(s).some((o) => plan.buffers[o]!.batched);
    for (const bt of batched ? tiles : [B]) { gemm += r.js; for (const t of g.terms) gemm += termSeconds(t, bt, r, w, f.secondsPerFlop * rates.ts.modelScale); }
    if (g.scale !== 1) for (const o of stepOutputs(s)) js += (plan.buffers[o]!.batched ? B : 1) * plan.buffers[o]!.size * f.secondsPerFlop;
  });
  let stagedBytes = 0;
  for (const id of staged) {
    const b = plan.buffers[id]!;
    stagedBytes += (b.role === "input" ? 1 : 2) * eb * b.size * (b.batched ? B : 1);
  }
  const staging = stagedBytes * rates.wasm.copyPerByte;
  const shared = (js + peakBytes * f.secondsPerByte) * (mode === "reverse" ? f.reverseSlowdown : 1) * rates.ts.modelScale;
  return { ts: shared + wasmFlops * rates.ts.gemmFlop, wasm: shared + gemm + staging, gemmSeconds: gemm, stagingSeconds: staging, sharedSeconds: shared, wasmFlops, flops, wasmSteps: count };
}
