/**
 * Fewer flops in the plan: symbolic seeds (no multiplication by an identity, in either
 * mode; plan/symbolic-seeds.ts and forward.ts's seed of a matrix), and contraction orders
 * that count the factors of a term (plan/contraction-order.ts): order 1 of the MLP is the
 * Jacobian chain W3^T D2 W2^T D1 W1^T in both modes. Each rewritten plan computes the same
 * tensors as the plan without the rewrite.
 */
import { describe, expect, it } from "vitest";
import { runPipeline } from "../../compiler/index.js";
import { planForward } from "../../compiler/derive/forward.js";
import { planReverse } from "../../compiler/derive/reverse.js";
import { symbolicSeeds } from "../../compiler/plan/symbolic-seeds.js";
import { batchProfile, planCost } from "../../compiler/plan/cost.js";
import { verifyPlan } from "../../compiler/plan/verify.js";
import type { Plan } from "../../compiler/plan/plan.js";
import { plansAgree, readRoot } from "../helpers/compile.js";

const mlp = readRoot("examples/mlp.thd");

function raw(source: string, order: number, mode: "forward" | "reverse", wrt?: string[]): Plan {
  const s = runPipeline(source, { order, mode, ...(wrt ? { wrt } : {}) }, "prune").state;
  return mode === "forward" ? planForward(s.ir!, s.nodes!, { order, wrt: s.wrt! }) : planReverse(s.ir!, s.nodes!, { order, wrt: s.wrt! });
}

const seeds = (p: Plan) => p.steps.filter((s) => s.kind === "seed").length;
const flops = (p: Plan) => planCost(p, 17).flops;
/** Whether the plan's first derivative step reads the input (param) named so itself. */
const firstReads = (p: Plan, name: string): boolean => {
  const id = p.buffers.find((b) => b.role === "input" && b.label === name)!.id;
  const first = p.steps.find((s) => s.kind === "contract" && p.buffers[s.out]!.role === "deriv")!;
  return first.kind === "contract" && first.terms[0]!.factors.some((f) => f.buf === id);
};

describe("symbolic seeds", () => {
  it.each([1, 2, 3])("reverse mode, mlp order %i: G[y] = I is never formed nor multiplied; same tensors", (K) => {
    const plain = raw(mlp, K, "reverse");
    const lean = symbolicSeeds(plain);
    verifyPlan(lean);
    expect(seeds(plain)).toBe(1);
    expect(seeds(lean)).toBe(0);
    // the first expansion reads W3 itself: G[z2][b,y,k] = W3[k,y] tanh'(z2)[b,k]
    expect(firstReads(lean, "W3")).toBe(true);
    expect(flops(lean)).toBeLessThan(flops(plain));
    plansAgree(plain, lean, 17, 3, 1e-12);
  });

  it.each([1, 2])("forward mode, --wrt W1,b1 order %i: no 256 x 256 identity; d(x W1)/dW1 written directly; same tensors as reverse mode", (K) => {
    const plain = raw(mlp, K, "forward", ["W1", "b1"]);
    const lean = symbolicSeeds(plain);
    verifyPlan(lean);
    // W1's seed is symbolic in forward.ts already; b1's (read by an add) goes here
    expect(plain.buffers.some((b) => b.size === 256 * 256)).toBe(false);
    expect(seeds(plain)).toBe(1);
    // at order 2 b1's identity is also read through packed-axis tables (d^2 tanh(z) terms): kept there
    expect(seeds(lean)).toBe(K === 1 ? 0 : 1);
    // x[b, e1] written at p = (e1, n) of the block of x @ W1, each n: a diagonal through an output view
    const blk = lean.buffers.find((b) => b.label === "%7 d[W1]")!.id;
    const step = lean.steps.find((s) => s.kind === "contract" && s.out === blk);
    expect(step?.kind === "contract" && step.terms.length === 1 && step.terms[0]!.factors.length === 1 && step.terms[0]!.out !== undefined).toBe(true);
    expect(flops(lean)).toBeLessThan(flops(plain));
    plansAgree(plain, lean, 17, 5, 1e-12);
    plansAgree(raw(mlp, K, "reverse", ["W1", "b1"]), lean, 17, 5, 1e-10);
  });

  it.each([1, 2])("reverse mode, a scalar output (order %i): G[y] = 1 is dropped and W3 read directly; same tensors", (K) => {
    const scalar = "model s {\n batch B\n input x : [B, 6]\n param W1 : [6, 16]\n param W2 : [16]\n y = tanh(x @ W1) @ W2\n output y\n}";
    const plain = raw(scalar, K, "reverse", ["x"]);
    const lean = symbolicSeeds(plain);
    verifyPlan(lean);
    expect(seeds(plain)).toBe(1);
    expect(seeds(lean)).toBe(0);
    expect(firstReads(lean, "W2")).toBe(true);
    expect(flops(lean)).toBeLessThan(flops(plain));
    plansAgree(plain, lean, 17, 9, 1e-12);
  });

  it("an elementwise chain of a vector input: delta(i, p) g[b, i] is a diagonal, both modes; same tensors", () => {
    const src = "model e {\n batch B\n input x : [B, 3]\n input y : [B, 3]\n h = exp(0.3 * x) + y - 0.5 * (x + y)\n output h\n}";
    for (const mode of ["forward", "reverse"] as const) {
      const plain = raw(src, 2, mode);
      const lean = symbolicSeeds(plain);
      verifyPlan(lean);
      expect(seeds(lean), mode).toBe(0);
      expect(flops(lean), mode).toBeLessThan(flops(plain));
      plansAgree(plain, lean, 17, 7, 1e-12);
    }
  });
});

describe("order 1 is the Jacobian chain", () => {
  it("mlp, both modes: no batched term multiplies three factors, and forward costs no more per sample than reverse", () => {
    const per = (mode: "forward" | "reverse") => {
      const { plan } = runPipeline(mlp, { order: 1, mode }).state;
      for (const s of plan!.steps) if (s.kind === "contract" && plan!.buffers[s.out]!.batched) for (const t of s.terms) expect(t.factors.length, plan!.buffers[s.out]!.label).toBeLessThan(3);
      expect(plan!.steps.some((s) => s.kind === "seed")).toBe(false);
      return batchProfile(plan!).flopsPerSample;
    };
    // the value (three matmuls, two flops a product; bias adds, two reads each; two tanh maps
    // with their derivative, 8 per element) and the chain W3^T D2 (4 x 32), times W2^T
    // (32 x 32), times D1, times W1^T (32 x 8), cheapest first since outputs < inputs
    const value = 2 * (8 * 32 + 32 * 32 + 32 * 4) + 2 * (32 + 32 + 4) + 2 * 8 * 32;
    const chain = 2 * 4 * 32 + 2 * 4 * 32 * 32 + 2 * 4 * 32 + 2 * 4 * 32 * 8;
    expect(per("reverse")).toBe(value + chain);
    expect(per("forward")).toBe(value + chain);
  });
});
