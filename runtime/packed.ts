/**
 * Packed symmetric storage (docs/design.md section 2).
 *
 * A derivative block for the key (w_1^m_1, ..., w_g^m_g) (variable w_i repeated
 * m_i times, n_i elements each) stores only sorted multi-indices per variable:
 * group i contributes C(n_i + m_i - 1, m_i) entries. Groups are laid out
 * mixed-radix with the first group most significant; inside a group, sorted
 * tuples j_1 <= ... <= j_m are in lexicographic order. This matches the dense
 * row-major layout restricted to its sorted corner.
 */
import { allocLike, type FloatArray } from "./tensor.js";

/** Binomial coefficient, exact while the result is below 2^53. */
export function binom(n: number, k: number): number {
  if (k < 0 || n < k) return 0;
  k = Math.min(k, n - k);
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/** Number of sorted m-tuples over n elements. */
export function multisetCount(n: number, m: number): number {
  return m === 0 ? 1 : binom(n + m - 1, m);
}

/** Entries of a packed block for the key with sizes ns and multiplicities ms. */
export function packedSize(ns: readonly number[], ms: readonly number[]): number {
  let p = 1;
  for (let g = 0; g < ns.length; g++) p *= multisetCount(ns[g]!, ms[g]!);
  return p;
}

/**
 * Lexicographic rank of the sorted tuple t[from..from+m) over n elements.
 * Tuples before it that share the prefix up to i and have a smaller entry at i:
 * sum over v in [lo, t_i) of C(n - v + r - 1, r), r = m - i - 1, which the
 * hockey-stick identity turns into C(n - lo + r, r + 1) - C(n - t_i + r, r + 1).
 */
export function rankSorted(t: ArrayLike<number>, from: number, m: number, n: number): number {
  let rank = 0, lo = 0;
  for (let i = 0; i < m; i++) {
    const r = m - i - 1, v = t[from + i]!;
    rank += binom(n - lo + r, r + 1) - binom(n - v + r, r + 1);
    lo = v;
  }
  return rank;
}

/** Packed index of a tuple laid out group by group (each group sorted). */
export function packedIndex(t: ArrayLike<number>, ns: readonly number[], ms: readonly number[]): number {
  let idx = 0, pos = 0;
  for (let g = 0; g < ns.length; g++) {
    const m = ms[g]!;
    idx = idx * multisetCount(ns[g]!, m) + rankSorted(t, pos, m, ns[g]!);
    pos += m;
  }
  return idx;
}

/** Calls visit(tuple) for every packed entry in storage order (tuple is reused). */
export function forEachPacked(ns: readonly number[], ms: readonly number[], visit: (t: Int32Array) => void): void {
  const k = ms.reduce((a, b) => a + b, 0);
  const t = new Int32Array(k);
  const group = new Int32Array(k), start = new Int32Array(k);
  let pos = 0;
  for (let g = 0; g < ms.length; g++) for (let i = 0; i < ms[g]!; i++) { group[pos] = g; start[pos] = i === 0 ? 1 : 0; pos++; }
  if (ns.some((n, g) => n === 0 && ms[g]! > 0)) return;
  for (;;) {
    visit(t);
    // odometer: advance the last position that can grow, reset the tail
    let a = k - 1;
    for (; a >= 0; a--) if (t[a]! < ns[group[a]!]! - 1) break;
    if (a < 0) return;
    t[a]!++;
    for (let b = a + 1; b < k; b++) t[b] = start[b] ? 0 : t[b - 1]!;
  }
}

/**
 * For a key (ns, ms) and M position masks (bit i = position i of the key, in
 * group order), the packed index of each entry's sub-tuple restricted to the
 * mask, within the sub-block it selects (the groups the mask touches, with
 * the counts it selects). Result: Int32Array [P x M], row-major. All masks of
 * one table must select sub-blocks of the same layout (checked).
 */
export function subIndexTable(ns: readonly number[], ms: readonly number[], masks: readonly number[]): Int32Array {
  const k = ms.reduce((a, b) => a + b, 0);
  const M = masks.length;
  const groupOf: number[] = [];
  ms.forEach((m, g) => { for (let i = 0; i < m; i++) groupOf.push(g); });
  const subs = masks.map((mask) => {
    const counts = ms.map((_, g) => groupOf.filter((gg, i) => gg === g && (mask >> i) & 1).length);
    const used = counts.map((c, g) => g).filter((g) => counts[g]! > 0);
    return { ns: used.map((g) => ns[g]!), ms: used.map((g) => counts[g]!) };
  });
  const sig = (x: { ns: number[]; ms: number[] }) => `${x.ns.join()}|${x.ms.join()}`;
  for (const s of subs) if (sig(s) !== sig(subs[0]!)) throw new Error("subIndexTable: masks select sub-blocks of different layouts");
  const out = new Int32Array(packedSize(ns, ms) * M);
  const sub = new Int32Array(k);
  let p = 0;
  forEachPacked(ns, ms, (t) => {
    for (let j = 0; j < M; j++) {
      let c = 0;
      for (let i = 0; i < k; i++) if ((masks[j]! >> i) & 1) sub[c++] = t[i]!;
      out[p * M + j] = packedIndex(sub, subs[j]!.ns, subs[j]!.ms);
    }
    p++;
  });
  return out;
}

/** Row-major offset, in the dense block of key (ns, ms), of every packed entry's sorted tuple. */
export function denseIndexTable(ns: readonly number[], ms: readonly number[]): Int32Array {
  const sizes = ms.flatMap((m, g) => Array<number>(m).fill(ns[g]!));
  const out = new Int32Array(packedSize(ns, ms));
  let p = 0;
  forEachPacked(ns, ms, (t) => {
    let off = 0;
    for (let i = 0; i < sizes.length; i++) off = off * sizes[i]! + t[i]!;
    out[p++] = off;
  });
  return out;
}

/**
 * Dense expansion of a packed block: data is [lead, P]; the result is
 * [lead, n_1 (m_1 times), ..., n_g (m_g times)] with every permutation filled.
 */
export function expandPacked<A extends FloatArray>(data: A, lead: number, ns: readonly number[], ms: readonly number[]): A {
  const P = packedSize(ns, ms);
  const sizes: number[] = [];
  ms.forEach((m, g) => { for (let i = 0; i < m; i++) sizes.push(ns[g]!); });
  const k = sizes.length;
  let D = 1;
  for (const s of sizes) D *= s;
  // packed index of every dense multi-index, computed once for all lead rows
  const map = new Int32Array(D);
  const idx = new Int32Array(k), sorted = new Int32Array(k);
  for (let d = 0; d < D; d++) {
    let pos = 0;
    for (let g = 0; g < ms.length; g++) {
      const m = ms[g]!;
      for (let i = 0; i < m; i++) sorted[pos + i] = idx[pos + i]!;
      sorted.subarray(pos, pos + m).sort();
      pos += m;
    }
    map[d] = packedIndex(sorted, ns, ms);
    for (let a = k - 1; a >= 0; a--) { if (++idx[a]! < sizes[a]!) break; idx[a] = 0; }
  }
  const out = allocLike(data, lead * D);
  for (let l = 0; l < lead; l++) for (let d = 0; d < D; d++) out[l * D + d] = data[l * P + map[d]!]!;
  return out;
}

/**
 * The batch diagonal of a cross-batch block (--no-batch): the key (ns, ms) is
 * over per-sample sizes; a variable flagged in `batched` is stored over N
 * samples (N * ns[g] elements, sample-major), the others as they are. For
 * every per-sample packed entry and every sample b, the packed index in the
 * full block of the same tuple with each batched position moved into sample
 * b (adding b * ns[g] keeps a sorted tuple sorted). Result: Int32Array [P x N],
 * row p, member b.
 */
export function batchDiagonalTable(ns: readonly number[], ms: readonly number[], batched: readonly number[], N: number): Int32Array {
  const full = ns.map((n, g) => (batched[g] ? n * N : n));
  const k = ms.reduce((a, b) => a + b, 0);
  const shift: number[] = [];
  ms.forEach((m, g) => { for (let i = 0; i < m; i++) shift.push(batched[g] ? ns[g]! : 0); });
  const out = new Int32Array(packedSize(ns, ms) * N);
  const t2 = new Int32Array(k);
  let p = 0;
  forEachPacked(ns, ms, (t) => {
    for (let b = 0; b < N; b++) {
      for (let i = 0; i < k; i++) t2[i] = t[i]! + b * shift[i]!;
      out[p * N + b] = packedIndex(t2, full, ms);
    }
    p++;
  });
  return out;
}

/**
 * The lexicographic rank of a sorted m-tuple over n elements as a sum of one
 * term per position: rank(v) = sum_i F[i * n + v_i]. rankSorted's sum
 * telescopes: with K_i(v) = C(n - v + r_i, r_i + 1), r_i = m - i - 1, it is
 * K_0(0) + sum_{i>=1} K_i(v_{i-1}) - sum_i K_i(v_i), so position i's term is
 * K_{i+1}(v) - K_i(v) (K_m = 0), plus K_0(0) at position 0. Emitted kernels
 * sort a group's coordinates in registers and add m entries of this m x n
 * table, where a table over every dense tuple would hold n^m entries.
 */
export function rankTerms(n: number, m: number): Int32Array {
  const K = (i: number, v: number): number => (i >= m ? 0 : binom(n - v + m - i - 1, m - i));
  const F = new Int32Array(m * n);
  for (let i = 0; i < m; i++) for (let v = 0; v < n; v++) F[i * n + v] = K(i + 1, v) - K(i, v) + (i === 0 ? K(0, 0) : 0);
  return F;
}
