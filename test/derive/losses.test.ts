/**
 * Losses reduced to a scalar (no batch axis, so "mean", "sum" and "batchmean"
 * are allowed): orders 1..4 against finite differences, with mixed partials
 * between the input and the target, in both modes; forward and reverse agree.
 * (The unreduced forms, with a batch axis, are op cases in cases.ts; PyTorch
 * checks the values and derivatives in the losses_o3, robust_o4 and
 * per_sample_losses_o3 fixtures.)
 */
import { describe, expect, it } from "vitest";
import { finiteDifferenceCheck } from "../../compiler/tools/finite-differences.js";
import { randomInputs } from "../../compiler/tools/random-inputs.js";
import { compileOk } from "../helpers/compile.js";

/** a, b : [2, 3] inputs, differentiated; one scalar output z. */
const model = (body: string) => `model m {\n  input a : [2, 3]\n  input b : [2, 3]\n  ${body}\n  output z\n}\n`;

const LOSSES: [string, string][] = [
  ["mse_loss mean and sum", 'z = mse_loss(a, b) + mse_loss(tanh(a), b * b, reduction="sum")'],
  ["bce", "z = bce(sigmoid(a), sigmoid(b))"],
  ["bce_with_logits", 'z = bce_with_logits(3 * a, sigmoid(b), reduction="sum")'],
  ["cross_entropy", "z = cross_entropy(a * b, softmax(b))"],
  ["huber", 'z = huber(2 * a, b) + huber(a, b, delta=0.4, reduction="sum")'],
  ["smooth_l1", "z = smooth_l1(2 * a, b, beta=0.6) + smooth_l1(a, b, beta=0)"],
  ["kl_div", 'z = kl_div(log_softmax(a), softmax(b)) + kl_div(a, log_softmax(b), reduction="batchmean", log_target=true)'],
];

describe.each(["forward", "reverse"] as const)("scalar losses, orders 1..4 against finite differences, %s mode", (mode) => {
  for (const [name, body] of LOSSES) {
    it(name, () => {
      const { plan, fn } = compileOk(model(body), { order: 4, mode });
      const rows = finiteDifferenceCheck(plan, fn, randomInputs(plan, 1, 13));
      expect(rows.map((r) => r.order)).toEqual([1, 2, 3, 4]);
      for (const r of rows) expect(r.maxRelError, `order ${r.order} ${r.where}`).toBeLessThan(1e-6);
    });
  }
});

describe("scalar losses: forward and reverse mode agree (order 4)", () => {
  for (const [name, body] of LOSSES) {
    it(name, () => {
      const fwd = compileOk(model(body), { order: 4, mode: "forward" }), rev = compileOk(model(body), { order: 4, mode: "reverse" });
      const inputs = randomInputs(fwd.plan, 1, 17);
      const a = fwd.fn(inputs).z!, b = rev.fn(inputs).z!;
      expect(Array.from(b.value.data)).toEqual(Array.from(a.value.data));
      // relative to the largest derivative of the same order: a key that is zero in exact
      // arithmetic (bce has no a,a,b term) holds only rounding noise
      const order = (key: string) => key.split(",").length;
      const scale = new Map<number, number>();
      for (const key of a.keys()) for (const v of a.d(...key.split(",")).data) scale.set(order(key), Math.max(scale.get(order(key)) ?? 0, Math.abs(v)));
      for (const key of a.keys()) {
        const da = a.d(...key.split(",")).data, db = b.d(...key.split(",")).data;
        let err = 0;
        for (let i = 0; i < da.length; i++) err = Math.max(err, Math.abs(da[i]! - db[i]!));
        const sc = scale.get(order(key))!;
        expect(sc > 0 ? err / sc : err, `d[${key}]`).toBeLessThan(1e-10);
      }
    });
  }
});

describe("kl_div with zero targets", () => {
  it("0 log 0 = 0 in the value and no NaN in any derivative (as PyTorch's xlogy)", () => {
    const src = "model m {\n  input a : [4]\n  param t : [4]\n  z = kl_div(a, t, reduction=\"sum\")\n  output z\n}";
    for (const mode of ["forward", "reverse"] as const) {
      const { fn } = compileOk(src, { order: 3, wrt: ["a", "t"], mode });
      const r = fn({ a: { shape: [4], data: [0.1, -0.2, 0.3, 0.4] }, t: { shape: [4], data: [0, 0.5, 0, 0.5] } }).z!;
      // sum t (log t - a) over the nonzero targets only
      expect(r.value.data[0]).toBeCloseTo(2 * 0.5 * Math.log(0.5) - 0.5 * (-0.2 + 0.4), 14);
      expect(Array.from(r.d("a").data, (v) => v + 0)).toEqual([0, -0.5, 0, -0.5]);
      // d/dt (t log t - t a) = log t + 1 - a, and -a where t = 0 (the masked log contributes nothing there)
      const dt = Array.from(r.d("t").data);
      [-0.1, Math.log(0.5) + 1 + 0.2, -0.3, Math.log(0.5) + 1 - 0.4].forEach((v, i) => expect(dt[i]).toBeCloseTo(v, 14));
      for (const key of r.keys()) for (const v of r.d(...key.split(",")).data) expect(Number.isFinite(v), key).toBe(true);
    }
  });
});

describe("huber and smooth_l1 at their kinks follow PyTorch", () => {
  // torch 1.13, jacrev^k of huber_loss(x, 0, delta=0.5, 'sum') and smooth_l1_loss(x, 0, beta=0.5, 'sum') at x = [0.5, -0.5, 0]
  const cases: [string, number, number[], number[]][] = [
    ['huber(x, 0 * x, delta=0.5, reduction="sum")', 0.25, [0.5, -0.5, 0], [0, 0, 1]],
    ['smooth_l1(x, 0 * x, beta=0.5, reduction="sum")', 0.5, [1, -1, 0], [0, 0, 2]],
  ];
  for (const [call, value, d1, d2] of cases) {
    it(call, () => {
      for (const mode of ["forward", "reverse"] as const) {
        const { fn } = compileOk(`model m { input x : [3] y = ${call} output y }`, { order: 3, mode });
        const r = fn({ x: { shape: [3], data: [0.5, -0.5, 0] } }).y!;
        expect(r.value.data[0]).toBe(value);
        expect(Array.from(r.d("x").data, (v) => v + 0)).toEqual(d1);
        const h = r.d("x", "x").data;
        expect([h[0], h[4], h[8]].map((v) => v! + 0)).toEqual(d2);
        expect(Array.from(r.d("x", "x", "x").data).every((v) => v === 0)).toBe(true);
      }
    });
  }
});
