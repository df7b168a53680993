/**
 * The non-elementwise operators beyond the op cases: the conventions at
 * non-differentiable points (ties, bounds, padding) with the values PyTorch
 * 1.13 gives there, in both modes; reductions over all elements and
 * convolution without a batch axis (finite differences and mode agreement);
 * and emitted code whose size does not depend on tensor sizes.
 */
import { describe, expect, it } from "vitest";
import { Tensor } from "../../runtime/index.js";
import { typescriptTarget } from "../../compiler/index.js";
import { finiteDifferenceCheck } from "../../compiler/tools/finite-differences.js";
import { randomInputs } from "../../compiler/tools/random-inputs.js";
import { compileOk } from "../helpers/compile.js";

const MODES = ["forward", "reverse"] as const;
const t = (shape: number[], data: number[]) => new Tensor(shape, Float64Array.from(data));
const arr = (x: Tensor) => Array.from(x.data);

describe.each(MODES)("conventions at ties and bounds, as PyTorch 1.13 (%s mode)", (mode) => {
  const run = (src: string, order: number, inputs: Record<string, Tensor>) => compileOk(src, { order, mode }).fn(inputs);

  it("max over an axis: the first maximum; min too", () => {
    const src = "model m {\n batch B\n input x : [B, 4]\n y = max(x, axis=1) + 10 * min(x, axis=-1)\n output y\n}";
    const r = run(src, 2, { x: t([1, 4], [1, 3, 3, 1]) });
    expect(arr(r.y!.value)).toEqual([13]);
    expect(arr(r.y!.d("x"))).toEqual([10, 1, 0, 0]); // torch.max(x, 0) picks index 1, torch.min(x, 0) index 0
    expect(arr(r.y!.d("x", "x")).every((v) => v === 0)).toBe(true);
  });

  it("max over all elements: tied maxima share the derivative equally (torch.max(x)), at every order", () => {
    const src = "model m {\n input x : [4]\n y = max(x * x) + min(x)\n output y\n}";
    const r = run(src, 3, { x: t([4], [1, -3, 3, 2]) });
    expect(arr(r.y!.value)).toEqual([9 - 3]);
    // d max(x^2) = (0, -3, 3, 0) (half of 2x at each of the two ties), d min(x) = (0, 1, 0, 0)
    expect(arr(r.y!.d("x"))).toEqual([0, -2, 3, 0]);
    // torch: jacrev(jacrev(lambda x: (x*x).max())) = diag(0, 1, 1, 0)
    expect(arr(r.y!.d("x", "x"))).toEqual([0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0]);
    expect(arr(r.y!.d("x", "x", "x")).every((v) => v === 0)).toBe(true);
  });

  it("maximum and minimum at ties: half to each operand", () => {
    const src = "model m {\n batch B\n input a : [B, 3]\n input b : [B, 3]\n y = maximum(a, b) + 2 * minimum(a, b)\n output y\n}";
    const r = run(src, 1, { a: t([1, 3], [1, 2, 3]), b: t([1, 3], [1, 2.5, 3]) });
    expect(arr(r.y!.value)).toEqual([3, 6.5, 9]);
    // torch: maximum -> a: (0.5, 0, 0.5), b: (0.5, 1, 0.5); minimum -> a: (0.5, 1, 0.5), b: (0.5, 0, 0.5)
    expect(arr(r.y!.d("a"))).toEqual([1.5, 0, 0, 0, 2, 0, 0, 0, 1.5]);
    expect(arr(r.y!.d("b"))).toEqual([1.5, 0, 0, 0, 1, 0, 0, 0, 1.5]);
  });

  it("clamp: derivative 1 on the closed interval, bounds included", () => {
    const src = "model m {\n batch B\n input x : [B, 5]\n y = clamp(x, 0, 1) + 10 * clamp(x, min=0) + 100 * clamp(x, max=1)\n output y\n}";
    const r = run(src, 2, { x: t([1, 5], [-1, 0, 0.5, 1, 2]) });
    expect(arr(r.y!.value)).toEqual([-100, 0, 55.5, 111, 121]);
    const d = arr(r.y!.d("x"));
    expect([0, 6, 12, 18, 24].map((i) => d[i])).toEqual([100, 111, 111, 111, 10]); // torch: (0,1,1,1,0), (0,1,1,1,1), (1,1,1,1,0)
  });

  it("where and comparisons: masks are constants; a non-mask condition means nonzero", () => {
    const src = "model m {\n batch B\n input x : [B, 4]\n y = where(x, x * x, 3 * x) + x * (x > 0) + (x >= 0) + (x < 0) * 2 - (x <= -1)\n output y\n}";
    const r = run(src, 2, { x: t([1, 4], [-1, 0, 0.5, 2]) });
    expect(arr(r.y!.value)).toEqual([1 + 2 - 1, 0 + 1, 0.25 + 0.5 + 1, 4 + 2 + 1]);
    const d = arr(r.y!.d("x"));
    expect([0, 5, 10, 15].map((i) => d[i])).toEqual([-2, 3, 2, 5]);
  });

  it("max_pool2d: the first maximum of a window; padding (PyTorch: -inf) never wins", () => {
    const src = "model m {\n batch B\n input x : [B, 1, 2, 2]\n y = max_pool2d(x, 2) + 0 * sum(max_pool2d(x, 2, stride=1, padding=1), axis=[2, 3], keepdims=true)\n z = max_pool2d(x - 10, 2, stride=1, padding=1)\n output y, z\n}";
    const r = run(src, 2, { x: t([1, 1, 2, 2], [1, 1, 1, 0]) });
    expect(arr(r.y!.d("x"))).toEqual([1, 0, 0, 0]);
    const r2 = run(src, 1, { x: t([1, 1, 2, 2], [9, 8, 7, 6]) });
    // torch: max_pool2d([[-1, -2], [-3, -4]], 2, stride=1, padding=1)
    expect(arr(r2.z!.value)).toEqual([-1, -1, -2, -1, -1, -2, -3, -3, -4]);
  });
});

/** Forward and reverse agree to 1e-10 relative to the largest derivative of each order; every order passes finite differences. */
function check(src: string, order: number, seed: number, range: [number, number] = [-1, 1]): void {
  for (const mode of MODES) {
    const { plan, fn } = compileOk(src, { order, mode });
    for (const r of finiteDifferenceCheck(plan, fn, randomInputs(plan, 2, seed, range))) expect(r.maxRelError, `${mode} order ${r.order} ${r.where}`).toBeLessThan(1e-6);
  }
  const f = compileOk(src, { order, mode: "forward" }), rv = compileOk(src, { order, mode: "reverse" });
  const inputs = randomInputs(f.plan, 2, seed, range);
  const a = f.fn(inputs), b = rv.fn(inputs);
  for (const name of Object.keys(a)) {
    for (const key of a[name]!.keys()) {
      const da = a[name]!.d(...key.split(",")), db = b[name]!.d(...key.split(","));
      let scale = 0, err = 0;
      for (let i = 0; i < da.data.length; i++) { scale = Math.max(scale, Math.abs(da.data[i]!)); err = Math.max(err, Math.abs(da.data[i]! - db.data[i]!)); }
      expect(scale > 0 ? err / scale : err, `${name} d[${key}]`).toBeLessThan(1e-10);
    }
  }
}

describe("without a batch axis: reductions over every element, convolution with N as an ordinary axis", () => {
  it("max, min, prod, logsumexp, norm, var, std over all elements, orders 1..3", () => {
    check("model m {\n input a : [2, 3]\n input c : [3]\n z = stack([max(a * c), min(a + c), prod(a + 1.5), logsumexp(a), norm(a * c), var(a), std(a + c, unbiased=false), max(a, axis=0)[1]])\n output z\n}", 3, 11);
  });

  it("conv2d on [N, C, H, W] and [C, H, W], pooling, conv1d, orders 1..3", () => {
    check("model m {\n input x : [2, 1, 3, 3]\n input u : [1, 4]\n param w : [2, 1, 2, 2]\n param k : [3, 1, 2]\n a = conv2d(x, w, padding=[0, 1])\n b2 = max_pool2d(a[0], 2, stride=1)\n d = conv1d(u * u, k, padding=1)\n z = reshape(b2, [6]) * sum(d) + reshape(avg_pool2d(sin(a), [1, 2]), [16])[0:6]\n output z\n}", 3, 12);
  });

  it("a gather of a gather, slices of a flip of a concat, a gather from a scalar expression", () => {
    check("model m {\n batch B\n input x : [B, 4]\n input y : [B, 2]\n c = flip(concat([x, y * y], axis=1), axis=1)[:, 1:5:2]\n s = expand(reshape(sum(x, axis=1), [B, 1]), [B, 2])\n z = repeat(c * s, [1, 2])[..., ::3] + x[:, -1:] ** 2\n output z\n}", 4, 13);
  });
});

describe("emitted code does not grow with tensor sizes", () => {
  const cnn = (n: number) => `model cnn {\n batch B\n input x : [B, 1, ${n}, ${n}]\n param K : [4, 1, 3, 3]\n h = gelu(conv2d(x, K, padding=1))\n y = sum(max_pool2d(h, 2), axis=[1, 2, 3])\n output y\n}`;
  const code = (n: number) => {
    const { plan } = compileOk(cnn(n), { order: 2, mode: "forward" });
    return typescriptTarget.module(plan, { flavor: "js", provenance: "test", runtimeImport: "thoad/runtime" });
  };

  it("a 6x6 and a 24x24 image give modules of the same length up to the digits of their sizes", () => {
    const small = code(6), large = code(24);
    expect(small).toContain("gatherTable(");
    expect(Math.abs(large.length - small.length)).toBeLessThan(small.length * 0.05);
    // no table is written out: the longest run of comma-separated integers is a few shape and map coefficients
    const runs = large.match(/-?\d+(, -?\d+)*/g)!.map((m) => m.split(",").length);
    expect(Math.max(...runs)).toBeLessThan(12);
  });

  it("the 24x24 Hessian agrees across modes", () => {
    const f = compileOk(cnn(8), { order: 2, mode: "forward" }), r = compileOk(cnn(8), { order: 2, mode: "reverse" });
    const inputs = randomInputs(f.plan, 2, 3);
    const a = f.fn(inputs).y!.d("x", "x"), b = r.fn(inputs).y!.d("x", "x");
    let scale = 0, err = 0;
    for (let i = 0; i < a.data.length; i++) { scale = Math.max(scale, Math.abs(a.data[i]!)); err = Math.max(err, Math.abs(a.data[i]! - b.data[i]!)); }
    expect(err / scale).toBeLessThan(1e-10);
  });
});
