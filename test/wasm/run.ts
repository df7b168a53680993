/** Test helpers for compiler/wasm: instantiate a built module over a fresh memory; the seeded generator. */
import { expect } from "vitest";
import type { ModuleBuilder } from "../../compiler/wasm/index.js";
import { instantiateKernels, type WasmKernels } from "../../runtime/wasm.js";

/** Encodes, checks `WebAssembly.validate` (the engine's own validator), instantiates. */
export function instantiate(mod: ModuleBuilder, minBytes?: number): WasmKernels {
  const bytes = mod.encode();
  expect(WebAssembly.validate(bytes as BufferSource)).toBe(true);
  return instantiateKernels(bytes, undefined, minBytes);
}

/** Seeded uniforms in [0, 1), so a failure reproduces. */
export { rng } from "../../compiler/tools/random-inputs.js";
