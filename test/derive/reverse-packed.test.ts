/**
 * Reverse mode stores the positions of a repeated frontier node packed (sorted
 * tuples only): memory and flops drop by about k! for k repeats, and the plan
 * that used to be refused (mlp order 4, TH402) compiles, runs and agrees with
 * forward mode.
 */
import { describe, expect, it } from "vitest";
import { multisetCount } from "../../runtime/packed.js";
import { planCost, runPipeline } from "../../compiler/index.js";
import { TILE } from "../../compiler/codegen/slots.js";
import { randomInputs } from "../../compiler/tools/random-inputs.js";
import { compileOk, readRoot, relError } from "../helpers/compile.js";

const mlp = readRoot("examples/mlp.thd");

describe("packed frontier blocks in reverse mode", () => {
  it("mlp order 4: the order-4 frontier blocks are packed (Y * C(n+3, 4) entries per sample)", () => {
    const { plan } = compileOk(mlp, { order: 4, mode: "reverse" });
    const h1 = plan.buffers.find((b) => b.label === "y G[h1,h1,h1,h1]")!;
    expect(h1.size).toBe(4 * multisetCount(32, 4)); // 209440, dense would be 4 * 32^4 = 4194304
    // the hand-out needs no dense-to-packed copy: the last blocks are the outputs
    const out = plan.outputs[0]!;
    expect(plan.buffers[out.blocks.get("x,x,x,x")!]!.label).toBe("y G[x,x,x,x]");
  });

  it("mlp order 4 at B=128: bytes and flops well below the dense plan's (--no-symmetry)", () => {
    const packed = planCost(compileOk(mlp, { order: 4, mode: "reverse" }).plan, 128);
    const dense = planCost(compileOk(mlp, { order: 4, mode: "reverse", noSymmetry: true }).plan, 128);
    // the dense plan is the one thoadc had before packing: 1.79e9 bytes, 1.56e11 flops
    expect(dense.peakBytes).toBeGreaterThan(1.7e9);
    // frontier blocks shrink by C(35,4)/32^4 = 1/20, but the matmul chain's intermediates are
    // symmetric only in runs of 2 (1/4) and one v slot is unpacked for the contraction: at least 3x
    expect(packed.peakBytes).toBeLessThan(dense.peakBytes / 3);
    expect(packed.flops).toBeLessThan(dense.flops / 4);
    // a dense order-4 frontier block alone, for one tile of samples: TILE * Y * n^4 doubles
    expect(packed.peakBytes).toBeLessThan(1.1 * TILE * 4 * 32 ** 4 * 8);
  });

  it("mlp order 4 at B=128 passes a 1 GiB memory limit in reverse mode (was TH402)", () => {
    const r = runPipeline(mlp, { order: 4, mode: "reverse", maxMemory: 2 ** 30, batchHint: 128 });
    expect(r.diagnostics.map((d) => d.code)).toEqual([]);
  });

  it("mlp order 4: reverse agrees with forward", () => {
    const fwd = compileOk(mlp, { order: 4, mode: "forward" });
    const rev = compileOk(mlp, { order: 4, mode: "reverse" });
    const inputs = randomInputs(fwd.plan, 2, 3);
    const a = fwd.fn(inputs).y!, b = rev.fn(inputs).y!;
    for (const key of ["x", "x,x", "x,x,x", "x,x,x,x"]) {
      const names = key.split(",");
      expect(relError(b.packed(...names).data, a.packed(...names).data), key).toBeLessThan(1e-10);
    }
  });

  it("loss Hessian w.r.t. W1: [W1,W1] is handed out packed, without a dense block", () => {
    const { plan } = compileOk(readRoot("examples/loss.thd"), { order: 2, wrt: ["W1"], mode: "reverse" });
    expect(plan.buffers.some((b) => b.size === 512 * 512)).toBe(false);
    expect(plan.buffers[plan.outputs[0]!.blocks.get("W1,W1")!]!.size).toBe(multisetCount(512, 2));
  });
});
