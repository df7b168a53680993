/**
 * Where the local (Taylor) picture holds: for radii r and per sample a random
 * unit direction u (Rng stream taylor, index = sample: d normals, normalised),
 * the step is h = r * (scale o u), scale_i the data's spread of input i (below).
 * The order-k prediction is
 *   T_k(h) = f + sum_{j<=k} 1/j! D^j f [h, ..., h]
 *          = f + sum_{j<=k} sum_{sorted t} D^j_t * prod_a h_{t_a} / (m_1! ... m_r!)
 * (m: multiplicities in the sorted tuple t), and its error at radius r, over the
 * N samples and the output's components (Euclidean norm over components), is
 *   error_k(r) = sum_n |f(x_n + h_n) - T_k(h_n)| / sum_n |f(x_n + h_n) - f(x_n)|
 * the error relative to the true change: about r^k for a smooth f at small r,
 * near 1 once the expansion says nothing. Roundoff gives a floor near
 * 1e-16 |f| / |change| at the smallest radii.
 */
import { sortedTuples, type Tuples } from "./tuples.js";

/** Default radii: 10^-3, 10^-2.5, ..., 10^0. */
export const DEFAULT_RADII: readonly number[] = [-3, -2.5, -2, -1.5, -1, -0.5, 0].map((e) => 10 ** e);

/**
 * The data's scale of each input element: its sample standard deviation, or
 * if that is 0 (or N = 1) the element's |mean|, or 1 if that is 0 too.
 */
export function inputScale(std: ArrayLike<number>, mean: ArrayLike<number>): Float64Array {
  return Float64Array.from({ length: std.length }, (_, i) => {
    const s = std[i]!;
    return Number.isFinite(s) && s > 0 ? s : Math.abs(mean[i]!) > 0 ? Math.abs(mean[i]!) : 1;
  });
}

export class TaylorErrors {
  readonly tuples: Tuples[];
  /** 1 / (m_1! ... m_r!) per tuple, per order. */
  readonly coef: Float64Array[];
  /** errSum[(k - 1) * R + r] */
  readonly errSum: Float64Array;
  readonly changeSum: Float64Array;
  private readonly mono: Float64Array[];
  private readonly pred: Float64Array;

  constructor(readonly K: number, readonly radii: readonly number[], readonly m: number, readonly d: number) {
    this.tuples = Array.from({ length: K }, (_, k) => sortedTuples(d, k + 1));
    let f = 1;
    this.coef = this.tuples.map((t, k) => { f *= k + 1; return t.permutations.map((p) => p / f); });
    this.errSum = new Float64Array(K * radii.length);
    this.changeSum = new Float64Array(radii.length);
    this.mono = this.tuples.map((t) => new Float64Array(t.count));
    this.pred = new Float64Array(m);
  }

  /**
   * Adds one sample: values [m] at row i of `values`, blocks[k-1] [n, m, P_k]
   * at row i, steps h [R, d] (one row per radius), true values [R, m].
   */
  add(values: Float64Array, blocks: readonly Float64Array[], i: number, h: Float64Array, truth: Float64Array): void {
    const { K, m, d } = this, R = this.radii.length;
    for (let r = 0; r < R; r++) {
      const hr = h.subarray(r * d, (r + 1) * d);
      for (let c = 0; c < m; c++) this.pred[c] = values[i * m + c]!;
      let change = 0;
      for (let c = 0; c < m; c++) { const e = truth[r * m + c]! - values[i * m + c]!; change += e * e; }
      this.changeSum[r] += Math.sqrt(change);
      for (let k = 1; k <= K; k++) {
        const t = this.tuples[k - 1]!, mono = this.mono[k - 1]!, coef = this.coef[k - 1]!, D = blocks[k - 1]!;
        for (let p = 0; p < t.count; p++) {
          let v = coef[p]!;
          for (let a = 0; a < k; a++) v *= hr[t.index[p * k + a]!]!;
          mono[p] = v;
        }
        const base = i * m * t.count;
        let err = 0;
        for (let c = 0; c < m; c++) {
          let s = 0;
          const row = base + c * t.count;
          for (let p = 0; p < t.count; p++) s += D[row + p]! * mono[p]!;
          this.pred[c] += s;
          const e = truth[r * m + c]! - this.pred[c]!;
          err += e * e;
        }
        this.errSum[(k - 1) * R + r] += Math.sqrt(err);
      }
    }
  }

  /** error[k - 1][r] (NaN where no sample changed at radius r). */
  errors(): number[][] {
    const R = this.radii.length;
    return Array.from({ length: this.K }, (_, k) => Array.from({ length: R }, (_, r) => this.errSum[k * R + r]! / this.changeSum[r]!));
  }
}

/** The largest radius up to which (from the smallest) the error stays below `tol`; undefined if the smallest already fails. */
export function radiusBelow(radii: readonly number[], errors: readonly number[], tol: number): number | undefined {
  let best: number | undefined;
  for (let r = 0; r < radii.length; r++) {
    if (!(errors[r]! < tol)) break;
    best = radii[r];
  }
  return best;
}
