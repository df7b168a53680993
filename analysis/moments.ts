/**
 * Moment propagation of input noise: y = f(x + e), e ~ N(0, sigma^2 I) on the
 * flattened analysed input.
 *
 * Second-order Taylor prediction per sample (f, g = df/dx, H = d2f/dx2 at x,
 * per output component): f(x + e) ~ f + g.e + e'He / 2, whose moments are
 *   mean     = f + sigma^2 / 2 tr H
 *   variance = sigma^2 |g|^2 + sigma^4 / 2 |H|_F^2
 * (the odd moments of e vanish and Var(e'He) = 2 sigma^4 |H|_F^2). Both are
 * averaged over the samples.
 *
 * Monte Carlo: S draws per sample of f(x + sigma z), z standard normal
 * (Rng stream monteCarlo, index = sample: S vectors of d normals in turn);
 * per sample the mean and unbiased variance of the S values, averaged over
 * samples. Standard errors (over the noise, the samples being fixed):
 *   se(mean)     = sqrt(sum_n v_n / S) / N
 *   se(variance) = sqrt(sum_n (mu4_n - (S - 3) / (S - 1) v_n^2) / S) / N
 * with v_n the sample's unbiased variance and mu4_n its fourth central moment
 * over the S draws.
 */

export class TaylorMoments {
  readonly meanSum: Float64Array;
  readonly varianceSum: Float64Array;
  count = 0;
  constructor(readonly m: number, readonly d: number, readonly sigma: number) {
    this.meanSum = new Float64Array(m);
    this.varianceSum = new Float64Array(m);
  }

  /** Adds one sample: values [m] at vOff, gradient [m, d] at gOff, packed Hessian [m, P2] at hOff. */
  add(values: ArrayLike<number>, vOff: number, grad: ArrayLike<number>, gOff: number, hess: ArrayLike<number>, hOff: number): void {
    const { m, d, sigma } = this, s2 = sigma * sigma, P2 = (d * (d + 1)) / 2;
    this.count++;
    for (let c = 0; c < m; c++) {
      let g2 = 0, tr = 0, fro = 0;
      for (let i = 0; i < d; i++) { const g = grad[gOff + c * d + i]!; g2 += g * g; }
      let p = hOff + c * P2;
      for (let i = 0; i < d; i++) for (let j = i; j < d; j++) {
        const h = hess[p++]!;
        if (i === j) { tr += h; fro += h * h; } else fro += 2 * h * h;
      }
      this.meanSum[c] += values[vOff + c]! + (s2 / 2) * tr;
      this.varianceSum[c] += s2 * g2 + ((s2 * s2) / 2) * fro;
    }
  }

  mean(): Float64Array { return this.meanSum.map((s) => s / this.count); }
  variance(): Float64Array { return this.varianceSum.map((s) => s / this.count); }
}

export class MonteCarloMoments {
  readonly meanSum: Float64Array;
  readonly varianceSum: Float64Array;
  /** sum_n v_n / S: the variance of the averaged mean, times N^2. */
  readonly meanErrSum: Float64Array;
  readonly varianceErrSum: Float64Array;
  count = 0;
  constructor(readonly m: number, readonly draws: number) {
    this.meanSum = new Float64Array(m);
    this.varianceSum = new Float64Array(m);
    this.meanErrSum = new Float64Array(m);
    this.varianceErrSum = new Float64Array(m);
  }

  /** Adds one sample: `values` [S, m] from row offset `row` (S rows of m values). */
  add(values: ArrayLike<number>, row: number): void {
    const { m, draws: S } = this;
    this.count++;
    for (let c = 0; c < m; c++) {
      let mean = 0;
      for (let s = 0; s < S; s++) mean += values[(row + s) * m + c]!;
      mean /= S;
      let ss = 0, s4 = 0;
      for (let s = 0; s < S; s++) { const e = values[(row + s) * m + c]! - mean; ss += e * e; s4 += e * e * e * e; }
      const v = ss / (S - 1), mu4 = s4 / S;
      this.meanSum[c] += mean;
      this.varianceSum[c] += v;
      this.meanErrSum[c] += v / S;
      this.varianceErrSum[c] += (mu4 - ((S - 3) / (S - 1)) * v * v) / S;
    }
  }

  mean(): Float64Array { return this.meanSum.map((s) => s / this.count); }
  variance(): Float64Array { return this.varianceSum.map((s) => s / this.count); }
  meanStandardError(): Float64Array { return this.meanErrSum.map((s) => Math.sqrt(s) / this.count); }
  varianceStandardError(): Float64Array { return this.varianceErrSum.map((s) => Math.sqrt(Math.max(s, 0)) / this.count); }
}
