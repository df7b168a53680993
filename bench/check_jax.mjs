#!/usr/bin/env node
// Checks that the JAX baseline computes what thoad computes: for every bench model
// bench/jax_baseline.py knows, seeded weights and x (B = 3), JAX's `--what orders:K`
// (jacfwd^(j-1)(jacrev(f)), j = 1..K, one jitted vmapped function, float64) against
// `thoadc eval --order K` on the same inputs, each order's dense tensor; they must
// agree to 1e-10 relative (to the largest entry of JAX's tensor), as
// check_baselines.py requires of PyTorch. The JAX models share no code with thoad.
//
//   node bench/check_jax.mjs [K]      (default 3; build first; exit 1 on a difference)
//   --json                            one JSON line per model and order, and a summary
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { JAX_MODELS } from "../dist/cli/commands/bench-jax.js";
import { flag, hasJax, jax, log, tensors, thoadc } from "./jax-runs.mjs";

const K = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 3);
const TOL = 1e-10, B = 3;

/** Seeded inputs of a model (thoadc eval format): x uniform in (-1, 1), weights scaled 1/sqrt(fan-in), biases 0.1. */
function inputsOf(model, seed) {
  const t = tensors(seed);
  return Object.fromEntries(Object.entries(JAX_MODELS[model].inputs).map(([k, s]) => {
    const shape = s.map((d) => (d < 0 ? B : d));
    return [k, t(shape, k === "x" ? 1 : shape.length === 2 ? 1 / Math.sqrt(shape[0]) : k === "a" ? 0.5 : k === "c" ? 1 : 0.1)];
  }));
}

/** Max |thoad - JAX| / max |JAX| per order, or { error }. */
export function compareModel(model, order, seed = 11) {
  const dir = mkdtempSync(join(os.tmpdir(), "thoad-check-jax-"));
  try {
    const inputs = inputsOf(model, seed);
    writeFileSync(join(dir, "in.json"), JSON.stringify(inputs));
    const r = jax([...JAX_MODELS[model].args, "--batch", String(B), "--what", `orders:${order}`, "--reps", "1", "--warmup", "0", "--inputs", join(dir, "in.json"), "--dump", join(dir, "jax.json")]);
    if (r.status !== 0) return { error: `jax: ${r.stderr.trim().split("\n").pop()}` };
    const want = JSON.parse(readFileSync(join(dir, "jax.json"), "utf8"));
    const e = thoadc(["eval", `bench/models/${model}.thd`, "--order", String(order), "--inputs", join(dir, "in.json")]);
    if (e.status !== 0) return { error: `thoadc eval: ${e.stderr.trim()}` };
    const [out] = Object.values(JSON.parse(e.stdout).outputs);
    const diffs = [];
    for (let j = 1; j <= order; j++) {
      const got = out.derivatives[Array(j).fill("x").join(",")], ref = want[`order:${j}`];
      const n = ref.data.length;
      if (got.data.length !== n) return { error: `order ${j}: ${got.data.length} entries (shape ${got.shape}) vs JAX's ${n} (shape ${ref.shape})` };
      const scale = Math.max(...ref.data.map(Math.abs));
      diffs.push(Math.max(...got.data.map((v, i) => Math.abs(v - ref.data[i]))) / scale);
    }
    return { diffs };
  } finally { rmSync(dir, { recursive: true, force: true }); }
}

async function main() {
  const no = hasJax();
  if (no) { log(no); process.exit(1); }
  let worst = 0, failed = false;
  for (const model of Object.keys(JAX_MODELS)) {
    const r = compareModel(model, K);
    if (r.error) { failed = true; log(`${model}: ${r.error}`); if (flag("--json")) console.log(JSON.stringify({ model, error: r.error })); continue; }
    r.diffs.forEach((d, i) => {
      worst = Math.max(worst, d);
      if (flag("--json")) console.log(JSON.stringify({ model, order: i + 1, rel_diff: d }));
      else console.log(`${model.padEnd(20)} order ${i + 1}: thoad vs JAX ${d.toExponential(1)}`);
    });
  }
  const ok = !failed && worst < TOL;
  if (flag("--json")) console.log(JSON.stringify({ summary: true, order: K, worst, tol: TOL, ok }));
  else console.log(`worst relative difference ${worst.toExponential(1)} (tolerance ${TOL})${failed ? "; some models failed" : ""}`);
  process.exit(ok ? 0 : 1);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
