// LEB128 against published byte sequences and against the engine: an i32.const
// we encode must come back from WebAssembly as the same number.
import { describe, expect, test } from "vitest";
import { ModuleBuilder, sleb, uleb } from "../../compiler/wasm/index.js";
import { instantiate } from "./run.js";

describe("LEB128", () => {
  test("known encodings (DWARF / Wikipedia examples and boundaries)", () => {
    expect(uleb(0)).toEqual([0x00]);
    expect(uleb(127)).toEqual([0x7f]);
    expect(uleb(128)).toEqual([0x80, 0x01]);
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(uleb(0xffffffff)).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect(sleb(0)).toEqual([0x00]);
    expect(sleb(-1)).toEqual([0x7f]);
    expect(sleb(63)).toEqual([0x3f]);
    expect(sleb(64)).toEqual([0xc0, 0x00]); // bit 6 set would read as negative: needs a second byte
    expect(sleb(-64)).toEqual([0x40]);
    expect(sleb(-65)).toEqual([0xbf, 0x7f]);
    expect(sleb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
  });

  test("out-of-range values are refused, not truncated", () => {
    expect(() => uleb(-1)).toThrow(RangeError);
    expect(() => uleb(2 ** 32)).toThrow(RangeError);
    expect(() => sleb(2 ** 31)).toThrow(RangeError);
    expect(() => uleb(1.5)).toThrow(RangeError);
  });

  test("i32.const round-trips through the engine for boundary and random values", () => {
    const values = [0, 1, -1, 63, 64, -64, -65, 127, 128, 8191, 8192, -8192, -8193, 2 ** 31 - 1, -(2 ** 31)];
    for (let i = 0; i < 40; i++) values.push(((i * 2654435761) | 0) >> (i % 31));
    const mod = new ModuleBuilder();
    values.forEach((v, i) => mod.addFunction({ params: [], results: ["i32"] }, (f) => void f.i32Const(v), `c${i}`));
    const { exports } = instantiate(mod);
    values.forEach((v, i) => expect(exports[`c${i}`]()).toBe(v));
  });

  test("f64 and f32 constants round-trip (f32 rounded once, as Math.fround)", () => {
    const values = [0, -0, 1, -2.5, Math.PI, 1e-310, 1.7976931348623157e308, 0.1];
    const mod = new ModuleBuilder();
    values.forEach((v, i) => {
      mod.addFunction({ params: [], results: ["f64"] }, (f) => void f.f64Const(v), `d${i}`);
      mod.addFunction({ params: [], results: ["f32"] }, (f) => void f.f32Const(v), `s${i}`);
    });
    const { exports } = instantiate(mod);
    values.forEach((v, i) => {
      expect(Object.is(exports[`d${i}`](), v)).toBe(true);
      expect(Object.is(exports[`s${i}`](), Math.fround(v))).toBe(true);
    });
  });
});
