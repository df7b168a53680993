/** Test problems for the analysis: the cookbook's .thd files, samplers, and closed-form references. */
import { compileOk, readRoot } from "../helpers/compile.js";
import { Rng } from "../../analysis/index.js";
import type { ModelFn } from "../../compiler/index.js";

export const A = 7, B = 0.1;
export const SOBOL_A = [0, 0.5, 3, 9, 99, 99];
export const BOREHOLE_LO = [0.05, 100, 63070, 990, 63.1, 700, 1120, 9855];
export const BOREHOLE_HI = [0.15, 50000, 115600, 1110, 116, 820, 1680, 12045];

/** The model at `order`, and the same model at order 0 (values only). */
export function cookbook(name: string, order: number): { fn: ModelFn; value: ModelFn } {
  const src = readRoot(`examples/cookbook/${name}.thd`);
  return { fn: compileOk(src, { order, dims: new Map() } as never).fn, value: compileOk(src, { order: 0, dims: new Map() } as never).fn };
}

/** N samples uniform on the box [lo_i, hi_i] (seeded), [N, d] row-major. */
export function uniformBox(N: number, lo: readonly number[], hi: readonly number[], seed: number): Float64Array {
  const d = lo.length, rng = new Rng(seed, 99, 0), x = new Float64Array(N * d);
  for (let k = 0; k < N * d; k++) x[k] = lo[k % d]! + (hi[k % d]! - lo[k % d]!) * rng.uniform();
  return x;
}

/**
 * Ishigami on U(-pi, pi)^3, closed forms. f = sin x1 (1 + b x3^4) + a sin^2 x2:
 *   df/dx1 = cos x1 (1 + b x3^4)  ->  nu1 = E[cos^2] E[(1 + b x3^4)^2] = (1 + 2b pi^4/5 + b^2 pi^8/9) / 2
 *   df/dx2 = a sin 2x2            ->  nu2 = a^2 / 2
 *   df/dx3 = 4b x3^3 sin x1       ->  nu3 = 16 b^2 E[x3^6] E[sin^2] = 8 b^2 pi^6 / 7
 * using E[x^(2k)] = pi^(2k) / (2k + 1) on U(-pi, pi), E[sin^2] = E[cos^2] = 1/2.
 * Variance: a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2; total indices (Ishigami and Homma;
 * Sobol' 1993): S_T1 = (V1 + V13) / V, S_T2 = V2 / V, S_T3 = V13 / V with
 * V1 = (1 + b pi^4/5)^2 / 2, V2 = a^2/8, V13 = b^2 pi^8 (1/18 - 1/50).
 */
export const ishigami = {
  f: (x1: number, x2: number, x3: number) => Math.sin(x1) * (1 + B * x3 ** 4) + A * Math.sin(x2) ** 2,
  grad: (x1: number, x2: number, x3: number) => [Math.cos(x1) * (1 + B * x3 ** 4), A * Math.sin(2 * x2), 4 * B * x3 ** 3 * Math.sin(x1)],
  nu: [(1 + (2 * B * Math.PI ** 4) / 5 + (B * B * Math.PI ** 8) / 9) / 2, (A * A) / 2, (8 * B * B * Math.PI ** 6) / 7],
  variance: (A * A) / 8 + (B * Math.PI ** 4) / 5 + (B * B * Math.PI ** 8) / 18 + 0.5,
  totalIndices(): number[] {
    const V1 = (1 + (B * Math.PI ** 4) / 5) ** 2 / 2, V2 = (A * A) / 8, V13 = B * B * Math.PI ** 8 * (1 / 18 - 1 / 50);
    return [(V1 + V13) / this.variance, V2 / this.variance, V13 / this.variance];
  },
  /**
   * Exact mean and variance of f(x + e), e ~ N(0, s^2 I), at one point:
   * E sin(x + e) = sin x q, q = e^(-s^2/2); E sin^2(x + e) = (1 - cos 2x e^(-2s^2)) / 2;
   * E sin^4(x + e) = 3/8 - cos 2x e^(-2s^2) / 2 + cos 4x e^(-8s^2) / 8; the normal moments
   * E (x + e)^4 = x^4 + 6x^2 s^2 + 3 s^4, E (x + e)^8 = sum_j C(8, 2j) x^(8-2j) s^(2j) (2j - 1)!!.
   */
  noisyMoments(x1: number, x2: number, x3: number, s: number): { mean: number; variance: number } {
    const s2 = s * s;
    const m4 = x3 ** 4 + 6 * x3 ** 2 * s2 + 3 * s2 * s2;
    const m8 = x3 ** 8 + 28 * x3 ** 6 * s2 + 70 * 3 * x3 ** 4 * s2 ** 2 + 28 * 15 * x3 ** 2 * s2 ** 3 + 105 * s2 ** 4;
    const es1 = Math.sin(x1) * Math.exp(-s2 / 2);
    const es1sq = (1 - Math.cos(2 * x1) * Math.exp(-2 * s2)) / 2, es2sq = (1 - Math.cos(2 * x2) * Math.exp(-2 * s2)) / 2;
    const es2q = 3 / 8 - (Math.cos(2 * x2) * Math.exp(-2 * s2)) / 2 + (Math.cos(4 * x2) * Math.exp(-8 * s2)) / 8;
    const ep = 1 + B * m4, ep2 = 1 + 2 * B * m4 + B * B * m8;
    const mean = es1 * ep + A * es2sq;
    const second = es1sq * ep2 + 2 * A * es1 * ep * es2sq + A * A * es2q;
    return { mean, variance: second - mean * mean };
  },
};

/**
 * Sobol G on U(0, 1)^6: g_i = (|4x_i - 2| + a_i) / (1 + a_i), f = prod g_i.
 * dg_i/dx_i = 4 sgn(4x_i - 2) / (1 + a_i) away from the kink x_i = 1/2 (probability 0),
 * so nu_i = 16 / (1 + a_i)^2 prod_{j != i} E[g_j^2], E[g_j^2] = 1 + 1 / (3 (1 + a_j)^2).
 */
export const sobolG = {
  nu: SOBOL_A.map((ai, i) => (16 / (1 + ai) ** 2) * SOBOL_A.reduce((p, aj, j) => (j === i ? p : p * (1 + 1 / (3 * (1 + aj) ** 2))), 1)),
  variance: SOBOL_A.reduce((p, a) => p * (1 + 1 / (3 * (1 + a) ** 2)), 1) - 1,
};

/**
 * Borehole: f = 2 pi Tu (Hu - Hl) / D, D = l (1 + A + Tu/Tl), l = ln(r / rw),
 * A = 2 L Tu / (l rw^2 Kw). Partial derivatives by hand (dA/dl = -A/l, so dD/dl = 1 + Tu/Tl):
 * d/drw: dD = -(1 + Tu/Tl)/rw - 2 l A / rw;  d/dr: dD = (1 + Tu/Tl)/r;  d/dTu: f/Tu - f dD/D, dD = l (A/Tu + 1/Tl);
 * d/dHu = 2 pi Tu / D = -d/dHl;  d/dTl: dD = -l Tu/Tl^2;  d/dL: dD = l A / L;  d/dKw: dD = -l A / Kw;
 * elsewhere df = -f dD / D.
 */
export const borehole = {
  f(x: ArrayLike<number>): number {
    const [rw, r, Tu, Hu, Tl, Hl, L, Kw] = Array.from(x) as number[];
    const l = Math.log(r! / rw!);
    return (2 * Math.PI * Tu! * (Hu! - Hl!)) / (l * (1 + (2 * L! * Tu!) / (l * rw! ** 2 * Kw!) + Tu! / Tl!));
  },
  grad(x: ArrayLike<number>): number[] {
    const [rw, r, Tu, Hu, Tl, Hl, L, Kw] = Array.from(x) as number[];
    const l = Math.log(r! / rw!), Aq = (2 * L! * Tu!) / (l * rw! ** 2 * Kw!), D = l * (1 + Aq + Tu! / Tl!);
    const f = (2 * Math.PI * Tu! * (Hu! - Hl!)) / D, k = -f / D;
    return [
      k * (-(1 + Tu! / Tl!) / rw! - (2 * l * Aq) / rw!),
      k * ((1 + Tu! / Tl!) / r!),
      f / Tu! + k * (l * (Aq / Tu! + 1 / Tl!)),
      (2 * Math.PI * Tu!) / D,
      k * ((-l * Tu!) / Tl! ** 2),
      (-2 * Math.PI * Tu!) / D,
      k * ((l * Aq) / L!),
      k * ((-l * Aq) / Kw!),
    ];
  },
};
