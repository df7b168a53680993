/**
 * The forward plan rewrites (sink-linear, hoist-shared, fold-scaling) compute the same
 * tensors as the plan without them, and actually fire where they should.
 */
import { describe, expect, it } from "vitest";
import { runPipeline } from "../../compiler/index.js";
import { planForward } from "../../compiler/derive/forward.js";
import { orderContractions } from "../../compiler/plan/contraction-order.js";
import { sinkLinear } from "../../compiler/plan/sink-linear.js";
import { hoistShared } from "../../compiler/plan/hoist-shared.js";
import { foldScaling } from "../../compiler/plan/fold-scaling.js";
import { planCost } from "../../compiler/plan/cost.js";
import { verifyPlan } from "../../compiler/plan/verify.js";
import type { Plan } from "../../compiler/plan/plan.js";
import { plansAgree, readRoot } from "../helpers/compile.js";

function plans(source: string, order: number): { plain: Plan; sunk: Plan; hoisted: Plan; folded: Plan } {
  const s = runPipeline(source, { order, mode: "forward" }, "prune").state;
  const plain = orderContractions(planForward(s.ir!, s.nodes!, { order, wrt: s.wrt! }));
  const sunk = sinkLinear(plain);
  const hoisted = hoistShared(sunk);
  const folded = foldScaling(hoisted);
  for (const p of [sunk, hoisted, folded]) verifyPlan(p);
  return { plain, sunk, hoisted, folded };
}

const agree = (a: Plan, b: Plan, B: number): void => plansAgree(a, b, B, 7, 1e-12);

describe("forward plan rewrites", () => {
  const mlp = readRoot("examples/mlp.thd");

  it.each([2, 3, 4])("mlp order %i: the top block skips h1 d^K @ W2, shared products leave the batch loop, tanh^(K)(z1) folds into C; same tensors", (K) => {
    const { plain, sunk, hoisted, folded } = plans(mlp, K);
    // z2's top block (h1 d^K @ W2) is never formed; C = W3^T diag(tanh'(z2)) W2^T takes its place
    const defined = (p: Plan) => new Set(p.steps.flatMap((s) => ("out" in s ? [p.buffers[s.out]!.label] : [])));
    const gone = [...defined(plain)].filter((l) => !defined(sunk).has(l));
    expect(gone).toEqual([`%10 d[${Array(K).fill("x").join(",")}]`]);
    expect(sunk.buffers.some((b) => b.label.includes(" through "))).toBe(true);
    expect(planCost(sunk, 128).flops).toBeLessThan(planCost(plain, 128).flops * (K === 2 ? 0.95 : 0.75));
    expect(hoisted.steps.some((s) => s.kind === "contract" && !hoisted.buffers[s.out]!.batched && hoisted.buffers[s.out]!.label.startsWith("shared product"))).toBe(true);
    expect(planCost(hoisted, 128).flops).toBeLessThan(planCost(sunk, 128).flops);
    agree(plain, sunk, 5);
    agree(plain, hoisted, 17); // more than one tile of samples
    // h1's top block (tanh^(K)(z1) * W1^(xK)) is never formed: its scaling went into C
    const xs = Array(K).fill("x").join(",");
    expect(defined(hoisted).has(`h1 d[${xs}]`)).toBe(true);
    expect(defined(folded).has(`h1 d[${xs}]`)).toBe(false);
    agree(plain, folded, 17);
  }, 30_000); // compiles and runs six order-4 modules

  it("softmax classifier order 3: h's d^2 and d^3 blocks (tanh^(K)(z1) * W1^(xK)) are never formed, their scaling goes into W2 per sample (5 x 32, at most half of 32 x 36 and 32 x 120), d^1 (32 x 8) stays; same tensors", () => {
    const { plain, hoisted, folded } = plans(readRoot("bench/models/softmax_classifier.thd"), 3);
    const defined = (p: Plan) => new Set(p.steps.flatMap((s) => ("out" in s ? [p.buffers[s.out]!.label] : [])));
    for (const k of ["x,x", "x,x,x"]) {
      expect(defined(hoisted).has(`h d[${k}]`)).toBe(true);
      expect(defined(folded).has(`h d[${k}]`)).toBe(false);
    }
    expect(defined(folded).has("h d[x]")).toBe(true);
    const scaled = folded.buffers.filter((b) => b.label.includes("scaled per sample"));
    expect(scaled.map((b) => [b.batched, b.size])).toEqual([[true, 160], [true, 160]]);
    // each is read by one GEMM-shaped step: rows (b, o) of every sample against a block shared by all samples
    for (const b of scaled) {
      const readers = folded.steps.filter((st) => st.kind === "contract" && st.terms.some((t) => t.factors.some((f) => f.buf === b.id)));
      expect(readers.length).toBe(1);
      const t = (readers[0] as Extract<Plan["steps"][number], { kind: "contract" }>).terms[0]!;
      expect(t.factors.map((f) => folded.buffers[f.buf]!.batched).sort()).toEqual([false, true]);
    }
    expect(planCost(folded, 128).flops).toBeLessThan(planCost(hoisted, 128).flops * 0.95);
    agree(plain, folded, 17);
    // mlp order 3: W2 per sample (32 x 32) is not at most half of h1's d^2 block (32 x 36): no such fold
    expect(plans(mlp, 3).folded.buffers.some((b) => b.label.includes("scaled per sample"))).toBe(false);
  }, 30_000);

  it("leaves a plan alone where the chain does not pay or does not exist", () => {
    // the last layer is wide: o (n + p) k > n p k
    const wide = "model w {\n batch B\n input x : [B, 2]\n param W1 : [2, 4]\n param W2 : [4, 4]\n param W3 : [4, 64]\n y = tanh(tanh(x @ W1) @ W2) @ W3\n output y\n}";
    const a = plans(wide, 2);
    expect(a.sunk.steps).toEqual(a.plain.steps);
    // the top block is also an output: no rewrite
    const shared = "model s {\n batch B\n input x : [B, 3]\n param W1 : [3, 8]\n param W2 : [8, 8]\n param W3 : [8, 2]\n h2 = tanh(tanh(x @ W1) @ W2)\n y = h2 @ W3\n output y\n output h2\n}";
    const b = plans(shared, 3);
    expect(b.sunk.steps).toEqual(b.plain.steps);
    agree(b.plain, b.folded, 3);
  });
});
