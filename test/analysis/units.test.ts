/** The analysis' building blocks: Jacobi eigenvalues, sorted tuples, the RNG, data checks. */
import { describe, expect, it } from "vitest";
import { compileOk } from "../helpers/compile.js";
import { DataError, Rng, sensitivity, sortedTuples, symmetricEigenvalues } from "../../analysis/index.js";

describe("symmetricEigenvalues", () => {
  it("recovers the spectrum of Q diag(l) Q^T for random orthogonal Q (products of Householder reflections)", () => {
    const rng = new Rng(5);
    for (const n of [1, 2, 5, 12]) {
      const lam = Array.from({ length: n }, () => 10 * rng.normal()).sort((a, b) => a - b);
      let A = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? lam[i]! : 0)));
      for (let r = 0; r < 3; r++) {
        const v = rng.unitVector(n);
        const P = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0) - 2 * v[i]! * v[j]!));
        const mul = (X: number[][], Y: number[][]) => X.map((row, i) => Y[0]!.map((_, j) => row.reduce((s, _x, k) => s + X[i]![k]! * Y[k]![j]!, 0)));
        A = mul(mul(P, A), P);
      }
      const ev = symmetricEigenvalues(A.flat(), n);
      const scale = Math.max(...lam.map(Math.abs));
      ev.forEach((e, i) => expect(Math.abs(e - lam[i]!)).toBeLessThan(1e-13 * scale));
    }
  });
  it("handles repeated eigenvalues and a zero matrix", () => {
    expect(Array.from(symmetricEigenvalues([2, 0, 0, 2], 2))).toEqual([2, 2]);
    expect(Array.from(symmetricEigenvalues([0, 0, 0, 0], 2))).toEqual([0, 0]);
    const ev = symmetricEigenvalues([1, 1, 1, 1, 1, 1, 1, 1, 1], 3);
    expect(Math.abs(ev[0]!)).toBeLessThan(1e-15); expect(Math.abs(ev[2]! - 3)).toBeLessThan(1e-15);
  });
});

describe("sortedTuples", () => {
  it("lists C(d + k - 1, k) sorted tuples with their permutation counts summing to d^k", () => {
    for (const [d, k] of [[3, 1], [3, 2], [4, 3], [2, 5]] as const) {
      const t = sortedTuples(d, k);
      expect(t.permutations.reduce((a, b) => a + b, 0)).toBe(d ** k);
      for (let p = 0; p < t.count; p++) for (let a = 1; a < k; a++) expect(t.index[p * k + a]!).toBeGreaterThanOrEqual(t.index[p * k + a - 1]!);
    }
  });
});

describe("Rng", () => {
  it("is a pure function of (seed, stream, index), and its normals have mean 0 and variance 1", () => {
    const a = new Rng(1, 2, 3), b = new Rng(1, 2, 3), c = new Rng(1, 2, 4);
    const xa = Array.from({ length: 5 }, () => a.uniform());
    expect(Array.from({ length: 5 }, () => b.uniform())).toEqual(xa);
    expect(Array.from({ length: 5 }, () => c.uniform())).not.toEqual(xa);
    const r = new Rng(7), M = 200000;
    let s = 0, s2 = 0;
    for (let k = 0; k < M; k++) { const z = r.normal(); s += z; s2 += z * z; }
    expect(Math.abs(s / M)).toBeLessThan(4 / Math.sqrt(M));
    expect(Math.abs(s2 / M - 1)).toBeLessThan(4 * Math.sqrt(2 / M));
  });
});

describe("bad data is a DataError naming the fault", () => {
  const src = `model m {
  batch B
  input x : [B, 2]
  param w : [2]
  y = tanh(x @ w)
  output y
}`;
  const fn = compileOk(src, { order: 2, dims: new Map() } as never).fn;
  const w = { shape: [2], data: [1, 2] };
  const cases: [string, Record<string, { shape: number[]; data: number[] }>, RegExp][] = [
    ["missing analysed input", { w }, /analysed input 'x' is missing/],
    ["missing param", { x: { shape: [1, 2], data: [1, 2] } }, /missing input 'w' of shape \[2\]/],
    ["wrong sample shape", { x: { shape: [2, 3], data: [1, 2, 3, 4, 5, 6] }, w }, /'x' has shape \[2, 3\], expected \[N, 2\]/],
    ["wrong param shape", { x: { shape: [1, 2], data: [1, 2] }, w: { shape: [3], data: [1, 2, 3] } }, /'w' has shape \[3\], expected \[2\]/],
    ["N = 0", { x: { shape: [0, 2], data: [] }, w }, /empty dataset/],
    ["NaN", { x: { shape: [2, 2], data: [1, 2, NaN, 4] }, w }, /'x' holds NaN at sample 1, element 0/],
    ["Infinity", { x: { shape: [1, 2], data: [1, 2] }, w: { shape: [2], data: [1, Infinity] } }, /'w' holds Infinity at element 1/],
    ["unknown name", { x: { shape: [1, 2], data: [1, 2] }, w, z: { shape: [1], data: [0] } }, /'z' is not an input or param/],
  ];
  for (const [what, data, message] of cases) it(what, () => {
    expect(() => sensitivity(fn, data)).toThrow(DataError);
    expect(() => sensitivity(fn, data)).toThrow(message);
  });
  it("a wrt that is not a differentiation variable", () => {
    expect(() => sensitivity(fn, { x: { shape: [1, 2], data: [1, 2] }, w }, { wrt: "w" })).toThrow(/'w' is not a differentiation variable/);
  });
});

describe("bound models", () => {
  it("a model from bindParams takes its params from the binding; data may still override them", async () => {
    const { bindParams } = await import("../../runtime/index.js");
    const src = "model m {\n  batch B\n  input x : [B, 2]\n  param w : [2]\n  y = tanh(x @ w)\n  output y\n}";
    const fn = compileOk(src, { order: 2, dims: new Map() } as never).fn;
    const x = { shape: [3, 2], data: [0.1, 0.2, -0.3, 0.4, 0.5, -0.6] }, w = { shape: [2], data: [1, 2] };
    const opts = { radii: [0.1], bootstrap: 10 };
    const plain = sensitivity(fn, { x, w }, opts);
    const bound = bindParams(fn, { w });
    expect(sensitivity(bound, { x }, opts)).toEqual(plain);
    expect(sensitivity(bound, { x, w: { shape: [2], data: [3, 4] } }, opts)).toEqual(sensitivity(fn, { x, w: { shape: [2], data: [3, 4] } }, opts));
    expect(() => sensitivity(fn, { x }, opts)).toThrow(/missing input 'w'/);
  });
});

describe("large inputs", () => {
  it("leaves the curvature out above maxCurvatureDim and says so", () => {
    const src = "model m {\n  batch B\n  input x : [B, 5]\n  y = sum(tanh(x) ** 2, axis=1)\n  output y\n}";
    const fn = compileOk(src, { order: 2, dims: new Map() } as never).fn;
    const data = { x: { shape: [2, 5], data: [0.1, 0.2, 0.3, 0.4, 0.5, -0.1, -0.2, -0.3, -0.4, -0.5] } };
    const small = sensitivity(fn, data, { radii: [], bootstrap: 0 });
    expect(small.outputs.y!.curvature).toBeDefined();
    expect(small.meta.notes).toEqual([]);
    const big = sensitivity(fn, data, { radii: [], bootstrap: 0, maxCurvatureDim: 4 });
    expect(big.outputs.y!.curvature).toBeUndefined();
    expect(big.meta.notes).toEqual(["curvature left out: d = 5 > 4 (maxCurvatureDim); its eigenvalues cost O(d^3) per sample and component"]);
    expect({ ...big.outputs.y, curvature: small.outputs.y!.curvature }).toEqual(small.outputs.y);
  });
});

describe("layering", () => {
  it("analysis/ imports runtime/ and itself, never compiler/ or node modules", async () => {
    const { readdirSync, readFileSync } = await import("node:fs");
    const { ROOT } = await import("../helpers/compile.js");
    let seen = 0;
    for (const f of readdirSync(ROOT + "analysis").filter((n) => n.endsWith(".ts"))) {
      for (const m of readFileSync(ROOT + "analysis/" + f, "utf8").matchAll(/^(?:import|export)[^;]*? from "([^"]+)"/gm)) {
        seen++;
        expect(m[1]!, `${f} imports ${m[1]}`).toMatch(/^\.\/[\w-]+\.js$|^\.\.\/runtime\/index\.js$/);
      }
    }
    expect(seen).toBeGreaterThan(30);
  });
});
