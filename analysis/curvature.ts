/**
 * Curvature of each output component: per sample, the extreme eigenvalues of
 * the Hessian d2y_c/dx2 (symmetric d x d, Jacobi's method in eigen.ts); over
 * the samples, the minimum, mean and maximum of the smallest eigenvalue and of
 * the largest.
 */
import { Extremes } from "./accumulators.js";
import { symmetricEigenvalues } from "./eigen.js";
import { expandPairs } from "./tuples.js";

export class Curvature {
  readonly lambdaMin: Extremes;
  readonly lambdaMax: Extremes;
  private readonly dense: Float64Array;
  private readonly lo: Float64Array;
  private readonly hi: Float64Array;

  constructor(readonly m: number, readonly d: number) {
    this.lambdaMin = new Extremes(m);
    this.lambdaMax = new Extremes(m);
    this.dense = new Float64Array(d * d);
    this.lo = new Float64Array(m);
    this.hi = new Float64Array(m);
  }

  /** Adds one sample: its packed Hessians [m, P2] at `offset`. */
  add(hess: ArrayLike<number>, offset: number): void {
    const { m, d } = this, P2 = (d * (d + 1)) / 2;
    for (let c = 0; c < m; c++) {
      expandPairs(hess, offset + c * P2, d, this.dense);
      const ev = symmetricEigenvalues(this.dense, d);
      this.lo[c] = ev[0]!;
      this.hi[c] = ev[d - 1]!;
    }
    this.lambdaMin.add(this.lo);
    this.lambdaMax.add(this.hi);
  }
}
