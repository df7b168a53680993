/** thoadc check: zero derivatives pass, and every failure is a coded error (TH601, TH602). */
import { describe, it, expect } from "vitest";
import { thoadc, useCli, workdir } from "../helpers/cli.js";

useCli();
const T = 60_000;
const model = (body: string) => `model m {\n  input x : [3]\n  ${body}\n  output y\n}\n`;

describe("thoadc check", { timeout: T }, () => {
  it.each([
    ["a derivative that cancels to rounding noise: exp(log(x)) - x (order 2 was relative error 1.0)", "y = exp(log(x)) - x"],
    ["sqrt(x) * sqrt(x) - x", "y = sqrt(x) * sqrt(x) - x"],
    ["a value that is rounding noise with a zero derivative: (x + 1) - x - 1", "y = (x + 1) - x - 1"],
  ])("%s passes at order 3", (_, body) => {
    const dir = workdir({ "m.thd": model(body) });
    const r = thoadc(dir, "check", "m.thd", "--order", "3", "--range", "0.5,1.5");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout.match(/ ok$/gm)).toHaveLength(3);
  });

  it("a smooth small output is still checked relatively: errors near rounding, not near the floor", () => {
    const dir = workdir({ "m.thd": model("y = 0.001 * sin(3 * x) * x") });
    const r = thoadc(dir, "check", "m.thd", "--order", "2", "--json");
    expect(r.status, r.stderr).toBe(0);
    for (const o of JSON.parse(r.stdout).orders) expect(o.maxRelError).toBeLessThan(1e-6);
  });

  it("a non-finite output at the random point is TH601", () => {
    const dir = workdir({ "m.thd": model("y = log(x)") });
    const r = thoadc(dir, "check", "m.thd", "--order", "1", "--range", "-2,-1");
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^m\.thd: error TH601: output 'y' is not finite at the random point \(seed 1, range -2,-1\)/);
  });

  it("a failed order is TH602 on stderr after the table (a tolerance below rounding cannot be met)", () => {
    const dir = workdir({ "m.thd": model("y = tanh(x) * x") });
    const r = thoadc(dir, "check", "m.thd", "--order", "2", "--tol", "1e-20");
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/order 1: max relative error .* FAIL/);
    expect(r.stderr).toMatch(/^m\.thd: error TH602: order 1 differs from central differences: max relative error \S+ at y d\[x\], over the tolerance 1e-20$/m);
    expect(r.stderr).toMatch(/^2 errors$/m);
  });
});
