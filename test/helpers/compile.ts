/** Test helpers: compile a source or file to a plan and a callable model; compare tensors. */
import { readFileSync } from "node:fs";
import { expect } from "vitest";
import { instantiate, isTargetName, runPipeline, TARGETS, type CompileOptions, type ModelFn, type Plan, type TargetName } from "../../compiler/index.js";
import { randomInputs } from "../../compiler/tools/random-inputs.js";

export const ROOT = new URL("../../", import.meta.url).pathname;

/**
 * The codegen target the suites run models with: THOAD_TEST_TARGET, unset:
 * "ts" explicitly (not the compiler's default "auto", which would move the
 * GEMM-heavy models to wasm and leave ts untested there); .ci/run runs the
 * oracle, mode-agreement, finite-difference and op suites once more with
 * "wasm", at the same tolerances. "auto" runs where tests call instantiate(plan)
 * without a target, and in test/codegen/target-auto.test.ts.
 */
export function testTarget(): TargetName {
  const t = process.env.THOAD_TEST_TARGET ?? "ts";
  if (!isTargetName(t)) throw new Error(`THOAD_TEST_TARGET: unknown target '${t}'`);
  return t;
}

/** The test target itself: tests that write a module to disk emit with it, so the file and the in-memory model run the same kernels. */
export const testEmitTarget = () => TARGETS[testTarget()];

/** The plan as a callable model, emitted by the test target. */
export const instantiateForTest = (plan: Plan): ModelFn => instantiate(plan, testTarget());

export function compileOk(source: string, options: CompileOptions): { plan: Plan; fn: ModelFn } {
  const r = runPipeline(source, { target: testTarget(), ...options }); // the test target's mode choice too
  expect(r.diagnostics.map((d) => `${d.code} ${d.span?.line}:${d.span?.column} ${d.message}`)).toEqual([]);
  const plan = r.state.plan!;
  return { plan, fn: instantiateForTest(plan) };
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
  const ra = instantiateForTest(a)(inputs), rb = instantiateForTest(b)(inputs);
  for (const o of Object.keys(ra)) for (const k of ra[o]!.keys()) {
    const names = k.split(",");
    expect(relError(rb[o]!.packed(...names).data, ra[o]!.packed(...names).data), `${o} d[${k}]`).toBeLessThan(tol);
  }
}
