/** The compiler's public API; cli/ is a thin shell over it. */
import * as runtime from "../runtime/index.js";
import type { FloatArray, OutputResult, RunOptions, TensorLike } from "../runtime/index.js";
import { TARGETS, DEFAULT_TARGET, type TargetOption } from "./codegen/targets.js";
import { chooseTarget } from "./codegen/choose-target.js";
import { REFERENCE_BATCH } from "./plan/choose-mode.js";
import { runPipeline, type CompileOptions, type CompileResult } from "./pipeline.js";
import type { Plan } from "./plan/plan.js";

export { fmtBytes, MAX_ORDER, PASSES, runPipeline, type CompileOptions, type CompileResult, type Pass } from "./pipeline.js";
export { MAX_DIM } from "./ir/lower.js";
export { modelNameProblem } from "./codegen/reserved.js";
export type { Diagnostic, Span } from "./diagnostics/diagnostic.js";
export { CompileError } from "./diagnostics/diagnostic.js";
export { CODES, type Code } from "./diagnostics/codes.js";
export { renderDiagnostic, renderDiagnostics } from "./diagnostics/render.js";
export { costByLine, printPlan, stepFn, stepLine, stepOrigin, stepText, type LineCost } from "./plan/print.js";
export { stepFlops } from "./plan/cost.js";
export { batchProfile, planCost } from "./plan/cost.js";
export { makeTypescriptTarget, typescriptTarget } from "./codegen/typescript.js";
export { DEFAULT_TARGET, isTargetName, isTargetOption, TARGET_NAMES, TARGET_OPTIONS, TARGETS, type TargetName, type TargetOption } from "./codegen/targets.js";
export { AUTO_MARGIN, chooseTarget, type TargetChoice } from "./codegen/choose-target.js";
export type { CostFactors, CostTarget, EmitOptions, Layout, Target } from "./codegen/target.js";
export type { Plan } from "./plan/plan.js";

/** A compiled model; its results hold Float64Array, or Float32Array for a plan compiled with dtype f32. */
export type ModelFn = ((inputs: Readonly<Record<string, TensorLike>>, options?: RunOptions) => Record<string, OutputResult<FloatArray>>) & {
  readonly order: number;
  readonly mode: string;
  readonly wrt: readonly string[];
  readonly inputs: Readonly<Record<string, readonly number[]>>;
  readonly outputs: readonly string[];
};

/** Compiles to a plan (no code); throws nothing, check `ok`. */
export function compile(source: string, options: CompileOptions): CompileResult {
  return runPipeline(source, options);
}

/**
 * The model as a callable function, from the same code the target emits (its "function" flavor).
 * "auto" (the default): the target the cost model estimates faster for the plan at B = 128
 * (codegen/choose-target.ts), except on a browser's main thread (a `document` exists), where
 * it is ts: this flavor compiles the wasm kernels synchronously, which browsers refuse there
 * for modules over 4 KB (emit an ES module instead: it compiles them with `await`).
 */
export function instantiate(plan: Plan, target: TargetOption = DEFAULT_TARGET): ModelFn {
  const mainThread = typeof (globalThis as { document?: unknown }).document !== "undefined";
  const name = target !== "auto" ? target : mainThread ? "ts" : chooseTarget([plan], plan.mode, "auto", REFERENCE_BATCH, TARGETS.ts).target;
  const body = TARGETS[name].module(plan, { flavor: "function", provenance: "memory", runtimeImport: "" });
  return new Function("rt", body)(runtime) as ModelFn;
}
