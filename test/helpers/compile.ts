/** Test helpers: compile a source or file to a plan and a callable model; compare tensors. */
import { readFileSync } from "node:fs";
import { expect } from "vitest";
import { instantiate, runPipeline, type CompileOptions, type ModelFn, type Plan } from "../../compiler/index.js";

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
 */
export function relError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let scale = 0, err = 0;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]!));
  for (let i = 0; i < want.length; i++) {
    const e = Math.abs(got[i]! - want[i]!);
    if (!(e <= err)) err = e; // NaN propagates
  }
  return scale === 0 ? err : err / scale;
}
