/** Test helpers: compile a source or file to a plan and a callable model; compare tensors. */
import { readFileSync } from "node:fs";
import { expect } from "vitest";
import { instantiate, runPipeline, type CompileOptions, type ModelFn, type Plan } from "../../compiler/index.js";
import { randomInputs } from "../../compiler/tools/random-inputs.js";

export const ROOT = new URL("../../", import.meta.url).pathname;

export function compileOk(source: string, options: CompileOptions): { plan: Plan; fn: ModelFn } {
  const r = runPipeline(source, options);
  expect(r.diagnostics.map((d) => `${d.code} ${d.span?.line}:${d.span?.column} ${d.message}`)).toEqual([]);
  const plan = r.state.plan!;
  return { plan, fn: instantiate(plan) };
}

export const readRoot = (path: string): string => readFileSync(ROOT + path, "utf8");

/**
 * Largest |got - want| relative to the largest |want| of the block (norm-wise
 * relative error; elementwise relative error is meaningless where entries are 0).
 * NaN anywhere in either array, or a length mismatch, gives NaN (fails every `<`).
 */
export function relError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  if (got.length !== want.length) return NaN;
  let scale = 0, err = 0;
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!, e = Math.abs(got[i]! - w);
    if (Number.isNaN(e)) return NaN;
    if (Math.abs(w) > scale) scale = Math.abs(w);
    if (e > err) err = e;
  }
  return scale === 0 ? err : err / scale;
}

/** Two plans of one model give the same tensors on random inputs (every output, every key, packed). */
export function plansAgree(a: Plan, b: Plan, B: number, seed: number, tol: number): void {
  const inputs = randomInputs(a, B, seed);
  const ra = instantiate(a)(inputs), rb = instantiate(b)(inputs);
  for (const o of Object.keys(ra)) for (const k of ra[o]!.keys()) {
    const names = k.split(",");
    expect(relError(rb[o]!.packed(...names).data, ra[o]!.packed(...names).data), `${o} d[${k}]`).toBeLessThan(tol);
  }
}
