/** OutputResult on structural zeros: told without allocating, and a clear Error for a dense block no typed array holds. */
import { describe, it, expect } from "vitest";
import { randomInputs } from "../../compiler/tools/random-inputs.js";
import { compileOk } from "../helpers/compile.js";

const PARAM_ONLY = "model m {\n  batch B\n  input x : [B, 64]\n  param W : [64]\n  y = x * W\n  z = sum(W * W)\n  output y, z\n}\n";

describe("OutputResult: structural zeros", () => {
  const { plan, fn } = compileOk(PARAM_ONLY, { order: 3 });
  const r = fn(randomInputs(plan, 1100, 1));

  it("isZero and denseShape answer without expanding (z does not depend on the batched x)", () => {
    expect(r.z!.isZero("x", "x", "x")).toBe(true);
    expect(r.z!.denseShape("x", "x", "x")).toEqual([1100, 64, 1100, 64, 1100, 64]);
    expect(r.y!.isZero("x")).toBe(false);
    expect(r.y!.isZero("x", "x")).toBe(true); // y is linear in x
    expect(r.y!.denseShape("x", "x")).toEqual([1100, 64, 64, 64]);
  });

  it("a dense block past the typed-array limit is a clear Error, not 'Invalid typed array length'", () => {
    expect(() => r.z!.d("x", "x", "x")).toThrow(/^d\(x, x, x\): the dense block \[1100, 64, 1100, 64, 1100, 64\] has \d+ entries, more than a typed array holds \(4294967295\); every entry is 0 \(isZero\("x", "x", "x"\) is true: an output without the batch axis does not depend on batched variables\)$/);
  });

  it("zero blocks that fit are still zeros", () => {
    const d = r.z!.d("x");
    expect(d.shape).toEqual([1100, 64]);
    expect(d.data.every((v) => v === 0)).toBe(true);
    expect(() => r.z!.isZero("nope" as "x")).toThrow("'nope' is not a differentiation variable");
  });
});
