// The register-blocked GEMM kernel C += A B against a plain JS triple loop.
//
// Why exact equality: the kernel computes every C[i,j] as
// C[i,j] + A[i,0]B[0,j] + A[i,1]B[1,j] + ... left to right, each product
// rounded, then added (no fused multiply-add), in the full tiles, the
// 1-vector edge tiles and the scalar edge columns alike. The reference below
// does the same operations in the same order, so in f64 the results are
// bit-identical; in f32 the reference rounds with Math.fround after each
// operation, which equals f32 arithmetic (the product of two f32 is exact in
// f64, and rounding a sum of two f32 computed in f64 to f32 is correctly
// rounded since 53 >= 2*24 + 2), so f32 is bit-identical too. Any wrong
// index, edge or stride shows up as a mismatch, not as a tolerance question.
import { describe, expect, test } from "vitest";
import { addGemm, F32, F64, ModuleBuilder, type Element } from "../../compiler/wasm/index.js";
import { WasmArena } from "../../runtime/wasm.js";
import { instantiate, rng } from "./run.js";

interface Case { m: number; n: number; k: number; lda?: number; ldb?: number; ldc?: number; skew?: number; transA?: boolean }

function refGemm(c: Case, A: ArrayLike<number>, B: ArrayLike<number>, C: Float64Array | Float32Array, round: (x: number) => number): void {
  const { m, n, k } = c;
  const [lda, ldb, ldc] = [c.lda ?? (c.transA ? m : k), c.ldb ?? n, c.ldc ?? n];
  const a = (i: number, p: number) => (c.transA ? A[p * lda + i] : A[i * lda + p]);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = C[i * ldc + j];
    for (let p = 0; p < k; p++) s = round(s + round(a(i, p) * B[p * ldb + j]));
    C[i * ldc + j] = s;
  }
}

/** Runs the kernel and the reference on the same random data; returns both C arrays (whole buffers, padding included). */
function run(el: Element, tile: { mr?: number; nv?: number }, c: Case, seed: number) {
  const mod = new ModuleBuilder().importMemory(1);
  addGemm(mod, "gemm", { element: el, ...tile, transA: c.transA });
  const { memory, exports } = instantiate(mod);
  const [lda, ldb, ldc] = [c.lda ?? (c.transA ? c.m : c.k), c.ldb ?? c.n, c.ldc ?? c.n];
  const sizes = [(c.transA ? c.k : c.m) * lda, c.k * ldb, c.m * ldc];
  const arena = new WasmArena(memory);
  // skew: start each array `skew` elements past a 16-byte boundary (unaligned v128 loads must work too)
  const skew = c.skew ?? 0;
  const at = sizes.map((s) => arena.reserve(s + skew, el.bytes) + skew * el.bytes);
  arena.commit();
  const view = (p: number, len: number) => (el === F64 ? arena.f64(p, len) : arena.f32(p, len));
  const [A, B, C] = at.map((p, i) => view(p, sizes[i]));
  const r = rng(seed);
  for (const X of [A, B, C]) for (let i = 0; i < X.length; i++) X[i] = r() * 2 - 1;
  const want = C.slice();
  refGemm(c, A, B, want, el === F32 ? Math.fround : (x) => x);
  exports.gemm(c.m, c.n, c.k, at[0], lda, at[1], ldb, at[2], ldc);
  return { got: C, want };
}

const EDGES: Case[] = [
  { m: 0, n: 3, k: 2 }, { m: 3, n: 0, k: 2 }, { m: 3, n: 2, k: 0 }, { m: 1, n: 1, k: 1 },
  { m: 4, n: 4, k: 4 }, { m: 8, n: 8, k: 8 }, { m: 5, n: 7, k: 3 }, { m: 3, n: 5, k: 9 },
  { m: 17, n: 19, k: 23 }, { m: 33, n: 65, k: 31 }, { m: 64, n: 64, k: 64 },
];

function randomCases(seed: number, count: number): Case[] {
  const r = rng(seed);
  const d = () => Math.floor(r() * 14);
  return Array.from({ length: count }, () => ({ m: d(), n: d(), k: d() }));
}

describe.each([["f64", F64], ["f32", F32]] as const)("GEMM %s", (name, el) => {
  test(`${name}: default tile, edge and random sizes, bit-identical to the ordered reference`, () => {
    [...EDGES, ...randomCases(name === "f64" ? 1 : 2, 25)].forEach((c, i) => {
      const { got, want } = run(el, {}, c, 100 + i);
      expect([...got], JSON.stringify(c)).toEqual([...want]);
    });
  });

  test.each([[1, 1], [1, 3], [2, 1], [3, 2], [4, 1], [4, 3], [6, 2]])(`${name}: tile %i rows x %i vectors`, (mr, nv) => {
    [...EDGES.slice(3, 9), ...randomCases(mr * 10 + nv, 8)].forEach((c, i) => {
      const { got, want } = run(el, { mr, nv }, c, 200 + i);
      expect([...got], JSON.stringify(c)).toEqual([...want]);
    });
  });

  test(`${name}: strided submatrices leave the padding alone; unaligned arrays`, () => {
    for (const c of [
      { m: 5, n: 6, k: 7, lda: 9, ldb: 11, ldc: 8 },
      { m: 9, n: 13, k: 4, lda: 4, ldb: 16, ldc: 15, skew: 1 },
      { m: 6, n: 9, k: 5, skew: 3 },
    ]) {
      const { got, want } = run(el, {}, c, 7);
      expect([...got], JSON.stringify(c)).toEqual([...want]); // whole buffer: columns n..ldc-1 unchanged
    }
  });
});

// n <= 3 with transA takes the narrow path (blocks of 8 rows x 2, 1 columns, vectors along the rows),
// the rows left over the general sweep: PINN's per-sample blocks (32 x 2..4 x 32), odd rows, strides, k = 0
test.each([["f64", F64], ["f32", F32]] as const)("transA with narrow B (n <= 3): bit-identical to the ordered reference: %s", (_, el) => {
  const cases: Case[] = [
    { m: 32, n: 2, k: 32 }, { m: 32, n: 3, k: 32 }, { m: 32, n: 4, k: 32 }, { m: 8, n: 1, k: 3 }, { m: 9, n: 3, k: 5 },
    { m: 23, n: 3, k: 7 }, { m: 16, n: 2, k: 0 }, { m: 7, n: 2, k: 4 }, { m: 17, n: 3, k: 7, lda: 19, ldb: 5, ldc: 6, skew: 1 }, { m: 40, n: 5, k: 6 },
  ].map((c) => ({ ...c, transA: true }));
  cases.forEach((c, i) => {
    for (const tile of [{}, { mr: 3, nv: 1 }]) {
      const { got, want } = run(el, tile, c, 500 + i);
      expect([...got], JSON.stringify(c)).toEqual([...want]);
    }
  });
});

test.each([["f64", F64], ["f32", F32]] as const)("transA (C += A^T B, A stored k x m) on edge, random and strided cases: %s", (_, el) => {
  const cases: Case[] = [...EDGES, ...randomCases(el === F64 ? 5 : 6, 15), { m: 9, n: 13, k: 6, lda: 11, ldc: 15, skew: 1 }].map((c) => ({ ...c, transA: true }));
  cases.forEach((c, i) => {
    // the leftover columns run as vectors over the tile's rows when rows is a multiple of lanes (4 and 8 rows;
    // 2 and 6 in f64), else as scalars (3 rows; 2 and 6 in f32): both bit-identical to the reference
    for (const tile of [{}, { mr: 3, nv: 1 }, { mr: 2, nv: 1 }, { mr: 6, nv: 2 }, { mr: 8, nv: 1 }]) {
      const { got, want } = run(el, tile, c, 300 + i);
      expect([...got], JSON.stringify(c)).toEqual([...want]);
    }
  });
});

test("f32 GEMM is within the recursive-summation bound of the exact product", () => {
  // Higham, Accuracy and Stability, Thm 3.1 / (3.5): a dot product of n terms
  // summed in any order has |error| <= gamma_n * sum |terms|, gamma_n = n u / (1 - n u).
  // Here n = k + 1 (C[i,j] is the first term), u = 2^-24 for f32. The f64
  // comparison value has its own error <= gamma_n(2^-53) * the same sum; both are added.
  const c = { m: 13, n: 11, k: 200 };
  const { got } = run(F32, {}, c, 99);
  // same data in f64 (run() draws identical random numbers for the same seed; f32 storage rounded them)
  const r = rng(99);
  const draw = (len: number) => Float64Array.from({ length: len }, () => Math.fround(r() * 2 - 1));
  const A = draw(c.m * c.k), B = draw(c.k * c.n), C0 = draw(c.m * c.n);
  const gamma = (n: number, u: number) => (n * u) / (1 - n * u);
  for (let i = 0; i < c.m; i++) for (let j = 0; j < c.n; j++) {
    let s = C0[i * c.n + j], abs = Math.abs(s);
    for (let p = 0; p < c.k; p++) { s += A[i * c.k + p] * B[p * c.n + j]; abs += Math.abs(A[i * c.k + p] * B[p * c.n + j]); }
    const bound = (gamma(c.k + 1, 2 ** -24) + gamma(c.k + 1, 2 ** -53)) * abs;
    expect(Math.abs(got[i * c.n + j] - s)).toBeLessThanOrEqual(bound);
  }
});

test("tiles with more than 32 accumulators are refused", () => {
  expect(() => addGemm(new ModuleBuilder(), "g", { mr: 8, nv: 5 })).toThrow(RangeError);
});
