/**
 * exp, expm1 and tanh on f64x2 vectors, for the elementwise steps the wasm
 * target runs (codegen/wasm-map-step.ts). JavaScript's Math functions are
 * calls into C++ one number at a time (Math.tanh about 13 ns an element
 * here); these are straight-line SIMD code.
 *
 * Every function reduces to one kernel (Cody and Waite):
 *   k = nearest(x / ln 2), r = (x - k ln2_hi) - k ln2_lo, |r| <= ln 2 / 2,
 *   with ln2_hi of 32 significant bits, so k ln2_hi is exact for |k| < 2^21;
 *   e^r - 1 = r S(r), S(r) = sum_{n=0..12} r^n / (n+1)!  (Taylor; the first
 *   term left out, r^13 / 14!, is below 2e-17 relative at |r| = ln 2 / 2),
 *   evaluated by Estrin's scheme (four levels of products instead of twelve
 *   dependent ones).
 * Then
 *   exp(x)   = (1 + r S) 2^k1 2^k2, k1 = floor(k / 2), k2 = k - k1: both
 *              powers normal for x in the clamp [-750, 710], so the products
 *              are exact until the result itself overflows or is subnormal;
 *   expm1(y) = 2^k r S + (2^k - 1) for 0 <= y <= 44: at k = 0 this is r S
 *              with r = y, so small y keep their relative accuracy;
 *   tanh(x)  = sign(x) e / (e + 2), e = expm1(2 |x|), |x| clamped to 22
 *              (tanh(x) rounds to 1 beyond 19.1).
 * 2^k is built in the exponent field: the bits of 1.0 plus k << 52.
 * NaN stays NaN (wasm's min and max propagate it), tanh(+-inf) = +-1,
 * tanh(-0) = -0, exp(-inf) = 0, exp(inf) = inf.
 * test/wasm/vector-math.test.ts bounds the error against Math.
 */
import type { FunctionBuilder, Local } from "./function-builder.js";

/** The Math functions with a vector version for any argument. */
export type VectorMathFn = "exp" | "tanh";

/** ln 2 in two parts: the high one has 32 significant bits (fdlibm's ln2_hi, ln2_lo). */
const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;
const LOG2E = 1.4426950408889634;

/** 1 / (n+1)! for n = 0..12: the coefficients of S. */
const S_COEFS = Array.from({ length: 13 }, (_, n) => { let f = 1; for (let i = 2; i <= n + 1; i++) f *= i; return 1 / f; });

const splat = (f: FunctionBuilder, v: number): FunctionBuilder => f.v128Splat("f64x2", v);

/** Pushes 2^k for a vector of integral k in [-1022, 1023]. */
function pow2(f: FunctionBuilder, k: Local): void {
  f.get(k).bits("i32x4.trunc_sat_f64x2_s_zero").bits("i64x2.extend_low_i32x4_s").i32Const(52).bits("i64x2.shl");
  splat(f, 1).bits("i64x2.add");
}

/** c0 + c1 r as a vector, pushed. */
function pair(f: FunctionBuilder, r: Local, c0: number, c1: number): void {
  f.get(r); splat(f, c1).simd("f64x2.mul"); splat(f, c0).simd("f64x2.add");
}

/** k = nearest(x / ln 2) and r (see the header) into new locals, for x in a local. */
function reduce(f: FunctionBuilder, x: Local): { k: Local; r: Local } {
  const k = f.local("v128"), r = f.local("v128");
  f.get(x); splat(f, LOG2E).simd("f64x2.mul").bits("f64x2.nearest").set(k);
  f.get(x).get(k); splat(f, LN2_HI).simd("f64x2.mul").simd("f64x2.sub");
  f.get(k); splat(f, LN2_LO).simd("f64x2.mul").simd("f64x2.sub").set(r);
  return { k, r };
}

/** Pushes r S(r) = e^r - 1 (Estrin's scheme over the 13 coefficients). */
function expm1Reduced(f: FunctionBuilder, r: Local): void {
  const c = S_COEFS;
  const r2 = f.local("v128"), r4 = f.local("v128"), r8 = f.local("v128");
  f.get(r).get(r).simd("f64x2.mul").set(r2);
  f.get(r2).get(r2).simd("f64x2.mul").set(r4);
  f.get(r4).get(r4).simd("f64x2.mul").set(r8);
  // w0 = (c0 + c1 r) + (c2 + c3 r) r2 + ((c4 + c5 r) + (c6 + c7 r) r2) r4
  pair(f, r, c[0]!, c[1]!); pair(f, r, c[2]!, c[3]!); f.get(r2).simd("f64x2.mul").simd("f64x2.add");
  pair(f, r, c[4]!, c[5]!); pair(f, r, c[6]!, c[7]!); f.get(r2).simd("f64x2.mul").simd("f64x2.add");
  f.get(r4).simd("f64x2.mul").simd("f64x2.add");
  // w1 = (c8 + c9 r) + (c10 + c11 r) r2 + c12 r4
  pair(f, r, c[8]!, c[9]!); pair(f, r, c[10]!, c[11]!); f.get(r2).simd("f64x2.mul").simd("f64x2.add");
  f.get(r4); splat(f, c[12]!).simd("f64x2.mul").simd("f64x2.add");
  // S = w0 + w1 r8; r S
  f.get(r8).simd("f64x2.mul").simd("f64x2.add");
  f.get(r).simd("f64x2.mul");
}

/** Pushes exp(x) for the vector in local x. */
export function vectorExp(f: FunctionBuilder, x: Local): void {
  const xc = f.local("v128"), k1 = f.local("v128"), k2 = f.local("v128");
  f.get(x); splat(f, 710).simd("f64x2.min"); splat(f, -750).simd("f64x2.max").set(xc);
  const { k, r } = reduce(f, xc);
  f.get(k); splat(f, 0.5).simd("f64x2.mul").bits("f64x2.floor").set(k1);
  f.get(k).get(k1).simd("f64x2.sub").set(k2);
  expm1Reduced(f, r); splat(f, 1).simd("f64x2.add");
  pow2(f, k1); f.simd("f64x2.mul");
  pow2(f, k2); f.simd("f64x2.mul");
}

/** Pushes expm1(y) for the vector in local y, every lane in [0, 44] (or NaN): tanh's part, not a general expm1. */
function expm1Tanh(f: FunctionBuilder, y: Local): void {
  const s = f.local("v128");
  const { k, r } = reduce(f, y);
  pow2(f, k); f.set(s);
  expm1Reduced(f, r); f.get(s).simd("f64x2.mul");
  f.get(s); splat(f, 1).simd("f64x2.sub").simd("f64x2.add");
}

/** Pushes tanh(x) for the vector in local x. */
export function vectorTanh(f: FunctionBuilder, x: Local): void {
  const y = f.local("v128"), e = f.local("v128"), t = f.local("v128");
  f.get(x).simd("f64x2.abs").get(x).simd("f64x2.abs").simd("f64x2.add"); splat(f, 44).simd("f64x2.min").set(y);
  expm1Tanh(f, y); f.tee(e);
  f.get(e); splat(f, 2).simd("f64x2.add").simd("f64x2.div").set(t);
  // the sign bit from x, the rest from |tanh(x)|
  f.get(x).get(t); splat(f, -0).bits("v128.bitselect");
}

/** The functions by the Math name the derivative rules call. */
export const VECTOR_MATH: Record<VectorMathFn, (f: FunctionBuilder, x: Local) => void> = { exp: vectorExp, tanh: vectorTanh };
