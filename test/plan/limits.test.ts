/** Plan size is estimated from the IR before planning: past the limits a mode is not planned, and TH401 says what to do, in seconds instead of minutes. */
import { describe, it, expect } from "vitest";
import { runPipeline } from "../../compiler/index.js";
import { MAX_FORWARD_BLOCKS } from "../../compiler/pipeline.js";
import { estimateForward } from "../../compiler/derive/estimate.js";

const product = (n: number) => `model p {\n${Array.from({ length: n }, (_, i) => `  input x${i + 1} : []\n`).join("")}  y = ${Array.from({ length: n }, (_, i) => `x${i + 1}`).join(" * ")}\n  output y\n}\n`;
const FIVE = "model f {\n  input a : [3]\n  input b : [3]\n  input c : [3]\n  input d : [3]\n  input e : [3]\n  y = sum(tanh(a * b + c * d + e))\n  output y\n}\n";

describe("plan size limits (TH401)", { timeout: 60_000 }, () => {
  it("the estimate counts the forward plan's blocks: a product of 40 scalars at order 2", () => {
    const r = runPipeline(product(40), { order: 2, mode: "forward" }, "plan-forward");
    const est = estimateForward(r.state.nodes!, r.state.wrt!, 2);
    const steps = r.state.forward!.steps.length;
    expect(est.blocks).toBeGreaterThan(steps * 0.9);
    expect(est.blocks).toBeLessThan(steps * 1.2);
  });

  it("a product of 100 scalars at order 2 compiles in reverse mode without building the 170 000-block forward plan (it took minutes)", () => {
    const t0 = performance.now();
    const r = runPipeline(product(100), { order: 2 });
    expect(r.diagnostics).toEqual([]);
    expect(r.state.plan!.mode).toBe("reverse");
    expect(r.state.forward).toBeUndefined();
    expect(r.state.choice!.explanation).toMatch(/forward +forward plan not built: about 176748 derivative blocks .*\nchosen: reverse \(no forward plan\)/s);
    expect(performance.now() - t0).toBeLessThan(30_000);
  });

  it("--mode forward past the limit is TH401 at once, saying what to do", () => {
    const t0 = performance.now();
    const r = runPipeline(product(100), { order: 2, mode: "forward" });
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(r.diagnostics.map((d) => `${d.code} ${d.span?.line}:${d.span?.column}`)).toEqual(["TH401 1:7"]);
    expect(r.diagnostics[0]!.message).toBe(`the forward-mode plan would have about 176748 derivative blocks and 696894 rule applications at order 2 over 100 differentiation variables: too large to compile in reasonable time; lower --order, differentiate fewer variables (--wrt), or make scalar inputs one tensor input (x : [n] rather than x1, ..., xn)`);
    expect(176748).toBeGreaterThan(MAX_FORWARD_BLOCKS);
  });

  it("five inputs at order 10 through tanh: neither mode fits, TH401 in seconds (planning took 8 minutes, the module 48 s to import)", () => {
    const t0 = performance.now();
    const r = runPipeline(FIVE, { order: 10 });
    expect(r.diagnostics.map((d) => d.code)).toEqual(["TH401"]);
    expect(r.diagnostics[0]!.message).toMatch(/^neither mode can be planned: the forward-mode plan would have about \d+ derivative blocks and \d+ rule applications, and the reverse-mode plan needs more than 100000 contraction terms at order 10 over 5 differentiation variables/);
    expect(performance.now() - t0).toBeLessThan(30_000);
  });

  it("the same model at order 6 is still planned in forward mode", () => {
    const r = runPipeline(FIVE, { order: 6, mode: "forward" });
    expect(r.diagnostics).toEqual([]);
  });
});
