/**
 * Finite-difference consistency of every op at orders 1..4: each order against
 * central differences of the order below, at a random point, with mixed
 * partials between two input variables. Plus one test that the check itself
 * catches a wrong derivative.
 */
import { describe, expect, it } from "vitest";
import { finiteDifferenceCheck } from "../../compiler/tools/finite-differences.js";
import { randomInputs } from "../../compiler/tools/random-inputs.js";
import { instantiate } from "../../compiler/index.js";
import { compileOk } from "../helpers/compile.js";

const TOL = 1e-6;
const positive: [number, number] = [0.5, 1.5];

/** name, body (x, y : [B, 3]; p : [3] param; Q : [3, 3] param), input range */
const CASES: [string, string, [number, number]?][] = [
  ["exp", "z = exp(x * y)"],
  ["log", "z = log(x * y)", positive],
  ["sqrt", "z = sqrt(x + y)", positive],
  ["tanh", "z = tanh(x - 2 * y)"],
  ["sigmoid", "z = sigmoid(x * y + 0.5)"],
  ["sin", "z = sin(x * y)"],
  ["cos", "z = cos(x + y)"],
  ["softplus", "z = softplus(3 * x * y)"],
  ["relu", "z = relu(x) * y"],
  ["pow int", "z = (x + y) ** 3"],
  ["pow negative", "z = (x + y) ** -2", positive],
  ["pow fractional", "z = (x * y) ** 2.5", positive],
  ["divide", "z = x / y", positive],
  ["neg and sub", "z = -x * (y - x)"],
  ["constants", "z = 2 * x * x + 1 - y / 4"],
  ["broadcast param", "z = (x + p) * (y * p)"],
  ["matmul two branches", "z = reshape(reshape(x, [B, 3, 1]) @ reshape(y, [B, 1, 3]), [B, 9])"],
  ["matmul with param", "z = tanh(x @ Q) @ Q"],
  ["sum", "z = sum(x * y, axis=1)"],
  ["sum keepdims", "z = x * sum(y * y, axis=1, keepdims=true)"],
  ["mean", "z = mean(exp(x) * y, axis=-1)"],
  ["softmax", "z = softmax(x * y, axis=-1)"],
  ["log_softmax", "z = log_softmax(x - y)"],
  ["softmax inner axis", "z = reshape(softmax(reshape(x * y, [B, 3, 1]) * reshape(y, [B, 1, 3]), axis=1), [B, 9])"],
  ["reshape transpose", "z = reshape(transpose(reshape(x, [B, 3, 1]) * reshape(y, [B, 1, 3]), [0, 2, 1]), [B, 9]) * 1.5"],
  ["einsum diagonal", "z = einsum(\"bii->bi\", reshape(x, [B, 3, 1]) * reshape(exp(y), [B, 1, 3]))"],
  ["einsum trace", "z = einsum(\"bii->b\", reshape(sin(x), [B, 3, 1]) * reshape(y, [B, 1, 3]))"],
  ["einsum three operands", "z = einsum(\"bi,bj,ij->b\", x, y, Q)"],
  ["einsum product of dependent", "z = einsum(\"bi,bi->b\", tanh(x), cos(y))"],
  // elementwise functions (orders 1..4 of each, mixed x/y partials through the product inside)
  ["abs", "z = abs(x * y - 0.1)"],
  ["neg", "z = neg(x * y) * x"],
  ["expm1", "z = expm1(x * y)"],
  ["log1p", "z = log1p(x * y)", [-0.6, 0.6]],
  ["log2", "z = log2(x * y)", positive],
  ["log10", "z = log10(x + y)", positive],
  ["rsqrt", "z = rsqrt(x * y)", positive],
  ["square", "z = square(x - y) * x"],
  ["reciprocal", "z = reciprocal(x + y)", positive],
  ["pow function", "z = pow(x * y, 1.5) + pow(x, 0) * y + pow(y, exponent=-3)", positive],
  ["tan", "z = tan(x * y)"],
  ["asin", "z = asin(x * y)", [-0.9, 0.9]],
  ["acos", "z = acos(x * y)", [-0.9, 0.9]],
  ["atan", "z = atan(2 * x * y)"],
  ["sinh", "z = sinh(x * y + x)"],
  ["cosh", "z = cosh(x * y - y)"],
  ["asinh", "z = asinh(2 * x * y)"],
  ["atanh", "z = atanh(x * y)", [-0.9, 0.9]],
  ["erf", "z = erf(2 * x * y)"],
  ["leaky_relu", "z = leaky_relu(x + y) * y + leaky_relu(x, negative_slope=0.2) * x"],
  ["elu", "z = elu(x * y) + elu(x - y, alpha=0.5)"],
  ["celu", "z = celu(x * y) + celu(x - y, 0.7)"],
  ["selu", "z = selu(x * y - 0.2)"],
  ["silu", "z = silu(x * y)"],
  ["gelu", "z = gelu(x * y)"],
  ["gelu tanh", "z = gelu(x * y, approximate=\"tanh\")"],
  ["mish", "z = mish(x * y)"],
  ["softplus beta", "z = softplus(x * y, beta=2) + softplus(x - y, 0.5, 20)"],
  ["xlogy", "z = xlogy(x, y) + xlogy(y, x * y)", positive],
];

function model(body: string): string {
  return `model m {\n  batch B\n  input x : [B, 3]\n  input y : [B, 3]\n  param p : [3]\n  param Q : [3, 3]\n  ${body}\n  output z\n}\n`;
}

describe("finite differences, orders 1..4, wrt x and y (mixed partials)", () => {
  for (const [name, body, range] of CASES) {
    it(name, () => {
      const { plan, fn } = compileOk(model(body), { order: 4 });
      const inputs = randomInputs(plan, 2, 7, range ?? [-1, 1]);
      const rows = finiteDifferenceCheck(plan, fn, inputs);
      expect(rows.map((r) => r.order)).toEqual([1, 2, 3, 4]);
      for (const r of rows) expect(r.maxRelError, `order ${r.order} ${r.where}`).toBeLessThan(TOL);
    });
  }

  it("a param in wrt: mixed input/param partials", () => {
    const { plan, fn } = compileOk(model("z = tanh(x @ Q + p) * y"), { order: 3, wrt: ["x", "Q", "p"] });
    const rows = finiteDifferenceCheck(plan, fn, randomInputs(plan, 2, 3));
    for (const r of rows) expect(r.maxRelError, `order ${r.order} ${r.where}`).toBeLessThan(TOL);
  });

  it("the check catches a wrong derivative (a sign flipped in one order-3 term)", () => {
    const { plan } = compileOk(model("z = tanh(x * y)"), { order: 3 });
    const i = plan.steps.findIndex((s) => s.kind === "contract" && plan.buffers[s.out]!.label.startsWith("z d[x,x,y]"));
    expect(i).toBeGreaterThanOrEqual(0);
    const s = plan.steps[i]!;
    if (s.kind !== "contract") throw new Error("unreachable");
    const broken = { ...plan, steps: plan.steps.map((t, j) => (j === i ? { ...s, terms: s.terms.map((term, k) => (k === 0 ? { ...term, coef: -term.coef } : term)) } : t)) };
    const rows = finiteDifferenceCheck(broken, instantiate(broken), randomInputs(plan, 2, 7));
    expect(rows[2]!.maxRelError).toBeGreaterThan(1e-3);
    expect(rows[1]!.maxRelError).toBeLessThan(TOL);
  });
});
