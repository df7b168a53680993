/**
 * --seed-output: derivatives of seed . y (the output's axes contracted with a
 * run-time vector), same layout minus the output axes, equal in both modes to
 * contracting the unseeded derivatives by hand.
 */
import { describe, expect, it } from "vitest";
import { randomInputs } from "../../compiler/tools/random-inputs.js";
import { Tensor } from "../../runtime/index.js";
import { planCost } from "../../compiler/index.js";
import { compileOk, readRoot, relError } from "../helpers/compile.js";

describe("--seed-output", () => {
  for (const mode of ["forward", "reverse"] as const) {
    it(`mlp order 3 (${mode}): seed . d^k y, layout [B, 8, ...]`, () => {
      const src = readRoot("examples/mlp.thd");
      const plain = compileOk(src, { order: 3, mode: "forward" });
      const seeded = compileOk(src, { order: 3, mode, seedOutput: true });
      expect(seeded.plan.inputs.map((i) => i.name)).toEqual(["x", "W1", "b1", "W2", "b2", "W3", "b3", "seed_y"]);
      const inputs = randomInputs(seeded.plan, 3, 4);
      const s = inputs.seed_y!;
      expect(s.shape).toEqual([4]);
      const a = plain.fn(inputs).y!, b = seeded.fn(inputs).y!;
      expect(Array.from(b.value.data)).toEqual(Array.from(a.value.data));
      for (const key of ["x", "x,x", "x,x,x"]) {
        const full = a.d(...key.split(",")), got = b.d(...key.split(","));
        const k = key.split(",").length;
        expect(got.shape).toEqual([3, ...Array(k).fill(8)]);
        const inner = 8 ** k, want = new Float64Array(3 * inner);
        for (let bb = 0; bb < 3; bb++) for (let y = 0; y < 4; y++) for (let i = 0; i < inner; i++) want[bb * inner + i]! += s.data[y]! * full.data[(bb * 4 + y) * inner + i]!;
        expect(relError(got.data, want)).toBeLessThan(1e-12);
      }
      expect(b.packed("x", "x").shape).toEqual([3, 36]);
    });
  }

  it("a scalar functional w.r.t. a weight matrix: reverse is chosen and agrees with forward", () => {
    const src = readRoot("examples/loss.thd").replace("loss = mean((o - t) ** 2)\n  output loss", "output o");
    const f = compileOk(src, { order: 2, wrt: ["W1"], mode: "forward", seedOutput: true });
    const r = compileOk(src, { order: 2, wrt: ["W1"], seedOutput: true });
    expect(r.plan.mode).toBe("reverse");
    const inputs = randomInputs(f.plan, 1, 9);
    inputs.seed_o = new Tensor([8, 4], Float64Array.from({ length: 32 }, (_, i) => Math.sin(i)));
    const a = f.fn(inputs).o!.d("W1", "W1"), b = r.fn(inputs).o!.d("W1", "W1");
    expect(b.shape).toEqual([16, 32, 16, 32]);
    expect(relError(b.data, a.data)).toBeLessThan(1e-10);
  });
});

describe("--no-symmetry (ablation): dense forward blocks, same results", () => {
  it("mlp order 3 and a two-variable model at order 3", () => {
    for (const [src, wrt] of [[readRoot("examples/mlp.thd"), ["x"]], [readRoot("test/models/product.thd"), ["x", "A"]]] as const) {
      const sym = compileOk(src, { order: 3, wrt: [...wrt], mode: "forward" });
      const dense = compileOk(src, { order: 3, wrt: [...wrt], mode: "forward", noSymmetry: true });
      const inputs = randomInputs(sym.plan, 2, 3);
      const a = sym.fn(inputs), b = dense.fn(inputs);
      for (const name of Object.keys(a)) for (const key of a[name]!.keys()) {
        expect(relError(b[name]!.packed(...key.split(",")).data, a[name]!.packed(...key.split(",")).data), key).toBeLessThan(1e-12);
      }
      // the dense plan does more work: the ablation measures the symmetry's saving
      expect(planCost(dense.plan, 1).flops).toBeGreaterThan(planCost(sym.plan, 1).flops);
    }
  });
});
