/**
 * Finite-difference consistency: every derivative of order k against central
 * differences of the order k-1 result (order 1 against the value). By default one
 * pair of model evaluations per wrt element serves every key and order; given
 * `lower`, order k is differenced from a model of order k-1 (cheaper calls, and
 * the orders checked one after the other, for per-order progress). Perturbing a
 * batched variable's element j in all samples at once is exact because samples
 * are independent (the batch axis is never mixed).
 */
import { Tensor } from "../../runtime/index.js";
import type { ModelFn } from "../index.js";
import type { Plan } from "../plan/plan.js";

export interface OrderError { readonly order: number; readonly maxRelError: number; readonly where: string }

/**
 * Errors are relative to the largest exact entry of the two orders involved
 * (per output), but never to less than the rounding noise of the central
 * difference over `tol`: eps * M / h / tol, M the largest magnitude among the
 * values differenced and the variable's values. A derivative that is zero, or
 * that cancels to rounding noise (exp(log(x)) - x), has no scale of its own;
 * differences at the noise level then report as at most `tol` instead of
 * noise / 1e-300. onProgress(done, total, orders): after each pair of shifted
 * calls (one per wrt element), with the orders that pair checks. lower(m): a
 * model of the same outputs and wrt computing derivatives up to order m.
 */
export function finiteDifferenceCheck(plan: Plan, fn: ModelFn, inputs: Record<string, Tensor>, h = 1e-5, onProgress?: (done: number, total: number, orders: readonly number[]) => void, tol = 1e-6, lower?: (order: number) => ModelFn): OrderError[] {
  const base = fn(inputs);
  const K = plan.order;
  const worst: OrderError[] = Array.from({ length: K }, (_, i) => ({ order: i + 1, maxRelError: 0, where: "" }));
  const keysBelow: string[][] = [[]];
  const wrt = plan.wrt.map((w) => w.name);
  const rec = (k: number, from: number, acc: string[]): void => {
    if (acc.length === k) { if (k > 0) keysBelow.push(acc); return; }
    for (let i = from; i < wrt.length; i++) rec(k, i, [...acc, wrt[i]!]);
  };
  for (let k = 1; k < K; k++) rec(k, 0, []);
  // exact derivatives once: per output, per lower key, per variable
  // errors are relative to the largest entry of the output's derivatives of the two orders involved:
  // a block that is exactly zero (log(x*y) has no x,y term) leaves only rounding noise, of size eps*|f|/h
  const magnitude = new Map<string, number>();
  for (const o of plan.outputs) {
    const r = base[o.name]!;
    magnitude.set(`${o.name}|0`, maxAbs(r.value.data));
    for (let k = 1; k <= K; k++) magnitude.set(`${o.name}|${k}`, 0);
    for (const key of r.keys()) {
      const k = key.split(",").length, id = `${o.name}|${k}`;
      magnitude.set(id, Math.max(magnitude.get(id)!, maxAbs(r.packed(...key.split(",")).data)));
    }
  }
  const total = plan.wrt.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1), 0);
  // the orders each pair of shifted calls checks, and the model that computes them
  if (!lower) pass(Array.from({ length: K }, (_, i) => i + 1), fn);
  else for (let k = 1; k <= K; k++) pass([k], lower(k - 1));
  return worst;

  function pass(orders: readonly number[], f: ModelFn): void {
    const below = keysBelow.filter((key) => orders.includes(key.length + 1));
    let done = 0;
    for (const w of plan.wrt) {
      const n = w.shape.reduce((a, b) => a * b, 1);
      const t = inputs[w.name]!;
      const perSample = n, samples = t.data.length / n;
      const wMax = maxAbs(t.data);
      for (let j = 0; j < n; j++) {
        const shifted = (s: number): Record<string, Tensor> => {
          const d = Float64Array.from(t.data);
          for (let b = 0; b < samples; b++) d[b * perSample + j] += s;
          return { ...inputs, [w.name]: new Tensor(t.shape, d) };
        };
        const up = f(shifted(h)), down = f(shifted(-h));
        onProgress?.(++done, total, orders);
        for (const o of plan.outputs) {
          for (const key of below) {
            const exact = base[o.name]!.d(...key, w.name); // axes: key..., then w
            const a = key.length ? up[o.name]!.d(...key) : up[o.name]!.value;
            const bb = key.length ? down[o.name]!.d(...key) : down[o.name]!.value;
            const noise = (Number.EPSILON * Math.max(wMax, maxAbs(a.data), maxAbs(bb.data))) / h;
            const sc = Math.max(magnitude.get(`${o.name}|${key.length}`)!, magnitude.get(`${o.name}|${key.length + 1}`)!, noise / tol, Number.MIN_VALUE);
            for (let q = 0; q < a.data.length; q++) {
              const fd = (a.data[q]! - bb.data[q]!) / (2 * h);
              const e = Math.abs(fd - exact.data[q * n + j]!) / sc;
              const slot = worst[key.length]!;
              if (Number.isNaN(slot.maxRelError)) continue; // a NaN stays reported
              if (!(e <= slot.maxRelError)) worst[key.length] = { order: key.length + 1, maxRelError: e, where: `${o.name} d[${[...key, w.name].join(",")}]` };
            }
          }
        }
      }
    }
  }
}

const maxAbs = (d: ArrayLike<number>): number => { let m = 0; for (let i = 0; i < d.length; i++) m = Math.max(m, Math.abs(d[i]!)); return m; };

export { Tensor };
