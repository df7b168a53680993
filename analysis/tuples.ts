/**
 * Sorted index tuples: the entries of a packed symmetric derivative block of
 * one variable with d elements at order k are the tuples i1 <= ... <= ik in
 * lexicographic order (runtime/packed.ts), C(d + k - 1, k) of them.
 */
import { forEachPacked, packedSize } from "../runtime/index.js";

export interface Tuples {
  readonly k: number;
  readonly count: number;
  /** count x k indices, row-major. */
  readonly index: Int32Array;
  /** k! / (m_1! ... m_r!): how many dense entries the sorted tuple stands for (m_j: multiplicities). */
  readonly permutations: Float64Array;
}

const factorial = (n: number): number => { let f = 1; for (let i = 2; i <= n; i++) f *= i; return f; };

export function sortedTuples(d: number, k: number): Tuples {
  const count = packedSize([d], [k]);
  const index = new Int32Array(count * k), permutations = new Float64Array(count);
  let p = 0;
  forEachPacked([d], [k], (t) => {
    index.set(t, p * k);
    let denom = 1, run = 1;
    for (let a = 1; a <= k; a++) {
      if (a < k && t[a] === t[a - 1]) run++;
      else { denom *= factorial(run); run = 1; }
    }
    permutations[p++] = factorial(k) / denom;
  });
  return { k, count, index, permutations };
}

/** Row-major offsets of the pairs (i, j) and (j, i) of every sorted pair, for expanding a packed Hessian to [d, d]. */
export function expandPairs(packed: ArrayLike<number>, offset: number, d: number, out: Float64Array, outOffset = 0): void {
  let p = offset;
  for (let i = 0; i < d; i++) for (let j = i; j < d; j++) {
    const v = packed[p++]!;
    out[outOffset + i * d + j] = v;
    out[outOffset + j * d + i] = v;
  }
}
