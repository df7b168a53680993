/**
 * Every statistic of sensitivity() against the same statistic computed here
 * independently and plainly: one call of the model on all N samples (as
 * `thoadc eval` does: instantiate, then .d() dense blocks), then explicit loops
 * over samples, components and dense index tuples. The random draws (Monte
 * Carlo noise, Taylor directions, bootstrap resamples) are redrawn with the
 * documented streams of analysis/rng.ts; everything else is recomputed.
 * Agreement: 1e-12 relative (norm-wise per array), except where noted.
 */
import { describe, expect, it } from "vitest";
import { compileOk } from "../helpers/compile.js";
import { Rng, STREAM, sensitivity, type SensitivityResult } from "../../analysis/index.js";
import type { ModelFn } from "../../compiler/index.js";
import { cookbook, uniformBox } from "./models.js";

const TOL = 1e-12;

/** |got - want| <= tol * scale for every entry, scale = max |want| (or given). */
function close(got: unknown, want: unknown, what: string, scale?: number): void {
  const g = (got as number[]).flat(3) as (number | null)[], w = (want as number[]).flat(3) as number[];
  expect(g.length, what).toBe(w.length);
  const s = scale ?? Math.max(...w.map(Math.abs));
  for (let k = 0; k < w.length; k++) {
    expect(g[k], `${what}[${k}] is null`).not.toBeNull();
    expect(Math.abs(g[k]! - w[k]!), `${what}[${k}]: ${g[k]} vs ${w[k]}`).toBeLessThanOrEqual(TOL * s);
  }
}

/** Eigenvalues of a symmetric 3x3 matrix in closed form (Smith 1961, trigonometric), ascending. */
function eig3(a: number[][]): number[] {
  const p1 = a[0]![1]! ** 2 + a[0]![2]! ** 2 + a[1]![2]! ** 2;
  if (p1 === 0) return [a[0]![0]!, a[1]![1]!, a[2]![2]!].sort((u, v) => u - v);
  const q = (a[0]![0]! + a[1]![1]! + a[2]![2]!) / 3;
  const p2 = (a[0]![0]! - q) ** 2 + (a[1]![1]! - q) ** 2 + (a[2]![2]! - q) ** 2 + 2 * p1, p = Math.sqrt(p2 / 6);
  const b = a.map((row, i) => row.map((v, j) => (v - (i === j ? q : 0)) / p));
  const det = b[0]![0]! * (b[1]![1]! * b[2]![2]! - b[1]![2]! * b[2]![1]!) - b[0]![1]! * (b[1]![0]! * b[2]![2]! - b[1]![2]! * b[2]![0]!) + b[0]![2]! * (b[1]![0]! * b[2]![1]! - b[1]![1]! * b[2]![0]!);
  const phi = Math.acos(Math.min(1, Math.max(-1, det / 2))) / 3;
  const e1 = q + 2 * p * Math.cos(phi), e3 = q + 2 * p * Math.cos(phi + (2 * Math.PI) / 3);
  return [e3, 3 * q - e1 - e3, e1];
}

interface Setup { fn: ModelFn; value: ModelFn; data: Record<string, { shape: number[]; data: Float64Array }>; N: number; d: number; sigma: number; draws: number; seed: number; radii: number[]; resamples: number }

/** The independent recomputation, checked against `res`. */
function recompute(s: Setup, res: SensitivityResult): void {
  const { fn, value, data, N, d, sigma, draws: S, seed, radii } = s;
  const x = data.x!.data;
  const all = fn(data);
  const name = fn.outputs[0]!, r = all[name]!;
  const Y = r.value.data, G = r.d("x").data, H = r.d("x", "x").data, T = r.d("x", "x", "x").data;
  const m = Y.length / N;
  const out = res.outputs[name]!;
  expect(res.meta).toMatchObject({ order: 3, wrt: "x", N, d, seed });
  // the analysed input
  const xmean = Array.from({ length: d }, (_, i) => { let t = 0; for (let n = 0; n < N; n++) t += x[n * d + i]!; return t / N; });
  const xstd = xmean.map((mu, i) => { let t = 0; for (let n = 0; n < N; n++) t += (x[n * d + i]! - mu) ** 2; return Math.sqrt(t / (N - 1)); });
  const xmin = xmean.map((_, i) => Math.min(...Array.from({ length: N }, (_, n) => x[n * d + i]!)));
  const xmax = xmean.map((_, i) => Math.max(...Array.from({ length: N }, (_, n) => x[n * d + i]!)));
  close(res.input.mean, xmean, "input.mean"); close(res.input.std, xstd, "input.std");
  expect(res.input.min).toEqual(xmin); expect(res.input.max).toEqual(xmax);
  // value
  const vmean = Array.from({ length: m }, (_, c) => { let t = 0; for (let n = 0; n < N; n++) t += Y[n * m + c]!; return t / N; });
  const vvar = vmean.map((mu, c) => { let t = 0; for (let n = 0; n < N; n++) t += (Y[n * m + c]! - mu) ** 2; return t / (N - 1); });
  close(out.value_mean, vmean, "value_mean"); close(out.value_variance, vvar, "value_variance");
  // gradient, DGSM
  const g = (n: number, c: number, i: number) => G[(n * m + c) * d + i]!;
  const per = (f: (n: number, c: number, i: number) => number) => Array.from({ length: m }, (_, c) => Array.from({ length: d }, (_, i) => { let t = 0; for (let n = 0; n < N; n++) t += f(n, c, i); return t / N; }));
  close(out.gradient.mean, per(g), "gradient.mean");
  close(out.gradient.mean_abs, per((n, c, i) => Math.abs(g(n, c, i))), "gradient.mean_abs");
  const nu = per((n, c, i) => g(n, c, i) ** 2);
  close(out.dgsm, nu, "dgsm");
  close(out.dgsm_se, nu.map((row, c) => row.map((v, i) => { let t = 0; for (let n = 0; n < N; n++) t += (g(n, c, i) ** 2 - v) ** 2; return Math.sqrt(t / (N - 1) / N); })), "dgsm_se");
  // uniform bounds from the observed range
  close(out.dgsm_bound!.total_sobol_upper, nu.map((row, c) => row.map((v, i) => ((xmax[i]! - xmin[i]!) ** 2 / Math.PI ** 2) * v / vvar[c]!)), "total_sobol_upper");
  // interactions
  const h = (n: number, c: number, i: number, j: number) => H[((n * m + c) * d + i) * d + j]!;
  const perPair = (f: (n: number, c: number, i: number, j: number) => number) => Array.from({ length: m }, (_, c) => Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => { let t = 0; for (let n = 0; n < N; n++) t += f(n, c, i, j); return t / N; })));
  close(out.interactions!.mean, perPair(h), "interactions.mean");
  close(out.interactions!.mean_abs, perPair((n, c, i, j) => Math.abs(h(n, c, i, j))), "interactions.mean_abs");
  // third: diagonal and the largest mixed terms
  const t3 = (n: number, c: number, i: number, j: number, k: number) => T[(((n * m + c) * d + i) * d + j) * d + k]!;
  close(out.third!.diagonal_mean_abs, per((n, c, i) => Math.abs(t3(n, c, i, i, i))), "third.diagonal_mean_abs");
  const mixed: { component: number; i: number; j: number; k: number; mean_abs: number }[] = [];
  for (let c = 0; c < m; c++) for (let i = 0; i < d; i++) for (let j = i; j < d; j++) for (let k = j; k < d; k++) {
    if (i === k) continue;
    let t = 0;
    for (let n = 0; n < N; n++) t += Math.abs(t3(n, c, i, j, k));
    if (t > 0) mixed.push({ component: c, i, j, k, mean_abs: t / N });
  }
  mixed.sort((u, v) => v.mean_abs - u.mean_abs);
  const top = mixed.slice(0, 10);
  expect(out.third!.top_mixed.map((e) => [e.component, e.i, e.j, e.k])).toEqual(top.map((e) => [e.component, e.i, e.j, e.k]));
  close(out.third!.top_mixed.map((e) => e.mean_abs), top.map((e) => e.mean_abs), "third.top_mixed");
  // moments, second-order Taylor: mean = E[f + s^2/2 tr H], variance = E[s^2 |g|^2 + s^4/2 |H|_F^2]
  const s2 = sigma * sigma;
  close(out.moments!.mean, Array.from({ length: m }, (_, c) => { let t = 0; for (let n = 0; n < N; n++) { let tr = 0; for (let i = 0; i < d; i++) tr += h(n, c, i, i); t += Y[n * m + c]! + (s2 / 2) * tr; } return t / N; }), "moments.mean");
  close(out.moments!.variance, Array.from({ length: m }, (_, c) => { let t = 0; for (let n = 0; n < N; n++) { let g2 = 0, f2 = 0; for (let i = 0; i < d; i++) { g2 += g(n, c, i) ** 2; for (let j = 0; j < d; j++) f2 += h(n, c, i, j) ** 2; } t += s2 * g2 + (s2 * s2 / 2) * f2; } return t / N; }), "moments.variance");
  // Monte Carlo: redraw the noise, one value call on all N * S points
  const noisy = new Float64Array(N * S * d);
  for (let n = 0; n < N; n++) { const rng = new Rng(seed, STREAM.monteCarlo, n); for (let q = 0; q < S; q++) for (let i = 0; i < d; i++) noisy[(n * S + q) * d + i] = x[n * d + i]! + sigma * rng.normal(); }
  const Fv = value({ ...data, x: { shape: [N * S, d], data: noisy } })[name]!.value.data;
  const mcMean = new Array(m).fill(0), mcVar = new Array(m).fill(0), seM = new Array(m).fill(0), seV = new Array(m).fill(0);
  for (let n = 0; n < N; n++) for (let c = 0; c < m; c++) {
    let mu = 0; for (let q = 0; q < S; q++) mu += Fv[(n * S + q) * m + c]!; mu /= S;
    let ss = 0, s4 = 0; for (let q = 0; q < S; q++) { const e = Fv[(n * S + q) * m + c]! - mu; ss += e * e; s4 += e ** 4; }
    const v = ss / (S - 1);
    mcMean[c] += mu / N; mcVar[c] += v / N; seM[c] += v / S; seV[c] += (s4 / S - ((S - 3) / (S - 1)) * v * v) / S;
  }
  const mc = out.moments!.monte_carlo;
  expect(mc).toMatchObject({ draws_per_sample: S, samples: N * S, seed });
  close(mc.mean, mcMean, "monte_carlo.mean"); close(mc.variance, mcVar, "monte_carlo.variance");
  close(mc.mean_se, seM.map((v) => Math.sqrt(v) / N), "monte_carlo.mean_se"); close(mc.variance_se, seV.map((v) => Math.sqrt(v) / N), "monte_carlo.variance_se");
  // Taylor error against radius: dense contractions, truth from the value model
  const R = radii.length, steps = new Float64Array(N * R * d), rows = new Float64Array(N * R * d);
  for (let n = 0; n < N; n++) {
    const u = new Rng(seed, STREAM.taylor, n).unitVector(d);
    for (let q = 0; q < R; q++) for (let i = 0; i < d; i++) { steps[(n * R + q) * d + i] = radii[q]! * xstd[i]! * u[i]!; rows[(n * R + q) * d + i] = x[n * d + i]! + steps[(n * R + q) * d + i]!; }
  }
  const Ft = value({ ...data, x: { shape: [N * R, d], data: rows } })[name]!.value.data;
  const err = [0, 1, 2].map(() => new Array(R).fill(0)), change = new Array(R).fill(0), mag = new Array(R).fill(0);
  for (let n = 0; n < N; n++) for (let q = 0; q < R; q++) {
    const hv = steps.subarray((n * R + q) * d, (n * R + q + 1) * d);
    const e = [0, 0, 0];
    let ch = 0, mg = 0;
    for (let c = 0; c < m; c++) {
      let t1 = 0, t2 = 0, t3s = 0;
      for (let i = 0; i < d; i++) { t1 += g(n, c, i) * hv[i]!; for (let j = 0; j < d; j++) { t2 += h(n, c, i, j) * hv[i]! * hv[j]!; for (let k = 0; k < d; k++) t3s += t3(n, c, i, j, k) * hv[i]! * hv[j]! * hv[k]!; } }
      const f0 = Y[n * m + c]!, tr = Ft[(n * R + q) * m + c]!;
      const p = [f0 + t1, f0 + t1 + t2 / 2, f0 + t1 + t2 / 2 + t3s / 6];
      p.forEach((v, k) => { e[k]! += (tr - v) ** 2; });
      ch += (tr - f0) ** 2; mg += tr * tr;
    }
    e.forEach((v, k) => { err[k]![q] += Math.sqrt(v); });
    change[q] += Math.sqrt(ch); mag[q] += Math.sqrt(mg);
  }
  expect(out.taylor!.radii).toEqual(radii);
  for (let k = 0; k < 3; k++) for (let q = 0; q < R; q++) {
    const want = err[k]![q] / change[q];
    // two summation orders of the prediction differ by roundoff of |f|: 64 ulps of sum |f| over sum |change|
    const floor = (64 * Number.EPSILON * mag[q]) / change[q];
    expect(Math.abs(out.taylor!.error[k]![q]! - want), `taylor.error[${k}][${q}]`).toBeLessThanOrEqual(TOL * want + floor);
  }
  // curvature: closed-form 3x3 eigenvalues (d = 3 here)
  expect(d).toBe(3);
  const lo = Array.from({ length: m }, () => [] as number[]), hi = Array.from({ length: m }, () => [] as number[]);
  let hmax = 0;
  for (let n = 0; n < N; n++) for (let c = 0; c < m; c++) {
    const M = [0, 1, 2].map((i) => [0, 1, 2].map((j) => h(n, c, i, j)));
    M.flat().forEach((v) => { hmax = Math.max(hmax, Math.abs(v)); });
    const ev = eig3(M);
    lo[c]!.push(ev[0]!); hi[c]!.push(ev[2]!);
  }
  const mean = (a: number[]) => a.reduce((u, v) => u + v, 0) / a.length;
  const cv = out.curvature!;
  close(cv.lambda_min.min, lo.map((a) => Math.min(...a)), "lambda_min.min", hmax); close(cv.lambda_min.mean, lo.map(mean), "lambda_min.mean", hmax); close(cv.lambda_min.max, lo.map((a) => Math.max(...a)), "lambda_min.max", hmax);
  close(cv.lambda_max.min, hi.map((a) => Math.min(...a)), "lambda_max.min", hmax); close(cv.lambda_max.mean, hi.map(mean), "lambda_max.mean", hmax); close(cv.lambda_max.max, hi.map((a) => Math.max(...a)), "lambda_max.max", hmax);
  // bootstrap percentile intervals over blocks of ceil(N / 200) samples
  const bs = Math.ceil(N / 200), nb = Math.ceil(N / bs);
  expect(res.meta.bootstrap).toEqual({ resamples: s.resamples, level: 0.95, blocks: nb, block_size: bs });
  const L = 2 * m * d, sums = new Float64Array(nb * L), counts = new Float64Array(nb);
  for (let n = 0; n < N; n++) {
    const b = Math.floor(n / bs);
    counts[b]++;
    for (let c = 0; c < m; c++) for (let i = 0; i < d; i++) { sums[b * L + c * d + i] += g(n, c, i) ** 2; sums[b * L + m * d + c * d + i] += Math.abs(g(n, c, i)); }
  }
  const stats = Array.from({ length: L }, () => [] as number[]);
  for (let q = 0; q < s.resamples; q++) {
    const rng = new Rng(seed, STREAM.bootstrap, q), acc = new Float64Array(L);
    let cnt = 0;
    for (let k = 0; k < nb; k++) { const b = Math.floor(rng.uniform() * nb); cnt += counts[b]!; for (let l = 0; l < L; l++) acc[l] += sums[b * L + l]!; }
    for (let l = 0; l < L; l++) stats[l]!.push(acc[l]! / cnt);
  }
  const quant = (a: number[], p: number) => { const v = a.slice().sort((u, w) => u - w), t = (v.length - 1) * p, f = Math.floor(t); return f + 1 < v.length ? v[f]! + (t - f) * (v[f + 1]! - v[f]!) : v[f]!; };
  const ci = (off: number, p: number) => Array.from({ length: m }, (_, c) => Array.from({ length: d }, (_, i) => quant(stats[off + c * d + i]!, p)));
  close(out.dgsm_ci!.lo, ci(0, 0.025), "dgsm_ci.lo"); close(out.dgsm_ci!.hi, ci(0, 0.975), "dgsm_ci.hi");
  close(out.gradient.mean_abs_ci!.lo, ci(m * d, 0.025), "mean_abs_ci.lo"); close(out.gradient.mean_abs_ci!.hi, ci(m * d, 0.975), "mean_abs_ci.hi");
}

const MLP = `
model net {
  batch B
  input x : [B, 3]
  param W : [3, 5]
  param b : [5]
  param V : [5, 2]
  y = tanh(x @ W + b) @ V
  output y
}`;

describe("sensitivity() against an independent recomputation", () => {
  const radii = [1e-3, 1e-2, 1e-1, 1];
  it("Ishigami, order 3: every statistic at 1e-12", () => {
    const { fn, value } = cookbook("ishigami", 3);
    const N = 300, x = uniformBox(N, [-Math.PI, -Math.PI, -Math.PI], [Math.PI, Math.PI, Math.PI], 5);
    const setup: Setup = { fn, value, data: { x: { shape: [N, 3], data: x } }, N, d: 3, sigma: 0.1, draws: 16, seed: 3, radii, resamples: 200 };
    const res = sensitivity(fn, setup.data, { sigma: 0.1, mcDraws: 16, seed: 3, radii, bootstrap: 200, inputDist: "uniform", chunk: 64, valueModel: value });
    recompute(setup, res);
  });

  it("a two-output tanh network with params from the data: every statistic at 1e-12, and the chunk size changes nothing", () => {
    const fn = compileOk(MLP, { order: 3, dims: new Map() } as never).fn, value = compileOk(MLP, { order: 0, dims: new Map() } as never).fn;
    const N = 450, rng = new Rng(11);
    const p = (n: number) => Float64Array.from({ length: n }, () => rng.normal());
    const data = { x: { shape: [N, 3], data: p(N * 3) }, W: { shape: [3, 5], data: p(15) }, b: { shape: [5], data: p(5) }, V: { shape: [5, 2], data: p(10) } };
    const opts = { sigma: 0.05, mcDraws: 8, seed: 9, radii, bootstrap: 100, inputDist: "uniform" as const, valueModel: value };
    const res = sensitivity(fn, data, { ...opts, chunk: 256 });
    recompute({ fn, value, data, N, d: 3, sigma: 0.05, draws: 8, seed: 9, radii, resamples: 100 }, res);
    expect(res.outputs.y!.m).toBe(2);
    const other = sensitivity(fn, data, { ...opts, chunk: 7 });
    expect({ ...other, meta: { ...other.meta, chunk: 256 } }).toEqual(res);
    // normal inputs: C_i = the sample variance of x_i
    const normal = sensitivity(fn, data, { ...opts, inputDist: "normal" }).outputs.y!;
    const x = data.x.data, y = fn(data).y!, Y = y.value.data, G = y.d("x").data;
    for (let c = 0; c < 2; c++) for (let i = 0; i < 3; i++) {
      let mx = 0, my = 0, nu = 0;
      for (let n = 0; n < N; n++) { mx += x[n * 3 + i]! / N; my += Y[n * 2 + c]! / N; nu += G[(n * 2 + c) * 3 + i]! ** 2 / N; }
      let vx = 0, vy = 0;
      for (let n = 0; n < N; n++) { vx += (x[n * 3 + i]! - mx) ** 2 / (N - 1); vy += (Y[n * 2 + c]! - my) ** 2 / (N - 1); }
      expect(normal.dgsm_bound!.input_dist).toBe("normal");
      expect(Math.abs(normal.dgsm_bound!.constant[i]! - vx)).toBeLessThanOrEqual(TOL * vx);
      const want = (vx * nu) / vy;
      expect(Math.abs(normal.dgsm_bound!.total_sobol_upper[c]![i]! - want)).toBeLessThanOrEqual(TOL * want);
    }
  });

  it("a model without a batch axis (called per sample) gives the batched model's numbers", () => {
    const src = (batched: boolean) => `model g {
  ${batched ? "batch B\n  input x : [B, 3]" : "input x : [3]"}
  y = sin(x${batched ? "[:, 0]" : "[0]"}) * exp(x${batched ? "[:, 1]" : "[1]"}) + x${batched ? "[:, 2]" : "[2]"} ** 3
  output y
}`;
    const fb = compileOk(src(true), { order: 3, dims: new Map() } as never).fn, fu = compileOk(src(false), { order: 3, dims: new Map() } as never).fn;
    const N = 40, data = { x: { shape: [N, 3], data: uniformBox(N, [-1, -1, -1], [1, 1, 1], 2) } };
    const opts = { sigma: 0.1, mcDraws: 4, radii, bootstrap: 50 };
    const a = sensitivity(fb, data, opts), b = sensitivity(fu, data, opts);
    close(b.outputs.y!.dgsm, a.outputs.y!.dgsm, "dgsm");
    close(b.outputs.y!.interactions!.mean, a.outputs.y!.interactions!.mean, "interactions");
    close(b.outputs.y!.moments!.monte_carlo.mean, a.outputs.y!.moments!.monte_carlo.mean, "mc mean");
    close(b.outputs.y!.taylor!.error, a.outputs.y!.taylor!.error, "taylor");
  });
});
