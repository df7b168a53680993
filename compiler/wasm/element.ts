/**
 * The element type a kernel is generated for: the scalar and 128-bit vector
 * instructions of f64 (f64x2, 2 lanes) or f32 (f32x4, 4 lanes). Kernels are
 * written once against this record, so the f64 and f32 kernels cannot drift.
 */
import type { LaneOp, MemoryOp, PlainOp, SimdOp, StoreLaneOp } from "./opcodes.js";

export interface Element {
  readonly name: "f64" | "f32";
  readonly bytes: 8 | 4;
  readonly log2Bytes: 3 | 2;
  readonly lanes: 2 | 4;
  readonly shape: "f64x2" | "f32x4";
  readonly load: MemoryOp;
  readonly store: MemoryOp;
  /** Load one element and splat it to every lane (one instruction). */
  readonly loadSplat: MemoryOp;
  readonly add: PlainOp;
  readonly sub: PlainOp;
  readonly mul: PlainOp;
  readonly vadd: SimdOp;
  readonly vsub: SimdOp;
  readonly vmul: SimdOp;
  readonly splat: SimdOp;
  readonly extract: LaneOp;
  readonly replace: LaneOp;
  /** Store one lane (the vector's lane index an immediate). */
  readonly storeLane: StoreLaneOp;
}

export const F64: Element = {
  name: "f64", bytes: 8, log2Bytes: 3, lanes: 2, shape: "f64x2",
  load: "f64.load", store: "f64.store", loadSplat: "v128.load64_splat",
  add: "f64.add", sub: "f64.sub", mul: "f64.mul",
  vadd: "f64x2.add", vsub: "f64x2.sub", vmul: "f64x2.mul", splat: "f64x2.splat", extract: "f64x2.extract_lane", replace: "f64x2.replace_lane", storeLane: "v128.store64_lane",
};

export const F32: Element = {
  name: "f32", bytes: 4, log2Bytes: 2, lanes: 4, shape: "f32x4",
  load: "f32.load", store: "f32.store", loadSplat: "v128.load32_splat",
  add: "f32.add", sub: "f32.sub", mul: "f32.mul",
  vadd: "f32x4.add", vsub: "f32x4.sub", vmul: "f32x4.mul", splat: "f32x4.splat", extract: "f32x4.extract_lane", replace: "f32x4.replace_lane", storeLane: "v128.store32_lane",
};

export function elementOf(name: "f64" | "f32"): Element {
  return name === "f64" ? F64 : F32;
}
