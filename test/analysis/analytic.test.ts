/**
 * DGSM and moments against closed forms (Ishigami, Sobol G) and a
 * high-accuracy reference (borehole), within Monte Carlo error: every bound is
 * 4 standard errors computed from the samples (dgsm_se, the Monte Carlo se's,
 * or the reference's own spread), and each test also checks the standard
 * error is small against the value, so the comparison has teeth.
 */
import { describe, expect, it } from "vitest";
import { Rng, sensitivity } from "../../analysis/index.js";
import { borehole, BOREHOLE_HI, BOREHOLE_LO, cookbook, ishigami, SOBOL_A, sobolG, uniformBox } from "./models.js";

const PI = Math.PI;
const within = (got: number, want: number, se: number, what: string) =>
  expect(Math.abs(got - want), `${what}: ${got} vs ${want} (se ${se}, ${(Math.abs(got - want) / se).toFixed(2)} se)`).toBeLessThanOrEqual(4 * se);

describe("DGSM against closed forms", () => {
  it("Ishigami on U(-pi, pi)^3: nu, Var(y), and the Sobol bounds above the known total indices", () => {
    const { fn, value } = cookbook("ishigami", 2);
    const N = 20000, x = uniformBox(N, [-PI, -PI, -PI], [PI, PI, PI], 21);
    const res = sensitivity(fn, { x: { shape: [N, 3], data: x } }, { inputDist: "uniform", range: [-PI, PI], valueModel: value, radii: [], bootstrap: 0 });
    const out = res.outputs.y!;
    for (let i = 0; i < 3; i++) {
      const se = out.dgsm_se[0]![i]!;
      expect(se / ishigami.nu[i]!).toBeLessThan(0.03);
      within(out.dgsm[0]![i]!, ishigami.nu[i]!, se, `nu${i + 1}`);
    }
    // Var(y): se of the sample variance, sqrt((mu4 - v^2) / N), from the samples
    const y = Array.from({ length: N }, (_, n) => ishigami.f(x[3 * n]!, x[3 * n + 1]!, x[3 * n + 2]!));
    const mu = y.reduce((a, b) => a + b, 0) / N, v = y.reduce((a, b) => a + (b - mu) ** 2, 0) / N, mu4 = y.reduce((a, b) => a + (b - mu) ** 4, 0) / N;
    within(out.value_variance[0]!, ishigami.variance, Math.sqrt((mu4 - v * v) / N), "Var(y)");
    // uniform bound: (2 pi)^2 / pi^2 = 4
    expect(out.dgsm_bound!.constant).toEqual([4, 4, 4]);
    const ST = ishigami.totalIndices();
    out.dgsm_bound!.total_sobol_upper[0]!.forEach((b, i) => expect(b!).toBeGreaterThanOrEqual(ST[i]!));
  });

  it("Sobol G on U(0, 1)^6 (a = 0, 0.5, 3, 9, 99, 99): nu_i = 16 / (1 + a_i)^2 prod_{j != i} (1 + 1 / (3 (1 + a_j)^2))", () => {
    const { fn, value } = cookbook("sobol_g", 1);
    const N = 20000, x = uniformBox(N, Array(6).fill(0), Array(6).fill(1), 22);
    const res = sensitivity(fn, { x: { shape: [N, 6], data: x }, a: { shape: [6], data: Float64Array.from(SOBOL_A) } }, { valueModel: value, radii: [], bootstrap: 0 });
    const out = res.outputs.y!;
    for (let i = 0; i < 6; i++) {
      const se = out.dgsm_se[0]![i]!;
      expect(se / sobolG.nu[i]!).toBeLessThan(0.03);
      within(out.dgsm[0]![i]!, sobolG.nu[i]!, se, `nu${i + 1}`);
    }
  });
});

describe("borehole against a high-accuracy reference", () => {
  it("nu_i equals the mean of the hand-derived gradient squared on the same samples (1e-10), and a 10^6-sample reference within 4 se", () => {
    const { fn, value } = cookbook("borehole", 1);
    const N = 20000, x = uniformBox(N, BOREHOLE_LO, BOREHOLE_HI, 23);
    const res = sensitivity(fn, { x: { shape: [N, 8], data: x } }, { valueModel: value, radii: [], bootstrap: 0 });
    const out = res.outputs.y!;
    // the same samples, hand-derived partials: a check of the model, not of sampling
    const same = new Array(8).fill(0);
    for (let n = 0; n < N; n++) borehole.grad(x.subarray(8 * n, 8 * n + 8)).forEach((g, i) => { same[i] += (g * g) / N; });
    same.forEach((v, i) => expect(Math.abs(out.dgsm[0]![i]! - v) / v, `nu${i} on the same samples`).toBeLessThan(1e-10));
    // the reference: 10^6 other samples of the hand-derived gradient, with its own standard error
    const M = 1_000_000, rng = new Rng(24, 99, 1), p = new Float64Array(8);
    const sum = new Array(8).fill(0), sq = new Array(8).fill(0);
    for (let n = 0; n < M; n++) {
      for (let i = 0; i < 8; i++) p[i] = BOREHOLE_LO[i]! + (BOREHOLE_HI[i]! - BOREHOLE_LO[i]!) * rng.uniform();
      borehole.grad(p).forEach((g, i) => { sum[i] += g * g; sq[i] += g ** 4; });
    }
    for (let i = 0; i < 8; i++) {
      const ref = sum[i] / M, seRef = Math.sqrt((sq[i] / M - ref * ref) / M), se = out.dgsm_se[0]![i]!;
      // (df/dr)^2 ~ 1/r^2 is heavy-tailed near r = 100: its estimate is the loosest (se ~ 20% at N = 2e4)
      expect(se / ref).toBeLessThan(i === 1 ? 0.3 : 0.05);
      within(out.dgsm[0]![i]!, ref, Math.hypot(se, seRef), `nu${i}`);
    }
  });
});

describe("moments under input noise, borehole (inputs scaled to [-1, 1])", () => {
  it("Monte Carlo and the second-order prediction match a 4096-draw reference of the hand-written function within 4 combined standard errors", () => {
    const { fn, value } = cookbook("borehole_scaled", 2);
    const N = 200, sigma = 0.05, z = uniformBox(N, Array(8).fill(-0.5), Array(8).fill(0.5), 27);
    const data = { z: { shape: [N, 8], data: z }, lo: { shape: [8], data: Float64Array.from(BOREHOLE_LO) }, hi: { shape: [8], data: Float64Array.from(BOREHOLE_HI) } };
    const mo = sensitivity(fn, data, { sigma, mcDraws: 64, valueModel: value, radii: [], bootstrap: 0 }).outputs.y!.moments!;
    // the reference: per design, 4096 draws of f(x(z + sigma e)) with f written by hand, its own standard errors
    const S = 4096, rng = new Rng(28, 99, 2), p = new Float64Array(8), f = new Float64Array(S);
    let mean = 0, variance = 0, seM2 = 0, seV2 = 0;
    for (let n = 0; n < N; n++) {
      for (let s = 0; s < S; s++) {
        for (let i = 0; i < 8; i++) p[i] = BOREHOLE_LO[i]! + ((BOREHOLE_HI[i]! - BOREHOLE_LO[i]!) * (z[8 * n + i]! + sigma * rng.normal() + 1)) / 2;
        f[s] = borehole.f(p);
      }
      const mu = f.reduce((a, b) => a + b, 0) / S;
      let ss = 0, s4 = 0;
      for (const v of f) { ss += (v - mu) ** 2; s4 += (v - mu) ** 4; }
      const v = ss / (S - 1);
      mean += mu / N; variance += v / N; seM2 += v / S; seV2 += (s4 / S - ((S - 3) / (S - 1)) * v * v) / S;
    }
    const refSeM = Math.sqrt(seM2) / N, refSeV = Math.sqrt(seV2) / N;
    const mc = mo.monte_carlo;
    expect(mc.variance_se[0]! / variance).toBeLessThan(0.03);
    within(mc.mean[0]!, mean, Math.hypot(mc.mean_se[0]!, refSeM), "Monte Carlo mean");
    within(mc.variance[0]!, variance, Math.hypot(mc.variance_se[0]!, refSeV), "Monte Carlo variance");
    within(mo.mean[0]!, mean, Math.hypot(mc.mean_se[0]!, refSeM), "Taylor mean");
    within(mo.variance[0]!, variance, Math.hypot(mc.variance_se[0]!, refSeV), "Taylor variance");
  });
});

describe("moments under input noise, Ishigami", () => {
  it("Monte Carlo and the second-order prediction match the exact moments of f(x + e) within 4 Monte Carlo standard errors", () => {
    const { fn, value } = cookbook("ishigami", 2);
    const N = 2000, sigma = 0.02, x = uniformBox(N, [-PI, -PI, -PI], [PI, PI, PI], 25);
    const res = sensitivity(fn, { x: { shape: [N, 3], data: x } }, { sigma, mcDraws: 32, valueModel: value, radii: [], bootstrap: 0 });
    const mo = res.outputs.y!.moments!;
    let mean = 0, variance = 0;
    for (let n = 0; n < N; n++) { const e = ishigami.noisyMoments(x[3 * n]!, x[3 * n + 1]!, x[3 * n + 2]!, sigma); mean += e.mean / N; variance += e.variance / N; }
    const seM = mo.monte_carlo.mean_se[0]!, seV = mo.monte_carlo.variance_se[0]!;
    expect(seV / variance).toBeLessThan(0.02);
    within(mo.monte_carlo.mean[0]!, mean, seM, "Monte Carlo mean");
    within(mo.monte_carlo.variance[0]!, variance, seV, "Monte Carlo variance");
    within(mo.mean[0]!, mean, seM, "Taylor mean");
    within(mo.variance[0]!, variance, seV, "Taylor variance");
  });

  it("at a larger noise the second-order variance is off by more than Monte Carlo error (the test can tell)", () => {
    const { fn, value } = cookbook("ishigami", 2);
    const N = 2000, sigma = 0.3, x = uniformBox(N, [-PI, -PI, -PI], [PI, PI, PI], 26);
    const mo = sensitivity(fn, { x: { shape: [N, 3], data: x } }, { sigma, mcDraws: 32, valueModel: value, radii: [], bootstrap: 0 }).outputs.y!.moments!;
    let variance = 0;
    for (let n = 0; n < N; n++) variance += ishigami.noisyMoments(x[3 * n]!, x[3 * n + 1]!, x[3 * n + 2]!, sigma).variance / N;
    within(mo.monte_carlo.variance[0]!, variance, mo.monte_carlo.variance_se[0]!, "Monte Carlo variance");
    expect(Math.abs(mo.variance[0]! - variance)).toBeGreaterThan(4 * mo.monte_carlo.variance_se[0]!);
  });
});
