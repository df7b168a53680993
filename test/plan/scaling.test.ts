/** Plan passes stay near-linear in the plan's length: fold-scaling rescanned every step per rewrite and restarted (cubic). */
import { describe, it, expect } from "vitest";
import { runPipeline } from "../../compiler/index.js";
import { foldScaling } from "../../compiler/plan/fold-scaling.js";
import { assignSlots } from "../../compiler/codegen/slots.js";

const chain = (n: number) => {
  let s = "model m {\n  input x : [3]\n  h0 = x\n";
  for (let i = 1; i <= n; i++) s += `  h${i} = sin(h${i - 1})\n`;
  return s + `  output h${n}\n}\n`;
};

describe("plan passes on a 1200-statement chain at order 3 (4801 steps)", () => {
  const plan = runPipeline(chain(1200), { order: 3, mode: "forward" }, "hoist-shared").state.forward!;

  it("fold-scaling rewrites in one pass (600 statements took 2 s, 1200 about 16 s)", () => {
    expect(plan.steps.length).toBeGreaterThan(4800);
    const t0 = performance.now();
    const folded = foldScaling(plan);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(folded.steps.length).toBeLessThanOrEqual(plan.steps.length);
    expect(foldScaling(folded)).toEqual(folded); // nothing left to fold
  });

});

describe("slot assignment on a 3000-statement chain at order 2 (9001 steps)", () => {
  it("frees each buffer after its last reader without scanning every buffer per step (0.9 s, now 40 ms)", () => {
    const plan = runPipeline(chain(3000), { order: 2, mode: "forward" }, "hoist-shared").state.forward!;
    const t0 = performance.now();
    const { slotOf, slots } = assignSlots(plan);
    expect(performance.now() - t0).toBeLessThan(300);
    expect(slots.length).toBeLessThan(20); // a chain reuses a few slots
    expect(slotOf.size).toBeGreaterThan(3000);
  });
});
