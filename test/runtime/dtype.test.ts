/**
 * The runtime carries Float32Array (modules compiled with --dtype f32) as it
 * carries Float64Array: value, packed blocks and dense views keep the element
 * type, nothing is copied that was not copied in f64, and inputs are converted
 * once at entry.
 */
import { describe, expect, it } from "vitest";
import { Tensor, permute } from "../../runtime/tensor.js";
import { checkInputs } from "../../runtime/inputs.js";
import { OutputResult, type VarInfo } from "../../runtime/result.js";
import { expandPacked, packedSize } from "../../runtime/packed.js";

describe("runtime with Float32Array", () => {
  const WRT: VarInfo[] = [{ name: "x", shape: [2] }, { name: "w", shape: [3] }];
  const f32 = (n: number, start: number) => Float32Array.from({ length: n }, (_, i) => start + 0.1 * i);
  const xx = f32(2 * packedSize([2, 3], [2, 0]), 1);
  const xw = f32(2 * packedSize([2, 3], [1, 1]), 2);
  const value = new Tensor([2], Float32Array.of(0.5, -0.25));
  const res = new OutputResult(value, undefined, WRT, new Map([["x,x", xx], ["x,w", xw]]), 2);

  it("packed() hands back the block itself; value is the array given", () => {
    expect(res.packed("x", "x").data).toBe(xx);
    expect(res.value.data).toBe(value.data);
  });

  it("d(), permuted views and structural zeros are Float32Array", () => {
    const d = res.d("x", "w");
    expect(d.data).toBeInstanceOf(Float32Array);
    expect(d.shape).toEqual([2, 2, 3]);
    const swapped = res.d("w", "x");
    expect(swapped.data).toBeInstanceOf(Float32Array);
    expect(swapped.get(1, 2, 0)).toBe(d.get(1, 0, 2));
    for (const key of [["x"], ["w", "w"]]) {
      const z = res.d(...key);
      expect(z.data, key.join(",")).toBeInstanceOf(Float32Array);
      expect(Array.from(z.data).every((v) => v === 0)).toBe(true);
      expect(res.packed(...key).data).toBeInstanceOf(Float32Array);
    }
    // the entries are the float32 block's, not re-rounded
    expect(res.d("x", "x").get(0, 0, 1)).toBe(xx[1]);
  });

  it("expandPacked and permute keep the element type; f64 stays f64", () => {
    expect(expandPacked(f32(3, 0), 1, [2], [2])).toBeInstanceOf(Float32Array);
    expect(expandPacked(Float64Array.of(1, 2, 3), 1, [2], [2])).toBeInstanceOf(Float64Array);
    expect(permute(new Tensor([2, 1], Float32Array.of(1, 2)), [1, 0]).data).toBeInstanceOf(Float32Array);
    expect(permute(new Tensor([2, 1], Float64Array.of(1, 2)), [1, 0]).data).toBeInstanceOf(Float64Array);
  });

  it("checkInputs converts to the module's type once, and passes that type through", () => {
    const specs = [{ name: "x", shape: [-1, 2] }, { name: "w", shape: [3] }];
    const x32 = Float32Array.of(1, 2, 3, 4);
    const w64 = Float64Array.of(0.1, 0.2, 0.3);
    const a = checkInputs("m", { x: { shape: [2, 2], data: x32 }, w: { shape: [3], data: w64 } }, specs, Float32Array);
    expect(a.B).toBe(2);
    expect(a.data[0]).toBe(x32); // already float32: not copied
    expect(a.data[1]).toBeInstanceOf(Float32Array);
    expect(Array.from(a.data[1]!)).toEqual([Math.fround(0.1), Math.fround(0.2), Math.fround(0.3)]);
    const plain = checkInputs("m", { x: { shape: [1, 2], data: [1, 2] }, w: { shape: [3], data: [1, 2, 3] } }, specs, Float32Array);
    expect(plain.data[0]).toBeInstanceOf(Float32Array);
    // the default stays Float64Array: an f32 input is widened for an f64 module
    const b = checkInputs("m", { x: { shape: [2, 2], data: x32 }, w: { shape: [3], data: w64 } }, specs);
    expect(b.data[0]).toBeInstanceOf(Float64Array);
    expect(b.data[1]).toBe(w64);
  });
});
