/**
 * Finite-difference consistency of every op at orders 1..4: each order against
 * central differences of the order below, at a random point, with mixed
 * partials between two input variables. Plus one test that the check itself
 * catches a wrong derivative.
 */
import { describe, expect, it } from "vitest";
import { finiteDifferenceCheck } from "../../compiler/tools/finite-differences.js";
import { randomInputs } from "../../compiler/tools/random-inputs.js";
import { compileOk, instantiateForTest } from "../helpers/compile.js";
import { CASES, model } from "./cases.js";

const TOL = 1e-6;

describe.each(["forward", "reverse"] as const)("finite differences, orders 1..4, wrt x and y (mixed partials), %s mode", (mode) => {
  for (const [name, body, range] of CASES) {
    it(name, () => {
      const { plan, fn } = compileOk(model(body), { order: 4, mode });
      const inputs = randomInputs(plan, 2, 7, range ?? [-1, 1]);
      const rows = finiteDifferenceCheck(plan, fn, inputs);
      expect(rows.map((r) => r.order)).toEqual([1, 2, 3, 4]);
      for (const r of rows) expect(r.maxRelError, `order ${r.order} ${r.where}`).toBeLessThan(TOL);
    });
  }

  it("a param in wrt: mixed input/param partials", () => {
    const { plan, fn } = compileOk(model("z = tanh(x @ Q + p) * y"), { order: 3, wrt: ["x", "Q", "p"], mode });
    const rows = finiteDifferenceCheck(plan, fn, randomInputs(plan, 2, 3));
    for (const r of rows) expect(r.maxRelError, `order ${r.order} ${r.where}`).toBeLessThan(TOL);
  });

  it("the check catches a wrong derivative (a sign flipped in one order-3 term)", () => {
    const { plan } = compileOk(model("z = tanh(x * y)"), { order: 3, mode: "forward" });
    const i = plan.steps.findIndex((s) => s.kind === "contract" && plan.buffers[s.out]!.label.startsWith("z d[x,x,y]"));
    expect(i).toBeGreaterThanOrEqual(0);
    const s = plan.steps[i]!;
    if (s.kind !== "contract") throw new Error("unreachable");
    const broken = { ...plan, steps: plan.steps.map((t, j) => (j === i ? { ...s, terms: s.terms.map((term, k) => (k === 0 ? { ...term, coef: -term.coef } : term)) } : t)) };
    const rows = finiteDifferenceCheck(broken, instantiateForTest(broken), randomInputs(plan, 2, 7));
    expect(rows[2]!.maxRelError).toBeGreaterThan(1e-3);
    expect(rows[1]!.maxRelError).toBeLessThan(TOL);
    // order by order, differencing modules compiled at the order below (thoadc check): the same verdicts
    const lower = (m: number) => compileOk(model("z = tanh(x * y)"), { order: m, mode: "forward" }).fn;
    const seen: string[] = [];
    const byOrder = finiteDifferenceCheck(broken, instantiateForTest(broken), randomInputs(plan, 2, 7), 1e-5, (done, total, orders) => seen.push(`${orders.join(",")}:${done}/${total}`), TOL, lower);
    expect(byOrder.map((r) => r.order)).toEqual([1, 2, 3]);
    expect(byOrder[2]!.maxRelError).toBeGreaterThan(1e-3);
    expect(byOrder[2]!.where).toBe(rows[2]!.where);
    for (const k of [0, 1]) expect(byOrder[k]!.maxRelError).toBeLessThan(TOL);
    expect(seen).toEqual([1, 2, 3].flatMap((k) => [1, 2, 3, 4, 5, 6].map((i) => `${k}:${i}/6`))); // x and y: 3 elements each
  });

  it("the noise floor (eps M / h / tol) still lets a 0.1% error in a derivative 1e-6 times its inputs' scale through to a FAIL", () => {
    const { plan } = compileOk(model("z = 1e-6 * tanh(x * y)"), { order: 2, mode: "forward" });
    const i = plan.steps.findIndex((s) => s.kind === "contract" && plan.buffers[s.out]!.label.startsWith("z d[x,x]"));
    expect(i).toBeGreaterThanOrEqual(0);
    const s = plan.steps[i]!;
    if (s.kind !== "contract") throw new Error("unreachable");
    const broken = { ...plan, steps: plan.steps.map((t, j) => (j === i ? { ...s, terms: s.terms.map((term) => ({ ...term, coef: term.coef * 1.001 })) } : t)) };
    const rows = finiteDifferenceCheck(broken, instantiateForTest(broken), randomInputs(plan, 2, 7));
    expect(rows[1]!.maxRelError).toBeGreaterThan(TOL);
    expect(rows[0]!.maxRelError).toBeLessThan(TOL);
  });
});
