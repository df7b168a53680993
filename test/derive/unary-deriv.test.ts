/**
 * The unary op with `deriv: k` (value f^(k)(a), its m-th derivative f^(k+m)): for
 * every elementwise function, a node f^(k) built directly in the IR, planned in
 * both modes at order 2, gives f^(k), f^(k+1) and f^(k+2) at sample points, each
 * checked against central differences of derivValue one order below (derivValue
 * itself against the function's plain value at k = 0). Relu-like functions whose
 * f^(k) vanishes are refused by the builder (derivVanishes).
 */
import { describe, expect, it } from "vitest";
import { derivValue, derivVanishes, UNARY } from "../../compiler/derive/elementwise.js";
import { planForward } from "../../compiler/derive/forward.js";
import { planReverse } from "../../compiler/derive/reverse.js";
import { Builder } from "../../compiler/ir/builders.js";
import type { ModelIR } from "../../compiler/ir/lower.js";
import { topoOrder, type UnaryFn } from "../../compiler/ir/node.js";
import { NO_SPAN } from "../../compiler/diagnostics/diagnostic.js";
import { Tensor } from "../../runtime/index.js";
import { instantiateForTest } from "../helpers/compile.js";

/** Points inside each function's domain, away from kinks. */
const POINTS: Partial<Record<UnaryFn, number[]>> = {
  log: [0.4, 1.7], log1p: [-0.3, 0.8], log2: [0.6, 2.1], log10: [0.5, 1.3], sqrt: [0.3, 2.2], norm_sqrt: [0.3, 2.2], std_sqrt: [0.3, 2.2],
  asin: [-0.4, 0.6], acos: [-0.5, 0.3], atanh: [-0.6, 0.4], acosh: [1.3, 2.5], erfinv: [-0.5, 0.7], pow: [0.7, 1.6],
};

function model(fn: UnaryFn, k: number, exponent?: number): ModelIR {
  const b = new Builder();
  const x = b.input("x", false, [2], NO_SPAN);
  const z = b.unary(fn, x, NO_SPAN, exponent, k)!;
  return { name: "m", builder: b, batch: undefined, dims: new Map(), inputs: [x], outputs: [{ name: "z", node: z, span: NO_SPAN }], names: new Map() };
}

describe("unary nodes with deriv k: f^(k), then f^(k+1) and f^(k+2) by both planners", () => {
  for (const fn of Object.keys(UNARY) as UnaryFn[]) {
    const exponent = fn === "pow" ? 2.5 : undefined;
    it(fn, () => {
      const pts = POINTS[fn] ?? [-0.7, 0.45];
      const h = 1e-5;
      for (const x of pts) {
        const fd = (k: number) => (derivValue(fn, k - 1, x + h, exponent) - derivValue(fn, k - 1, x - h, exponent)) / (2 * h);
        expect(derivValue(fn, 0, x, exponent)).toBe(UNARY[fn].value(x, exponent));
        for (let k = 1; k <= 4; k++) {
          const want = derivValue(fn, k, x, exponent);
          expect(Math.abs(want - fd(k)), `${fn}^(${k})(${x})`).toBeLessThan(1e-5 * Math.max(1, Math.abs(want)));
        }
      }
      for (let k = 1; k <= 2; k++) {
        if (derivVanishes(fn, k, exponent)) { expect(() => model(fn, k, exponent)).toThrow(/identically 0/); continue; }
        const ir = model(fn, k, exponent);
        const nodes = topoOrder(ir.outputs.map((o) => o.node));
        for (const plan of [planForward(ir, nodes, { order: 2, wrt: ["x"] }), planReverse(ir, nodes, { order: 2, wrt: ["x"] })]) {
          const z = instantiateForTest(plan)({ x: new Tensor([2], Float64Array.from(pts)) }).z!;
          const d1 = z.d("x").data, d2 = z.d("x", "x").data;
          pts.forEach((x, i) => {
            const close = (got: number, m: number) => expect(Math.abs(got - derivValue(fn, m, x, exponent)), `${plan.mode} ${fn}^(${m})(${x})`).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(derivValue(fn, m, x, exponent))));
            close(z.value.data[i]!, k);
            close(d1[i * 2 + i]!, k + 1);
            close(d2[(i * 2 + i) * 2 + i]!, k + 2);
            expect(Math.abs(d1[i * 2 + 1 - i]!)).toBe(0);
          });
        }
      }
    });
  }
});
