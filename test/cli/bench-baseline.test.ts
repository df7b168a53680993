/** thoadc bench: executed flops and --dense in the JSON, and --baseline's errors (no Python needed: they come before JAX would run). */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, thoadc, useCli, workdir } from "../helpers/cli.js";

useCli();
const MLP = readFileSync(join(ROOT, "bench/models/mlp.thd"), "utf8");
const TINY = "model tiny {\n  batch B\n  input x : [B, 3]\n  param W : [3, 2]\n  y = x @ W\n  output y\n}\n";

describe("thoadc bench: counted flops, dense expansion, --baseline", { timeout: 120_000 }, () => {
  it("--json reports executed_flops counted from the kernels: x @ W at order 0 is one multiply and one add per product (2 B 3 2)", () => {
    const dir = workdir({ "tiny.thd": TINY });
    const r = thoadc(dir, "bench", "tiny.thd", "--order", "0", "--batch", "5", "--reps", "3", "--json");
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout.trim().split("\n").pop()!);
    expect(j.executed_flops).toBe(60);
    expect(j.flops).toBe(60);
    expect(j.math_calls).toBe(0);
    expect(j.executed_gflops).toBeCloseTo(60 / j.median_ms / 1e6, 3);
    // the default warm-up: 1000 calls of a microsecond kernel (cut short only after a second)
    expect(j.warmup).toBe(1000);
  });
  it("--warmup N makes exactly N untimed calls; a bad count is TH115 before anything runs", () => {
    const dir = workdir({ "tiny.thd": TINY });
    const j = JSON.parse(thoadc(dir, "bench", "tiny.thd", "--order", "0", "--batch", "5", "--reps", "3", "--warmup", "0", "--json").stdout.trim().split("\n").pop()!);
    expect(j.warmup).toBe(0);
    for (const bad of ["-1", "2.5", "x"]) {
      const r = thoadc(dir, "bench", "tiny.thd", "--order", "0", "--warmup", bad);
      expect(r.status, bad).toBe(1);
      expect(r.stderr).toContain("TH115: bench: --warmup must be a non-negative integer");
    }
  });
  it("--dense adds dense_median_ms (the call plus d(...) of every block)", () => {
    const dir = workdir({ "tiny.thd": TINY });
    const r = thoadc(dir, "bench", "tiny.thd", "--order", "2", "--batch", "4", "--reps", "6", "--dense", "--json");
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout.trim().split("\n").pop()!);
    expect(j.dense_median_ms).toBeGreaterThan(0);
    expect(r.stdout).toContain("with the dense expansion of every block");
  });
  it("--baseline jax on a model the JAX baseline does not know is TH603, before any timing", () => {
    const dir = workdir({ "tiny.thd": TINY });
    const r = thoadc(dir, "bench", "tiny.thd", "--baseline", "jax");
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("error TH603: bench --baseline jax: bench/jax_baseline.py has no model 'tiny'");
  });
  it("--baseline jax with f32, another wrt, or changed inputs is TH603; --baseline other is TH115", () => {
    const dir = workdir({ "mlp.thd": MLP, "wide.thd": MLP.replace("input x  : [B, 8]", "input x  : [B, 9]").replace("param W1 : [8, 32]", "param W1 : [9, 32]") });
    expect(thoadc(dir, "bench", "mlp.thd", "--baseline", "jax", "--dtype", "f32").stderr).toContain("TH603: bench --baseline jax: JAX runs float64");
    expect(thoadc(dir, "bench", "mlp.thd", "--baseline", "jax", "--wrt", "x,W1").stderr).toContain("TH603: bench --baseline jax: JAX differentiates w.r.t. x only");
    expect(thoadc(dir, "bench", "wide.thd", "--baseline", "jax").stderr).toContain("does not have the inputs of bench/models/mlp.thd");
    const other = thoadc(dir, "bench", "mlp.thd", "--baseline", "torch");
    expect(other.status).toBe(1);
    expect(other.stderr).toContain("error TH115: bench: --baseline must be jax, got 'torch'");
  });
});
