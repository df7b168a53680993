/**
 * The operators of test/models/ops2.thd at the points the PyTorch fixtures (random
 * inputs) do not reach: non-differentiable points, ties, zeros, bounds, with the
 * values PyTorch 1.13 gives there (or the documented difference), in both modes.
 */
import { describe, expect, it } from "vitest";
import { Tensor } from "../../runtime/index.js";
import { compileOk } from "../helpers/compile.js";

const MODES = ["forward", "reverse"] as const;
const t = (shape: number[], data: number[]) => new Tensor(shape, Float64Array.from(data));
const arr = (x: Tensor) => Array.from(x.data);
/** The diagonal of a per-sample Jacobian [1, n, n]. */
const diag = (x: Tensor, n: number) => Array.from({ length: n }, (_, i) => x.data[i * n + i]!);
const close = (got: number[], want: number[], tol = 1e-15) => {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => expect(Math.abs(g - want[i]!), `entry ${i}: ${g} vs ${want[i]}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(want[i]!))));
};

describe.each(MODES)("ops2 conventions (%s mode)", (mode) => {
  const run = (src: string, order: number, inputs: Record<string, Tensor>) => compileOk(src, { order, mode }).fn(inputs);

  it("atan2 on the axes, at ties |y| = |x| and at the origin", () => {
    const src = "model m {\n batch B\n input y : [B, 9]\n input x : [B, 9]\n z = atan2(y, x)\n output z\n}";
    const ys = [0, 1, -1, 0, 0, 1, 1, -1, -2], xs = [-1, 0, 0, 0, 1, 1, -1, -1, 0.5];
    const r = run(src, 2, { y: t([1, 9], ys), x: t([1, 9], xs) });
    // torch.atan2 at these points
    close(arr(r.z!.value), [Math.PI, Math.PI / 2, -Math.PI / 2, 0, 0, Math.PI / 4, (3 * Math.PI) / 4, (-3 * Math.PI) / 4, Math.atan2(-2, 0.5)]);
    // d/dy = x / (x^2 + y^2), d/dx = -y / (x^2 + y^2) away from the origin (torch's atan2 backward);
    // at the origin those of atan(y): 1 and 0 (torch: NaN)
    const r2 = (i: number) => xs[i]! ** 2 + ys[i]! ** 2;
    close(diag(r.z!.d("y"), 9), xs.map((x, i) => (i === 3 ? 1 : x / r2(i))));
    close(diag(r.z!.d("x"), 9), ys.map((y, i) => (i === 3 ? 0 : -y / r2(i))));
    // second derivatives: d2/dy2 = -2xy / r^4
    const dyy = r.z!.d("y", "y").data;
    close(xs.map((_, i) => dyy[i * 81 + i * 9 + i]!).filter((_, i) => i !== 3), xs.map((x, i) => (-2 * x * ys[i]!) / r2(i) ** 2).filter((_, i) => i !== 3));
  });

  it("cumsum: a lower-triangular Jacobian of ones", () => {
    const r = run("model m {\n batch B\n input x : [B, 4]\n z = cumsum(x, axis=1)\n output z\n}", 2, { x: t([1, 4], [1, -2, 3, 0.5]) });
    expect(arr(r.z!.value)).toEqual([1, -1, 2, 2.5]);
    expect(arr(r.z!.d("x"))).toEqual([1, 0, 0, 0, 1, 1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 1]);
  });

  it("cumprod with zeros: exact at every order (products, no division)", () => {
    const r = run("model m {\n batch B\n input x : [B, 4]\n z = cumprod(x, axis=1)\n output z\n}", 3, { x: t([1, 4], [2, 0, 3, 0.5]) });
    expect(arr(r.z!.value)).toEqual([2, 0, 0, 0]);
    // d z_j / d x_i = prod of x_k, k <= j, k != i (torch.cumprod's first derivative agrees at zeros)
    expect(arr(r.z!.d("x"))).toEqual([1, 0, 0, 0, 0, 2, 0, 0, 0, 6, 0, 0, 0, 3, 0, 0]);
    // d2 z_j / d x_i d x_l = prod over k <= j, k != i, l (i != l): z_2 -> (0,1): 3, (0,2): 0, (1,2): 2; z_3 -> (1,2): 1, (1,3): 6, (0,1): 1.5
    const h = r.z!.d("x", "x").data, at = (j: number, i: number, l: number) => h[j * 16 + i * 4 + l];
    expect([at(2, 0, 1), at(2, 1, 0), at(2, 0, 2), at(2, 1, 2), at(3, 1, 2), at(3, 1, 3), at(3, 0, 1), at(3, 0, 2), at(1, 0, 1), at(3, 2, 2)]).toEqual([3, 3, 0, 2, 1, 6, 1.5, 0, 1, 0]);
    // third: z_3 -> (0, 1, 2): x_3 = 0.5, (1, 2, 3): x_0 = 2
    const g = r.z!.d("x", "x", "x").data;
    expect([g[3 * 64 + 0 * 16 + 1 * 4 + 2], g[3 * 64 + 1 * 16 + 2 * 4 + 3], g[3 * 64 + 0 * 16 + 2 * 4 + 3]]).toEqual([0.5, 2, 0]);
  });

  it("cummax at ties: the derivative goes to the last maximum so far (torch.cummax's index)", () => {
    const r = run("model m {\n batch B\n input x : [B, 6]\n z = cummax(x, axis=1)\n s = sum(cummax(x, axis=-1) * x, axis=1)\n output z, s\n}", 2, { x: t([1, 6], [1, 3, 3, 2, 3, 5]) });
    expect(arr(r.z!.value)).toEqual([1, 3, 3, 3, 3, 5]);
    // torch.cummax(x, 0).indices = [0, 1, 2, 2, 4, 5]
    const J = arr(r.z!.d("x"));
    expect([0, 1, 2, 3, 4, 5].map((j) => J.slice(j * 6, j * 6 + 6).indexOf(1))).toEqual([0, 1, 2, 2, 4, 5]);
    expect(J.reduce((a, v) => a + v, 0)).toBe(6);
    // torch: grad of sum(cummax(x).values) is [1, 1, 2, 0, 1, 1]; of sum(cummax(x) * x): x_j summed
    // over the j that select i, plus cummax(x)_i
    expect(arr(r.s!.d("x"))).toEqual([1 + 1, 3 + 3, 3 + 2 + 3, 0 + 3, 3 + 3, 5 + 5]);
    expect(arr(r.z!.d("x", "x")).every((v) => v === 0)).toBe(true);
  });

  it("clamp with tensor bounds at the bounds, at ties and with min > max: PyTorch 1.13's values and gradients", () => {
    // torch.clamp(x, min=lo, max=hi) and autograd.grad w.r.t. (x, lo, hi), scalar by scalar
    const rows: [number, number, number, number, [number, number, number]][] = [
      [0.5, 0, 1, 0.5, [1, 0, 0]], [0, 0, 1, 0, [1, 0, 0]], [1, 0, 1, 1, [1, 0, 0]], [-1, 0, 1, 0, [0, 1, 0]], [2, 0, 1, 1, [0, 0, 1]],
      [0.5, 1, 0, 0, [0, 0, 1]], [-1, 1, 0, 0, [0, 0, 1]], [2, 1, 0, 0, [0, 0, 1]], [1, 1, 0, 0, [0, 0, 1]], [0, 1, 0, 0, [0, 0, 1]],
      [0.5, 0.5, 0.5, 0.5, [1, 0, 0]], [0, 0.5, 0.5, 0.5, [0, 0, 0]], [1, 0.5, 0.5, 0.5, [0, 0, 1]], [0.5, 1, 1, 1, [0, 0, 0]],
    ];
    const n = rows.length, col = (k: number) => rows.map((r) => r[k] as number);
    const src = `model m {\n batch B\n input x : [B, ${n}]\n input lo : [B, ${n}]\n input hi : [B, ${n}]\n z = clamp(x, lo, hi)\n output z\n}`;
    const r = run(src, 2, { x: t([1, n], col(0)), lo: t([1, n], col(1)), hi: t([1, n], col(2)) });
    expect(arr(r.z!.value)).toEqual(col(3));
    expect(diag(r.z!.d("x"), n)).toEqual(rows.map((w) => w[4][0]));
    expect(diag(r.z!.d("lo"), n)).toEqual(rows.map((w) => w[4][1]));
    expect(diag(r.z!.d("hi"), n)).toEqual(rows.map((w) => w[4][2]));
    // one bound: x gets [x >= min] (or [x <= max]), the bound the rest
    const one = "model m {\n batch B\n input x : [B, 3]\n input b : [B, 3]\n u = clamp(x, min=b)\n v = clamp(x, max=b)\n output u, v\n}";
    const r1 = run(one, 1, { x: t([1, 3], [0.5, 0, 1]), b: t([1, 3], [0.5, 0.5, 0.5]) });
    expect(arr(r1.u!.value)).toEqual([0.5, 0.5, 1]);
    expect(diag(r1.u!.d("x"), 3)).toEqual([1, 0, 1]);
    expect(diag(r1.u!.d("b"), 3)).toEqual([0, 1, 0]);
    expect(arr(r1.v!.value)).toEqual([0.5, 0, 0.5]);
    expect(diag(r1.v!.d("x"), 3)).toEqual([1, 1, 0]);
    expect(diag(r1.v!.d("b"), 3)).toEqual([0, 0, 1]);
  });

  it("class-index targets: a label outside [0, C), fractional, or ignore_index gives a row of 0, left out of the mean", () => {
    const src = "model m {\n input z : [5, 3]\n input t : [5]\n a = cross_entropy(z, t, reduction=\"none\")\n m = cross_entropy(z, t)\n n = nll_loss(z, t, ignore_index=2)\n output a, m, n\n}";
    const z = [0.1, -0.4, 0.9, 1.2, 0.3, -0.5, 0.7, 0.2, -1.1, 0.05, 0.6, -0.2, -0.3, 0.8, 0.4];
    const r = run(src, 2, { z: t([5, 3], z), t: t([5], [0, 3, 1.5, -1, 2]) });
    const lse = (i: number) => Math.log(Math.exp(z[3 * i]!) + Math.exp(z[3 * i + 1]!) + Math.exp(z[3 * i + 2]!));
    close(arr(r.a!.value), [lse(0) - z[0]!, 0, 0, 0, lse(4) - z[14]!]);
    close(arr(r.m!.value), [(lse(0) - z[0]! + lse(4) - z[14]!) / 2]); // the mean over the two valid rows
    close(arr(r.n!.value), [-z[0]!]); // row 4 (label 2) ignored: -z[0, 0] / 1
    // d n / d z: -1 at [0, 0] only; its second derivative 0
    expect(arr(r.n!.d("z"))).toEqual([-1, ...Array<number>(14).fill(0)]);
    // the labels are constants: no derivative w.r.t. them
    expect(arr(r.a!.d("t")).every((v) => v === 0)).toBe(true);
  });

  it("a dim in an expression is its size, --dim overrides included, in fn bodies too", () => {
    const src = "fn scaled(v) = v / sqrt(E)\nmodel m {\n batch B\n dim E = 4\n input x : [B, E]\n z = scaled(x) + x[:, E - 1:E] * E\n output z\n}";
    for (const [E, dims] of [[4, undefined], [9, new Map([["E", 9]])]] as const) {
      const { fn } = compileOk(src, { order: 1, mode, ...(dims ? { dims } : {}) });
      const x = Array.from({ length: E }, (_, i) => i + 1);
      const r = fn({ x: t([1, E], x) });
      close(arr(r.z!.value), x.map((v) => v / Math.sqrt(E) + E * E));
    }
  });
});
