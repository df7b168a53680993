/**
 * runtime/packed.ts: packed symmetric storage (docs/design.md section 2),
 * checked against brute-force enumeration of dense multi-indices.
 */
import { describe, it, expect } from "vitest";
import { binom, expandPacked, forEachPacked, multisetCount, packedIndex, packedSize, rankSorted, rankTerms, subIndexTable } from "../../runtime/packed.js";

/** Every dense multi-index over `sizes`, row-major order. */
function denseTuples(sizes: readonly number[]): number[][] {
  let out: number[][] = [[]];
  for (const n of sizes) out = out.flatMap((t) => Array.from({ length: n }, (_, i) => [...t, i]));
  return out;
}

/** The axis sizes of a key: n_g repeated m_g times. */
const axes = (ns: readonly number[], ms: readonly number[]) => ms.flatMap((m, g) => Array<number>(m).fill(ns[g]!));

/** Is the tuple non-decreasing inside each group? */
function sortedInGroups(t: readonly number[], ms: readonly number[]): boolean {
  let pos = 0;
  for (const m of ms) {
    for (let i = pos + 1; i < pos + m; i++) if (t[i - 1]! > t[i]!) return false;
    pos += m;
  }
  return true;
}

/** Dense multi-indices sorted in each group, in row-major (= lexicographic, group-major) order. */
const sortedTuples = (ns: readonly number[], ms: readonly number[]) => denseTuples(axes(ns, ms)).filter((t) => sortedInGroups(t, ms));

/** Keys (ns, ms) exercised throughout: one variable, several, a multiplicity 0, size 1. */
const KEYS: [number[], number[]][] = [
  [[1], [1]], [[5], [1]], [[4], [2]], [[3], [3]], [[2], [5]], [[1], [4]],
  [[3, 2], [2, 1]], [[2, 3], [1, 2]], [[4, 3], [1, 1]], [[3, 2, 2], [1, 2, 1]], [[3, 4], [0, 2]], [[2, 3], [2, 0]],
];

/** Deterministic pseudo-random numbers. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
}

describe("binom / multisetCount", () => {
  it("match Pascal's triangle and the multiset formula", () => {
    const rows: number[][] = [[1]];
    for (let n = 1; n <= 30; n++) rows.push(Array.from({ length: n + 1 }, (_, k) => (k === 0 || k === n ? 1 : rows[n - 1]![k - 1]! + rows[n - 1]![k]!)));
    for (let n = 0; n <= 30; n++) for (let k = -1; k <= n + 1; k++) expect(binom(n, k), `C(${n},${k})`).toBe(rows[n]![k] ?? 0);
    expect(multisetCount(8, 0)).toBe(1);
    expect(multisetCount(8, 3)).toBe(120);
    expect(multisetCount(256, 2)).toBe((256 * 257) / 2);
  });
});

describe("packedSize", () => {
  it("equals a brute-force count of the group-sorted tuples", () => {
    for (const [ns, ms] of KEYS) expect(packedSize(ns, ms), `${ns} ${ms}`).toBe(sortedTuples(ns, ms).length);
    expect(packedSize([], [])).toBe(1);
  });
});

describe("rankSorted", () => {
  it("is a bijection from sorted m-tuples onto 0..C(n+m-1,m)-1, in lexicographic order", () => {
    for (const [n, m] of [[1, 1], [1, 3], [2, 2], [3, 1], [4, 3], [5, 2], [3, 5], [6, 4]] as const) {
      const tuples = sortedTuples([n], [m]);
      expect(tuples).toHaveLength(multisetCount(n, m));
      const ranks = tuples.map((t) => rankSorted(t, 0, m, n));
      expect(ranks, `n=${n} m=${m}`).toEqual(tuples.map((_, i) => i));
    }
  });

  it("reads the tuple at an offset", () => {
    expect(rankSorted([9, 9, 0, 2], 2, 2, 3)).toBe(rankSorted([0, 2], 0, 2, 3));
    expect(rankSorted([0, 2], 0, 2, 3)).toBe(2); // (0,0) (0,1) (0,2)
  });
});

describe("forEachPacked / packedIndex", () => {
  it("visits every group-sorted tuple once, in storage order (packedIndex = visit number)", () => {
    for (const [ns, ms] of KEYS) {
      const seen: number[][] = [];
      forEachPacked(ns, ms, (t) => seen.push(Array.from(t)));
      expect(seen, `${ns} ${ms}`).toEqual(sortedTuples(ns, ms));
      expect(seen.map((t) => packedIndex(t, ns, ms))).toEqual(seen.map((_, i) => i));
    }
  });

  it("visits nothing when a repeated variable has no elements", () => {
    let count = 0;
    forEachPacked([0, 3], [1, 1], () => count++);
    expect(count).toBe(0);
    expect(packedSize([0, 3], [1, 1])).toBe(0);
  });
});

describe("expandPacked", () => {
  it("gives a dense tensor symmetric within each variable, whose sorted corner is the packed data", () => {
    for (const [ns, ms] of KEYS) {
      const lead = 2, P = packedSize(ns, ms);
      const r = rng(P * 31 + ns.length);
      const packed = Float64Array.from({ length: lead * P }, r);
      const sizes = axes(ns, ms);
      const D = sizes.reduce((a, b) => a * b, 1);
      const dense = expandPacked(packed, lead, ns, ms);
      expect(dense).toHaveLength(lead * D);
      const tuples = denseTuples(sizes); // row-major: tuple number = dense offset
      const offset = new Map(tuples.map((t, i) => [t.join(), i]));
      // swapping two axes of the same variable leaves the entry unchanged
      const swaps: [number, number][] = [];
      let pos = 0;
      for (const m of ms) {
        for (let a = pos; a < pos + m; a++) for (let b = a + 1; b < pos + m; b++) swaps.push([a, b]);
        pos += m;
      }
      for (let l = 0; l < lead; l++) {
        tuples.forEach((t, d) => {
          for (const [a, b] of swaps) {
            const s = t.slice();
            [s[a], s[b]] = [s[b]!, s[a]!];
            expect(dense[l * D + offset.get(s.join())!]).toBe(dense[l * D + d]);
          }
        });
        // the sorted corner, in storage order, is the packed row
        sortedTuples(ns, ms).forEach((t, p) => expect(dense[l * D + offset.get(t.join())!]).toBe(packed[l * P + p]));
      }
      // every packed value appears in the dense tensor (nothing dropped)
      expect(new Set(dense)).toEqual(new Set(packed));
    }
  });

  it("handles a scalar key (no positions)", () => {
    expect(Array.from(expandPacked(Float64Array.from([1, 2, 3]), 3, [4], [0]))).toEqual([1, 2, 3]);
  });
});

describe("subIndexTable", () => {
  it("one variable, pairs: positions 0 and 1 of (j1 <= j2) over 3 elements", () => {
    // tuples: (0,0) (0,1) (0,2) (1,1) (1,2) (2,2); a single position ranks as its value
    expect(Array.from(subIndexTable([3], [2], [0b01, 0b10]))).toEqual([0, 0, 0, 1, 0, 2, 1, 1, 1, 2, 2, 2]);
  });

  it("one variable, triples over 2 elements, the three pairs of positions", () => {
    // tuples (0,0,0) (0,0,1) (0,1,1) (1,1,1); pairs over 2: (0,0)=0 (0,1)=1 (1,1)=2
    // masks: positions {0,1}, {0,2}, {1,2}
    expect(Array.from(subIndexTable([2], [3], [0b011, 0b101, 0b110]))).toEqual([
      0, 0, 0,
      0, 1, 1,
      1, 1, 2,
      2, 2, 2,
    ]);
  });

  it("two variables: the sub-key keeps each selected variable", () => {
    // key (a, b) with a in 0..1, b in 0..2; storage order a-major
    expect(Array.from(subIndexTable([2, 3], [1, 1], [0b01]))).toEqual([0, 0, 0, 1, 1, 1]);
    expect(Array.from(subIndexTable([2, 3], [1, 1], [0b10]))).toEqual([0, 1, 2, 0, 1, 2]);
    // key (a1 <= a2, b), a over 2, b over 2; masks {a1, b} and {a2, b} select the sub-key (a, b)
    // tuples: (0,0,0) (0,0,1) (0,1,0) (0,1,1) (1,1,0) (1,1,1); sub-index = a * 2 + b
    expect(Array.from(subIndexTable([2, 2], [2, 1], [0b101, 0b110]))).toEqual([0, 0, 1, 1, 0, 2, 1, 3, 2, 2, 3, 3]);
  });

  it("rejects masks that select sub-blocks of different layouts", () => {
    expect(() => subIndexTable([2, 3], [1, 1], [0b01, 0b10])).toThrow(/different layouts/);
  });
});

describe("rankTerms", () => {
  for (const [n, m] of [[1, 3], [3, 1], [4, 2], [3, 3], [2, 4], [5, 5], [7, 3]] as const) {
    it(`n=${n}, m=${m}: the terms of a sorted tuple's coordinates add up to its packed index`, () => {
      const F = rankTerms(n, m);
      expect(F.length).toBe(m * n);
      let p = 0;
      forEachPacked([n], [m], (t) => {
        let r = 0;
        for (let i = 0; i < m; i++) r += F[i * n + t[i]!]!;
        expect(r).toBe(p++);
      });
      expect(p).toBe(multisetCount(n, m));
    });
  }
  it("agrees with rankSorted on a large group (n = 512, m = 3), sampled", () => {
    const n = 512, m = 3, F = rankTerms(n, m);
    let seed = 7;
    const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
    for (let k = 0; k < 2000; k++) {
      const t = [rnd(), rnd(), rnd()].sort((a, b) => a - b);
      expect(t.reduce((s, v, i) => s + F[i * n + v]!, 0)).toBe(rankSorted(t, 0, m, n));
    }
    // the last tuple has the last index
    expect(F[n - 1]! + F[2 * n - 1]! + F[3 * n - 1]!).toBe(multisetCount(n, m) - 1);
  });
});
