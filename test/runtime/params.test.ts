/**
 * runtime/params.ts: bindParams binds some inputs of a model (trained weights);
 * the caller's inputs override them; metadata, `bound` and `withParams` carry
 * over, binding composes, and names like `__proto__` are plain entries.
 */
import { describe, expect, it } from "vitest";
import { bindParams } from "../../runtime/params.js";
import { Tensor } from "../../runtime/tensor.js";
import { compileOk } from "../helpers/compile.js";

type Inputs = Record<string, unknown>;

/** A stand-in for a generated model: records what it was called with. */
function fakeModel(inputs: Record<string, readonly number[]>) {
  const calls: { inputs: Inputs; options: unknown }[] = [];
  const fn = (i: Inputs, options?: { threads?: number }) => {
    if (i === null || typeof i !== "object") throw new Error("m: expected an object of named inputs");
    calls.push({ inputs: i, options });
    return { y: calls.length };
  };
  return { calls, model: Object.assign(fn, { order: 2, mode: "forward", wrt: ["x"], inputs, outputs: ["y"] }) };
}

const x = Tensor.from([[1, 2]]), W = Tensor.from([[1, 2, 3], [4, 5, 6]]), b = Tensor.from([0.5, 0, -1]);
const INPUTS = { x: [-1, 2], W: [2, 3], b: [3] };

describe("bindParams", () => {
  it("calls the model with the bound inputs and the caller's, the caller's winning", () => {
    const { calls, model } = fakeModel(INPUTS);
    const f = bindParams(model, { W, b });
    expect(f({ x })).toEqual({ y: 1 });
    expect(calls[0]!.inputs).toEqual({ x, W, b });
    expect(calls[0]!.inputs.W).toBe(W); // a TensorLike is bound as it is: no copy
    const W2 = Tensor.zeros([2, 3]);
    f({ x, W: W2 }, { threads: 2 });
    expect(calls[1]!.inputs.W).toBe(W2);
    expect(calls[1]!.options).toEqual({ threads: 2 });
    f({ x, W: undefined }); // an optional input left undefined keeps the bound value
    expect(calls[2]!.inputs.W).toBe(W);
    // the next call is not affected by the override
    f({ x });
    expect(calls[3]!.inputs.W).toBe(W);
  });

  it("all inputs bound: called with nothing or {}", () => {
    const { calls, model } = fakeModel(INPUTS);
    const f = bindParams(model, new Map([["x", x], ["W", W], ["b", b]]));
    f();
    f({});
    expect(calls.map((c) => c.inputs)).toEqual([{ x, W, b }, { x, W, b }]);
  });

  it("keeps the model's metadata, adds bound and withParams", () => {
    const { model } = fakeModel(INPUTS);
    const f = bindParams(model, { W });
    expect(f.order).toBe(2);
    expect(f.mode).toBe("forward");
    expect(f.wrt).toEqual(["x"]);
    expect(f.inputs).toBe(model.inputs);
    expect(f.outputs).toEqual(["y"]);
    expect(f.bound).toEqual(["W"]);
    expect(Object.isFrozen(f.bound)).toBe(true);
    expect(typeof f.withParams).toBe("function");
    expect((model as { bound?: unknown }).bound).toBeUndefined(); // the model itself is untouched
  });

  it("composes: withParams binds more, and a name bound again takes the new value", () => {
    const { calls, model } = fakeModel(INPUTS);
    const W2 = Tensor.zeros([2, 3]);
    const f = bindParams(model, { W }).withParams({ b });
    expect(f.bound).toEqual(["W", "b"]);
    f({ x });
    expect(calls[0]!.inputs).toEqual({ x, W, b });
    const g = f.withParams({ W: W2 });
    expect(g.bound).toEqual(["W", "b"]);
    g({ x });
    expect(calls[1]!.inputs.W).toBe(W2);
    expect(calls[1]!.inputs.b).toBe(b);
    expect(g.order).toBe(2);
    expect(g.withParams({ x }).bound).toEqual(["W", "b", "x"]);
  });

  it("a name that is not an input is an Error naming it and listing the inputs", () => {
    const { model } = fakeModel(INPUTS);
    expect(() => bindParams(model, { W, w2: W })).toThrow("bindParams: 'w2' is not an input of the model; its inputs are [x, W, b]");
    expect(() => bindParams(model, new Map([["toString", W]]))).toThrow(/'toString' is not an input/);
    expect(() => bindParams(model, { W }).withParams({ B: b })).toThrow(/'B' is not an input .*\[x, W, b\]/);
    expect(() => bindParams(model, { W: undefined as unknown as Tensor })).toThrow(/parameter 'W' is undefined/);
    expect(() => bindParams(model, null as unknown as Record<string, Tensor>)).toThrow(/expected a record or a Map/);
    expect(() => bindParams({} as typeof model, { W })).toThrow(/expected a generated model function/);
  });

  it("the caller's params object is read once: later changes to it do not leak in", () => {
    const { calls, model } = fakeModel(INPUTS);
    const params: Record<string, Tensor> = { W };
    const f = bindParams(model, params);
    params.W = Tensor.zeros([2, 3]);
    params.b = b;
    f({ x });
    expect(calls[0]!.inputs).toEqual({ x, W });
  });

  it("not an object: the model's own error", () => {
    const { model } = fakeModel(INPUTS);
    expect(() => bindParams(model, { W })(3 as unknown as Inputs)).toThrow("m: expected an object of named inputs");
    expect(() => bindParams(model, { W })(null as unknown as Inputs)).toThrow("m: expected an object of named inputs");
  });

  it("inputs named __proto__ and constructor survive binding and merging", () => {
    const inputs = JSON.parse('{"__proto__": [2], "constructor": [1], "x": [1]}') as Record<string, number[]>;
    expect(Object.keys(inputs)).toEqual(["__proto__", "constructor", "x"]);
    const { calls, model } = fakeModel(inputs);
    const p = Tensor.from([1, 2]), c = Tensor.from([3]), x1 = Tensor.from([4]);
    const f = bindParams(model, JSON.parse('{"__proto__": {"shape": [2], "data": [1, 2]}}') as Record<string, Tensor>);
    expect(f.bound).toEqual(["__proto__"]);
    f({ constructor: c, x: x1 });
    const got = calls[0]!.inputs;
    expect(Object.getPrototypeOf(got)).toBeNull();
    expect(Object.keys(got).sort()).toEqual(["__proto__", "constructor", "x"]);
    expect(got["__proto__"]).toEqual({ shape: [2], data: [1, 2] });
    expect(got.constructor).toBe(c);
    // bound from a Map, then overridden by the caller's own __proto__ entry
    const g = bindParams(model, new Map([["__proto__", p], ["constructor", c]]));
    g({ x: x1 });
    expect(calls[1]!.inputs["__proto__"]).toBe(p);
    const p2 = Tensor.from([5, 6]);
    g(JSON.parse('{"x": {"shape": [1], "data": [4]}}') as Inputs);
    g(Object.assign(Object.create(null) as Inputs, { ["__proto__"]: p2, x: x1 }));
    expect(calls[3]!.inputs["__proto__"]).toBe(p2);
    // an unbound `constructor` is missing, not Object's constructor
    const { calls: calls2, model: m2 } = fakeModel(inputs);
    bindParams(m2, { x: x1 })({});
    expect(Object.prototype.hasOwnProperty.call(calls2[0]!.inputs, "constructor")).toBe(false);
    expect(calls2[0]!.inputs.constructor).toBeUndefined();
  });

  it("nested arrays and tf.Tensors are converted once, when bound", () => {
    const { calls, model } = fakeModel(INPUTS);
    let reads = 0;
    const tfLike = { shape: [3], dtype: "float32", dataSync: () => { reads++; return new Float32Array([1, 2, 3]); }, data: async () => new Float32Array([1, 2, 3]) };
    const f = bindParams(model, { W: [[1, 2, 3], [4, 5, 6]], b: tfLike });
    for (let k = 0; k < 3; k++) f({ x });
    expect(reads).toBe(1);
    expect(calls[2]!.inputs.W).toBeInstanceOf(Tensor);
    expect((calls[2]!.inputs.W as Tensor).toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(calls[2]!.inputs.b).toEqual({ shape: [3], data: new Float32Array([1, 2, 3]) });
    expect(() => bindParams(model, { W: [[1, 2], [3]] })).toThrow(/bindParams: input 'W': Tensor.from: ragged/);
  });
});

describe("bindParams on a compiled model", () => {
  const SRC = "model t {\n  batch B\n  input x : [B, 2]\n  param W : [2, 3]\n  param b : [3]\n  y = tanh(x @ W) + b\n  output y\n}\n";
  const { fn } = compileOk(SRC, { order: 2, wrt: ["x", "W"] });
  const xs = new Tensor([4, 2], Float64Array.from({ length: 8 }, (_, i) => Math.sin(i)));
  const Ws = new Tensor([2, 3], Float64Array.from({ length: 6 }, (_, i) => Math.cos(i)));
  const bs = Tensor.from([0.1, -0.2, 0.3]);

  it("gives the numbers of the full call, for every derivative", () => {
    const full = fn({ x: xs, W: Ws, b: bs }).y!;
    const f = bindParams(fn, { W: Ws, b: bs });
    const got = f({ x: xs }).y!;
    expect(Array.from(got.value.data)).toEqual(Array.from(full.value.data));
    for (const k of full.keys()) expect(Array.from(got.d(...k.split(",")).data), k).toEqual(Array.from(full.d(...k.split(",")).data));
    expect(f.bound).toEqual(["W", "b"]);
    expect(f.wrt).toEqual(["x", "W"]);
  });

  it("a bound tensor of the wrong shape: checkInputs names it at call time", () => {
    const f = bindParams(fn, { W: Tensor.zeros([3, 2]), b: bs });
    expect(() => f({ x: xs })).toThrow(/'W' has shape \[3, 2\], expected \[2, 3\]/);
    expect(() => bindParams(fn, { b: bs })({ x: xs })).toThrow(/missing input 'W' of shape \[2, 3\]/);
  });
});
