/**
 * thoadc bench --baseline jax: the same model, the same inputs and batch, timed
 * by bench/jax_baseline.py in the same run (jit + vmap, float64, every order
 * 1..K in one function: `--what orders:K`). Only the bench models the JAX script
 * writes again in jax.numpy (it shares no code with thoad) can run; anything
 * else is TH603, as is a missing JAX.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Plan } from "../../compiler/index.js";
import { CliExit } from "../front.js";

/** The models bench/jax_baseline.py knows: its arguments and the inputs (name: shape, -1 the batch axis) a .thd model must have. */
export const JAX_MODELS: Record<string, { readonly args: readonly string[]; readonly inputs: Readonly<Record<string, readonly number[]>> }> = {
  mlp: { args: ["--model", "mlp", "--sizes", "8,32,32,4"], inputs: { x: [-1, 8], W1: [8, 32], b1: [32], W2: [32, 32], b2: [32], W3: [32, 4], b3: [4] } },
  softmax_classifier: { args: ["--model", "softmax_classifier"], inputs: { x: [-1, 8], W1: [8, 32], b1: [32], W2: [32, 5], b2: [5] } },
  pinn: { args: ["--model", "pinn"], inputs: { x: [-1, 2], W1: [2, 32], b1: [32], W2: [32, 32], b2: [32], W3: [32, 1], b3: [1] } },
  trig: { args: ["--model", "trig"], inputs: { x: [-1, 8], a: [8], c: [8] } },
};

export interface JaxTiming { readonly median_ms: number; readonly min_ms: number; readonly reps: number; readonly compile_ms: number; readonly version: string }

const fail = (why: string): never => { throw new CliExit(1, `thoadc: error TH603: bench --baseline jax: ${why}`); };

/** Why the plan cannot be compared with JAX (undefined: it can). */
export function jaxMismatch(plan: Plan): string | undefined {
  const known = JAX_MODELS[plan.model];
  if (!known) return `bench/jax_baseline.py has no model '${plan.model}' (it knows ${Object.keys(JAX_MODELS).join(", ")}: bench/models/*.thd)`;
  const have = Object.fromEntries(plan.inputs.map((i) => [i.name, i.shape.map((d) => (d < 0 ? -1 : d))]));
  const same = Object.keys(have).length === Object.keys(known.inputs).length && Object.entries(known.inputs).every(([k, s]) => have[k]?.join() === s.join());
  if (!same) return `model '${plan.model}' does not have the inputs of bench/models/${plan.model}.thd (${Object.entries(known.inputs).map(([k, s]) => `${k} [${s.map((d) => (d < 0 ? "B" : d)).join(", ")}]`).join(", ")})`;
  if (plan.wrt.length !== 1 || plan.wrt[0]!.name !== "x") return `JAX differentiates w.r.t. x only (--wrt ${plan.wrt.map((w) => w.name).join(",")})`;
  if ((plan.dtype ?? "f64") !== "f64") return "JAX runs float64: compare without --dtype f32";
  if (plan.order < 1) return "JAX computes orders 1..K: use --order 1 or more";
  return undefined;
}

/** Runs JAX on these inputs (thoad's, so both time the same numbers) and returns its timing; TH603 when it cannot. */
export function runJax(plan: Plan, inputs: Readonly<Record<string, { readonly shape: readonly number[]; readonly data: ArrayLike<number> }>>, B: number, reps: number, warmup: number): JaxTiming {
  const why = jaxMismatch(plan);
  if (why) fail(why);
  const py = process.env.THOAD_JAX_PYTHON ?? "/work/jaxenv/bin/python";
  const script = resolve(dirname(fileURLToPath(import.meta.url)), "../../../bench/jax_baseline.py");
  if (!existsSync(script)) fail(`${script} not found (the baseline lives in the repository's bench/)`);
  if (!existsSync(py)) fail(`no Python at ${py} (set THOAD_JAX_PYTHON; python3 -m venv /work/jaxenv && /work/jaxenv/bin/pip install jax jaxlib)`);
  const dir = mkdtempSync(join(os.tmpdir(), "thoad-jax-"));
  try {
    const file = join(dir, "inputs.json");
    writeFileSync(file, JSON.stringify(Object.fromEntries(Object.entries(inputs).map(([k, t]) => [k, { shape: t.shape, data: Array.from(t.data) }]))));
    const r = spawnSync(py, [script, ...JAX_MODELS[plan.model]!.args, "--batch", String(B), "--what", `orders:${plan.order}`, "--reps", String(reps), "--warmup", String(warmup), "--inputs", file], { encoding: "utf8", timeout: 1800e3, maxBuffer: 1 << 26 });
    const lines = (r.stdout ?? "").split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Record<string, unknown>);
    const row = lines.find((l) => l.status === "ok");
    if (r.status !== 0 || !row) fail(`JAX failed: ${(r.stderr ?? String(r.error ?? "")).trim().split("\n").pop()}`);
    return { median_ms: row!.median_ms as number, min_ms: row!.min_ms as number, reps: row!.reps as number, compile_ms: row!.compile_ms as number, version: String(lines[0]?.jax ?? "?") };
  } finally { rmSync(dir, { recursive: true, force: true }); }
}
