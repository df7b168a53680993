/**
 * Per-output sample statistics of the value and of the derivatives of orders
 * 1..3 with respect to the analysed input: sums over samples of y, dy/dx_i,
 * |dy/dx_i|, (dy/dx_i)^2, d2y/dx_i dx_j, |d2y/dx_i dx_j| and |d3y/dx_i dx_j dx_k|
 * (the last two over sorted tuples only: Schwarz symmetry makes the rest equal).
 */
import { BlockSums, Welford } from "./accumulators.js";

export class DerivativeStats {
  /** y per component: mean and variance over samples. */
  readonly value: Welford;
  readonly gradSum: Float64Array;
  readonly gradAbsSum: Float64Array;
  /** (dy_c/dx_i)^2: the DGSM nu_ci is its mean; its spread gives the standard error. */
  readonly gradSquare: Welford;
  /** Block sums of (dy/dx)^2 (first m*d entries) and |dy/dx| (next m*d), for the bootstrap. */
  readonly blocks: BlockSums;
  readonly hessSum: Float64Array;
  readonly hessAbsSum: Float64Array;
  readonly thirdAbsSum: Float64Array;
  count = 0;
  readonly P2: number;
  readonly P3: number;

  constructor(readonly m: number, readonly d: number, readonly K: number, N: number, maxBlocks: number) {
    this.value = new Welford(m);
    this.gradSum = new Float64Array(m * d);
    this.gradAbsSum = new Float64Array(m * d);
    this.gradSquare = new Welford(m * d);
    this.blocks = new BlockSums(N, 2 * m * d, maxBlocks);
    this.P2 = K >= 2 ? (d * (d + 1)) / 2 : 0;
    this.P3 = K >= 3 ? (d * (d + 1) * (d + 2)) / 6 : 0;
    this.hessSum = new Float64Array(m * this.P2);
    this.hessAbsSum = new Float64Array(m * this.P2);
    this.thirdAbsSum = new Float64Array(m * this.P3);
  }

  /** Adds sample n (global index), row i of the chunk's values [n, m] and blocks [n, m, P_k]. */
  add(n: number, values: Float64Array, blocks: readonly Float64Array[], i: number): void {
    const { m, d } = this;
    this.count++;
    this.value.add(values, i * m);
    const G = blocks[0]!, g0 = i * m * d;
    for (let l = 0; l < m * d; l++) {
      const g = G[g0 + l]!;
      this.gradSum[l] += g;
      this.gradAbsSum[l] += Math.abs(g);
    }
    this.gradSquare.add(G, g0, (g) => g * g);
    const b = Math.floor(n / this.blocks.size), base = b * this.blocks.length;
    this.blocks.counts[b]++;
    for (let l = 0; l < m * d; l++) {
      const g = G[g0 + l]!;
      this.blocks.sums[base + l] += g * g;
      this.blocks.sums[base + m * d + l] += Math.abs(g);
    }
    if (this.K >= 2) {
      const H = blocks[1]!, h0 = i * m * this.P2;
      for (let l = 0; l < m * this.P2; l++) { const h = H[h0 + l]!; this.hessSum[l] += h; this.hessAbsSum[l] += Math.abs(h); }
    }
    if (this.K >= 3) {
      const T = blocks[2]!, t0 = i * m * this.P3;
      for (let l = 0; l < m * this.P3; l++) this.thirdAbsSum[l] += Math.abs(T[t0 + l]!);
    }
  }
}
