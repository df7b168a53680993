/**
 * PyTorch oracle: every fixture in test/fixtures (made by gen_fixtures.py with
 * torch's nested jacrev, or jacfwd over jacrev where recorded in the fixture,
 * vmap over the batch) against the compiled model, every
 * output, every derivative key, at 1e-9 relative.
 */
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Tensor } from "../../runtime/index.js";
import { compileOk, readRoot, relError, ROOT } from "../helpers/compile.js";

interface Fixture {
  case: string; model_file: string; model: string; order: number; wrt: string[]; dims: Record<string, number>;
  inputs: Record<string, { shape: number[]; data: number[] }>;
  outputs: Record<string, { value: { shape: number[]; data: number[] }; derivatives: Record<string, { shape: number[]; data: number[] }> }>;
}

const files = readdirSync(ROOT + "test/fixtures").filter((f) => f.endsWith(".json")).sort();

describe.each(["forward", "reverse"] as const)("PyTorch fixtures, %s mode", (mode) => {
  it("there are at least 12 fixtures", () => expect(files.length).toBeGreaterThanOrEqual(12));
  for (const f of files) {
    it(f.replace(/\.json$/, ""), () => {
      const fx = JSON.parse(readRoot(`test/fixtures/${f}`)) as Fixture;
      const { fn, plan } = compileOk(readRoot(fx.model_file), { order: fx.order, wrt: fx.wrt, model: fx.model, dims: new Map(Object.entries(fx.dims)), mode });
      expect(plan.mode).toBe(mode);
      const inputs = Object.fromEntries(Object.entries(fx.inputs).map(([k, v]) => [k, new Tensor(v.shape, Float64Array.from(v.data))]));
      const res = fn(inputs);
      let keys = 0;
      for (const [name, want] of Object.entries(fx.outputs)) {
        const got = res[name]!;
        expect(got.value.shape).toEqual(want.value.shape);
        expect(relError(got.value.data, want.value.data), `${name} value`).toBeLessThan(1e-9);
        // the fixture must hold every key up to the order (a fixture that skips keys tests less than it claims)
        expect(Object.keys(want.derivatives).sort()).toEqual(got.keys().sort());
        for (const [key, d] of Object.entries(want.derivatives)) {
          const dense = got.d(...key.split(","));
          expect(dense.shape, `${name} d[${key}] shape`).toEqual(d.shape);
          expect(relError(dense.data, d.data), `${name} d[${key}]`).toBeLessThan(1e-9);
          keys++;
        }
      }
      expect(keys).toBeGreaterThan(0);
    }, 120_000); // reverse mode at order 4 on the 8-32-32-4 MLP is seconds of work: dense frontier blocks
  }
});
