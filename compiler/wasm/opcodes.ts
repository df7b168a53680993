/**
 * Opcode tables (spec 5.4; SIMD: the 0xFD-prefixed instructions of the
 * fixed-width SIMD proposal, standard since WebAssembly 2.0 and on by default
 * in Node >= 16). Only what the kernels use; the builder's methods are typed
 * by these keys, so a misspelt instruction fails to compile.
 * test/wasm/opcodes.test.ts runs every entry against a JS reference.
 */

/** One-byte instructions without immediates. */
export const PLAIN = {
  nop: 0x01,
  return: 0x0f,
  drop: 0x1a,
  "i32.eqz": 0x45, "i32.eq": 0x46, "i32.ne": 0x47,
  "i32.lt_s": 0x48, "i32.lt_u": 0x49, "i32.gt_s": 0x4a, "i32.gt_u": 0x4b,
  "i32.le_s": 0x4c, "i32.le_u": 0x4d, "i32.ge_s": 0x4e, "i32.ge_u": 0x4f,
  "i32.add": 0x6a, "i32.sub": 0x6b, "i32.mul": 0x6c,
  "i32.and": 0x71, "i32.or": 0x72, "i32.shl": 0x74, "i32.shr_s": 0x75, "i32.shr_u": 0x76,
  "f32.abs": 0x8b, "f32.neg": 0x8c, "f32.sqrt": 0x91,
  "f32.add": 0x92, "f32.sub": 0x93, "f32.mul": 0x94, "f32.div": 0x95, "f32.min": 0x96, "f32.max": 0x97,
  "f64.abs": 0x99, "f64.neg": 0x9a, "f64.sqrt": 0x9f,
  "f64.add": 0xa0, "f64.sub": 0xa1, "f64.mul": 0xa2, "f64.div": 0xa3, "f64.min": 0xa4, "f64.max": 0xa5,
  "f32.demote_f64": 0xb6, "f64.promote_f32": 0xbb,
} as const;
export type PlainOp = keyof typeof PLAIN;

/** 0xFD-prefixed SIMD instructions without immediates (sub-opcode, a u32 LEB). */
export const SIMD = {
  "f32x4.splat": 0x13, "f64x2.splat": 0x14,
  "f32x4.abs": 0xe0, "f32x4.neg": 0xe1, "f32x4.sqrt": 0xe3,
  "f32x4.add": 0xe4, "f32x4.sub": 0xe5, "f32x4.mul": 0xe6, "f32x4.div": 0xe7, "f32x4.min": 0xe8, "f32x4.max": 0xe9,
  "f64x2.abs": 0xec, "f64x2.neg": 0xed, "f64x2.sqrt": 0xef,
  "f64x2.add": 0xf0, "f64x2.sub": 0xf1, "f64x2.mul": 0xf2, "f64x2.div": 0xf3, "f64x2.min": 0xf4, "f64x2.max": 0xf5,
} as const;
export type SimdOp = keyof typeof SIMD;

/**
 * 0xFD-prefixed instructions of the vector math functions (vector-math.ts):
 * rounding, lane masks from comparisons, bitwise selection, and the integer
 * lanes that build 2^k in an exponent field or read a quadrant or exponent. Not lane-by-lane float maps, so
 * they are tested apart (test/wasm/vector-math.test.ts).
 */
export const SIMD_BITS = {
  "f64x2.floor": 0x75, "f64x2.nearest": 0x94, "f64x2.pmin": 0xf6, "f64x2.pmax": 0xf7,
  "f64x2.eq": 0x47, "f64x2.ne": 0x48, "f64x2.lt": 0x49, "f64x2.gt": 0x4a, "f64x2.le": 0x4b, "f64x2.ge": 0x4c,
  "v128.not": 0x4d, "v128.and": 0x4e, "v128.or": 0x50, "v128.xor": 0x51, "v128.bitselect": 0x52, "v128.any_true": 0x53,
  "i32x4.trunc_sat_f64x2_s_zero": 0xfc, "i64x2.extend_low_i32x4_s": 0xc7,
  "i64x2.shl": 0xcb, "i64x2.shr_u": 0xcd, "i64x2.add": 0xce, "i64x2.sub": 0xd1, "i64x2.eq": 0xd6,
  "f64x2.promote_low_f32x4": 0x5f, "f32x4.demote_f64x2_zero": 0x5e,
} as const;
export type SimdBitsOp = keyof typeof SIMD_BITS;

export function isSimdOp(name: PlainOp | SimdOp): name is SimdOp {
  return Object.prototype.hasOwnProperty.call(SIMD, name);
}

/** Loads and stores: the opcode (after the 0xFD prefix when `simd`) and the natural alignment (log2 bytes), the default of a memarg. */
export const MEMORY = {
  "i32.load": { simd: false, code: 0x28, align: 2 },
  "f32.load": { simd: false, code: 0x2a, align: 2 },
  "f64.load": { simd: false, code: 0x2b, align: 3 },
  "i32.store": { simd: false, code: 0x36, align: 2 },
  "f32.store": { simd: false, code: 0x38, align: 2 },
  "f64.store": { simd: false, code: 0x39, align: 3 },
  "v128.load": { simd: true, code: 0x00, align: 4 },
  "v128.load32_splat": { simd: true, code: 0x09, align: 2 },
  "v128.load64_splat": { simd: true, code: 0x0a, align: 3 },
  "v128.store": { simd: true, code: 0x0b, align: 4 },
  /** 64 or 32 bits into the low lanes, the rest zero (a vector loop's last odd element; two f32 to widen). */
  "v128.load64_zero": { simd: true, code: 0x5d, align: 3 },
  "v128.load32_zero": { simd: true, code: 0x5c, align: 2 },
} as const;
export type MemoryOp = keyof typeof MEMORY;

/** Lane instructions (0xFD prefix, then a lane index byte) and their lane counts. */
export const LANE = {
  "f32x4.extract_lane": { code: 0x1f, lanes: 4 },
  "f32x4.replace_lane": { code: 0x20, lanes: 4 },
  "f64x2.extract_lane": { code: 0x21, lanes: 2 },
  "f64x2.replace_lane": { code: 0x22, lanes: 2 },
} as const;
export type LaneOp = keyof typeof LANE;

/** Stores of one lane (0xFD prefix, a memarg, then the lane index byte). */
export const STORE_LANE = {
  "v128.store64_lane": { code: 0x5b, align: 3, lanes: 2 },
  "v128.store32_lane": { code: 0x5a, align: 2, lanes: 4 },
} as const;
export type StoreLaneOp = keyof typeof STORE_LANE;

/** Control and variable instructions (their immediates are written by the builder). */
export const CONTROL = {
  block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b, br: 0x0c, brIf: 0x0d, call: 0x10,
  localGet: 0x20, localSet: 0x21, localTee: 0x22,
  memorySize: 0x3f, memoryGrow: 0x40,
  i32Const: 0x41, f32Const: 0x43, f64Const: 0x44, v128Const: 0x0c, // v128.const is 0xFD 0x0C
  emptyBlockType: 0x40,
} as const;
