/**
 * Every cookbook recipe (examples/cookbook/README.md) runs with its one command
 * and passes its own check (exit 0), and its --json summary says what the
 * README says. The recipes import the built package (`npm run build` first).
 */
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../helpers/compile.js";

function recipe(name: string): any {
  if (!existsSync(join(ROOT, "dist/analysis/index.js"))) throw new Error("dist/ is missing: build first with `npm run build`");
  const r = spawnSync(process.execPath, [join(ROOT, "examples/cookbook", name), "--json"], { cwd: ROOT, encoding: "utf8", timeout: 170_000 });
  expect(r.stderr).toBe("");
  expect(r.status, r.stdout).toBe(0);
  return JSON.parse(r.stdout.trim().split("\n").at(-1)!);
}

describe("cookbook", () => {
  it("ishigami.mjs: Ishigami and Sobol G DGSM within 4 standard errors of the closed forms", () => {
    const s = recipe("ishigami.mjs");
    for (const name of ["ishigami", "sobol_g"]) {
      expect(s[name].N).toBe(20000);
      s[name].z.forEach((z: number) => expect(Math.abs(z)).toBeLessThanOrEqual(4));
      s[name].se.forEach((se: number, i: number) => expect(se / s[name].exact[i]).toBeLessThan(0.03));
    }
  }, 180_000);

  it("classifier.mjs: trains to > 90% and the noise features carry a negligible share of the DGSM", () => {
    const s = recipe("classifier.mjs");
    expect(s.accuracy).toBeGreaterThan(0.9);
    expect(s.share[2] + s.share[3]).toBeLessThan(0.01);
    const report = readFileSync(join(ROOT, "examples/cookbook/out/classifier.html"), "utf8");
    expect(report).toContain('id="sensitivity-data"');
  }, 180_000);

  it("borehole.mjs: rw dominates, r, Tl and Tu are negligible (the known ranking)", () => {
    const s = recipe("borehole.mjs");
    expect(s.ranking[0]).toBe("rw");
    expect(new Set(s.ranking.slice(-3))).toEqual(new Set(["r", "Tl", "Tu"]));
    const data = JSON.parse(readFileSync(join(ROOT, "examples/cookbook/out/borehole-data.json"), "utf8"));
    expect(data.x.shape).toEqual([5000, 8]);
  }, 180_000);

  it("pinn.mjs: the loss falls by over 1000x and u approximates sin t", () => {
    const s = recipe("pinn.mjs");
    expect(s.L).toBeLessThan(1e-3 * s.L0);
    expect(s.err).toBeLessThan(0.05);
  }, 180_000);

  it("newton.mjs: converges to (1, ..., 1), quadratically at the end", () => {
    const s = recipe("newton.mjs");
    expect(s.err).toBeLessThan(1e-9);
    const g = s.history.map((h: { gnorm: number }) => h.gnorm).filter((v: number) => v > 0);
    // the last steps: |g_{k+1}| <= C |g_k|^2 with a modest C (quadratic convergence)
    const [a, b] = g.slice(-2);
    expect(b).toBeLessThan(10 * a * a);
  }, 180_000);

  it("uncertainty.mjs: the second-order moments agree with Monte Carlo within 4 standard errors at sigma = 0.01", () => {
    const rows = recipe("uncertainty.mjs");
    expect(Math.abs(rows[0].z_mean)).toBeLessThan(4);
    expect(Math.abs(rows[0].z_variance)).toBeLessThan(4);
    expect(rows[0].variance_se / rows[0].mc_variance).toBeLessThan(0.05);
  }, 180_000);

  it("ode-taylor.mjs: the error falls with the order, below 1e-8 at order 8", () => {
    const s = recipe("ode-taylor.mjs");
    const errs = s.rows.map((r: { err: number }) => r.err);
    for (let k = 1; k < errs.length; k++) expect(errs[k]).toBeLessThan(errs[k - 1]);
    expect(errs.at(-1)).toBeLessThan(1e-8);
  }, 180_000);
});
