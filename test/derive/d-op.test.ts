/**
 * d(...) inside models (issue 12, section 1). The forward-mode IR transform
 * (compiler/ir/jvp.ts) shares no code with the planners, so on every op model
 * d(z, x), d(z, x, y) and d(z, p) (values) must equal the planner's derivative
 * blocks of z (and their own derivatives z's blocks one order up). The models of
 * test/models/derivs.thd are then checked as ordinary models: forward and reverse
 * mode, --no-symmetry, --no-batch, and finite differences, up to order 4 in total
 * (inner + outer). PyTorch fixtures (test/oracle) cover the same models.
 */
import { describe, expect, it } from "vitest";
import { instantiate, runPipeline } from "../../compiler/index.js";
import { finiteDifferenceCheck } from "../../compiler/tools/finite-differences.js";
import { randomInputs } from "../../compiler/tools/random-inputs.js";
import { compileOk, plansAgree, readRoot, relError } from "../helpers/compile.js";
import { Tensor } from "../../runtime/index.js";
import { CASES } from "./cases.js";
import { planForward } from "../../compiler/derive/forward.js";
import { perSample, tangent } from "../../compiler/ir/jvp.js";
import { topoOrder, type InputNode } from "../../compiler/ir/node.js";

const TOL = 1e-10;

const withD = (body: string): string =>
  `model m {\n  batch B\n  input x : [B, 3]\n  input y : [B, 3]\n  param p : [3]\n  param Q : [3, 3]\n  ${body}\n  Jx = d(z, x)\n  Hxy = d(z, x, y)\n  Jp = d(z, p)\n  output z, Jx, Hxy, Jp\n}\n`;

describe("d(z, ...) equals the planner's derivative blocks of z on every op model", () => {
  for (const [name, body, range] of CASES) {
    it(name, () => {
      const c = runPipeline(withD(body), { order: 2, wrt: ["x", "y", "p"], mode: "forward" });
      // the only diagnostics allowed: a d() of something independent of its variable (TH123, a warning; zeros,
      // compared below with the planner's structural zeros), e.g. d(z, p) when z does not read p
      expect(c.diagnostics.filter((d) => d.code !== "TH123" || d.severity !== "warning")).toEqual([]);
      const plan = c.state.plan!;
      const r = instantiate(plan)(randomInputs(plan, 2, 11, range ?? [-1, 1]));
      const z = r.z!;
      const same = (got: { shape: readonly number[]; data: ArrayLike<number> }, want: { shape: readonly number[]; data: ArrayLike<number> }, what: string) => {
        expect(got.shape, what).toEqual(want.shape);
        expect(relError(got.data, want.data), what).toBeLessThan(TOL);
      };
      same(r.Jx!.value, z.d("x"), "d(z, x)");
      same(r.Hxy!.value, z.d("x", "y"), "d(z, x, y)");
      same(r.Jp!.value, z.d("p"), "d(z, p)");
      // the derivative values differentiated again by the planner: z's blocks one order up
      same(r.Jx!.d("y"), z.d("x", "y"), "d(d(z, x))/dy");
      same(r.Jx!.d("x"), z.d("x", "x"), "d(d(z, x))/dx");
      same(r.Jp!.d("x"), z.d("p", "x"), "d(d(z, p))/dx");
    });
  }
});

const FILE = readRoot("test/models/derivs.thd");
/** model, outer order, wrt, --no-batch size (models with a batch axis) */
const MODELS: [string, number, string[]][] = [
  ["d_batched", 2, ["x", "W"]],
  ["d_ops", 2, ["x", "p"]],
  ["d_nobatch", 1, ["a", "W"]],
];

describe("models with d(...) (test/models/derivs.thd, examples/burgers.thd) as ordinary models", () => {
  for (const [name, order, wrt] of MODELS) {
    it(`${name}: forward and reverse mode agree, also without symmetry`, () => {
      const fwd = compileOk(FILE, { model: name, order, wrt, mode: "forward" });
      const rev = compileOk(FILE, { model: name, order, wrt, mode: "reverse" });
      const dense = compileOk(FILE, { model: name, order, wrt, mode: "reverse", noSymmetry: true });
      plansAgree(fwd.plan, rev.plan, 2, 3, TOL);
      plansAgree(fwd.plan, dense.plan, 2, 3, TOL);
    }, 60_000);
    it(`${name}: finite differences of every outer order`, () => {
      const { plan, fn } = compileOk(FILE, { model: name, order, wrt, mode: "forward" });
      const rows = finiteDifferenceCheck(plan, fn, randomInputs(plan, 2, 7, [-0.8, 0.8]));
      expect(rows.map((r) => r.order)).toEqual([...Array(order).keys()].map((k) => k + 1));
      for (const row of rows) expect(row.maxRelError, `order ${row.order} ${row.where}`).toBeLessThan(1e-6);
    });
  }

  it("d_batched: --no-batch (batch unification of the inner derivative ablated) gives the same numbers", () => {
    const normal = compileOk(FILE, { model: "d_batched", order: 2, wrt: ["x", "W"] });
    const ablated = compileOk(FILE, { model: "d_batched", order: 2, wrt: ["x", "W"], noBatch: 3, batchHint: 3 });
    const inputs = randomInputs(normal.plan, 3, 5);
    const a = normal.fn(inputs).z!, b = ablated.fn(inputs).z!;
    expect(relError(b.value.data, a.value.data)).toBeLessThan(1e-12);
    for (const k of a.keys()) expect(relError(b.d(...k.split(",")).data, a.d(...k.split(",")).data), k).toBeLessThan(1e-12);
  });

  it("burgers: forward and reverse mode agree at order 2 in W1, b1 (inner order 2: 4 in total)", () => {
    const src = readRoot("examples/burgers.thd");
    const fwd = compileOk(src, { order: 2, wrt: ["W1", "b1"], mode: "forward" });
    const rev = compileOk(src, { order: 2, wrt: ["W1", "b1"], mode: "reverse" });
    plansAgree(fwd.plan, rev.plan, 1, 4, TOL);
  }, 120_000); // about 20 s alone: reverse mode through the [N, N, 2, N, 2] tangents (659 MFLOP), more on a loaded machine

  it("burgers: the mean of examples/burgers_per_point.thd's per-point losses (per-sample d) is examples/burgers.thd's loss over the points (full [N, N, 2] Jacobian), and PyTorch's", () => {
    const full = compileOk(readRoot("examples/burgers.thd"), { order: 2, wrt: ["W1", "b1"] });
    const per = compileOk(readRoot("examples/burgers_per_point.thd"), { order: 2, wrt: ["W1", "b1"] });
    const mean = (t: { shape: readonly number[]; data: ArrayLike<number> }) => {
      const n = t.shape[0]!, m = t.data.length / n;
      return Float64Array.from({ length: m }, (_, j) => { let s = 0; for (let i = 0; i < n; i++) s += t.data[i * m + j]!; return s / n; });
    };
    const inputs = randomInputs(full.plan, 1, 9, [-0.8, 0.8]);
    const a = full.fn(inputs).loss!, b = per.fn(inputs).loss!; // tx [6, 2] is a batch of 6 points
    expect(relError(mean(b.value), a.value.data)).toBeLessThan(1e-13);
    for (const k of a.keys()) expect(relError(mean(b.d(...k.split(","))), a.d(...k.split(",")).data), k).toBeLessThan(1e-12);
    // the same points and weights as PyTorch's burgers_o2 (jacrev inside the loss over the points, nested jacrev outside)
    const fx = JSON.parse(readRoot("test/fixtures/burgers_o2.json")) as { inputs: Record<string, { shape: number[]; data: number[] }>; outputs: { loss: { value: { data: number[] }; derivatives: Record<string, { data: number[] }> } } };
    const r = per.fn(Object.fromEntries(Object.entries(fx.inputs).map(([k, v]) => [k, new Tensor(v.shape, Float64Array.from(v.data))]))).loss!;
    expect(relError(mean(r.value), fx.outputs.loss.value.data)).toBeLessThan(1e-9);
    for (const [k, d] of Object.entries(fx.outputs.loss.derivatives)) expect(relError(mean(r.d(...k.split(","))), d.data), k).toBeLessThan(1e-9);
  });

  it("d(d(y, x), x) is d(y, x, x), one node", () => {
    const src = "model m {\n  batch B\n  input x : [B, 2]\n  y = sin(x[:, 0] * x[:, 1])\n  a = d(d(y, x), x)\n  b = d(y, x, x)\n  z = a - b\n  output a, z\n}\n";
    const r = runPipeline(src, { order: 0 });
    expect(r.ok).toBe(true);
    const ir = r.state.ir!;
    const z = ir.outputs.find((o) => o.name === "z")!.node;
    expect(z.op).toBe("add");
    expect(z.args[0]).toBe(ir.outputs.find((o) => o.name === "a")!.node);
  });
});

describe("the transform's directional seed (the API for hvp-like operators)", () => {
  it("tangent(z, x, {dir: v}) is d(z, x) contracted with v over x's axes, on every op model", () => {
    for (const [name, body, range] of CASES) {
      const src = `model m {\n  batch B\n  input x : [B, 3]\n  input y : [B, 3]\n  input v : [B, 3]\n  param p : [3]\n  param Q : [3, 3]\n  ${body}\n  J = d(z, x)\n  output z, J\n}\n`;
      const lowered = runPipeline(src, { order: 0 }, "lower");
      expect(lowered.ok, name).toBe(true);
      const ir = lowered.state.ir!;
      const x = ir.inputs.find((i) => i.attrs.name === "x") as InputNode, v = ir.inputs.find((i) => i.attrs.name === "v")!;
      const z = ir.outputs[0]!.node, b = ir.builder;
      const t = tangent(b, z, x, { kind: "dir", v }, z.span);
      expect(t, name).toBeDefined();
      const jv = perSample(b, t!, z, z.span);
      expect(jv.shape, name).toEqual(z.shape);
      const ir2 = { ...ir, outputs: [...ir.outputs, { name: "jv", node: jv, span: z.span }] };
      const plan = planForward(ir2, topoOrder(ir2.outputs.map((o) => o.node)), { order: 0, wrt: [] });
      const inputs = randomInputs(plan, 2, 5, range ?? [-1, 1]);
      const r = instantiate(plan)(inputs);
      const J = r.J!.value, V = inputs.v!, got = r.jv!.value; // J [2, ...z, 3], v [2, 3], jv [2, ...z]
      expect(J.data.length, name).toBe(got.data.length * 3);
      const want = Float64Array.from({ length: got.data.length }, (_, i) => {
        const sample = Math.floor(i / (got.data.length / 2));
        let s = 0;
        for (let k = 0; k < 3; k++) s += J.data[i * 3 + k]! * V.data[sample * 3 + k]!;
        return s;
      });
      expect(relError(got.data, want), name).toBeLessThan(1e-12);
    }
  });
});

describe("d(...) diagnostics", () => {
  const base = (line: string) => `model m {\n  batch B\n  input x : [B, 2]\n  param w : [2]\n  h = tanh(x * w)\n  ${line}\n  output z\n}\n`;
  it("a variable that is not a declared input or param is TH119, at the variable", () => {
    const r = runPipeline(base("z = d(h, h)"), { order: 0 });
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map((d) => [d.code, d.span?.line, d.span?.column])).toEqual([["TH119", 6, 12]]);
    const e = runPipeline(base("z = d(h, x * 2)"), { order: 0 });
    expect(e.diagnostics.map((d) => d.code)).toEqual(["TH119"]);
  });
  it("a dim is a constant, not a variable (TH119); a fn body may call d on its parameters", () => {
    const dim = "model m {\n  batch B\n  dim N = 2\n  input x : [B, N]\n  z = d(x, N)\n  output z\n}\n";
    expect(runPipeline(dim, { order: 0 }).diagnostics.map((d) => [d.code, d.message])).toEqual([["TH119", "d() differentiates with respect to declared inputs and params; 'N' is not one (a constant)"]]);
    const fn = "fn grad(y, v) = d(y, v)\nmodel m {\n  batch B\n  input x : [B, 3]\n  z = grad(sum(sin(x), axis=1), x) - cos(x)\n  output z\n}\n";
    const r = runPipeline(fn, { order: 1 });
    expect(r.diagnostics).toEqual([]);
    const plan = r.state.plan!;
    const z = instantiate(plan)(randomInputs(plan, 2, 4)).z!;
    expect(Math.max(...[...z.value.data].map(Math.abs))).toBeLessThan(1e-15);
    expect(Math.max(...[...z.d("x").data].map(Math.abs))).toBeLessThan(1e-15);
  });
  it("missing variables and keywords are TH104", () => {
    expect(runPipeline(base("z = d(h)"), { order: 0 }).diagnostics.map((d) => d.code)).toEqual(["TH104"]);
    expect(runPipeline(base("z = d(h, x, wrt=x)"), { order: 0 }).diagnostics.map((d) => d.code)).toEqual(["TH104"]);
  });
  it("d of something that does not depend on x is a zero tensor of the layout's shape, with warning TH123", () => {
    const src = "model m {\n  batch B\n  input x : [B, 2]\n  input t : [B, 3]\n  param w : [2]\n  h = tanh(x * w)\n  z = d(h, t) + 1\n  output z\n}\n";
    const r = runPipeline(src, { order: 1, wrt: ["x"] });
    expect(r.ok).toBe(true);
    expect(r.diagnostics.map((d) => [d.code, d.severity, d.span?.line])).toEqual([["TH123", "warning", 7]]);
    const r2 = runPipeline(src.replace("d(h, t)", "d(h, x, t)"), { order: 1, wrt: ["x"] });
    expect(r2.diagnostics.map((d) => [d.code, d.message])).toEqual([["TH123", "d(): its derivative of order 1 does not depend on 't': the derivative is a zero tensor"]]);
    const plan = r2.state.plan!;
    const out = instantiate(plan)(randomInputs(plan, 2, 1)).z!;
    expect(out.value.shape).toEqual([2, 2, 2, 3]);
    expect([...out.value.data].every((v) => v === 1)).toBe(true);
    expect([...out.d("x").data].every((v) => v === 0)).toBe(true);
  });
});
