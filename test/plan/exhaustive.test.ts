/**
 * Dispatch on step kinds is exhaustive: a kind the compiler does not know
 * throws in the cost model, the printer, liveness and codegen, instead of
 * costing 0 flops or emitting an empty kernel.
 */
import { describe, expect, it } from "vitest";
import { typescriptTarget } from "../../compiler/index.js";
import { stepFlops } from "../../compiler/plan/cost.js";
import { reads } from "../../compiler/plan/liveness.js";
import type { CompareStep, Plan, Step } from "../../compiler/plan/plan.js";
import { stepText } from "../../compiler/plan/print.js";
import { emitCompare } from "../../compiler/codegen/loops.js";
import { compileOk, readRoot } from "../helpers/compile.js";

describe("exhaustive step dispatch", () => {
  const { plan } = compileOk(readRoot("examples/mlp.thd"), { order: 1 });
  const bogus = { kind: "bogus", out: plan.steps[0]!.kind === "map" ? 0 : (plan.steps[0] as { out: number }).out } as unknown as Step;
  const bad: Plan = { ...plan, steps: [...plan.steps, bogus] };
  const unknown = /internal: unhandled plan step kind "bogus"/;

  it("the cost model, the printer and liveness throw on an unknown kind", () => {
    expect(() => stepFlops(bad, bogus, 1)).toThrow(unknown);
    expect(() => stepText(bad, bogus)).toThrow(unknown);
    expect(() => reads(bogus)).toThrow(unknown);
  });

  it("codegen throws rather than emit an empty kernel", () => {
    expect(() => typescriptTarget.module(bad, { flavor: "js", provenance: "x", runtimeImport: "thoad/runtime" })).toThrow(unknown);
  });

  it("an elementwise compare with an op that needs axes is refused", () => {
    const step: CompareStep = { kind: "compare", out: 0, op: "argmax", args: [{ buf: 0 }, { c: 0 }], argShapes: [[2]], shape: [2] };
    expect(() => emitCompare(step, (id) => `t${id}`, "")).toThrow(/compare op 'argmax' without axes/);
  });
});
