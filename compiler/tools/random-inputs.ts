/** Deterministic random inputs for a plan (check, bench, tests): uniform in [lo, hi]. */
import { Tensor } from "../../runtime/index.js";
import type { Plan } from "../plan/plan.js";

/** mulberry32: small, fast, reproducible across platforms. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every input of the plan but those named in `skip` (bound weights), uniform in `range`. */
export function randomInputs(plan: Plan, batch: number, seed = 1, range: readonly [number, number] = [-1, 1], skip: { has(name: string): boolean } = new Set()): Record<string, Tensor> {
  const r = rng(seed);
  const out: Record<string, Tensor> = {};
  for (const i of plan.inputs) {
    if (skip.has(i.name)) continue;
    const shape = i.shape.map((d) => (d === -1 ? batch : d));
    const data = new Float64Array(shape.reduce((a, b) => a * b, 1));
    for (let k = 0; k < data.length; k++) data[k] = range[0] + (range[1] - range[0]) * r();
    out[i.name] = new Tensor(shape, data);
  }
  return out;
}
