// Every opcode table entry runs in the engine against a JS reference. The
// reference tables are typed Record<Op, ...>, so an instruction added to
// compiler/wasm/opcodes.ts without a reference here fails to compile.
import { describe, expect, test } from "vitest";
import { LANE, ModuleBuilder, SIMD, PLAIN, type LaneOp, type PlainOp, type SimdOp } from "../../compiler/wasm/index.js";
import { WasmArena } from "../../runtime/wasm.js";
import { instantiate, rng } from "./run.js";

type Ref = { readonly arity: 1 | 2; readonly f: (a: number, b: number) => number };
const u1 = (f: (a: number) => number): Ref => ({ arity: 1, f: (a) => f(a) });
const b2 = (f: (a: number, b: number) => number): Ref => ({ arity: 2, f });

const FLOAT_REF = {
  abs: u1(Math.abs), neg: u1((a) => -a), sqrt: u1(Math.sqrt),
  add: b2((a, b) => a + b), sub: b2((a, b) => a - b), mul: b2((a, b) => a * b), div: b2((a, b) => a / b),
  min: b2(Math.min), max: b2(Math.max),
};

// "splat" is checked on its own below (its input is a scalar).
const SIMD_REF: Record<Exclude<SimdOp, "f32x4.splat" | "f64x2.splat">, Ref> = {
  "f32x4.abs": FLOAT_REF.abs, "f32x4.neg": FLOAT_REF.neg, "f32x4.sqrt": FLOAT_REF.sqrt,
  "f32x4.add": FLOAT_REF.add, "f32x4.sub": FLOAT_REF.sub, "f32x4.mul": FLOAT_REF.mul, "f32x4.div": FLOAT_REF.div,
  "f32x4.min": FLOAT_REF.min, "f32x4.max": FLOAT_REF.max,
  "f64x2.abs": FLOAT_REF.abs, "f64x2.neg": FLOAT_REF.neg, "f64x2.sqrt": FLOAT_REF.sqrt,
  "f64x2.add": FLOAT_REF.add, "f64x2.sub": FLOAT_REF.sub, "f64x2.mul": FLOAT_REF.mul, "f64x2.div": FLOAT_REF.div,
  "f64x2.min": FLOAT_REF.min, "f64x2.max": FLOAT_REF.max,
};

const u32 = (x: number) => x >>> 0;
const bool = (c: boolean) => (c ? 1 : 0);
const INT_REF: Record<Extract<PlainOp, `i32.${string}`>, Ref> = {
  "i32.eqz": u1((a) => bool(a === 0)), "i32.eq": b2((a, b) => bool(a === b)), "i32.ne": b2((a, b) => bool(a !== b)),
  "i32.lt_s": b2((a, b) => bool(a < b)), "i32.lt_u": b2((a, b) => bool(u32(a) < u32(b))),
  "i32.gt_s": b2((a, b) => bool(a > b)), "i32.gt_u": b2((a, b) => bool(u32(a) > u32(b))),
  "i32.le_s": b2((a, b) => bool(a <= b)), "i32.le_u": b2((a, b) => bool(u32(a) <= u32(b))),
  "i32.ge_s": b2((a, b) => bool(a >= b)), "i32.ge_u": b2((a, b) => bool(u32(a) >= u32(b))),
  "i32.add": b2((a, b) => (a + b) | 0), "i32.sub": b2((a, b) => (a - b) | 0), "i32.mul": b2(Math.imul),
  "i32.and": b2((a, b) => a & b), "i32.or": b2((a, b) => a | b),
  "i32.shl": b2((a, b) => a << b), "i32.shr_s": b2((a, b) => a >> b), "i32.shr_u": b2((a, b) => (a >>> b) | 0),
};
type FloatPlain = Extract<PlainOp, `f64.${string}` | `f32.${string}`>;
const SCALAR_FLOAT_REF: Record<Exclude<FloatPlain, "f32.demote_f64" | "f64.promote_f32">, Ref> = {
  "f32.abs": FLOAT_REF.abs, "f32.neg": FLOAT_REF.neg, "f32.sqrt": FLOAT_REF.sqrt, "f32.add": FLOAT_REF.add, "f32.sub": FLOAT_REF.sub,
  "f32.mul": FLOAT_REF.mul, "f32.div": FLOAT_REF.div, "f32.min": FLOAT_REF.min, "f32.max": FLOAT_REF.max,
  "f64.abs": FLOAT_REF.abs, "f64.neg": FLOAT_REF.neg, "f64.sqrt": FLOAT_REF.sqrt, "f64.add": FLOAT_REF.add, "f64.sub": FLOAT_REF.sub,
  "f64.mul": FLOAT_REF.mul, "f64.div": FLOAT_REF.div, "f64.min": FLOAT_REF.min, "f64.max": FLOAT_REF.max,
};

/** Random finite non-zero floats of both signs (sqrt gets |x|); f32 values are exact f32 numbers. */
function floats(n: number, seed: number, f32: boolean): number[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => {
    const x = (r() - 0.5) * 2 ** Math.floor(r() * 20 - 10);
    return f32 ? Math.fround(x) : x;
  });
}

describe("SIMD float instructions, lane by lane", () => {
  const names = Object.keys(SIMD_REF) as (keyof typeof SIMD_REF)[];
  test.each(names)("%s", (name) => {
    const f32 = name.startsWith("f32x4");
    const ref = SIMD_REF[name];
    const lanes = f32 ? 4 : 2;
    const mod = new ModuleBuilder().importMemory(1);
    mod.addFunction({ params: ["i32", "i32", "i32"], results: [] }, (f) => {
      const [a, b, out] = f.params;
      f.get(out).get(a).mem("v128.load");
      if (ref.arity === 2) f.get(b).mem("v128.load");
      f.simd(name).mem("v128.store");
    }, "op");
    const { memory, exports } = instantiate(mod);
    const arena = new WasmArena(memory);
    const [pa, pb, po] = [arena.reserve(lanes, 8), arena.reserve(lanes, 8), arena.reserve(lanes, 8)];
    const view = (p: number) => (f32 ? arena.f32(p, lanes) : arena.f64(p, lanes));
    const round = f32 ? Math.fround : (x: number) => x;
    for (let trial = 0; trial < 20; trial++) {
      const xa = floats(lanes, 2 * trial + 1, f32).map((x) => (name.endsWith("sqrt") ? Math.abs(x) : x));
      const xb = floats(lanes, 2 * trial + 2, f32);
      view(pa).set(xa), view(pb).set(xb);
      exports.op(pa, pb, po);
      expect([...view(po)]).toEqual(xa.map((x, l) => round(ref.f(x, xb[l]))));
    }
  });

  test.each(["f64x2.splat", "f32x4.splat"] as const)("%s then extract_lane / replace_lane", (name) => {
    const f32 = name === "f32x4.splat";
    const lanes = f32 ? 4 : 2;
    const t = f32 ? "f32" : "f64";
    const extract: LaneOp = f32 ? "f32x4.extract_lane" : "f64x2.extract_lane";
    const replace: LaneOp = f32 ? "f32x4.replace_lane" : "f64x2.replace_lane";
    const mod = new ModuleBuilder();
    for (let l = 0; l < lanes; l++) {
      // splat(x), replace lane l by y, return lane `l` + 1000 * lane `(l+1) mod lanes` (distinguishes the lanes)
      mod.addFunction({ params: [t, t], results: [t] }, (f) => {
        const v = f.local("v128");
        f.get(f.params[0]).simd(name).get(f.params[1]).lane(replace, l).set(v);
        f.get(v).lane(extract, l).get(v).lane(extract, (l + 1) % lanes);
        f.op(f32 ? "f32.sub" : "f64.sub");
      }, `lane${l}`);
    }
    const { exports } = instantiate(mod);
    for (let l = 0; l < lanes; l++) expect(exports[`lane${l}`](3, 10)).toBe(10 - 3);
    expect(() => mod.addFunction({ params: [], results: [] }, (f) => void f.lane(extract, lanes))).toThrow(RangeError);
    expect(LANE[extract].lanes).toBe(lanes);
  });
});

describe("scalar instructions", () => {
  test.each(Object.keys(INT_REF) as (keyof typeof INT_REF)[])("%s", (name) => {
    const ref = INT_REF[name];
    const mod = new ModuleBuilder();
    mod.addFunction({ params: ["i32", "i32"], results: ["i32"] }, (f) => {
      f.get(f.params[0]);
      if (ref.arity === 2) f.get(f.params[1]);
      f.op(name);
    }, "op");
    const { exports } = instantiate(mod);
    const r = rng(7);
    const ints = [0, 1, -1, 5, 31, -(2 ** 31), 2 ** 31 - 1, ...Array.from({ length: 12 }, () => (r() * 2 ** 32) | 0)];
    for (const a of ints) for (const b of ints) {
      const bb = name.startsWith("i32.sh") ? b & 31 : b;
      expect(exports.op(a, bb)).toBe(ref.f(a, bb));
    }
  });

  test.each(Object.keys(SCALAR_FLOAT_REF) as (keyof typeof SCALAR_FLOAT_REF)[])("%s", (name) => {
    const ref = SCALAR_FLOAT_REF[name];
    const f32 = name.startsWith("f32");
    const t = f32 ? "f32" : "f64";
    const mod = new ModuleBuilder();
    mod.addFunction({ params: [t, t], results: [t] }, (f) => {
      f.get(f.params[0]);
      if (ref.arity === 2) f.get(f.params[1]);
      f.op(name);
    }, "op");
    const { exports } = instantiate(mod);
    const xs = floats(30, 11, f32);
    const round = f32 ? Math.fround : (x: number) => x;
    for (let i = 0; i < xs.length - 1; i++) {
      const a = name.endsWith("sqrt") ? Math.abs(xs[i]) : xs[i];
      expect(exports.op(a, xs[i + 1])).toBe(round(ref.f(a, xs[i + 1])));
    }
  });

  test("f32.demote_f64, f64.promote_f32, memory.size, drop, nop", () => {
    const mod = new ModuleBuilder().importMemory(3);
    mod.addFunction({ params: ["f64"], results: ["f64"] }, (f) => void f.get(f.params[0]).op("f32.demote_f64").op("nop").op("f64.promote_f32"), "round32");
    mod.addFunction({ params: [], results: ["i32"] }, (f) => void f.i32Const(9).op("drop").memorySize(), "pages");
    const { exports } = instantiate(mod, 3 * 65536);
    for (const x of [0.1, Math.PI, -1e-20, 3e38]) expect(exports.round32(x)).toBe(Math.fround(x));
    expect(exports.pages()).toBe(3);
  });

  test("PLAIN and SIMD hold distinct opcodes", () => {
    expect(new Set(Object.values(PLAIN)).size).toBe(Object.keys(PLAIN).length);
    expect(new Set(Object.values(SIMD)).size).toBe(Object.keys(SIMD).length);
  });
});
