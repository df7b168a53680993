/**
 * runtime/tensor.ts, runtime/inputs.ts and runtime/result.ts: dense tensors,
 * call-time input checks, and the per-output result with its dense views.
 */
import { compileOk } from "../helpers/compile.js";
import { describe, it, expect } from "vitest";
import { Tensor, permute, sizeOf, stridesOf, tensor, type NestedArray } from "../../runtime/tensor.js";
import { checkInputs, type InputSpec } from "../../runtime/inputs.js";
import { OutputResult, type VarInfo } from "../../runtime/result.js";
import { packedIndex, packedSize } from "../../runtime/packed.js";
import { compile, instantiate } from "../../compiler/index.js";

/** Deterministic pseudo-random numbers. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
}

/** Every multi-index over `shape`, row-major. */
function indices(shape: readonly number[]): number[][] {
  let out: number[][] = [[]];
  for (const n of shape) out = out.flatMap((t) => Array.from({ length: n }, (_, i) => [...t, i]));
  return out;
}

describe("Tensor", () => {
  it("from / toArray round trip, with get() reading the nested entries", () => {
    const cases: NestedArray[] = [3.5, [1, 2, 3], [[1, 2, 3], [4, 5, 6]], [[[1, -2], [3, 4]], [[5, 6], [7, 8.25]], [[0, 1e-300], [-0.5, 1e300]]], []];
    const shapes = [[], [3], [2, 3], [3, 2, 2], [0]];
    cases.forEach((x, c) => {
      const t = Tensor.from(x);
      expect(t.shape).toEqual(shapes[c]);
      expect(t.size).toBe(sizeOf(shapes[c]!));
      expect(t.rank).toBe(shapes[c]!.length);
      expect(t.toArray()).toEqual(x);
      expect(Tensor.from(t.toArray()).data).toEqual(t.data);
      for (const idx of indices(t.shape)) {
        const want = idx.reduce<NestedArray>((v, i) => (v as NestedArray[])[i]!, x);
        expect(t.get(...idx)).toBe(want);
      }
    });
    expect(Tensor.from([[1, 2], [3, 4]]).data).toEqual(Float64Array.from([1, 2, 3, 4])); // row-major
    expect(Tensor.from([[1, 2], [3, 4]]).toJSON()).toEqual({ shape: [2, 2], data: [1, 2, 3, 4] });
  });

  it("from rejects ragged and non-numeric arrays", () => {
    for (const bad of [[[1, 2], [3]], [[1], [2, 3]], [1, [2]], [[1, 2], 3], [[[1], [2]], [[3], [4, 5]]], [[1, 2], [3, "4"]], [[1, 2], [3, null]]]) {
      expect(() => Tensor.from(bad as unknown as NestedArray), JSON.stringify(bad)).toThrow(/Tensor\.from/);
    }
  });

  it("constructor checks the data length; tensor() reshapes flat or nested data", () => {
    expect(() => new Tensor([2, 3], new Float64Array(5))).toThrow(/\[2, 3\].*6.*5/);
    expect(tensor([2, 2], [1, 2, 3, 4]).get(1, 0)).toBe(3);
    expect(tensor([4], [[1, 2], [3, 4]]).shape).toEqual([4]);
    expect(tensor([3], new Float32Array([1, 2, 3])).data).toBeInstanceOf(Float64Array);
    expect(Tensor.zeros([2, 0, 3]).size).toBe(0);
    expect(Array.from(Tensor.zeros([2, 2]).data)).toEqual([0, 0, 0, 0]);
  });

  it("get() checks the number of indices and their bounds", () => {
    const t = Tensor.from([[1, 2, 3], [4, 5, 6]]);
    expect(t.get(1, 2)).toBe(6);
    expect(() => t.get(1)).toThrow(/2 indices/);
    expect(() => t.get(0, 0, 0)).toThrow(/2 indices/);
    expect(() => t.get(2, 0)).toThrow(/out of range.*axis 0/);
    expect(() => t.get(0, 3)).toThrow(/out of range.*axis 1/);
    expect(() => t.get(-1, 0)).toThrow(/out of range/);
    expect(() => t.get(0, 1.5)).toThrow(/out of range/);
    expect(Tensor.from(7).get()).toBe(7);
  });

  it("sizeOf / stridesOf", () => {
    expect(sizeOf([])).toBe(1);
    expect(sizeOf([2, 3, 4])).toBe(24);
    expect(stridesOf([2, 3, 4])).toEqual([12, 4, 1]);
    expect(stridesOf([])).toEqual([]);
  });
});

describe("permute", () => {
  it("transposes a matrix", () => {
    const t = permute(Tensor.from([[1, 2, 3], [4, 5, 6]]), [1, 0]);
    expect(t.toArray()).toEqual([[1, 4], [2, 5], [3, 6]]);
  });

  it("out axis a is input axis perm[a], for every permutation of a rank-4 tensor", () => {
    const shape = [2, 3, 1, 4];
    const r = rng(4);
    const t = new Tensor(shape, Float64Array.from({ length: sizeOf(shape) }, r));
    const perms = indices([4, 4, 4, 4]).filter((p) => new Set(p).size === 4);
    expect(perms).toHaveLength(24);
    for (const p of perms) {
      const u = permute(t, p);
      expect(u.shape).toEqual(p.map((a) => shape[a]));
      for (const idx of indices(u.shape)) {
        const src: number[] = [];
        p.forEach((a, k) => (src[a] = idx[k]!));
        expect(u.get(...idx)).toBe(t.get(...src));
      }
      // the inverse permutation restores the tensor
      const inv: number[] = [];
      p.forEach((a, k) => (inv[a] = k));
      expect(permute(u, inv).data).toEqual(t.data);
    }
  });
});

describe("checkInputs", () => {
  const SPECS: InputSpec[] = [{ name: "x", shape: [-1, 3] }, { name: "W", shape: [3, 2] }, { name: "u", shape: [-1] }];
  const ok = () => ({ x: { shape: [2, 3], data: [1, 2, 3, 4, 5, 6] }, W: Tensor.zeros([3, 2]), u: { shape: [2], data: [7, 8] } });

  it("returns the batch size and the data as Float64Arrays", () => {
    const { B, data } = checkInputs("m", ok(), SPECS);
    expect(B).toBe(2);
    expect(data.map((d) => d.constructor)).toEqual([Float64Array, Float64Array, Float64Array]);
    expect(Array.from(data[0]!)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(checkInputs("m", { W: Tensor.zeros([3, 2]) }, [SPECS[1]!]).B).toBe(1); // no batch axis
  });

  /** The error message for the inputs after `edit`. */
  const error = (edit: (i: Record<string, unknown>) => void): string => {
    const inputs: Record<string, unknown> = ok();
    edit(inputs);
    try { checkInputs("m", inputs, SPECS); } catch (e) { return (e as Error).message; }
    throw new Error("checkInputs accepted bad inputs");
  };

  it("missing input: names it and its declared shape", () => {
    const m = error((i) => delete i.W);
    expect(m).toContain("'W'");
    expect(m).toMatch(/missing/);
    expect(m).toContain("[3, 2]");
  });

  it("wrong rank: names the input and both shapes", () => {
    const m = error((i) => (i.x = { shape: [6], data: [1, 2, 3, 4, 5, 6] }));
    expect(m).toContain("'x'");
    expect(m).toContain("[6]");
    expect(m).toContain("[B, 3]");
  });

  it("wrong dim: names the input and both shapes", () => {
    const m = error((i) => (i.W = Tensor.zeros([3, 4])));
    expect(m).toContain("'W'");
    expect(m).toContain("[3, 4]");
    expect(m).toContain("[3, 2]");
    const n = error((i) => (i.x = Tensor.zeros([2, 4])));
    expect(n).toContain("'x'");
    expect(n).toContain("[2, 4]");
    expect(n).toContain("[B, 3]");
  });

  it("inconsistent batch sizes: names both inputs, both shapes and both sizes", () => {
    const m = error((i) => (i.u = { shape: [5], data: [1, 2, 3, 4, 5] }));
    expect(m).toContain("'u'");
    expect(m).toContain("'x'");
    expect(m).toContain("[5]"); // the shape given
    expect(m).toContain("[2]"); // the shape expected with the batch size of 'x'
    expect(m).toMatch(/\b5\b.*\b2\b/);
  });

  it("data length, batch size 0, and non-tensors are rejected", () => {
    expect(error((i) => (i.W = { shape: [3, 2], data: [1, 2, 3] }))).toMatch(/'W'.*3 values.*\[3, 2\]/);
    expect(error((i) => { i.x = { shape: [0, 3], data: [] }; i.u = { shape: [0], data: [] }; })).toMatch(/'x'.*batch size 0/);
    // nested arrays are inputs now (see checkInputs in tfjs.test.ts); these are not tensors
    expect(error((i) => (i.W = { shape: [3, 2] }))).toMatch(/'W'.*Tensor/);
    expect(error((i) => (i.W = "[[1, 2], [3, 4], [5, 6]]"))).toMatch(/'W'.*Tensor/);
    expect(error((i) => (i.W = null))).toMatch(/'W'.*Tensor/);
  });
});

describe("OutputResult", () => {
  // wrt [x: 2 elements, W1: 2x2 = 4 elements]; output value [3] (no batch); order 3
  const WRT: VarInfo[] = [{ name: "x", shape: [2] }, { name: "W1", shape: [2, 2] }];
  const NS = [2, 4];
  const LEAD = [3];
  const r = rng(11);
  const block = (ms: number[]) => Float64Array.from({ length: 3 * packedSize(NS, ms) }, r);
  const blocks = new Map<string, Float64Array>([
    ["x", block([1, 0])],
    ["W1", block([0, 1])],
    ["x,x", block([2, 0])],
    ["x,W1", block([1, 1])],
    // "W1,W1" is a structural zero
    ["x,x,W1", block([2, 1])],
    ["x,W1,W1", block([1, 2])],
  ]);
  const res = new OutputResult(Tensor.from([1, 2, 3]), undefined, WRT, blocks, 3);

  /** Packed entry of a canonical block at lead row l for flat indices (xs sorted or not, ws). */
  const entry = (key: string, ms: number[], l: number, xs: number[], ws: number[]): number =>
    blocks.get(key)![l * packedSize(NS, ms) + packedIndex([...xs.slice().sort(), ...ws.slice().sort()], NS, ms)]!;

  it("keys(): every canonical key by order, then wrt position", () => {
    expect(res.keys()).toEqual(["x", "W1", "x,x", "x,W1", "W1,W1", "x,x,x", "x,x,W1", "x,W1,W1", "W1,W1,W1"]);
    expect(res.order).toBe(3);
    expect(res.batchSize).toBeUndefined();
  });

  it("d() in canonical order: shape [...y, ...w1, ..., ...wk] and the packed entries", () => {
    const d = res.d("x", "W1");
    expect(d.shape).toEqual([...LEAD, 2, 2, 2]);
    for (const [l, i, a, b] of indices(d.shape)) expect(d.get(l!, i!, a!, b!)).toBe(entry("x,W1", [1, 1], l!, [i!], [a! * 2 + b!]));
    const xx = res.d("x", "x");
    expect(xx.shape).toEqual([3, 2, 2]);
    for (const [l, i, j] of indices(xx.shape)) expect(xx.get(l!, i!, j!)).toBe(entry("x,x", [2, 0], l!, [i!, j!], []));
  });

  it("d() with a non-canonical key order is the permuted canonical dense tensor", () => {
    const canon = res.d("x", "W1"); // [3, 2, 2, 2]: l, x, W1 rows, W1 cols
    const swapped = res.d("W1", "x");
    expect(swapped.shape).toEqual([...LEAD, 2, 2, 2]);
    expect(swapped.data).toEqual(permute(canon, [0, 2, 3, 1]).data);
    for (const [l, a, b, i] of indices(swapped.shape)) expect(swapped.get(l!, a!, b!, i!)).toBe(canon.get(l!, i!, a!, b!));

    // order 3, every arrangement of (x, x, W1) and (x, W1, W1)
    const c3 = res.d("x", "x", "W1"); // [3, 2, 2, 2, 2]
    const a = res.d("x", "W1", "x"), b = res.d("W1", "x", "x");
    expect(a.shape).toEqual([3, 2, 2, 2, 2]);
    expect(b.shape).toEqual([3, 2, 2, 2, 2]);
    for (const [l, i, j, p, q] of indices(c3.shape)) {
      expect(c3.get(l!, i!, j!, p!, q!)).toBe(entry("x,x,W1", [2, 1], l!, [i!, j!], [p! * 2 + q!]));
      expect(a.get(l!, i!, p!, q!, j!)).toBe(c3.get(l!, i!, j!, p!, q!));
      expect(b.get(l!, p!, q!, i!, j!)).toBe(c3.get(l!, i!, j!, p!, q!));
    }
    const w = res.d("W1", "x", "W1"); // [3, 2,2, 2, 2,2]
    expect(w.shape).toEqual([3, 2, 2, 2, 2, 2]);
    for (const [l, p, q, i, s, t] of indices(w.shape)) expect(w.get(l!, p!, q!, i!, s!, t!)).toBe(entry("x,W1,W1", [1, 2], l!, [i!], [p! * 2 + q!, s! * 2 + t!]));
  });

  it("a structural-zero key gives zeros of the right shape, dense and packed", () => {
    const z = res.d("W1", "W1");
    expect(z.shape).toEqual([3, 2, 2, 2, 2]);
    expect(z.data.every((v) => v === 0)).toBe(true);
    const z3 = res.d("x", "x", "x");
    expect(z3.shape).toEqual([3, 2, 2, 2]);
    expect(z3.data.every((v) => v === 0)).toBe(true);
    const p = res.packed("W1", "W1");
    expect(p.shape).toEqual([3, packedSize(NS, [0, 2])]);
    expect(p.data.every((v) => v === 0)).toBe(true);
    expect(res.packed("W1", "x").data).toBe(blocks.get("x,W1")); // packed: canonical block, no copy
  });

  it("order above the compiled order, order 0 and unknown names throw clear errors", () => {
    expect(() => res.d("x", "x", "x", "x")).toThrow(/order 4.*1\.\.3.*--order 3/);
    expect(() => res.d()).toThrow(/order 0/);
    expect(() => res.d("x", "b")).toThrow(/'b'.*wrt = \[x, W1\]/);
  });
});

describe("OutputResult from a compiled model", () => {
  const SRC = `model t {
  batch B
  input x : [B, 2]
  param W : [2, 3]
  param b : [3]
  y = tanh(x @ W) + b
  output y
}`;
  const result = compile(SRC, { order: 2, wrt: ["x", "W", "b"] });
  if (!result.ok) throw new Error(result.diagnostics.map((d) => d.message).join("\n"));
  const fn = instantiate(result.state.plan!);
  const r = rng(3);
  const y = fn({
    x: new Tensor([4, 2], Float64Array.from({ length: 8 }, r)),
    W: new Tensor([2, 3], Float64Array.from({ length: 6 }, r)),
    b: new Tensor([3], Float64Array.from({ length: 3 }, r)),
  }).y!;

  it("batch-unified shapes; ('W','x') is the permuted ('x','W')", () => {
    expect(y.batchSize).toBe(4);
    expect(y.value.shape).toEqual([4, 3]);
    const xw = y.d("x", "W"), wx = y.d("W", "x");
    expect(xw.shape).toEqual([4, 3, 2, 2, 3]);
    expect(wx.shape).toEqual([4, 3, 2, 3, 2]);
    expect(wx.data).toEqual(permute(xw, [0, 1, 3, 4, 2]).data);
    expect(xw.data.some((v) => v !== 0)).toBe(true);
    expect(() => y.d("x", "x", "x")).toThrow(/--order 2/);
  });

  it("y is affine in b: second derivatives with b are zeros of the right shape", () => {
    expect(Array.from(y.d("b").data)).toEqual(Array.from({ length: 36 }, (_, k) => (Math.floor(k / 3) % 3 === k % 3 ? 1 : 0)));
    for (const [key, shape] of [[["b", "b"], [4, 3, 3, 3]], [["x", "b"], [4, 3, 2, 3]], [["b", "x"], [4, 3, 3, 2]], [["b", "W"], [4, 3, 3, 2, 3]]] as const) {
      const d = y.d(...key);
      expect(d.shape, key.join()).toEqual(shape);
      expect(d.data.every((v) => v === 0), key.join()).toBe(true);
    }
  });

  // docs/design.md section 1: an output without the batch axis keeps the batch axis of a batched w
  it("an unbatched output's derivative w.r.t. a batched input keeps the batch axis (zeros)", () => {
    const src = "model m {\n  batch B\n  input x : [B, 2]\n  param W : [2, 3]\n  y = tanh(x @ W)\n  r = sum(W * W)\n  output y, r\n}\n";
    const { fn } = compileOk(src, { order: 2, wrt: ["x", "W"] });
    const res = fn({ x: { shape: [5, 2], data: new Float64Array(10).fill(0.3) }, W: { shape: [2, 3], data: new Float64Array(6).fill(0.2) } });
    expect(res.r!.d("x").shape).toEqual([5, 2]);
    expect(res.r!.d("x", "W").shape).toEqual([5, 2, 2, 3]);
    expect(res.r!.d("x").data.every((v) => v === 0)).toBe(true);
    expect(res.r!.d("W", "W").shape).toEqual([2, 3, 2, 3]);
    expect(res.y!.d("x", "W").shape).toEqual([5, 3, 2, 2, 3]);
  });
});
