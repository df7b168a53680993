// The f64x2 exp and tanh of compiler/wasm/vector-math.ts against JavaScript's
// Math.exp and Math.tanh (fdlibm in V8, not ours): at most 3 units in the last
// place of Math's value over their ranges, exact at the special values. The
// SIMD_BITS instructions they use run here too (a wrong opcode fails to validate
// or gives wrong numbers).
import { describe, expect, it } from "vitest";
import { ModuleBuilder, SIMD_BITS, VECTOR_MATH, whileLoop, type VectorMathFn } from "../../compiler/wasm/index.js";
import { instantiate, rng } from "./run.js";

const N = 1 << 14;

/** out[i] = fn(in[i]) for n elements (n even), addresses in bytes. */
function kernels() {
  const mod = new ModuleBuilder().importMemory(1);
  for (const name of Object.keys(VECTOR_MATH) as VectorMathFn[]) {
    mod.addFunction({ params: ["i32", "i32", "i32"], results: [] }, (f) => {
      const [n, out, inp] = f.params;
      const i = f.local("i32"), x = f.local("v128");
      whileLoop(f, () => f.get(i).get(n!).op("i32.lt_s"), () => {
        f.get(inp!).get(i).op("i32.add").mem("v128.load").set(x);
        f.get(out!).get(i).op("i32.add");
        VECTOR_MATH[name](f, x);
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

/** |got - want| in units of want's last place (0 when both are NaN or equal). */
function ulps(got: number, want: number): number {
  if (Object.is(got, want) || (Number.isNaN(got) && Number.isNaN(want))) return 0;
  if (!Number.isFinite(want) || !Number.isFinite(got)) return Infinity;
  return Math.abs(got - want) / Math.max(Number.EPSILON * Math.abs(want), Number.MIN_VALUE);
}

describe("vector exp and tanh (f64x2) against Math", () => {
  const run = kernels();
  const ranges: [VectorMathFn, (x: number) => number, number, number][] = [
    ["exp", Math.exp, -708, 709.7], ["exp", Math.exp, -1, 1], ["exp", Math.exp, -1e-6, 1e-6],
    ["tanh", Math.tanh, -25, 25], ["tanh", Math.tanh, -1, 1], ["tanh", Math.tanh, -1e-4, 1e-4], ["tanh", Math.tanh, 17, 21],
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

  it("special values: signed zeros, infinities, NaN, overflow, underflow, tiny arguments", () => {
    const xs = [0, -0, Infinity, -Infinity, NaN, 1e-300, -1e-300, 5e-324, 1e-17, 709.78, 710, 800, -745.2, -746, -800, 19.1, 22, 44, -44, 1e300, -1e300];
    for (const [name, ref] of [["exp", Math.exp], ["tanh", Math.tanh]] as const) {
      const got = run(name, xs);
      xs.forEach((x, i) => expect(ulps(got[i]!, ref(x)), `${name}(${x}) = ${got[i]}, Math: ${ref(x)}`).toBeLessThanOrEqual(3));
      xs.forEach((x, i) => { if (ref(x) === 0 || !Number.isFinite(ref(x)) || Number.isNaN(ref(x)) || Math.abs(ref(x)) === 1) expect(Object.is(got[i], ref(x)), `${name}(${x})`).toBe(true); });
    }
    // the subnormal range of exp: absolute error within one subnormal step of twice the spacing
    const sub = [-709, -720, -730, -740, -744];
    run("exp", sub).forEach((y, i) => expect(Math.abs(y - Math.exp(sub[i]!))).toBeLessThanOrEqual(Math.max(3 * Number.EPSILON * Math.exp(sub[i]!), 2 * Number.MIN_VALUE)));
  });

  it("every SIMD_BITS opcode is distinct", () => {
    expect(new Set(Object.values(SIMD_BITS)).size).toBe(Object.keys(SIMD_BITS).length);
  });
});
