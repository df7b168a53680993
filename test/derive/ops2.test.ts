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
});
