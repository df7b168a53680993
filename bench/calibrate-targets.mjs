#!/usr/bin/env node
// Calibrates the cost model of the target choice (compiler/codegen/wasm-cost.ts WASM_RATES and TS_RATES),
// which `--target auto` (compiler/codegen/choose-target.ts) weighs against the ts
// target's estimate. Four measurements, one run:
//
//   (1) the wasm step driver of compiler/codegen/wasm-kernels.ts (the code the wasm
//       target emits) on one GEMM term C += A B of m x n x k, called from JS with L
//       GEMM calls inside (L = 1 and 32), over a grid of the shapes the bench models'
//       plans have (m 2..128, n 1..120, k 8 and 32), f64 and f32; the time of one
//       driver call is fitted by least squares (relative errors) to
//           js + L (call + flop 2mnk + out mn + edge 2mk (n mod w))
//       (w = 4 columns per register tile in f64, 8 in f32: the rest run scalar);
//   (2) copies into and out of the kernels' memory (TypedArray set and fill), per byte;
//   (3) the ts target on the bench models (MLP, softmax classifier, PINN, trig,
//       orders 1..4, B = 128, the planner's mode), timed interleaved with the wasm
//       target: the ts time is fitted to  modelScale x (the ts cost model's estimate
//       of every step but the GEMM-shaped ones, docs/modes.md)
//       + gemmFlop x (flops of the GEMM-shaped steps), so both targets' estimates
//       are seconds on this machine; then the wasm target's time, less its estimate
//       without them, fitted to tableFlop x (flops of the steps through index tables
//       that run unrolled in wasm, compiler/codegen/wasm-table-step.ts) + mapFlop x
//       (flops of the elementwise steps in wasm, compiler/codegen/wasm-map-step.ts).
//       The ts time's Math calls in those elementwise steps are (4)'s, not fitted;
//   (4) (run before (3), which uses it) a call of Math.exp, tanh, sin, cos and log in a JavaScript loop over
//       a Float64Array (out[q] = Math.f(x[q])), less the same loop copying x, per element.
// It prints what it measured, the fits, and the constants to paste into wasm-cost.ts;
// then each case's measured ts / wasm against the estimate with those constants (a
// consistency check: (3) is fitted on the same cases; docs/targets.md checks the choice
// with `thoadc bench` at B = 128 and 1024). Timings are medians of interleaved reps; the
// machine may be shared: it prints the load average.
//
//   npm run build && node bench/calibrate-targets.mjs [--reps 5] [--ms 15]
import { readFileSync } from "node:fs";
import os from "node:os";
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { median } from "./issue-targets.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const argv = process.argv.slice(2);
const opt = (name, def) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : def; };
const REPS = Number(opt("--reps", "5")), REP_MS = Number(opt("--ms", "15"));
const load = (x) => `load average ${os.loadavg()[0].toFixed(2)}${x ? ` (${x})` : ""}`;
const imp = (p) => import(pathToFileURL(resolve(ROOT, "dist", p)).href);
const { wasmKernels } = await imp("compiler/codegen/wasm-kernels.js");
const { instantiateKernels } = await imp("runtime/wasm.js");
const { runPipeline, instantiate, planCost, TARGETS } = await imp("compiler/index.js");
const { targetEstimate } = await imp("compiler/codegen/wasm-cost.js");
const { randomInputs } = await imp("compiler/tools/random-inputs.js");
const now = () => performance.now();

/** Seconds per call of f: calls repeated for about REP_MS, `reps` times (the caller interleaves). */
function timeOnce(f) {
  let n = 1;
  for (;;) { const t0 = now(); for (let i = 0; i < n; i++) f(); const dt = now() - t0; if (dt > REP_MS) return dt / 1e3 / n; n *= 2; }
}
/** Interleaved rounds over cases: one rep of each per round; returns the median seconds per case. */
function interleaved(cases, reps = REPS) {
  const t = cases.map(() => []);
  for (let r = 0; r < reps; r++) cases.forEach((c, i) => t[i].push(timeOnce(c)));
  return t.map(median);
}

console.log(`calibrate-targets: Node ${process.version}, ${os.cpus()[0]?.model ?? "?"}, ${os.cpus().length} cores, ${new Date().toISOString()}, ${load("start")}`);

// ---- (1) the wasm step driver over GEMM shapes ----
const MS = [2, 4, 5, 16, 32, 64, 128], NS = [1, 2, 4, 5, 8, 32, 36, 120], KS = [8, 32], LS = [1, 32];
const fits = {};
for (const dtype of ["f64", "f32"]) {
  const w = dtype === "f32" ? 8 : 4, bytes = dtype === "f32" ? 4 : 8;
  const shapes = [];
  for (const L of LS) for (const m of MS) for (const n of NS) for (const k of KS) shapes.push({ L, m, n, k });
  const ext = (c) => ({ c, batch: false });
  const calls = shapes.map((s, step) => ({
    step, ids: [0, 1, 2],
    gemm: { scale: 1, terms: [{ a: 1, b: 2, transA: false, m: ext(s.m), n: ext(s.n), k: ext(s.k), lda: s.k, ldb: s.n, ldc: s.n, loops: s.L > 1 ? [{ extent: ext(s.L), out: 0, a: 0, b: 0 }] : [] }] },
  }));
  const maxEl = Math.max(...MS) * Math.max(...NS, ...KS);
  const { memory, exports: K } = instantiateKernels(wasmKernels(dtype, calls).encode(), undefined, 3 * maxEl * bytes + 4096);
  const Arr = dtype === "f32" ? Float32Array : Float64Array;
  const at = [0, maxEl * bytes, 2 * maxEl * bytes];
  new Arr(memory.buffer, 0, 3 * maxEl).fill(0.001); // small values: no overflow over many accumulations
  const secs = interleaved(shapes.map((_, i) => { const f = K[`s${i}`]; return () => f(1, at[2], at[0], at[1]); }));
  // least squares on relative errors: each row divided by its time
  const rows = shapes.map((s) => [1, s.L, s.L * 2 * s.m * s.n * s.k, s.L * s.m * s.n, s.L * 2 * s.m * s.k * (s.n % w)]);
  const x = lstsq(rows.map((r, i) => r.map((v) => v / secs[i])), secs.map(() => 1));
  const pred = rows.map((r) => r.reduce((a, v, j) => a + v * x[j], 0));
  const rel = pred.map((p, i) => Math.abs(p / secs[i] - 1));
  fits[dtype] = { js: x[0], call: x[1], flop: x[2], out: x[3], edge: x[4] };
  const big = shapes.findIndex((s) => s.L === 1 && s.m === 128 && s.n === 120 && s.k === 32);
  console.log(`\n(1) wasm step driver, ${dtype}: ${shapes.length} shapes, ${load()}`);
  console.log(`  fit (seconds): js call ${x[0].toExponential(3)}, GEMM call ${x[1].toExponential(3)}, flop ${x[2].toExponential(3)} (${(1e-9 / x[2]).toFixed(1)} Gflop/s), output element ${x[3].toExponential(3)}, edge-column flop ${x[4].toExponential(3)}`);
  console.log(`  relative error of the fit: median ${(100 * median(rel)).toFixed(1)}%, largest ${(100 * Math.max(...rel)).toFixed(1)}%; 128x120x32: ${(2 * 128 * 120 * 32 / secs[big] / 1e9).toFixed(1)} Gflop/s measured`);
  for (const [i, s] of shapes.entries()) if (s.k === 32 && [2, 16, 128].includes(s.m) && [1, 5, 32].includes(s.n)) console.log(`    L=${String(s.L).padStart(2)} ${s.m}x${s.n}x${s.k}: ${(secs[i] * 1e6).toFixed(3)} us, fit ${(pred[i] * 1e6).toFixed(3)} us`);
}

// ---- (2) copies into and out of the wasm memory ----
const N = 1 << 17;
const src = new Float64Array(N).fill(1), dst = new Float64Array(new WebAssembly.Memory({ initial: 17 }).buffer, 0, N);
const [tSet, tFill] = interleaved([() => dst.set(src), () => dst.fill(0)]);
const copyPerByte = (tSet + tFill) / 2 / (8 * N);
console.log(`\n(2) copies: set ${(8 * N / tSet / 1e9).toFixed(2)} GB/s, fill ${(8 * N / tFill / 1e9).toFixed(2)} GB/s: ${copyPerByte.toExponential(3)} s a byte (their mean), ${load()}`);

// ---- (4) a Math call in a JavaScript elementwise kernel ----
const MATH_ARGS = { exp: [-5, 5], tanh: [-3, 3], sin: [-4, 4], cos: [-4, 4], log: [0.1, 10] }; // the order of the loops below
const mathCall = {};
{
  const n = 4096, xs = new Float64Array(n), out = new Float64Array(n);
  const x = Object.fromEntries(Object.entries(MATH_ARGS).map(([fn, [lo, hi]]) => [fn, Float64Array.from(xs, (_, i) => lo + (hi - lo) * ((i * 0.618034) % 1))]));
  // written out, as the kernels call them: V8 inlines a call of Math.sin, not of a variable holding it
  const loops = [
    () => { const a = x.exp; for (let q = 0; q < n; q++) out[q] = Math.exp(a[q]); },
    () => { const a = x.tanh; for (let q = 0; q < n; q++) out[q] = Math.tanh(a[q]); },
    () => { const a = x.sin; for (let q = 0; q < n; q++) out[q] = Math.sin(a[q]); },
    () => { const a = x.cos; for (let q = 0; q < n; q++) out[q] = Math.cos(a[q]); },
    () => { const a = x.log; for (let q = 0; q < n; q++) out[q] = Math.log(a[q]); },
  ];
  const copy = () => { for (let q = 0; q < n; q++) out[q] = xs[q]; };
  const t = interleaved([copy, ...loops]);
  Object.keys(MATH_ARGS).forEach((fn, i) => { mathCall[fn] = Math.max(0, (t[i + 1] - t[0]) / n); });
  console.log(`\n(4) a Math call in a JavaScript loop, s: ${Object.entries(mathCall).map(([k, v]) => `${k} ${v.toExponential(2)}`).join(", ")}, ${load()}`);
}

// ---- (3) the ts target: its cost model's estimate split, scaled to this machine ----
const MODELS = ["mlp", "softmax_classifier", "pinn", "trig"], B = 128;
const wasmRates = { ...fits, copyPerByte, tableFlop: 0, mapFlop: 0 };
const cases = [];
for (const m of MODELS) for (let order = 1; order <= 4; order++) {
  const source = readFileSync(resolve(ROOT, "bench/models", `${m}.thd`), "utf8");
  const r = runPipeline(source, { order, target: "ts", batchHint: B });
  if (!r.ok) throw new Error(`${m} order ${order}: ${r.diagnostics.map((d) => d.message).join("; ")}`);
  const plan = r.state.plan, peak = planCost(plan, B, TARGETS.ts).peakBytes;
  // in the ts model's units: the steps JavaScript runs on both targets, and the GEMM-shaped steps' flops
  const split = targetEstimate(plan, B, plan.mode, TARGETS.ts, peak, { wasm: wasmRates, ts: { modelScale: 1, gemmFlop: 0, mathCall } });
  const inputs = randomInputs(plan, B, 1);
  const ts = instantiate(plan, "ts"), wasm = instantiate(plan, "wasm");
  for (let i = 0; i < 3; i++) { ts(inputs, { threads: 1 }); wasm(inputs, { threads: 1 }); }
  cases.push({ id: `${m} o${order}`, plan, peak, split, run: [() => ts(inputs, { threads: 1 }), () => wasm(inputs, { threads: 1 })] });
}
const times = interleaved(cases.flatMap((c) => c.run));
cases.forEach((c, i) => { c.ts = times[2 * i]; c.wasm = times[2 * i + 1]; });
// ts measured - Math calls = modelScale x (the ts-model seconds of the other steps) + gemmFlop x (GEMM-shaped flops), relative errors
const [modelScale, gemmFlop] = lstsq(cases.map((c) => [(c.split.sharedSeconds + c.split.tableTsSeconds + c.split.mapTsSeconds - c.split.mathTsSeconds) / c.ts, c.split.wasmFlops / c.ts]), cases.map((c) => 1 - c.split.mathTsSeconds / c.ts));
// wasm measured - the rest of its estimate = tableFlop x (flops of the steps through index tables in wasm)
// + mapFlop x (flops of the elementwise steps in wasm), relative errors
const withTables = cases.filter((c) => c.split.tableFlops > 0 || c.split.mapFlops > 0);
const rest = (c) => modelScale * c.split.sharedSeconds + c.split.gemmSeconds + c.split.tableSeconds + c.split.mapSeconds + c.split.stagingSeconds;
const [tableFlop, mapFlop] = withTables.length ? lstsq(withTables.map((c) => [c.split.tableFlops / c.wasm, c.split.mapFlops / c.wasm]), withTables.map((c) => (c.wasm - rest(c)) / c.wasm)) : [0, 0];
console.log(`\n(3) wasm target, ${withTables.length} of the cases with steps through index tables or elementwise steps in wasm: ${tableFlop.toExponential(3)} s per flop of the table steps (${(1e-9 / tableFlop).toFixed(2)} Gflop/s), ${mapFlop.toExponential(3)} s per flop of the elementwise steps (${(1e-9 / mapFlop).toFixed(2)} Gflop/s)`);
console.log(`(3) ts target, B=${B}, ${cases.length} cases (bench models, orders 1..4, the planner's mode): measured = ${modelScale.toFixed(3)} x the ts model's estimate of the other steps + ${gemmFlop.toExponential(3)} s per flop of GEMM-shaped steps (${(1e-9 / gemmFlop).toFixed(2)} Gflop/s), ${load("end")}`);

const p3 = (v) => +Math.max(v, 0).toPrecision(3);
const g = (d) => `{ ${Object.entries(fits[d]).map(([k, v]) => `${k}: ${p3(v).toExponential(2)}`).join(", ")} }`;
console.log("\nconstants for compiler/codegen/wasm-cost.ts:");
console.log(`export const WASM_RATES: WasmRates = {\n  f64: ${g("f64")},\n  f32: ${g("f32")},\n  copyPerByte: ${p3(copyPerByte).toExponential(2)},\n  tableFlop: ${p3(tableFlop).toExponential(2)},\n  mapFlop: ${p3(mapFlop).toExponential(2)},\n};`);
console.log(`const MATH_CALL: Readonly<Record<VectorMathFn, number>> = { ${Object.entries(mathCall).map(([k, v]) => `${k}: ${p3(v).toExponential(2)}`).join(", ")} };`);
console.log(`export const TS_RATES: TsRates = { modelScale: ${p3(modelScale)}, gemmFlop: ${p3(gemmFlop).toExponential(2)}, mathCall: MATH_CALL };`);
const rates = { wasm: { ...wasmRates, tableFlop, mapFlop }, ts: { modelScale, gemmFlop, mathCall } };
console.log("\ncheck, with this run's constants (fitted on these cases: not an independent test): measured and estimated ts / wasm, B=128, one thread");
console.log("| case | mode | ts ms | wasm ms | ts / wasm measured | estimated | auto picks | faster |");
console.log("| --- | --- | ---: | ---: | ---: | ---: | --- | --- |");
for (const c of cases) {
  const e = targetEstimate(c.plan, B, c.plan.mode, TARGETS.ts, c.peak, rates);
  console.log(`| ${c.id} | ${c.plan.mode} | ${(c.ts * 1e3).toFixed(3)} | ${(c.wasm * 1e3).toFixed(3)} | ${(c.ts / c.wasm).toFixed(2)} | ${(e.ts / e.wasm).toFixed(2)} (${(e.ts * 1e3).toFixed(2)} / ${(e.wasm * 1e3).toFixed(2)} ms) | ${e.ts / e.wasm > 1.1 ? "wasm" : "ts"} | ${c.ts < c.wasm ? "ts" : "wasm"} |`);
}

/** Least squares: x minimising |A x - b| (normal equations on columns scaled to 1: their units differ by 1e6). */
function lstsq(A0, b) {
  const n = A0[0].length;
  const cs = Array.from({ length: n }, (_, j) => Math.max(...A0.map((r) => Math.abs(r[j]))) || 1);
  const A = A0.map((r) => r.map((v, j) => v / cs[j]));
  const M = Array.from({ length: n }, (_, i) => [...Array.from({ length: n }, (_, j) => A.reduce((s, r) => s + r[i] * r[j], 0)), A.reduce((s, r, q) => s + r[i] * b[q], 0)]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    [M[c], M[p]] = [M[p], M[c]];
    for (let r = 0; r < n; r++) if (r !== c) { const f = M[r][c] / M[c][c]; for (let j = c; j <= n; j++) M[r][j] -= f * M[c][j]; }
  }
  return M.map((r, i) => r[n] / r[i] / cs[i]);
}
