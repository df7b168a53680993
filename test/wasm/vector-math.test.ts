// The f64x2 exp, tanh, sin, cos and log of compiler/wasm/vector-math.ts against
// JavaScript's Math functions (fdlibm in V8, not ours): at most 3 units in the
// last place of Math's value over their ranges, exact at the special values and
// on the lanes handed to Math. The SIMD_BITS instructions they use run here too
// (a wrong opcode fails to validate or gives wrong numbers).
import { describe, expect, it } from "vitest";
import { ModuleBuilder, SCALAR_FALLBACK, SIMD_BITS, splitConstant, VECTOR_MATH, whileLoop, type VectorMathFn } from "../../compiler/wasm/index.js";
import { instantiate, rng } from "./run.js";

const N = 1 << 14;

/** out[i] = fn(in[i]) for n elements (n even), addresses in bytes. */
function kernels() {
  const mod = new ModuleBuilder().importMemory(1);
  const fallback = new Map([...SCALAR_FALLBACK].map((fn) => [fn, mod.importFunction("Math", fn, { params: ["f64"], results: ["f64"] })]));
  for (const name of Object.keys(VECTOR_MATH) as VectorMathFn[]) {
    mod.addFunction({ params: ["i32", "i32", "i32"], results: [] }, (f) => {
      const [n, out, inp] = f.params;
      const i = f.local("i32"), x = f.local("v128");
      whileLoop(f, () => f.get(i).get(n!).op("i32.lt_s"), () => {
        f.get(inp!).get(i).op("i32.add").mem("v128.load").set(x);
        f.get(out!).get(i).op("i32.add");
        VECTOR_MATH[name](f, x, fallback.get(name));
        f.mem("v128.store");
        f.get(i).i32Const(16).op("i32.add").set(i);
      });
    }, name);
  }
  const k = instantiate(mod, 2 * N * 8);
  const xs = new Float64Array(k.memory.buffer, 0, N), ys = new Float64Array(k.memory.buffer, N * 8, N);
  return (name: VectorMathFn, input: readonly number[]): Float64Array => {
    xs.set(input);
    (k.exports[name] as (n: number, o: number, i: number) => void)(Math.ceil(input.length / 2) * 16, N * 8, 0);
    return ys.slice(0, input.length);
  };
}

/** The next double above x (x finite). */
function nextUp(x: number): number {
  if (x === 0) return Number.MIN_VALUE;
  const b = new BigInt64Array(new Float64Array([x]).buffer);
  b[0]! += x > 0 ? 1n : -1n;
  return new Float64Array(b.buffer)[0]!;
}

/** |got - want| in units of want's last place (0 when both are NaN or equal). */
function ulps(got: number, want: number): number {
  if (Object.is(got, want) || (Number.isNaN(got) && Number.isNaN(want))) return 0;
  if (!Number.isFinite(want) || !Number.isFinite(got)) return Infinity;
  return Math.abs(got - want) / Math.max(Number.EPSILON * Math.abs(want), Number.MIN_VALUE);
}

/** n numbers spread log-uniformly over [lo, hi] (0 < lo < hi), seeded. */
function logUniform(lo: number, hi: number, n: number): number[] {
  const r = rng(Math.log(lo) + 3 * Math.log(hi));
  return Array.from({ length: n }, () => Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * r()));
}

describe("vector exp, tanh, sin, cos and log (f64x2) against Math", () => {
  const run = kernels();
  const ranges: [VectorMathFn, (x: number) => number, number, number][] = [
    ["exp", Math.exp, -708, 709.7], ["exp", Math.exp, -1, 1], ["exp", Math.exp, -1e-6, 1e-6],
    ["tanh", Math.tanh, -25, 25], ["tanh", Math.tanh, -1, 1], ["tanh", Math.tanh, -1e-4, 1e-4], ["tanh", Math.tanh, 17, 21],
    ["sin", Math.sin, -0.8, 0.8], ["sin", Math.sin, -10, 10], ["sin", Math.sin, -1e-5, 1e-5], ["sin", Math.sin, 1e5, 1.0485e6], ["sin", Math.sin, -3e6, 3e6],
    ["cos", Math.cos, -0.8, 0.8], ["cos", Math.cos, -10, 10], ["cos", Math.cos, -1e-5, 1e-5], ["cos", Math.cos, 1e5, 1.0485e6], ["cos", Math.cos, -3e6, 3e6],
    ["log", Math.log, 0.5, 2], ["log", Math.log, 1e-3, 1e3], ["log", Math.log, 0.999999, 1.000001],
  ];
  for (const [name, ref, lo, hi] of ranges) {
    it(`${name} on [${lo}, ${hi}]: within 3 ulp of Math.${name}`, () => {
      const r = rng(lo * 7 + hi);
      const xs = Array.from({ length: N }, () => lo + (hi - lo) * r());
      const got = run(name, xs);
      let worst = 0, at = 0;
      xs.forEach((x, i) => { const u = ulps(got[i]!, ref(x)); if (u > worst) { worst = u; at = x; } });
      expect(worst, `at x = ${at}`).toBeLessThanOrEqual(3);
    });
  }

  it("log over the positive normal numbers (log-uniform): within 3 ulp of Math.log", () => {
    const xs = logUniform(2 ** -1022, Number.MAX_VALUE, N);
    const got = run("log", xs);
    let worst = 0;
    xs.forEach((x, i) => { worst = Math.max(worst, ulps(got[i]!, Math.log(x))); });
    expect(worst).toBeLessThanOrEqual(3);
  });

  it("sin and cos next to multiples of pi/2 (the reduction's cancellation): within 3 ulp of Math", () => {
    // the doubles nearest k pi/2 and their neighbours a few ulps away
    const xs: number[] = [];
    for (let k = -4000; k <= 4000; k += 7) {
      const c = (k * Math.PI) / 2;
      let y = c;
      for (let j = 0; j < 4; j++) { xs.push(y, -y); y = nextUp(y); }
    }
    for (const fn of ["sin", "cos"] as const) {
      const got = run(fn, xs);
      xs.forEach((x, i) => expect(ulps(got[i]!, Math[fn](x)), `${fn}(${x}) = ${got[i]}, Math: ${Math[fn](x)}`).toBeLessThanOrEqual(3));
    }
  });

  it("splitConstant: the parts of pi/2 have the asked bits and add up to pi/2 (100 digits) within 2^-115", () => {
    const digits = "31415926535897932384626433832795028841971693993751058209749445923078164062862089986280348253421170679";
    const den = 2n * 10n ** 100n;
    const parts = splitConstant(BigInt(digits), den, [33, 33, 53]);
    const bits = (x: number): number => { let m = Math.abs(x); while (!Number.isInteger(m)) m *= 2; return m.toString(2).replace(/0+$/, "").length; };
    expect(bits(parts[0]!)).toBeLessThanOrEqual(33);
    expect(bits(parts[1]!)).toBeLessThanOrEqual(33);
    expect(parts[0]! + parts[1]!).toBe(Math.PI / 2);
    // sum exactly: each part is m 2^e; scale by 2^200
    const exact = (x: number): bigint => { let e = 0, m = x; while (!Number.isInteger(m)) { m *= 2; e++; } return BigInt(m) << BigInt(200 - e); };
    const sum = parts.reduce((a, p) => a + exact(p), 0n);
    const want = (BigInt(digits) << 200n) / den;
    const diff = sum > want ? sum - want : want - sum;
    expect(diff < 1n << 85n).toBe(true); // 2^(200 - 115)
  });

  it("special values: signed zeros, infinities, NaN, overflow, underflow, tiny arguments", () => {
    const xs = [0, -0, Infinity, -Infinity, NaN, 1e-300, -1e-300, 5e-324, 1e-17, 709.78, 710, 800, -745.2, -746, -800, 19.1, 22, 44, -44, 1e300, -1e300];
    const logs = [1, 2, 0.5, Number.MAX_VALUE, 2 ** -1022, 2 ** -1022 * 0.5, 5e-324, -5e-324, -1, 1e-310, 0.7071067811865476, 1.4142135623730951];
    for (const [name, ref, more] of [["exp", Math.exp, []], ["tanh", Math.tanh, []], ["sin", Math.sin, [Math.PI, 1e7, 2 ** 20, -(2 ** 20), 1.5e300, 1e-320]], ["cos", Math.cos, [Math.PI, 1e7, 2 ** 20, 1.5e300, 1e-320]], ["log", Math.log, logs]] as const) {
      const xs2 = [...xs, ...more];
      const got = run(name, xs2);
      xs2.forEach((x, i) => expect(ulps(got[i]!, ref(x)), `${name}(${x}) = ${got[i]}, Math: ${ref(x)}`).toBeLessThanOrEqual(3));
      xs2.forEach((x, i) => { if (ref(x) === 0 || !Number.isFinite(ref(x)) || Number.isNaN(ref(x)) || Math.abs(ref(x)) === 1) expect(Object.is(got[i], ref(x)), `${name}(${x})`).toBe(true); });
    }
    // the subnormal range of exp: absolute error within one subnormal step of twice the spacing
    const sub = [-709, -720, -730, -740, -744];
    run("exp", sub).forEach((y, i) => expect(Math.abs(y - Math.exp(sub[i]!))).toBeLessThanOrEqual(Math.max(3 * Number.EPSILON * Math.exp(sub[i]!), 2 * Number.MIN_VALUE)));
  });

  it("every SIMD_BITS opcode is distinct", () => {
    expect(new Set(Object.values(SIMD_BITS)).size).toBe(Object.keys(SIMD_BITS).length);
  });
});
