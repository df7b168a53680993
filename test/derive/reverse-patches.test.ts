/**
 * Reverse mode through convolution and pooling without im2col patches on the
 * frontier (compiler/derive/reverse-patches.ts, issue 12 section 4): with
 * respect to kernels (the patches of a dependent activation) and inputs, conv1d
 * / conv2d / conv3d with stride, dilation, padding ("same" too) and groups,
 * overlapping average and max pooling, with and without a batch axis. Every
 * order passes finite differences in both modes, and the reverse plan agrees
 * with the forward one, also under --no-symmetry and --no-batch; the plans'
 * costs and the mode choice are checked on the 2-layer CNN of
 * test/models/cnn2.thd (its PyTorch fixture: test/fixtures/cnn2_o4.json).
 */
import { describe, expect, it } from "vitest";
import { finiteDifferenceCheck } from "../../compiler/tools/finite-differences.js";
import { randomInputs } from "../../compiler/tools/random-inputs.js";
import { runPipeline, type CompileOptions, type Plan } from "../../compiler/index.js";
import { planCost } from "../../compiler/plan/cost.js";
import { compileOk, plansAgree, readRoot } from "../helpers/compile.js";

/** Finite differences in both modes; reverse (also --no-symmetry, --no-batch) against forward at 1e-10. */
function check(src: string, order: number, wrt: string[], seed: number, batched = true): void {
  const opts: CompileOptions = { order, wrt };
  for (const mode of ["forward", "reverse"] as const) {
    const { plan, fn } = compileOk(src, { ...opts, mode });
    for (const r of finiteDifferenceCheck(plan, fn, randomInputs(plan, 2, seed))) expect(r.maxRelError, `${mode} order ${r.order} ${r.where}`).toBeLessThan(1e-6);
  }
  const f = compileOk(src, { ...opts, mode: "forward" }).plan;
  plansAgree(f, compileOk(src, { ...opts, mode: "reverse" }).plan, 2, seed, 1e-10);
  plansAgree(f, compileOk(src, { ...opts, mode: "reverse", noSymmetry: true }).plan, 2, seed, 1e-10);
  if (batched) plansAgree(f, compileOk(src, { ...opts, mode: "reverse", noBatch: 2 }).plan, 2, seed, 1e-10);
}

describe("reverse mode through the patches of a dependent input", () => {
  it("conv1d with stride, dilation, padding and bias, then an overlapping conv1d: orders 1..4 in the first kernel", () => {
    check("model m {\n batch B\n input x : [B, 1, 6]\n param k : [2, 1, 2]\n param c : [2]\n param v : [1, 2, 3]\n h = tanh(conv1d(x, k, c, stride=2, padding=2, dilation=2))\n y = sum(sin(conv1d(h, v, padding=1)), axis=[1, 2])\n output y\n}", 4, ["k", "c"], 21);
  }, 120_000);

  it("conv2d with groups, stride, dilation and padding, then padding=\"same\" and overlapping pools with padding: order 3", () => {
    check("model m {\n batch B\n input x : [B, 2, 3, 4]\n param w : [4, 1, 2, 2]\n param v : [2, 2, 2, 3]\n h = tanh(conv2d(x, w, stride=[1, 2], padding=1, dilation=[2, 1], groups=2))\n g = conv2d(h, v, padding=\"same\", groups=2)\n p = avg_pool2d(g, 2, stride=1, padding=1) + max_pool2d(sin(g), [2, 2], stride=1, padding=1)\n y = reshape(p, [B, 32])[:, ::5]\n output y\n}", 3, ["w"], 22);
  }, 120_000);

  it("conv3d twice (the second with groups and dilation): order 3 in the first kernel", () => {
    check("model m {\n batch B\n input x : [B, 1, 2, 2, 2]\n param w : [2, 1, 2, 2, 2]\n param v : [2, 1, 2, 2, 2]\n h = tanh(conv3d(x, w, padding=1))\n g = conv3d(h, v, dilation=[1, 2, 1], groups=2)\n y = reshape(g, [B, 8])[:, ::3]\n output y\n}", 3, ["w"], 23);
  }, 120_000);

  it("without a batch axis: N is a patch axis; max pooling of a slice; orders 1..3 in the kernels", () => {
    check("model m {\n input x : [2, 1, 3, 3]\n param w : [2, 1, 2, 2]\n param k : [1, 2, 2]\n a = conv2d(x, w, padding=[1, 1])\n b2 = max_pool2d(tanh(a[1]), 2, stride=1)\n d = conv1d(reshape(a, [2, 32]), k, padding=1)\n z = reshape(b2, [18])[::4] * sum(d * d)\n output z\n}", 3, ["w", "k"], 24, false);
  }, 120_000);

  it("the input itself as the patch source (an image's derivatives): order 4", () => {
    check("model m {\n batch B\n input x : [B, 1, 3, 3]\n param w : [1, 1, 2, 2]\n h = conv2d(x, w, padding=1)\n y = sum(avg_pool2d(tanh(h), 2, stride=1), axis=[1, 2, 3])\n output y\n}", 4, ["x"], 25);
  }, 120_000);
});

describe("costs of the 2-layer CNN (test/models/cnn2.thd)", () => {
  const src = readRoot("test/models/cnn2.thd");
  const plan = (o: CompileOptions): Plan => compileOk(src, o).plan;

  it("no frontier block is keyed by a patch tensor: order 3 in the first layer plans within 20x the forward flops and 4x its bytes", () => {
    // before reverse-patches.ts: 379 Mflop and 165 MB (327x and 119x the forward plan)
    const f = planCost(plan({ order: 3, wrt: ["K1", "c1"], mode: "forward" }), 1), r = planCost(plan({ order: 3, wrt: ["K1", "c1"], mode: "reverse" }), 1);
    expect(r.flops).toBeLessThan(20 * f.flops);
    expect(r.peakBytes).toBeLessThan(4 * f.peakBytes);
  });

  it("the scalar loss over every kernel weight: auto picks reverse at order 2; at order 3 the plans are within 2x", () => {
    // before: forward at order 2 (1.17x cheaper); at order 3, reverse planned 13x the forward flops
    const wrt = ["K1", "c1", "K2"];
    const r = runPipeline(src, { order: 2, wrt });
    expect(r.diagnostics).toEqual([]);
    expect(r.state.plan!.mode, r.state.choice?.explanation).toBe("reverse");
    expect(r.state.choice!.reverse!.flops).toBeLessThan(r.state.choice!.forward!.flops / 2);
    const f3 = planCost(plan({ order: 3, wrt, mode: "forward" }), 1), r3 = planCost(plan({ order: 3, wrt, mode: "reverse" }), 1);
    expect(r3.flops).toBeLessThan(2 * f3.flops);
    expect(r3.peakBytes).toBeLessThan(f3.peakBytes);
  });
});
