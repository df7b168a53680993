/** Regressions found in review: each test is a model or call that once failed. */
import { describe, expect, it } from "vitest";
import { finiteDifferenceCheck } from "../../compiler/tools/finite-differences.js";
import { randomInputs } from "../../compiler/tools/random-inputs.js";
import { runPipeline } from "../../compiler/index.js";
import { compileOk } from "../helpers/compile.js";

describe("review regressions", () => {
  // two terms each unrolling a summed index declared `let ei = 0` twice in one kernel
  for (const mode of ["forward", "reverse"] as const) {
    it(`dot of two input-dependent vectors of length 8 (${mode})`, () => {
      const src = "model k2 {\n  input x : [3]\n  param A : [3, 8]\n  param C : [3, 8]\n  a = tanh(x @ A)\n  b = sin(x @ C)\n  y = dot(a, b) + einsum(\"k,k->\", a, a)\n  output y\n}\n";
      const { plan, fn } = compileOk(src, { order: 2, mode });
      const rows = finiteDifferenceCheck(plan, fn, randomInputs(plan, 1, 3));
      for (const r of rows) expect(r.maxRelError, `order ${r.order}`).toBeLessThan(1e-6);
    });
  }

  // fold-scaling moved exp(t0) (a map step after C's) into C = tanh(x @ W) @ p: "reads t8 before it is defined"
  it("a per-sample scaling from an elementwise step defined after the contraction it would fold into", () => {
    const src = "model r {\n  batch B\n  input x : [B, 3]\n  input t : [B, 2]\n  param W : [3, 3]\n  param p : [3]\n  u = tanh(x @ W) @ p * (exp(t[:, 0]) * sum(p * p))\n  output u\n}\n";
    for (const order of [0, 1, 2]) {
      const { plan, fn } = compileOk(src, { order, mode: "forward" });
      const inputs = randomInputs(plan, 2, 3);
      const [x, t, W, p] = ["x", "t", "W", "p"].map((k) => inputs[k]!.data);
      const pp = p![0]! ** 2 + p![1]! ** 2 + p![2]! ** 2;
      const want = [0, 1].map((b) => [0, 1, 2].reduce((s, j) => s + Math.tanh([0, 1, 2].reduce((a, k) => a + x![b * 3 + k]! * W![k * 3 + j]!, 0)) * p![j]!, 0) * Math.exp(t![b * 2]!) * pp);
      for (const [b, v] of fn(inputs).u!.value.data.entries()) expect(Math.abs(v - want[b]!)).toBeLessThan(1e-12 * Math.abs(want[b]!));
      if (order > 0) for (const r of finiteDifferenceCheck(plan, fn, inputs)) expect(r.maxRelError, `order ${r.order}`).toBeLessThan(1e-6);
    }
  });

  it("the order is capped in the compiler, not only in the CLI (TH115)", () => {
    const r = runPipeline("model m {\n  input x : [1]\n  y = tanh(x)\n  output y\n}\n", { order: 14 });
    expect(r.diagnostics.map((d) => d.code)).toEqual(["TH115"]);
  });

  it("an output that is an input is a copy, not the caller's array", () => {
    const { fn } = compileOk("model m {\n  batch B\n  input x : [B, 2]\n  y = reshape(x, [B, 2, 1])\n  output x, y\n}\n", { order: 1 });
    const data = new Float64Array([1, 2, 3, 4]);
    const r = fn({ x: { shape: [2, 2], data } });
    r.x!.value.data[0] = 99;
    r.y!.value.data[1] = 98;
    expect(Array.from(data)).toEqual([1, 2, 3, 4]);
  });
});
