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
 *   a step through index tables (wasm-table-step.ts: unrolled in wasm) on
 *     wasm: js per driver call and tableFlop per flop; on ts, the ts model's
 *     estimate as for the other steps;
 *   an elementwise step in wasm (wasm-map-step.ts: f64x2, vector exp, tanh,
 *     sin, cos, log) on wasm: js per driver call and mapFlop per flop; on ts,
 *     the ts model's estimate as for the other steps plus mathCall per call
 *     of each Math function per element (the flop count does not see them);
 *   staging on wasm: the inputs and caller buffers a wasm step touches are
 *     copied into the kernels' memory (inputs once, caller buffers zeroed and
 *     copied out: twice), copyPerByte x bytes.
 */
import { elementBytes, type Plan } from "../plan/plan.js";
import { stepFlops } from "../plan/cost.js";
import { reads, stepOutputs } from "../plan/liveness.js";
import type { CostTarget } from "./target.js";
import { wasmSteps, type Extent, type GemmTerm } from "./wasm-steps.js";
import type { VectorMathFn } from "../wasm/index.js";

/** Seconds of a driver call from JavaScript and of one GEMM call's parts. */
export interface GemmRates { readonly js: number; readonly call: number; readonly flop: number; readonly out: number; readonly edge: number }
export interface WasmRates {
  readonly f64: GemmRates;
  readonly f32: GemmRates;
  readonly copyPerByte: number;
  /** Seconds per flop of a step through index tables unrolled in wasm (wasm-table-step.ts), besides its driver call (js). */
  readonly tableFlop: number;
  /** Seconds per flop of an elementwise step in wasm (wasm-map-step.ts), besides its driver call (js). */
  readonly mapFlop: number;
}
/**
 * The ts target: seconds per second of the ts cost model's estimate, per flop
 * of a GEMM-shaped step, and per call of each Math function in a JavaScript
 * elementwise kernel (what the flop count does not see: Math.sin is a call
 * into C++ of about 8 ns, the kernel's own arithmetic under 1 ns an element).
 */
export interface TsRates { readonly modelScale: number; readonly gemmFlop: number; readonly mathCall: Readonly<Record<VectorMathFn, number>> }

/**
 * Calibrated by `node bench/calibrate-targets.mjs` (what it times and fits is
 * said there; its output is quoted in docs/targets.md), 2026-12-06 03:07 UTC
 * at load average 0.30 to 0.89, on this project's 2-core AMD EPYC, Node 20,
 * after the elementwise steps in wasm (f64x2 exp and tanh). MATH_CALL below: its own run.
 */
export const WASM_RATES: WasmRates = {
  f64: { js: 1.01e-8, call: 1.07e-8, flop: 5.29e-11, out: 1.86e-10, edge: 4.03e-11 },
  f32: { js: 8.82e-9, call: 1.44e-8, flop: 2.65e-11, out: 7.84e-11, edge: 2.70e-11 },
  copyPerByte: 1.63e-11,
  tableFlop: 1.10e-10,
  mapFlop: 8.36e-10,
};
/**
 * Seconds per Math call in a JavaScript loop: bench/calibrate-targets.mjs (4)
 * alone, two runs at 2026-12-07 05:50 UTC (load 1.19), their mean; the rates
 * above are the 12-06 run's (its modelScale absorbed these calls: kept, so the
 * choices for plans without vector math stay as they were).
 */
const MATH_CALL: Readonly<Record<VectorMathFn, number>> = { exp: 1.01e-8, tanh: 1.67e-8, sin: 9.85e-9, cos: 9.94e-9, log: 8.15e-9 };
export const TS_RATES: TsRates = { modelScale: 0.571, gemmFlop: 3.81e-10, mathCall: MATH_CALL };

export interface TargetEstimate {
  /** Estimated seconds on the ts target and on the wasm target. */
  readonly ts: number;
  readonly wasm: number;
  /** Of the wasm estimate: the wasm steps' GEMMs, the steps through index tables, the staging copies. */
  readonly gemmSeconds: number;
  readonly tableSeconds: number;
  readonly mapSeconds: number;
  readonly stagingSeconds: number;
  /** Of both: the JavaScript steps and bytes (the part the targets share). */
  readonly sharedSeconds: number;
  /** Of the ts estimate: the steps that run through index tables in wasm on the wasm target. */
  readonly tableTsSeconds: number;
  /** Of the ts estimate: the elementwise steps that run in wasm on the wasm target; of that, their Math calls. */
  readonly mapTsSeconds: number;
  readonly mathTsSeconds: number;
  /** Plan flops in GEMM-shaped steps, in steps through index tables in wasm, and in all steps. */
  readonly wasmFlops: number;
  readonly tableFlops: number;
  readonly mapFlops: number;
  readonly flops: number;
  /** GEMM-shaped steps of the plan, and steps through index tables in wasm. */
  readonly wasmSteps: number;
  readonly tableSteps: number;
  readonly mapSteps: number;
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
  let js = 0, jsTable = 0, jsMap = 0, mathTs = 0, gemm = 0, table = 0, map = 0, wasmFlops = 0, tableFlops = 0, mapFlops = 0, flops = 0, count = 0, tableCount = 0, mapCount = 0;
  const staged = new Set<number>();
  const W = wasmSteps(plan);
  plan.steps.forEach((s, i) => {
    const fl = stepFlops(plan, s, B);
    flops += fl;
    const g = W.get(i);
    if (!g) { js += fl * f.secondsPerFlop; return; }
    for (const id of [...stepOutputs(s), ...reads(s)]) if (!slotOf.has(id)) staged.add(id);
    const calls = stepOutputs(s).some((o) => plan.buffers[o]!.batched) ? tiles : [B];
    if (g.map) { // elementwise, f64x2
      mapCount++;
      mapFlops += fl;
      jsMap += fl * f.secondsPerFlop;
      mathTs += (g.map.batched ? B : 1) * g.map.size * g.map.calls.reduce((a, fn) => a + rates.ts.mathCall[fn], 0);
      map += calls.length * r.js + fl * rates.wasm.mapFlop;
      return;
    }
    if (!g.terms.length) { // through index tables, unrolled
      tableCount++;
      tableFlops += fl;
      jsTable += fl * f.secondsPerFlop;
      table += calls.length * r.js + fl * rates.wasm.tableFlop;
      return;
    }
    count++;
    wasmFlops += fl;
    for (const bt of calls) { gemm += r.js; for (const t of g.terms) gemm += termSeconds(t, bt, r, w, f.secondsPerFlop * rates.ts.modelScale); }
    if (g.scale !== 1) for (const o of stepOutputs(s)) js += (plan.buffers[o]!.batched ? B : 1) * plan.buffers[o]!.size * f.secondsPerFlop;
  });
  let stagedBytes = 0;
  for (const id of staged) {
    const b = plan.buffers[id]!;
    stagedBytes += (b.role === "input" ? 1 : 2) * eb * b.size * (b.batched ? B : 1);
  }
  const staging = stagedBytes * rates.wasm.copyPerByte;
  const js2s = (mode === "reverse" ? f.reverseSlowdown : 1) * rates.ts.modelScale; // ts-model seconds of JavaScript steps -> seconds
  const shared = (js + peakBytes * f.secondsPerByte) * js2s, tableTs = jsTable * js2s, mapTs = jsMap * js2s + mathTs;
  return {
    ts: shared + tableTs + mapTs + wasmFlops * rates.ts.gemmFlop, wasm: shared + gemm + table + map + staging,
    gemmSeconds: gemm, tableSeconds: table, mapSeconds: map, stagingSeconds: staging, sharedSeconds: shared, tableTsSeconds: tableTs, mapTsSeconds: mapTs, mathTsSeconds: mathTs,
    wasmFlops, tableFlops, mapFlops, flops, wasmSteps: count, tableSteps: tableCount, mapSteps: mapCount,
  };
}
