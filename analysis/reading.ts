/**
 * A short written reading of a sensitivity result, generated from its numbers:
 * the most important inputs, the strongest interaction, where the Taylor
 * expansion holds, how the predicted moments compare with Monte Carlo, and
 * the curvature. Each sentence says which statistic it reads.
 */
import { fmt } from "./charts.js";
import { elementLabels } from "./labels.js";
import type { OutputSensitivity, SensitivityResult } from "./result.js";

/** Importance of each input element for an output: the largest over components. */
export function importance(res: SensitivityResult, out: OutputSensitivity): { score: number[]; what: string } {
  const d = res.meta.d;
  if (out.dgsm_bound) {
    return { score: Array.from({ length: d }, (_, i) => Math.max(...out.dgsm_bound!.total_sobol_upper.map((row) => row[i] ?? NaN).filter(Number.isFinite), 0)), what: `the DGSM upper bound on the total Sobol index (${out.dgsm_bound.input_dist} inputs)` };
  }
  // scaled DGSM: std_i^2 nu_ci / V_c, the normal-inputs bound with the observed spread
  return {
    score: Array.from({ length: d }, (_, i) => Math.max(...out.dgsm.map((row, c) => ((res.input.std[i] ?? 0) ** 2 * row[i]!) / (out.value_variance[c] ?? NaN)).filter(Number.isFinite), 0)),
    what: "the scaled DGSM std(x_i)^2 nu_i / Var(y) (give --input-dist for the bound of a stated input distribution)",
  };
}

export function reading(res: SensitivityResult, name: string, out: OutputSensitivity): string[] {
  const labels = elementLabels(res.meta.wrt, res.meta.wrt_shape);
  const comp = elementLabels(name, out.shape);
  const lines: string[] = [];
  const { score, what } = importance(res, out);
  const order = score.map((s, i) => [s, i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  const top = order.slice(0, Math.min(3, order.length)).filter(([s]) => s > 0);
  const total = score.reduce((a, b) => a + b, 0);
  if (top.length) {
    lines.push(`Most important input${top.length > 1 ? "s" : ""} of ${name}, by ${what}: ${top.map(([s, i]) => `${labels[i]} (${fmt(s)})`).join(", ")}.` +
      (out.dgsm_bound ? ` A bound below 1 caps that input's share of the variance; above 1 it says nothing.` : ""));
    const small = order.filter(([s]) => total > 0 && s < 0.01 * total).map(([, i]) => labels[i]!);
    if (small.length && small.length < labels.length) lines.push(`Negligible (under 1% of the total): ${small.slice(0, 12).join(", ")}${small.length > 12 ? `, and ${small.length - 12} more` : ""}.`);
  } else lines.push(`${name} does not change with ${res.meta.wrt} on these samples: every derivative is 0.`);
  if (out.interactions && labels.length > 1) {
    let best = { v: -1, c: 0, i: 0, j: 0 };
    out.interactions.mean_abs.forEach((H, c) => H.forEach((row, i) => row.forEach((v, j) => {
      if (j <= i) return;
      const s = v * (res.input.std[i] ?? 1) * (res.input.std[j] ?? 1);
      if (s > best.v) best = { v: s, c, i, j };
    })));
    if (best.v > 0) lines.push(`Strongest interaction: ${labels[best.i]} with ${labels[best.j]} on ${comp[best.c]} (mean |d2y/dx_i dx_j| = ${fmt(out.interactions.mean_abs[best.c]![best.i]![best.j]!)}; ranked after scaling by both inputs' standard deviations).`);
    else lines.push(`No interaction: every mixed second derivative is 0 on every sample, so ${name} is a sum of functions of one input each (to second order).`);
  }
  if (out.taylor) {
    const K = out.taylor.orders.length, rK = out.taylor.radius_1pct[K - 1], r1 = out.taylor.radius_1pct[0];
    lines.push(`Taylor expansion (radii relative to the data's spread per input): the order-${K} prediction stays within 1% of the true change ${rK === null || rK === undefined ? "at none of the radii tried" : `up to radius ${fmt(rK)}`}` +
      (K > 1 ? `; order 1 ${r1 === null || r1 === undefined ? "at none" : `up to ${fmt(r1)}`}.` : "."));
  }
  if (out.moments) {
    const mo = out.moments, mc = mo.monte_carlo;
    const z = (a: number, b: number, se: number) => (se > 0 ? Math.abs(a - b) / se : Infinity);
    const zm = Math.max(...mo.mean.map((v, c) => z(v, mc.mean[c]!, mc.mean_se[c]!)));
    const zv = Math.max(...mo.variance.map((v, c) => z(v, mc.variance[c]!, mc.variance_se[c]!)));
    lines.push(`Noise sigma = ${fmt(mo.sigma)}: the second-order prediction and Monte Carlo (${mc.samples} model calls) differ by at most ${fmt(zm)} standard errors in the mean and ${fmt(zv)} in the variance${zm < 4 && zv < 4 ? ", so the local picture is enough at this noise level" : ": beyond Monte Carlo error, so higher-order terms matter at this noise level"}.`);
  }
  if (out.curvature) {
    const lo = Math.min(...out.curvature.lambda_min.min), hi = Math.max(...out.curvature.lambda_max.max);
    lines.push(`Curvature: Hessian eigenvalues range over [${fmt(lo)}, ${fmt(hi)}] on the samples: ${lo >= 0 && hi >= 0 ? "convex (positive semidefinite) at every sample" : lo <= 0 && hi <= 0 ? "concave (negative semidefinite) at every sample" : "indefinite somewhere (saddle directions)"}.`);
  }
  return lines;
}
