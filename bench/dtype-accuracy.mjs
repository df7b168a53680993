#!/usr/bin/env node
// --dtype f32 against f64 (docs/dtype.md): each model compiled at orders 1..4 in
// both element types (the same plan: the mode f64's auto choice picks), run on the
// same inputs; the order-K derivatives compared, and both kernels timed.
// Usage: node bench/dtype-accuracy.mjs [--quick] [--write docs/dtype.md]   (after `npx tsc -p tsconfig.json`)
//   --quick: orders 1..3, shorter timing; prints the table only.
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { instantiate, planCost, runPipeline } from "../dist/compiler/index.js";
import { randomInputs } from "../dist/compiler/tools/random-inputs.js";
import { Tensor } from "../dist/runtime/index.js";
import { median } from "./issue-targets.mjs";

const ROOT = new URL("../", import.meta.url);
const quick = process.argv.includes("--quick");
const out = process.argv.includes("--write") ? process.argv[process.argv.indexOf("--write") + 1] : undefined;
/** bench/models/mlp.thd is examples/mlp.thd under another comment: measured once. */
const MODELS = ["examples/mlp.thd", "bench/models/softmax_classifier.thd", "bench/models/pinn.thd", "bench/models/trig.thd"];
const ORDERS = quick ? [1, 2, 3] : [1, 2, 3, 4];
/** Accuracy on 16 samples; timing at B = 128, as in docs/bench.md. */
const B_ACC = 16, B_TIME = 128;
/** Timed time per element type and case: reps are sized to it. */
const BUDGET_MS = quick ? 300 : 1500;
const EPS32 = 2 ** -24; // unit roundoff of float32 (round to nearest)

function compile(source, options) {
  const r = runPipeline(source, options);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.code} ${d.message}`).join("\n"));
  return r.state.plan;
}

/**
 * Errors of f32 against f64 over every packed block of order k (each distinct
 * entry once): the largest |f32 - f64| over the largest |f64| of its block
 * (norm-wise, blocks of one order pooled by their worst), and the median of
 * |f32 - f64| / |f64| over the entries where f64 is not 0 (element-wise).
 */
function errors(r64, r32, k) {
  let normwise = 0;
  const elementwise = [];
  for (const name of Object.keys(r64)) {
    const keys = k === 0 ? [undefined] : r64[name].keys().filter((key) => key.split(",").length === k);
    for (const key of keys) {
      const a = key === undefined ? r64[name].value.data : r64[name].packed(...key.split(",")).data;
      const b = key === undefined ? r32[name].value.data : r32[name].packed(...key.split(",")).data;
      let scale = 0, err = 0;
      for (let i = 0; i < a.length; i++) {
        scale = Math.max(scale, Math.abs(a[i]));
        err = Math.max(err, Math.abs(b[i] - a[i]));
        if (a[i] !== 0) elementwise.push(Math.abs(b[i] - a[i]) / Math.abs(a[i]));
      }
      if (scale > 0) normwise = Math.max(normwise, err / scale);
    }
  }
  return { normwise, median: median(elementwise) };
}

/**
 * Median ms per call of each function, calls interleaved in pairs (which goes
 * first alternates), and the median of the per-pair ratios: a burst of load
 * from other jobs hits both calls of a pair, so the ratio is steadier than
 * either time.
 */
function timeBoth(f64, f32) {
  const once = (f) => { const t0 = process.hrtime.bigint(); f(); return Number(process.hrtime.bigint() - t0) / 1e6; };
  for (let i = 0; i < 3; i++) { f64(); f32(); } // warm-up: V8 optimises after some calls
  const probe = Math.max(once(f64), once(f32), 1e-3);
  const reps = Math.max(5, Math.min(300, Math.round(BUDGET_MS / probe)));
  for (let i = 0; i < Math.min(reps, 20); i++) { f64(); f32(); }
  const t64 = [], t32 = [], ratio = [];
  for (let i = 0; i < reps; i++) {
    if (i % 2) { t32.push(once(f32)); t64.push(once(f64)); } else { t64.push(once(f64)); t32.push(once(f32)); }
    ratio.push(t32.at(-1) / t64.at(-1));
  }
  return { f64: median(t64), f32: median(t32), ratio: median(ratio), reps };
}

const fmtE = (x) => (Number.isNaN(x) ? "—" : x === 0 ? "0" : x.toExponential(1));
const fmtMs = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const fmtB = (b) => (b >= 2 ** 20 ? `${(b / 2 ** 20).toFixed(1)} MiB` : `${(b / 2 ** 10).toFixed(0)} KiB`);

const rows = [];
const loadStart = loadavg()[0];
for (const file of MODELS) {
  const source = readFileSync(new URL(file, ROOT), "utf8");
  for (const K of ORDERS) {
    const p64 = compile(source, { order: K, batchHint: B_TIME });
    const p32 = compile(source, { order: K, batchHint: B_TIME, mode: p64.mode, dtype: "f32" });
    const fn64 = instantiate(p64), fn32 = instantiate(p32);
    const inputs = randomInputs(p64, B_ACC, 1);
    const r64 = fn64(inputs), r32 = fn32(inputs);
    const value = errors(r64, r32, 0), top = errors(r64, r32, K);
    const in64 = randomInputs(p64, B_TIME, 2);
    const in32 = Object.fromEntries(Object.entries(in64).map(([n, t]) => [n, new Tensor(t.shape, Float32Array.from(t.data))]));
    const t = timeBoth(() => fn64(in64), () => fn32(in32));
    const bytes64 = planCost(p64, B_TIME).peakBytes, bytes32 = planCost(p32, B_TIME).peakBytes;
    rows.push(`| ${file.split("/").pop().replace(/\.thd$/, "")} | ${K} | ${p64.mode} | ${fmtE(value.normwise)} | ${fmtE(top.normwise)} (${(top.normwise / EPS32).toFixed(0)} u) | ${fmtE(top.median)} | ${fmtMs(t.f64)} | ${fmtMs(t.f32)} | ${t.ratio.toFixed(2)} | ${fmtB(bytes64)} → ${fmtB(bytes32)} |`);
    process.stderr.write(`${file} order ${K}: ${rows.at(-1)}\n`);
  }
}

const table = [
  `| model | order K | mode | value: max rel | order-K derivatives: max rel (in u = 2^-24) | order K: median rel (element-wise) | f64 ms | f32 ms | f32 / f64 time (median of pairs) | allocated per call, f64 → f32 |`,
  "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ...rows,
].join("\n");
console.log(table);

if (out) {
  const template = readFileSync(new URL("./dtype-template.md", import.meta.url), "utf8");
  const machine = `${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} cores, Node ${process.version}; ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC; accuracy on ${B_ACC} samples (inputs uniform in [-1, 1], seed 1); times at B = ${B_TIME}, median of interleaved calls over about ${(BUDGET_MS / 1000).toFixed(1)} s per element type; load average ${loadStart.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end (other jobs share the cores: times are noisy, the per-pair ratio less so)`;
  writeFileSync(out, template.replace("{{MACHINE}}", machine).replace("{{TABLE}}", table));
  console.log(`wrote ${out}`);
}
