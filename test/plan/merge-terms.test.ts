/**
 * merge-terms: identical terms of a step become one with the summed
 * coefficient; the merged plan computes the unmerged plan's tensors, with
 * fewer flops where a node reads another twice.
 */
import { describe, expect, it } from "vitest";
import { runPipeline } from "../../compiler/index.js";
import { planReverse } from "../../compiler/derive/reverse.js";
import { planForward } from "../../compiler/derive/forward.js";
import { mergeTerms } from "../../compiler/plan/merge-terms.js";
import { planCost } from "../../compiler/plan/cost.js";
import { verifyPlan } from "../../compiler/plan/verify.js";
import type { Plan } from "../../compiler/plan/plan.js";
import { plansAgree, readRoot } from "../helpers/compile.js";

const termCount = (p: Plan) => p.steps.reduce((n, s) => n + (s.kind === "contract" ? s.terms.length : 0), 0);


describe("merge-terms", () => {
  const trig = readRoot("bench/models/trig.thd");

  it.each([2, 3, 4])("trig (x * x, a fan-out) reverse order %i: duplicates merged, same tensors, fewer flops", (K) => {
    const s = runPipeline(trig, { order: K, mode: "reverse" }, "prune").state;
    const plain = planReverse(s.ir!, s.nodes!, { order: K, wrt: s.wrt!, maxTerms: 100_000 });
    const merged = mergeTerms(plain);
    verifyPlan(merged);
    expect(termCount(merged)).toBeLessThan(termCount(plain));
    for (const st of merged.steps) if (st.kind === "contract") {
      const keys = st.terms.map((t) => JSON.stringify([t.factors.map((f) => JSON.stringify(f)).sort(), t.out ?? null]));
      expect(new Set(keys).size, "a step still lists one product twice").toBe(keys.length);
    }
    expect(planCost(merged, 128).flops).toBeLessThan(planCost(plain, 128).flops);
    plansAgree(plain, merged, 3, 9, 1e-13);
  });

  it("a plan without duplicates is returned as it is (mlp order 3 forward: its kernels stay byte-identical)", () => {
    const s = runPipeline(readRoot("examples/mlp.thd"), { order: 3, mode: "forward" }, "prune").state;
    const plain = planForward(s.ir!, s.nodes!, { order: 3, wrt: s.wrt! });
    expect(mergeTerms(plain)).toBe(plain);
  });
});
