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

/** What randomInputs would allocate: float64 bytes in all, and the largest input's length (a typed array holds at most 2^32 - 1). */
export function randomInputsSize(plan: Plan, batch: number, skip: { has(name: string): boolean } = new Set()): { bytes: number; largest: number } {
  let bytes = 0, largest = 0;
  for (const i of plan.inputs) {
    if (skip.has(i.name)) continue;
    const n = i.shape.reduce((a, d) => a * (d === -1 ? batch : d), 1);
    bytes += 8 * n;
    largest = Math.max(largest, n);
  }
  return { bytes, largest };
}

/** Every input of the plan but those named in `skip` (bound weights), uniform in `range`. */
export function randomInputs(plan: Plan, batch: number, seed = 1, range: readonly [number, number] = [-1, 1], skip: { has(name: string): boolean } = new Set()): Record<string, Tensor> {
  const r = rng(seed);
  const out = Object.create(null) as Record<string, Tensor>; // an input may be named __proto__
  for (const i of plan.inputs) {
    if (skip.has(i.name)) continue;
    const shape = i.shape.map((d) => (d === -1 ? batch : d));
    const data = new Float64Array(shape.reduce((a, b) => a * b, 1));
    for (let k = 0; k < data.length; k++) data[k] = range[0] + (range[1] - range[0]) * r();
    out[i.name] = new Tensor(shape, data);
  }
  return out;
}
