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
