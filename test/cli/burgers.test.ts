/**
 * Issue 12's acceptance case: a Burgers PINN loss written with d(...) inside the model
 * (examples/burgers.thd), differentiated again by `thoadc eval --order 2 --wrt W1,b1`,
 * gives PyTorch's gradient and Hessian of that loss (test/fixtures/burgers_o2.json:
 * functorch jacrev inside the loss, nested jacrev outside) at 1e-9, in both modes.
 */
import { copyFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { relError } from "../helpers/compile.js";
import { ROOT, thoadc, useCli, workdir } from "../helpers/cli.js";

useCli();

interface T { shape: number[]; data: number[] }
const fx = JSON.parse(readFileSync(join(ROOT, "test/fixtures/burgers_o2.json"), "utf8")) as { inputs: Record<string, T>; outputs: { loss: { value: T; derivatives: Record<string, T> } } };

describe("thoadc eval on the Burgers PINN loss (examples/burgers.thd)", { timeout: 120_000 }, () => {
  for (const mode of ["auto", "forward", "reverse"]) {
    it(`--order 2 --wrt W1,b1 --mode ${mode}: PyTorch's gradient and Hessian at 1e-9`, () => {
      const dir = workdir({ "in.json": JSON.stringify(fx.inputs) });
      copyFileSync(join(ROOT, "examples/burgers.thd"), join(dir, "burgers.thd"));
      const r = thoadc(dir, "eval", "burgers.thd", "--order", "2", "--wrt", "W1,b1", "--mode", mode, "--inputs", "in.json");
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      const out = JSON.parse(r.stdout) as { wrt: string[]; outputs: { loss: { value: T; derivatives: Record<string, T> } } };
      expect(out.wrt).toEqual(["W1", "b1"]);
      const got = out.outputs.loss, want = fx.outputs.loss;
      expect(got.value.shape).toEqual([]);
      expect(relError(got.value.data, want.value.data)).toBeLessThan(1e-9);
      expect(Object.keys(got.derivatives)).toEqual(["W1", "b1", "W1,W1", "W1,b1", "b1,b1"]);
      for (const [k, d] of Object.entries(want.derivatives)) {
        expect(got.derivatives[k]!.shape, k).toEqual(d.shape);
        expect(relError(got.derivatives[k]!.data, d.data), k).toBeLessThan(1e-9);
      }
    });
  }
});

describe("thoadc and the d() warning", { timeout: 60_000 }, () => {
  it("TH123 is printed to stderr with its source line, and the command succeeds", () => {
    const dir = workdir({ "m.thd": "model m {\n  batch B\n  input x : [B, 2]\n  input t : [B, 3]\n  z = d(tanh(x), t) + 1\n  output z\n}\n", "in.json": JSON.stringify({ x: { shape: [1, 2], data: [0.5, -1] }, t: { shape: [1, 3], data: [1, 2, 3] } }) });
    const r = thoadc(dir, "eval", "m.thd", "--order", "1", "--wrt", "x", "--inputs", "in.json");
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("m.thd:5:7: warning TH123: d(): the tensor does not depend on 't': the derivative is a zero tensor\n5 |   z = d(tanh(x), t) + 1\n          ^^^^^^^^^^^^^\n");
    const out = JSON.parse(r.stdout) as { outputs: { z: { value: T; derivatives: Record<string, T> } } };
    expect(out.outputs.z.value).toEqual({ shape: [1, 2, 3], data: [1, 1, 1, 1, 1, 1] });
    expect(out.outputs.z.derivatives.x!.data.every((v) => v === 0)).toBe(true);
  });
});
