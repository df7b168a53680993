/**
 * TensorFlow.js at the edges: checkInputs takes a real tf.Tensor (duck-typed,
 * read with dataSync) and nested arrays; runtime/tfjs.ts (thoad/tfjs) turns
 * tensors and results into tf.Tensors with the namespace the caller passes.
 * Only this test imports @tensorflow/tfjs (a devDependency).
 */
import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { checkInputs, type InputSpec } from "../../runtime/inputs.js";
import { Tensor } from "../../runtime/tensor.js";
import { loadTf, outputsToTf, resultToTf, toTf } from "../../runtime/tfjs.js";
import { compileOk } from "../helpers/compile.js";

const SPECS: InputSpec[] = [{ name: "x", shape: [-1, 3] }, { name: "W", shape: [3, 2] }, { name: "s", shape: [] }];
const W = Tensor.zeros([3, 2]);

describe("checkInputs with tf.Tensors", () => {
  it("float32, int32 and bool tensors: their values, as Float64Array or the module's Float32Array", () => {
    const x = tf.tensor2d([[1.5, 2, 3], [4, 5, -6.25]]);
    const { B, data } = checkInputs("m", { x, W, s: tf.scalar(2, "int32") }, SPECS);
    expect(B).toBe(2);
    expect(data[0]).toBeInstanceOf(Float64Array);
    expect(Array.from(data[0]!)).toEqual([1.5, 2, 3, 4, 5, -6.25]);
    expect(Array.from(data[2]!)).toEqual([2]);
    const bools = checkInputs("m", { x: tf.tensor2d([[true, false, true]], [1, 3], "bool"), W: tf.zeros([3, 2], "int32"), s: 0 }, SPECS);
    expect(bools.B).toBe(1);
    expect(Array.from(bools.data[0]!)).toEqual([1, 0, 1]);
    const f32 = checkInputs("m", { x, W: tf.ones([3, 2]), s: tf.scalar(0.1) }, SPECS, Float32Array);
    expect(f32.data[0]).toBeInstanceOf(Float32Array);
    expect(Array.from(f32.data[2]!)).toEqual([Math.fround(0.1)]);
  });

  it("shape errors name the input and both shapes, as for any input", () => {
    expect(() => checkInputs("m", { x: tf.zeros([2, 4]), W, s: 1 }, SPECS)).toThrow("m: input 'x' has shape [2, 4], expected [B, 3]");
    expect(() => checkInputs("m", { x: tf.zeros([2, 3]), W: tf.zeros([2, 3]), s: 1 }, SPECS)).toThrow("m: input 'W' has shape [2, 3], expected [3, 2]");
    expect(() => checkInputs("m", { x: tf.zeros([2, 3]), W, s: tf.zeros([1]) }, SPECS)).toThrow("m: input 's' has shape [1], expected []");
  });

  it("a string tensor or a disposed one is an Error naming the input", () => {
    expect(() => checkInputs("m", { x: tf.tensor([["a", "b", "c"]]), W, s: 1 }, SPECS)).toThrow(/m: input 'x' is a tf.Tensor of dtype string/);
    const gone = tf.zeros([1, 3]);
    gone.dispose();
    expect(() => checkInputs("m", { x: gone, W, s: 1 }, SPECS)).toThrow(/m: input 'x': cannot read the tf.Tensor \(.*disposed/);
  });
});

describe("checkInputs with nested arrays and numbers", () => {
  it("as thoadc eval reads them: rows of numbers, a number for a scalar", () => {
    const { B, data } = checkInputs("m", { x: [[1, 2, 3], [4, 5, 6]], W: [[1, 2], [3, 4], [5, 6]], s: 7 }, SPECS);
    expect(B).toBe(2);
    expect(data.map((d) => Array.from(d))).toEqual([[1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 5, 6], [7]]);
    expect(checkInputs("m", { x: [[1, 2, 3]], W, s: 7 }, SPECS, Float32Array).data[0]).toBeInstanceOf(Float32Array);
  });

  it("wrong shape, ragged or non-numeric: Errors naming the input", () => {
    expect(() => checkInputs("m", { x: [[1, 2], [3, 4]], W, s: 1 }, SPECS)).toThrow("m: input 'x' has shape [2, 2], expected [B, 3]");
    expect(() => checkInputs("m", { x: [1, 2, 3], W, s: 1 }, SPECS)).toThrow("m: input 'x' has shape [3], expected [B, 3]");
    expect(() => checkInputs("m", { x: [[1, 2, 3], [4, 5]], W, s: 1 }, SPECS)).toThrow(/m: input 'x': Tensor.from: ragged nested array at axis 1/);
    expect(() => checkInputs("m", { x: [[1, 2, "3"]], W, s: 1 }, SPECS)).toThrow(/m: input 'x': Tensor.from: ragged or non-numeric/);
    expect(() => checkInputs("m", { x: [[]], W, s: 1 }, SPECS)).toThrow("m: input 'x' has shape [1, 0], expected [B, 3]");
  });

  it("the fast path: a Float64Array given as data is used as it is", () => {
    const data = new Float64Array(6);
    expect(checkInputs("m", { x: { shape: [2, 3], data }, W, s: 1 }, SPECS).data[0]).toBe(data);
  });
});

describe("a compiled model called with tf.Tensors and nested arrays", () => {
  const SRC = "model t {\n  batch B\n  input x : [B, 2]\n  param W : [2, 3]\n  y = tanh(x @ W)\n  s = sum(y * y, axis=1)\n  output y, s\n}\n";
  const { fn } = compileOk(SRC, { order: 2, wrt: ["x", "W"] });
  // values exact in float32, so that every input form gives the same numbers
  const xs = [[0.5, -1], [0.25, 2], [1, 0.125]], Ws = [[0.5, -0.25, 1], [0.75, 0.5, -1.5]];
  const want = fn({ x: Tensor.from(xs), W: Tensor.from(Ws) });

  it("the same numbers as Float64Array inputs", () => {
    for (const got of [fn({ x: tf.tensor2d(xs), W: tf.tensor2d(Ws) }), fn({ x: xs, W: Ws } as never), fn({ x: tf.tensor2d(xs), W: Ws } as never)]) {
      for (const o of ["y", "s"]) {
        expect(Array.from(got[o]!.value.data)).toEqual(Array.from(want[o]!.value.data));
        for (const k of want[o]!.keys()) expect(Array.from(got[o]!.d(...k.split(",")).data), `${o} ${k}`).toEqual(Array.from(want[o]!.d(...k.split(",")).data));
      }
    }
  });

  it("resultToTf / outputsToTf: value and every d() key as tf.Tensors of the right shapes and values", () => {
    const y = want.y!;
    const r = resultToTf(tf, y);
    expect(r.value.shape).toEqual([3, 3]);
    expect(Object.keys(r.d)).toEqual(["x", "W", "x,x", "x,W", "W,W"]);
    for (const k of y.keys()) {
      const dense = y.d(...k.split(","));
      expect(r.d[k]!.shape, k).toEqual(dense.shape);
      expect(r.d[k]!.dtype, k).toBe("float32");
      expect(Array.from(r.d[k]!.dataSync()), k).toEqual(Array.from(Float32Array.from(dense.data)));
    }
    expect(Array.from(r.value.dataSync())).toEqual(Array.from(Float32Array.from(y.value.data)));
    const some = resultToTf(tf, y, ["W,x"]);
    expect(Object.keys(some.d)).toEqual(["W,x"]);
    expect(some.d["W,x"]!.shape).toEqual(y.d("W", "x").shape);
    const all = outputsToTf(tf, want);
    expect(Object.keys(all)).toEqual(["y", "s"]);
    expect(all.s!.value.shape).toEqual([3]);
    expect(all.s!.d["x,x"]!.shape).toEqual([3, 2, 2]);
    expect(all.s!.d["W"]!.shape).toEqual([3, 2, 3]);
    tf.dispose([r.value, ...Object.values(r.d), some.value, ...Object.values(some.d), ...Object.values(all).flatMap((o) => [o.value, ...Object.values(o.d)])]);
  });
});

describe("toTf", () => {
  it("shape, float32 values, int32 on request; a copy, not a view", () => {
    const t = Tensor.from([[1, 2.5, 1 / 3], [4, 5, 6]]);
    const a = toTf(tf, t);
    expect(a).toBeInstanceOf(tf.Tensor);
    expect(a.shape).toEqual([2, 3]);
    expect(a.dtype).toBe("float32");
    expect(Array.from(a.dataSync())).toEqual([1, 2.5, Math.fround(1 / 3), 4, 5, 6]);
    t.data[0] = 100;
    expect(a.dataSync()[0]).toBe(1);
    const f32 = new Tensor([2], new Float32Array([1, 2]));
    const b = toTf(tf, f32);
    f32.data[0] = 9;
    expect(Array.from(b.dataSync())).toEqual([1, 2]);
    const s = toTf(tf, Tensor.from(3.5));
    expect(s.shape).toEqual([]);
    expect(s.dataSync()[0]).toBe(3.5);
    const i = toTf(tf, Tensor.from([1, -2, 3]), "int32");
    expect(i.dtype).toBe("int32");
    expect(Array.from(i.dataSync())).toEqual([1, -2, 3]);
    const e = toTf(tf, Tensor.zeros([2, 0]));
    expect(e.shape).toEqual([2, 0]);
    tf.dispose([a, b, s, i, e]);
  });
});

describe("loadTf", () => {
  it("finds @tensorflow/tfjs when tfjs-node is not installed", async () => {
    const ns = await loadTf();
    expect(typeof ns.tensor).toBe("function");
    expect(ns.version).toEqual(tf.version);
    const t = toTf(ns as unknown as typeof tf, Tensor.from([1, 2]));
    expect(Array.from(t.dataSync())).toEqual([1, 2]);
  });
});
