#!/usr/bin/env node
// The mode-choice grid of docs/modes.md: for each (model, order, batch, wrt),
// time the forward and the reverse kernel with `thoadc bench` and compare with
// the mode `--mode auto` picks. Usage: node bench/modes-grid.mjs [--reps N] [--write docs/modes.md]
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";

const reps = Number(process.argv.includes("--reps") ? process.argv[process.argv.indexOf("--reps") + 1] : "7");
const grid = [
  ["examples/mlp.thd", 1, 128, "x"],
  ["examples/mlp.thd", 2, 128, "x"],
  ["examples/mlp.thd", 3, 128, "x"],
  ["examples/mlp.thd", 4, 128, "x"],
  ["examples/mlp.thd", 2, 16, "W3"],
  ["examples/mlp.thd", 2, 16, "x,b3"],
  ["examples/loss.thd", 1, 1, "W1"],
  ["examples/loss.thd", 2, 1, "W1"],
  ["examples/loss.thd", 2, 1, "x"],
  ["examples/loss.thd", 2, 1, "W2"],
  ["examples/loss.thd", 3, 1, "W2"],
  ["bench/models/softmax_classifier.thd", 2, 128, "x"],
  ["bench/models/softmax_classifier.thd", 3, 128, "x"],
  ["bench/models/softmax_classifier.thd", 2, 16, "W2"],
  ["bench/models/pinn.thd", 2, 128, "x"],
  ["bench/models/pinn.thd", 4, 128, "x"],
  ["bench/models/pinn.thd", 2, 16, "W3"],
  // x * x and a fan-out: many small packed-group steps, where reverse runs slowest per flop
  ["bench/models/trig.thd", 2, 128, "x"],
  ["bench/models/trig.thd", 3, 128, "x"],
  ["bench/models/trig.thd", 4, 128, "x"],
];

const run = (args) => {
  const r = spawnSync(process.execPath, ["dist/cli/main.js", ...args], { encoding: "utf8", timeout: 600_000 });
  if (r.status !== 0) return { error: (r.stderr || "timeout").trim().split("\n")[0] };
  return { out: r.stdout };
};
const cell = (t, err) => (Number.isNaN(t) ? (err ?? "failed").replace(/^.*error (TH\d+):.*$/, "refused ($1)").slice(0, 60) : t.toFixed(3));
const rows = [];
let right = 0, within = 0, total = 0;
for (const [file, K, B, wrt] of grid) {
  const common = [file, "--order", String(K), "--wrt", wrt];
  const explain = run(["explain", ...common, "--batch", String(B)]);
  const auto = /chosen: (\w+)/.exec(explain.out ?? "")?.[1] ?? "?";
  const est = (m) => Number(new RegExp(`${m}\\s+\\S+ flops, \\S+ bytes, estimate ([\\d.]+) ms`).exec(explain.out ?? "")?.[1]);
  const t = {}, errs = {};
  for (const mode of ["forward", "reverse"]) {
    // a mode estimated 20x slower than the other is still measured, once, without warm-up
    // fast calls get reps and warm-up for about 200 ms of estimated work each (up to 2000):
    // below a millisecond, JIT tiering and timer noise otherwise decide the comparison
    const slow = est(mode) > 20 * Math.min(est("forward"), est("reverse"));
    const n = Math.min(2000, Math.max(reps, Math.ceil(200 / est(mode))));
    const r = run(["bench", ...common, "--threads", "1", "--mode", mode, "--batch", String(B), "--reps", slow ? "1" : String(n), "--warmup", slow ? "0" : String(Math.max(3, n >> 1)), "--json"]);
    t[mode] = r.error ? NaN : JSON.parse(r.out.trim().split("\n").pop()).median_ms;
    errs[mode] = r.error;
  }
  const faster = t.forward <= t.reverse || Number.isNaN(t.reverse) ? "forward" : "reverse";
  const ratio = t[auto] / Math.min(t.forward, t.reverse);
  total++;
  if (auto === faster) right++;
  if (auto === faster || ratio <= 1.5) within++;
  rows.push(`| ${file.split("/").pop()} | ${K} | ${B} | ${wrt} | ${cell(t.forward, errs.forward)} | ${cell(t.reverse, errs.reverse)} | ${est("forward").toFixed(3)} / ${est("reverse").toFixed(3)} | ${faster} | ${auto} | ${auto === faster ? "yes" : `no (${ratio.toFixed(2)}x)`} |`);
  process.stderr.write(".");
}
process.stderr.write("\n");
const table = [
  "| model | order | B | wrt | forward ms | reverse ms | estimate fwd / rev (ms) | faster | auto | auto right |",
  "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ...rows,
  "",
  `auto picked the faster mode in ${right} of ${total}; ${within} of ${total} within 1.5x of the faster.`,
].join("\n");
console.log(table);

// What each optimisation saves, by the cost model (no timing): the normal build
// against --no-symmetry and --no-batch, examples/mlp.thd, both modes.
const { runPipeline } = await import(new URL("../dist/compiler/index.js", import.meta.url).href);
const { planCost } = await import(new URL("../dist/compiler/plan/cost.js", import.meta.url).href);
const mlpSrc = readFileSync(new URL("../examples/mlp.thd", import.meta.url), "utf8");
const si = (v, unit) => { for (const [d, p] of [[1e12, "T"], [1e9, "G"], [1e6, "M"], [1e3, "k"]]) if (v >= d) return `${(v / d).toFixed(2)} ${p}${unit}`; return `${v} ${unit}`; };
const ablRows = [];
for (const [K, mode, B] of [[2, "forward", 16], [2, "reverse", 16], [3, "forward", 16], [3, "reverse", 16], [4, "forward", 16], [4, "reverse", 16], [2, "forward", 64], [3, "forward", 64]]) {
  const cost = (o) => { const r = runPipeline(mlpSrc, { order: K, mode, batchHint: B, maxMemory: 1e15, ...o }); return r.state.plan ? planCost(r.state.plan, B) : undefined; };
  const n = cost({}), s = cost({ noSymmetry: true }), nb = K <= 3 ? cost({ noBatch: B }) : undefined;
  const x = (r) => `${r >= 100 ? Math.round(r).toLocaleString("en-US") : r.toFixed(1)}x`;
  const cellOf = (c) => (c ? `${si(c.flops, "")} / ${si(c.peakBytes, "B")} | ${x(c.flops / n.flops)} / ${x(c.peakBytes / n.peakBytes)}` : "not planned | ");
  ablRows.push(`| ${K} | ${mode} | ${B} | ${si(n.flops, "")} / ${si(n.peakBytes, "B")} | ${cellOf(s)} | ${cellOf(nb)} |`);
}
const ablation = [
  "| order | mode | B | as built: flops / bytes | --no-symmetry: flops / bytes | ratio | --no-batch: flops / bytes | ratio |",
  "| --- | --- | --- | --- | --- | --- | --- | --- |",
  ...ablRows,
].join("\n");

const out = process.argv.includes("--write") ? process.argv[process.argv.indexOf("--write") + 1] : undefined;
if (out) {
  const explain = (args) => run(["explain", ...args]).out.trimEnd();
  const template = readFileSync(new URL("./modes-template.md", import.meta.url), "utf8");
  const doc = template
    .replace("{{MACHINE}}", `${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} cores, Node ${process.version}; ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC; median of max(${reps}, 200 ms / estimate) reps up to 2000, after half as many warm-up calls (a mode estimated 20x slower than the other: one run, no warm-up); load average ${loadavg()[0].toFixed(1)} at the end (other jobs share the 2 cores: sub-millisecond rows are noisy)`)
    .replace("{{GRID}}", table)
    .replace("{{ABLATION}}", ablation)
    .replace("{{EXPLAIN_LOSS}}", explain(["examples/loss.thd", "--wrt", "W1", "--order", "2"]))
    .replace("{{EXPLAIN_MLP}}", explain(["examples/mlp.thd", "--order", "4"]));
  writeFileSync(out, doc);
  console.log(`wrote ${out}`);
}
