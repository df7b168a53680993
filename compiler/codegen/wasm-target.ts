/**
 * The wasm target: the TypeScript target's module (same exports, .d.ts,
 * flavors, --standalone, worker threads) whose GEMM-shaped contraction steps
 * (wasm-steps.ts) run in an embedded WebAssembly module that thoadc generates
 * (wasm-kernels.ts: register-blocked f64x2 / f32x4 GEMMs), and whose steps
 * through static index tables, outer products and scalings run there
 * unrolled (wasm-table-step.ts), and whose elementwise steps calling exp,
 * tanh, sin, cos or log run there as f64x2 loops (wasm-map-step.ts); every other step is the TypeScript target's
 * JavaScript kernel. wasm-glue.ts has the memory and loading scheme. A plan
 * with no such step gets the TypeScript module.
 */
import type { Plan } from "../plan/plan.js";
import type { Target } from "./target.js";
import { makeTypescriptTarget } from "./typescript.js";
import { wasmKernels } from "./wasm-kernels.js";
import { describeStep, wasmSteps, type WasmStep } from "./wasm-steps.js";

/** btoa, not Buffer: the compiler runs in browsers too. */
const toBase64 = (bytes: Uint8Array): string => { let s = ""; for (const b of bytes) s += String.fromCharCode(b); return btoa(s); };

/** The kernels' module of a plan, as the emitted module embeds it (the plan as emitted: tiled, see Layout). */
export function wasmModuleOf(plan: Plan): ReturnType<typeof wasmKernels> | undefined {
  let mod: ReturnType<typeof wasmKernels> | undefined;
  const t = makeTypescriptTarget(undefined, {
    name: "wasm", description: "",
    hooks: () => ({ steps: wasmSteps, kernels: (p, calls) => { mod = wasmKernels(p.dtype ?? "f64", calls); return ""; }, sync: true }),
  });
  t.module(plan, { flavor: "function", provenance: "", runtimeImport: "" });
  return mod;
}

/** The wasm target whose `steps` decide which plan steps run in wasm and how (tests pass wasmSteps with a schedule choice forced). */
export function makeWasmTarget(steps: (plan: Plan) => Map<number, WasmStep> = wasmSteps): Target {
  return {
    ...makeTypescriptTarget(undefined, {
      name: "wasm",
      description: "TypeScript/JavaScript with the GEMM-shaped contraction steps, the steps through index tables, outer products and scalings unrolled, and the elementwise steps calling exp or tanh, in WebAssembly SIMD (f64x2, f32x4)",
      hooks: (sync) => ({ steps, kernels: (p, calls) => toBase64(wasmKernels(p.dtype ?? "f64", calls).encode()), sync }),
    }),
    stepNote: (plan, i) => describeStep(plan.steps[i]!, plan),
  };
}

export const wasmTarget: Target = makeWasmTarget();
