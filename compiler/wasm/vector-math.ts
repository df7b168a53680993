/**
 * exp, tanh, sin, cos and log on f64x2 vectors, for the elementwise steps the wasm
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
 * NaN stays NaN (the clamps are pmin and pmax, b < a ? b : a: one instruction
 * each on x64, and a NaN x is kept), tanh(+-inf) = +-1,
 * tanh(-0) = -0, exp(-inf) = 0, exp(inf) = inf.
 *
 * sin and cos (both are sin(x + q pi/2), q = 0 or 1) reduce by pi/2:
 *   k = nearest(x 2/pi), x - k pi/2 = hi + lo (a head and a tail) with
 *   pi/2 = P1 + P2 + P3 (P1, P2 of 33 significant bits, so k P1 and k P2 are
 *   exact for |k| < 2^20; x - k P1 is exact by Sterbenz; the next difference
 *   keeps its rounding error, TwoSum), |hi| <= pi/4 (about);
 *   sin(hi + lo) = hi + (hi z S(z) + lo (1 - z/2)),  z = hi^2,
 *   cos(hi + lo) = 1 - z/2 + z^2 C(z) - hi lo,  (1 - z/2 rounded, its error added back),
 *   S, C the Taylor series to r^17 and r^18 (the first term left out, r^19 / 19!
 *   at pi/4, is below 1e-19 relative); the quadrant n = k + q picks
 *   [sin, cos, -sin, -cos](r)[n mod 4].
 *   The error of hi + lo is below 2^-96 absolute (P3's rounding times k, and
 *   k P3's rounding), so lanes with |hi| < 2^-40 and k != 0 (x within 2^-40
 *   of a nonzero multiple of pi/2), |x| > 2^20, infinities and NaN are handed
 *   to the host's Math function: rare arguments, one scalar call each.
 * log: x = 2^e m, m in [1/sqrt2, sqrt2) read from the bits (e = (bits(x) -
 *   bits(1/sqrt2)) >> 52, bits(m) = bits(x) - e << 52), f = m - 1 (exact),
 *   s = f / (2 + f), log(1 + f) = 2 atanh(s) = f - (f^2/2 - s (f^2/2 + R)),
 *   R = sum_{n=1..10} 2 s^2n / (2n + 1) (|s| <= 0.172: the first term left out is
 *   below 2^-60 relative), log x = e ln2_hi + (that + e ln2_lo). Lanes outside
 *   the positive normal numbers (0, negatives, subnormals, infinity, NaN) go
 *   to Math.log.
 * test/wasm/vector-math.test.ts bounds the error against Math.
 */
import type { FunctionBuilder, Local } from "./function-builder.js";

/** The Math functions with a vector version for any argument. */
export type VectorMathFn = "exp" | "tanh" | "sin" | "cos" | "log";

/**
 * The functions whose vector version hands the lanes outside its range to the
 * host's Math function, imported as `Math.<fn>` of type (f64) -> f64: the caller
 * imports it (ModuleBuilder.importFunction) and passes its function index.
 */
export const SCALAR_FALLBACK: ReadonlySet<VectorMathFn> = new Set<VectorMathFn>(["sin", "cos", "log"]);

/** ln 2 in two parts: the high one has 32 significant bits (fdlibm's ln2_hi, ln2_lo). */
const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;
const LOG2E = 1.4426950408889634;
/** x + MAGIC (1.5 2^52) rounds x to the nearest integer, held in the low mantissa bits (|x| < 2^51); minus MAGIC, that integer as f64. */
const MAGIC = 6755399441055744;

/** 1 / (n+1)! for n = 0..12: the coefficients of S. */
const S_COEFS = Array.from({ length: 13 }, (_, n) => { let f = 1; for (let i = 2; i <= n + 1; i++) f *= i; return 1 / f; });

const splat = (f: FunctionBuilder, v: number): FunctionBuilder => f.v128Splat("f64x2", v);

/**
 * Pushes 2^k for a vector of integral k in [-1022, 1023]: k + MAGIC holds k in
 * its low bits, and shifted left by 52 only k << 52 is left (MAGIC's own bits
 * end in 52 zeros), added to the bits of 1.0. (Two integer operations where a
 * conversion to integer lanes is a long instruction sequence on x64.)
 */
function pow2(f: FunctionBuilder, k: Local): void {
  f.get(k); splat(f, MAGIC).simd("f64x2.add").i32Const(52).bits("i64x2.shl");
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
  f.get(x); splat(f, 710).bits("f64x2.pmin"); splat(f, -750).bits("f64x2.pmax").set(xc);
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
  f.get(x).simd("f64x2.abs").get(x).simd("f64x2.abs").simd("f64x2.add"); splat(f, 44).bits("f64x2.pmin").set(y);
  expm1Tanh(f, y); f.tee(e);
  f.get(e); splat(f, 2).simd("f64x2.add").simd("f64x2.div").set(t);
  // the sign bit from x, the rest from |tanh(x)|
  f.get(x).get(t); splat(f, -0).bits("v128.bitselect");
}


/** pi to 100 decimals, for the parts of pi/2. */
const PI_DIGITS = "3.1415926535897932384626433832795028841971693993751058209749445923078164062862089986280348253421170679";

/**
 * value = numerator / denominator split into doubles of the given significant
 * bits each, every part truncated (the last rounded to nearest): exact BigInt
 * arithmetic, so each part is the leading bits of what the previous left.
 */
export function splitConstant(numerator: bigint, denominator: bigint, bits: readonly number[]): number[] {
  let num = numerator, den = denominator;
  return bits.map((b, j) => {
    // e = floor(log2(num / den))
    let e = num.toString(2).length - den.toString(2).length;
    const ge = (x: number): boolean => (x >= 0 ? num >= den << BigInt(x) : num << BigInt(-x) >= den);
    if (!ge(e)) e--;
    const scale = b - 1 - e; // m = num / den * 2^scale has b bits before the point
    const [sn, sd] = scale >= 0 ? [num << BigInt(scale), den] : [num, den << BigInt(-scale)];
    let m = sn / sd;
    if (j === bits.length - 1 && 2n * (sn - m * sd) >= sd) m++;
    // what is left, (sn / sd - m) 2^-scale
    [num, den] = scale >= 0 ? [sn - m * sd, sd << BigInt(scale)] : [(sn - m * sd) << BigInt(-scale), sd];
    return Number(m) * 2 ** -scale;
  });
}

function piOver2Parts(): number[] {
  const [int, frac] = PI_DIGITS.split(".") as [string, string];
  return splitConstant(BigInt(int + frac), 2n * 10n ** BigInt(frac.length), [33, 33, 53]);
}
const [PIO2_1, PIO2_2, PIO2_3] = piOver2Parts() as [number, number, number];
const TWO_OVER_PI = 2 / Math.PI;
/** sin and cos: the vector code's range, and the smallest reduced argument it keeps (k != 0). */
const TRIG_LIMIT = 2 ** 20, TRIG_TINY = 2 ** -40;

const factorial = (n: number): number => { let f = 1; for (let i = 2; i <= n; i++) f *= i; return f; };
/** sin r = r + r z S(z): S's coefficients (-1)^(n+1) / (2n+3)!, n = 0..7 (exact factorials up to 18!). */
const SIN_COEFS = Array.from({ length: 8 }, (_, n) => (n % 2 ? 1 : -1) / factorial(2 * n + 3));
/** cos r = 1 - z/2 + z^2 C(z): C's coefficients (-1)^n / (2n+4)!, n = 0..7. */
const COS_COEFS = Array.from({ length: 8 }, (_, n) => (n % 2 ? -1 : 1) / factorial(2 * n + 4));
/** log: R = z Q(z), Q's coefficients 2 / (2n + 3), n = 0..9. */
const LOG_COEFS = Array.from({ length: 10 }, (_, n) => 2 / (2 * n + 3));

/** Pushes the polynomial with coefficients c (c[0] first) at z, by Estrin's scheme (powers z^2, z^4, ... kept in locals). */
function estrin(f: FunctionBuilder, z: Local, c: readonly number[]): void {
  const pows = new Map<number, Local>([[1, z]]);
  const pow = (h: number): Local => {
    let l = pows.get(h);
    if (!l) { const half = pow(h / 2); l = f.local("v128"); f.get(half).get(half).simd("f64x2.mul").set(l); pows.set(h, l); }
    return l;
  };
  const part = (lo: number, n: number): void => {
    if (n === 1) { splat(f, c[lo]!); return; }
    if (n === 2) { pair(f, z, c[lo]!, c[lo + 1]!); return; }
    let h = 1;
    while (2 * h < n) h *= 2;
    const zh = pow(h);
    part(lo, h); part(lo + h, n - h); f.get(zh).simd("f64x2.mul").simd("f64x2.add");
  };
  part(0, c.length);
}

/**
 * Replaces the lanes of each result that the mask `bad` selects by its host
 * function of x's lane (lanes outside the vector code's range), under one test.
 */
function patchLanes(f: FunctionBuilder, x: Local, bad: Local, results: readonly { readonly res: Local; readonly fallback: number }[]): void {
  f.get(bad).bits("v128.any_true");
  const l = f.if();
  for (const { res, fallback } of results) {
    f.get(res);
    for (const i of [0, 1]) f.get(x).lane("f64x2.extract_lane", i).call(fallback).lane("f64x2.replace_lane", i);
    f.get(res).get(bad).bits("v128.bitselect").set(res);
  }
  f.end(l);
}

/** The reduction and both polynomials of sin and cos at x - k pi/2, and the mask of the lanes for Math, in locals (see the header). */
interface TrigParts { readonly t: Local; readonly sin: Local; readonly cos: Local; readonly bad: Local }

function trigParts(f: FunctionBuilder, x: Local): TrigParts {
  const v = (): Local => f.local("v128");
  const [t, k, r0, w, s, bb, c, hi, lo, z, sin, cos, hz, one] = Array.from({ length: 14 }, v) as [Local, Local, Local, Local, Local, Local, Local, Local, Local, Local, Local, Local, Local, Local];
  f.get(x); splat(f, TWO_OVER_PI).simd("f64x2.mul"); splat(f, MAGIC).simd("f64x2.add").set(t);
  f.get(t); splat(f, MAGIC).simd("f64x2.sub").set(k);
  // r0 = x - k P1 (exact), w = k P2 (exact), s = r0 - w and its rounding error (TwoSum) plus -k P3 into c
  f.get(x).get(k); splat(f, PIO2_1).simd("f64x2.mul").simd("f64x2.sub").set(r0);
  f.get(k); splat(f, PIO2_2).simd("f64x2.mul").set(w);
  f.get(r0).get(w).simd("f64x2.sub").set(s);
  f.get(s).get(r0).simd("f64x2.sub").set(bb);
  f.get(r0).get(s).get(bb).simd("f64x2.sub").simd("f64x2.sub").get(w).get(bb).simd("f64x2.add").simd("f64x2.sub");
  f.get(k); splat(f, PIO2_3).simd("f64x2.mul").simd("f64x2.sub").set(c);
  // hi + lo = s + c (Fast2Sum: |s| >= |c| on the lanes not patched)
  f.get(s).get(c).simd("f64x2.add").set(hi);
  f.get(s).get(hi).simd("f64x2.sub").get(c).simd("f64x2.add").set(lo);
  f.get(hi).get(hi).simd("f64x2.mul").set(z);
  // sin = hi + (hi z S(z) + (lo - z/2 lo))
  f.get(hi);
  f.get(hi).get(z).simd("f64x2.mul"); estrin(f, z, SIN_COEFS); f.simd("f64x2.mul");
  f.get(lo).get(z); splat(f, 0.5).simd("f64x2.mul").get(lo).simd("f64x2.mul").simd("f64x2.sub");
  f.simd("f64x2.add").simd("f64x2.add").set(sin);
  // cos = one + (((1 - one) - hz) + (z^2 C(z) - hi lo)), hz = z/2, one = 1 - hz
  f.get(z); splat(f, 0.5).simd("f64x2.mul").set(hz);
  splat(f, 1).get(hz).simd("f64x2.sub").set(one);
  f.get(one);
  splat(f, 1).get(one).simd("f64x2.sub").get(hz).simd("f64x2.sub");
  f.get(z).get(z).simd("f64x2.mul"); estrin(f, z, COS_COEFS); f.simd("f64x2.mul");
  f.get(hi).get(lo).simd("f64x2.mul").simd("f64x2.sub");
  f.simd("f64x2.add").simd("f64x2.add").set(cos);
  // for Math: |x| > 2^20 or NaN, and x near a nonzero multiple of pi/2
  const bad = v();
  f.get(x).simd("f64x2.abs"); splat(f, TRIG_LIMIT).bits("f64x2.le").bits("v128.not");
  f.get(hi).simd("f64x2.abs"); splat(f, TRIG_TINY).bits("f64x2.lt");
  f.get(k); splat(f, 0).bits("f64x2.ne").bits("v128.and");
  f.bits("v128.or").set(bad);
  return { t, sin, cos, bad };
}

/** sin(x + q pi/2) (q = 0: sin, 1: cos) from the parts into a new local: the quadrant's choice and sign (the lanes for Math not patched yet). */
function trigSelect(f: FunctionBuilder, x: Local, p: TrigParts, q: 0 | 1): Local {
  const n = f.local("v128"), res = f.local("v128");
  // n = k + q in the low bits of t + q: odd n takes cos, bit 1 of n is the sign
  f.get(p.t); if (q) { splat(f, q).simd("f64x2.add"); } f.set(n);
  f.get(p.cos).get(p.sin);
  f.get(n); splat(f, Number.MIN_VALUE).bits("v128.and"); splat(f, Number.MIN_VALUE).bits("i64x2.eq"); // bit 0 of n (MIN_VALUE's bits: 1)
  f.bits("v128.bitselect");
  f.get(n).i32Const(62).bits("i64x2.shl"); splat(f, -0).bits("v128.and");
  f.bits("v128.xor").set(res);
  // sin(+-0) = +-0 (the sum above gives +0)
  if (q === 0) { f.get(x).get(res).get(x); splat(f, 0).bits("f64x2.eq").bits("v128.bitselect").set(res); }
  return res;
}

/** Pushes sin(x + q pi/2) for the vector in local x (`fallback`: the imported Math function's index). */
function vectorTrig(f: FunctionBuilder, x: Local, q: 0 | 1, fallback: number): void {
  const p = trigParts(f, x);
  const res = trigSelect(f, x, p, q);
  patchLanes(f, x, p.bad, [{ res, fallback }]);
  f.get(res);
}

/**
 * sin(x) and cos(x) of the vector in local x into two new locals, sharing the
 * reduction and the polynomials (a rule that calls both: sin's derivatives).
 * `fallback`: the indices of the imported Math.sin and Math.cos.
 */
export function vectorSinCos(f: FunctionBuilder, x: Local, fallback: { sin: number; cos: number }): { sin: Local; cos: Local } {
  const p = trigParts(f, x);
  const sin = trigSelect(f, x, p, 0), cos = trigSelect(f, x, p, 1);
  patchLanes(f, x, p.bad, [{ res: sin, fallback: fallback.sin }, { res: cos, fallback: fallback.cos }]);
  return { sin, cos };
}

/** Pushes log(x) for the vector in local x. */
function vectorLog(f: FunctionBuilder, x: Local, fallback: number): void {
  const v = (): Local => f.local("v128");
  const [e, ef, fm, s, z, hfsq, res, bad] = Array.from({ length: 8 }, v) as [Local, Local, Local, Local, Local, Local, Local, Local];
  // e + 1023 = (bits(x) - bits(1/sqrt2) + bits(1)) >> 52, non-negative for x normal (logical shifts only: x64
  // has no arithmetic 64-bit lane shift); f = m - 1, bits(m) = bits(x) - (e + 1023) << 52 + bits(1);
  // e as f64 through MAGIC's bits
  f.get(x); splat(f, Math.SQRT1_2).bits("i64x2.sub"); splat(f, 1).bits("i64x2.add").i32Const(52).bits("i64x2.shr_u").set(e);
  f.get(x).get(e).i32Const(52).bits("i64x2.shl").bits("i64x2.sub"); splat(f, 1).bits("i64x2.add"); splat(f, 1).simd("f64x2.sub").set(fm);
  f.get(e); splat(f, MAGIC).bits("i64x2.add"); splat(f, MAGIC + 1023).simd("f64x2.sub").set(ef);
  // s = f / (2 + f), z = s^2, hfsq = f^2 / 2
  f.get(fm); splat(f, 2).get(fm).simd("f64x2.add").simd("f64x2.div").set(s);
  f.get(s).get(s).simd("f64x2.mul").set(z);
  f.get(fm).get(fm).simd("f64x2.mul"); splat(f, 0.5).simd("f64x2.mul").set(hfsq);
  // e ln2_hi + (f - (hfsq - (s (hfsq + z Q(z)) + e ln2_lo)))
  f.get(ef); splat(f, LN2_HI).simd("f64x2.mul");
  f.get(fm);
  f.get(hfsq);
  f.get(s).get(hfsq).get(z); estrin(f, z, LOG_COEFS); f.simd("f64x2.mul").simd("f64x2.add").simd("f64x2.mul");
  f.get(ef); splat(f, LN2_LO).simd("f64x2.mul").simd("f64x2.add");
  f.simd("f64x2.sub").simd("f64x2.sub").simd("f64x2.add").set(res);
  // patched: anything but a positive normal number
  f.get(x); splat(f, 2 ** -1022).bits("f64x2.ge");
  f.get(x); splat(f, Number.MAX_VALUE).bits("f64x2.le").bits("v128.and").bits("v128.not").set(bad);
  patchLanes(f, x, bad, [{ res, fallback }]);
  f.get(res);
}

/** Pushes fn(x) for the vector in local x. */
export type VectorMath = (f: FunctionBuilder, x: Local, fallback?: number) => void;

const needs = (fn: VectorMathFn, fallback: number | undefined): number => {
  if (fallback === undefined) throw new Error(`vector ${fn}: needs the index of the imported Math.${fn} (SCALAR_FALLBACK)`);
  return fallback;
};

/** The functions by the Math name the derivative rules call; `fallback` the index of the imported Math function (SCALAR_FALLBACK). */
export const VECTOR_MATH: Record<VectorMathFn, VectorMath> = {
  exp: vectorExp,
  tanh: vectorTanh,
  sin: (f, x, fb) => vectorTrig(f, x, 0, needs("sin", fb)),
  cos: (f, x, fb) => vectorTrig(f, x, 1, needs("cos", fb)),
  log: (f, x, fb) => vectorLog(f, x, needs("log", fb)),
};
