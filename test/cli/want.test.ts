/** thoadc --want laplacian|hessian-diag|hvp|jet (--at, --v, --jet-order, --order/--wrt again) and its coded errors; needs a fresh build. */
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { thoadc, useCli, workdir } from "../helpers/cli.js";

useCli();
const T = 60_000;

const MODEL = `model q {
  batch B
  input x : [B, 2]
  input t : [B, 1]
  param w : [2]
  u = sum(x * x * x * w, axis=1) + t[:, 0] * x[:, 0] * x[:, 1]
  output u
}
`;
// u = w0 x0^3 + w1 x1^3 + t x0 x1: d2u/dx0^2 = 6 w0 x0, d2u/dx1^2 = 6 w1 x1
const INPUTS = JSON.stringify({ x: [[1, 2], [-1, 0.5]], t: [[3], [4]], w: [0.5, 2] });

const run = (...args: string[]) => {
  const dir = workdir({ "q.thd": MODEL, "in.json": INPUTS });
  return thoadc(dir, ...args);
};
const value = (stdout: string, out = "u") => (JSON.parse(stdout) as { outputs: Record<string, { value: { shape: number[]; data: number[] }; derivatives: Record<string, { shape: number[]; data: number[] }> }> }).outputs[out]!;

describe("thoadc --want", { timeout: T }, () => {
  it("eval --want laplacian --at x: the output replaced by its Laplacian (order 0)", () => {
    const r = run("eval", "q.thd", "--want", "laplacian", "--at", "x", "--inputs", "in.json");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const u = value(r.stdout);
    expect(u.value.shape).toEqual([2]);
    expect(u.value.data.map((v) => +v.toFixed(12))).toEqual([6 * 0.5 * 1 + 6 * 2 * 2, 6 * 0.5 * -1 + 6 * 2 * 0.5]);
    expect(u.derivatives).toEqual({});
  });
  it("hessian-diag, then differentiated again: --order 1 --wrt w", () => {
    const r = run("eval", "q.thd", "--want", "hessian-diag", "--at", "x", "--order", "1", "--wrt", "w", "--inputs", "in.json");
    expect(r.status).toBe(0);
    const u = value(r.stdout);
    expect(u.value.shape).toEqual([2, 2]);
    expect(u.value.data.map((v) => +v.toFixed(12))).toEqual([3, 24, -3, 6]);
    // d/dw of [6 w0 x0, 6 w1 x1]: [[6 x0, 0], [0, 6 x1]] per sample
    expect(u.derivatives.w!.shape).toEqual([2, 2, 2]);
    expect(u.derivatives.w!.data.map((v) => +v.toFixed(12))).toEqual([6, 0, 0, 12, -6, 0, 0, 3]);
  });
  it("--want hvp --v and --want jet --v --jet-order (H v and [v.grad u, v.H v] by hand)", () => {
    // H = [[6 w0 x0, t], [t, 6 w1 x1]], v = w = [0.5, 2]
    const h = run("eval", "q.thd", "--want", "hvp", "--at", "x", "--v", "w", "--inputs", "in.json");
    expect(h.status, h.stderr).toBe(0);
    expect(value(h.stdout).value).toEqual({ shape: [2, 2], data: [7.5, 49.5, 6.5, 14] });
    const j = run("eval", "q.thd", "--want", "jet", "--at", "x", "--v", "w", "--jet-order", "2", "--inputs", "in.json");
    expect(j.status, j.stderr).toBe(0);
    expect(value(j.stdout).value).toEqual({ shape: [2, 2], data: [57.75, 102.75, -3.25, 31.25] });
  });
  it("compile records --want in the provenance line", () => {
    const dir = workdir({ "q.thd": MODEL });
    expect(thoadc(dir, "q.thd", "--want", "laplacian", "--at", "x").status).toBe(0);
    const check = thoadc(dir, "q.thd", "--want", "laplacian", "--at", "x", "--check");
    expect(check.status).toBe(0);
    expect(thoadc(dir, "q.thd", "--want", "hessian-diag", "--at", "x", "--check").status).toBe(1);
  });
  it("errors are TH120 with exit 1 and write nothing", () => {
    for (const [args, msg] of [
      [["--want", "laplacian"], /has 2 inputs \(x, t\); name the variable with --at/],
      [["--want", "curl", "--at", "x"], /--want must be one of laplacian, hessian-diag/],
      [["--want", "laplacian", "--at", "W"], /--at 'W' is not an input or param of model 'q'/],
      [["--at", "x"], /--at is only used with --want/],
      [["--want", "laplacian", "--at", "x", "--jet-order", "0"], /--jet-order must be an integer from 1 to 10/],
      [["--want", "hvp", "--at", "x"], /--want hvp needs the direction: --v NAME/],
      [["--want", "jet", "--at", "x", "--v", "w"], /--want jet needs the number of coefficients: --jet-order K/],
      [["--want", "hvp", "--at", "x", "--v", "nope"], /--v 'nope' is not an input or param of model 'q'/],
    ] as const) {
      const dir = workdir({ "q.thd": MODEL });
      const r = thoadc(dir, "q.thd", ...args);
      expect(r.status, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/error TH120: /);
      expect(r.stderr).toMatch(msg);
      expect(readdirSync(dir).sort()).toEqual(["q.thd"]); // nothing was written
    }
  });
});
