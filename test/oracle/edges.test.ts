/**
 * PyTorch's conventions at edge points (test/models/edges.thd against
 * test/fixtures/edge/edges_o3.json, from gen_edge_fixtures.py): where's value
 * never sees the branch not taken; norm's first derivative is 0 where it is 0
 * and its higher ones NaN; std's derivatives are all 0 where it is 0. Both modes,
 * orders 0 to 3. Where PyTorch's nested backward puts NaN is an artifact of its
 * evaluation order (docs/language.md): for where's derivatives only the finite
 * entries are compared.
 */
import { describe, expect, it } from "vitest";
import { Tensor } from "../../runtime/index.js";
import { compileOk, readRoot } from "../helpers/compile.js";

type Enc = number | "NaN" | "Infinity" | "-Infinity";
interface T { shape: number[]; data: Enc[] }
interface Fixture { order: number; inputs: Record<string, T>; outputs: Record<string, { value: T; derivatives: Record<string, T> }> }

const dec = (v: Enc): number => (typeof v === "number" ? v : Number(v));
const fx = JSON.parse(readRoot("test/fixtures/edge/edges_o3.json")) as Fixture;

/** Entry by entry: both NaN, or equal within 1e-12 of the block's scale; `finiteOnly`: compare where PyTorch is finite. */
function same(got: ArrayLike<number>, want: readonly Enc[], what: string, finiteOnly = false): number {
  expect(got.length, what).toBe(want.length);
  const w = want.map(dec);
  const scale = Math.max(1, ...w.filter(Number.isFinite).map(Math.abs));
  let compared = 0;
  w.forEach((x, i) => {
    const g = got[i]!;
    if (Number.isNaN(x)) { if (!finiteOnly) expect(g, `${what}[${i}]: PyTorch NaN`).toBeNaN(); return; }
    expect(Math.abs(g - x) / scale, `${what}[${i}]: ${g} vs ${x}`).toBeLessThan(1e-12);
    compared++;
  });
  return compared;
}

describe.each(["forward", "reverse"] as const)("PyTorch's edge conventions, %s mode", (mode) => {
  const { fn } = compileOk(readRoot("test/models/edges.thd"), { order: fx.order, mode });
  const x = fx.inputs.x!;
  const res = fn({ x: new Tensor(x.shape, Float64Array.from(x.data.map(dec))) });

  it("values: where never reads the branch not taken (sqrt and log of -1 are NaN there)", () => {
    for (const [name, o] of Object.entries(fx.outputs)) same(res[name]!.value.data, o.value.data, `${name} value`);
    expect(Array.from(res.a!.value.data).every(Number.isFinite)).toBe(true);
  });

  it("norm: first derivative 0 at a zero row, then NaN; std: every derivative 0 at constant rows", () => {
    for (const name of ["n", "s"]) for (const [key, d] of Object.entries(fx.outputs[name]!.derivatives)) same(res[name]!.d(...key.split(",") as "x"[]).data, d.data, `${name} d[${key}]`);
    expect(Array.from(res.n!.d("x").data.slice(3, 6))).toEqual([0, 0, 0]);
    expect(Array.from(res.s!.d("x", "x", "x").data.slice(27))).toEqual(new Array(54).fill(0));
  });

  it("where: PyTorch's finite derivatives at every order", () => {
    let compared = 0, spread = 0;
    for (const name of ["a", "b"]) for (const [key, d] of Object.entries(fx.outputs[name]!.derivatives)) {
      const got = res[name]!.d(...key.split(",") as "x"[]).data;
      if (mode === "reverse" || name === "b") { compared += same(got, d.data, `${name} d[${key}]`, true); continue; }
      // forward mode: sqrt' (-1) = NaN times a structural zero of the seed is NaN (PyTorch's jacfwd
      // spreads it alike), where PyTorch's reverse mode has the 0
      d.data.map(dec).forEach((w, i) => {
        if (!Number.isFinite(w)) return;
        if (Number.isNaN(got[i]!)) { expect(w, `a d[${key}][${i}]`).toBe(0); spread++; } else { expect(Math.abs(got[i]! - w), `a d[${key}][${i}]`).toBeLessThan(1e-12); compared++; }
      });
    }
    const finite = ["a", "b"].reduce((n, o) => n + Object.values(fx.outputs[o]!.derivatives).reduce((m, d) => m + d.data.filter((v) => typeof v === "number").length, 0), 0);
    expect(finite).toBe(429);
    expect(compared + spread).toBe(finite);
    if (mode === "forward") expect(spread).toBeGreaterThan(0); else expect(spread).toBe(0);
  });
});
