/**
 * Agreement between independent plans: forward (Taylor) and reverse
 * (frontier) mode share no derivative code, so matching to 1e-10 relative on
 * every key checks both. Runs on every op model and on random DAGs with
 * fan-out, random orders 1..4 and random wrt subsets (a property test with a
 * fixed seed, so a failure is reproducible from its printed case). Reverse
 * mode without symmetry (--no-symmetry: dense blocks per ordered key) is a
 * third plan, checked the same way.
 */
import { describe, expect, it } from "vitest";
import { rng } from "../../compiler/tools/random-inputs.js";
import { randomInputs } from "../../compiler/tools/random-inputs.js";
import { compileOk } from "../helpers/compile.js";
import { CASES, model } from "./cases.js";

const TOL = 1e-10;

function agree(source: string, order: number, wrt: string[] | undefined, range: [number, number] = [-1, 1], seed = 5, noSymmetry = false): void {
  const fwd = compileOk(source, { order, wrt, mode: "forward" });
  const rev = compileOk(source, { order, wrt, mode: "reverse", noSymmetry });
  expect(fwd.plan.mode).toBe("forward");
  expect(rev.plan.mode).toBe("reverse");
  const inputs = randomInputs(fwd.plan, 2, seed, range);
  const a = fwd.fn(inputs), b = rev.fn(inputs);
  for (const name of Object.keys(a)) {
    expect(Array.from(b[name]!.value.data)).toEqual(Array.from(a[name]!.value.data));
    // relative to the largest entry of the output's derivatives of the same order: a block
    // that is zero in exact arithmetic (log(x*y) has no x,y term) holds only rounding noise
    const scale = new Map<number, number>();
    for (const key of a[name]!.keys()) {
      const k = key.split(",").length;
      for (const v of a[name]!.packed(...key.split(",")).data) scale.set(k, Math.max(scale.get(k) ?? 0, Math.abs(v)));
    }
    for (const key of a[name]!.keys()) {
      const da = a[name]!.d(...key.split(",")), db = b[name]!.d(...key.split(","));
      expect(db.shape, `${name} d[${key}]`).toEqual(da.shape);
      let err = 0;
      for (let i = 0; i < da.data.length; i++) { const e = Math.abs(db.data[i]! - da.data[i]!); if (!(e <= err)) err = e; }
      const s = scale.get(key.split(",").length)!;
      expect(s > 0 ? err / s : err, `${name} d[${key}]`).toBeLessThan(TOL);
    }
  }
}

describe("forward and reverse mode agree on every op model (order 4, wrt x and y)", () => {
  for (const [name, body, range] of CASES) it(name, () => agree(model(body), 4, undefined, range));
  it("params in wrt", () => agree(model("z = tanh(x @ Q + p) * sin(y @ Q)"), 3, ["x", "Q", "p"]));
  // a matrix's positions are pairs of loop indices; five of them sort through $rank5
  it("a weight matrix at order 5", () => agree(model("z = tanh(x @ Q + p) * sin(y @ Q)"), 5, ["Q"]));
});

/** A random DAG over x, y : [B, 3], p : [3], Q : [3, 3], with fan-out (nodes are reused at random). */
function randomModel(seed: number): { source: string; order: number; wrt: string[] } {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const names = ["x", "y"];
  const lines: string[] = [];
  const n = 3 + Math.floor(r() * 5);
  for (let i = 0; i < n; i++) {
    const a = pick(names), b = pick(names);
    const e = pick([
      `tanh(${a})`, `sin(${a} * ${b})`, `sigmoid(${a} - ${b})`, `cos(0.5 * ${a})`, `softplus(${a})`, `exp(0.3 * ${a})`,
      `${a} * ${b}`, `${a} + ${b}`, `${a} - 0.5 * ${b}`, `${a} / (1.5 + ${b} * ${b})`, `(${a} + p) ** 2`,
      `${a} @ Q`, `tanh(${a} @ Q + p)`, `softmax(${a} + ${b})`, `log_softmax(${a} * ${b})`,
      `${a} * sum(${b}, axis=1, keepdims=true)`, `${a} * mean(${a} * ${b}, axis=-1, keepdims=true)`,
      `reshape(transpose(reshape(${a}, [B, 3, 1]) * reshape(${b}, [B, 1, 3]), [0, 2, 1]), [B, 9]) @ reshape(Q, [9, 1]) * ${a}`,
      `einsum("bi,bj,ij->bi", ${a}, ${b}, Q)`,
    ]);
    lines.push(`  h${i} = ${e}`);
    names.push(`h${i}`);
  }
  const outs = [...new Set([names[names.length - 1]!, pick(names.slice(2))])];
  const vars = ["x", "y", "p", "Q"];
  let wrt = vars.filter(() => r() < 0.5);
  if (wrt.length === 0) wrt = [pick(vars)];
  const order = 1 + Math.floor(r() * 4);
  const source = `model g {\n  batch B\n  input x : [B, 3]\n  input y : [B, 3]\n  param p : [3]\n  param Q : [3, 3]\n${lines.join("\n")}\n  output ${outs.join(", ")}\n}\n`;
  return { source, order: wrt.includes("Q") && order > 3 ? 3 : order, wrt };
}

describe("forward and reverse mode agree on random DAGs", () => {
  for (let seed = 1; seed <= 40; seed++) {
    const { source, order, wrt } = randomModel(seed);
    for (const noSymmetry of [false, true]) {
      it(`graph ${seed}: order ${order}, wrt [${wrt.join(",")}]${noSymmetry ? ", reverse without symmetry" : ""}`, () => {
        try {
          agree(source, order, wrt, [-0.8, 0.8], seed, noSymmetry);
        } catch (e) {
          throw new Error(`${(e as Error).message}\n--- model (seed ${seed}) ---\n${source}`);
        }
      });
    }
  }
});

describe("reverse mode without symmetry (--no-symmetry) agrees with forward mode", () => {
  for (const [name, body, range] of CASES) it(name, () => agree(model(body), 3, undefined, range, 5, true));
  it("params in wrt", () => agree(model("z = tanh(x @ Q + p) * sin(y @ Q)"), 3, ["x", "Q", "p"], [-1, 1], 5, true));
});

describe("--no-symmetry in reverse mode: one dense block per ordered key", () => {
  const source = model("z = tanh(x @ Q + p) * sin(y @ Q)");
  const blocks = (noSymmetry: boolean) => compileOk(source, { order: 2, wrt: ["x", "y"], mode: "reverse", noSymmetry }).plan.buffers.filter((b) => b.role === "deriv" && / G\[/.test(b.label));
  it("keeps both orders of a mixed key, each dense", () => {
    const sym = blocks(false), dense = blocks(true);
    const labels = (bs: typeof sym) => bs.map((b) => b.label);
    // a mixed frontier key: one block with symmetry, both orders without
    expect(labels(sym).filter((l) => l.endsWith("G[x,y]") || l.endsWith("G[y,x]"))).toEqual(["z G[x,y]"]);
    expect(labels(dense).filter((l) => l.endsWith("G[x,y]") || l.endsWith("G[y,x]")).sort()).toEqual(["z G[x,y]", "z G[y,x]"]);
    // a repeated key: packed with symmetry (C(3+1, 2) = 6 entries per output row), dense without (3^2 = 9)
    const xx = (bs: typeof sym) => bs.find((b) => b.label.endsWith("G[x,x]"))!.size;
    expect(xx(dense) / xx(sym)).toBe(9 / 6);
  });
});
