#!/usr/bin/env node
// The benchmark suite (first cut): thoadc bench over the example and test
// models, orders 1..4, a few batch sizes; prints a Markdown table of medians.
// Baselines against PyTorch and tfjs, charts and docs/bench.md come with the
// performance issue. Usage: npm run bench [-- --quick]
import { spawnSync } from "node:child_process";

const quick = process.argv.includes("--quick");
const cases = [
  ["examples/mlp.thd", [], quick ? [1, 2, 3] : [1, 2, 3, 4]],
  ["test/models/heads.thd", ["--model", "softmax_head"], quick ? [1, 2, 3] : [1, 2, 3, 4]],
];
const batches = quick ? [16, 128] : [16, 128, 1024];
const rows = ["| model | order | B | median ms | min ms | flops | Gflop/s | peak bytes |", "| --- | --- | --- | --- | --- | --- | --- | --- |"];
for (const [file, extra, orders] of cases) {
  for (const K of orders) {
    for (const B of batches) {
      const r = spawnSync(process.execPath, ["dist/cli/main.js", "bench", file, ...extra, "--order", String(K), "--batch", String(B), "--reps", quick ? "5" : "15", "--json"], { encoding: "utf8" });
      if (r.status !== 0) { rows.push(`| ${file} | ${K} | ${B} | failed: ${r.stderr.trim().split("\n")[0]} | | | | |`); continue; }
      const j = JSON.parse(r.stdout.trim().split("\n").pop());
      rows.push(`| ${file}${extra.length ? ` (${extra[1]})` : ""} | ${K} | ${B} | ${j.median_ms} | ${j.min_ms} | ${j.flops} | ${(j.flops / j.median_ms / 1e6).toFixed(2)} | ${j.peak_bytes} |`);
      process.stderr.write(".");
    }
  }
}
process.stderr.write("\n");
console.log(rows.join("\n"));
