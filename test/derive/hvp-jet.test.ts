/**
 * hvp(y, x, v) and jet(y, x, v, k) (test/models/hvp-jet.thd) against thoad's own dense
 * derivatives of y (the same model with `output y`, --order 2 / k, contracted with v here),
 * in both modes; the losses built from them differentiated again (forward and reverse plans
 * agree, finite differences); coded diagnostics for misuse. PyTorch: test/oracle (hvp_*, jet_* fixtures).
 */
import { describe, expect, it } from "vitest";
import { instantiate, runPipeline } from "../../compiler/index.js";
import { topoOrder } from "../../compiler/ir/node.js";
import { finiteDifferenceCheck } from "../../compiler/tools/finite-differences.js";
import { randomInputs } from "../../compiler/tools/random-inputs.js";
import type { Tensor } from "../../runtime/index.js";
import { compileOk, plansAgree, readRoot, relError } from "../helpers/compile.js";

const FILE = readRoot("test/models/hvp-jet.thd");
const MODES = ["forward", "reverse"] as const;

/** The file with model `name`'s output line replaced by `output <out>`. */
const withOutput = (name: string, out: string): string => FILE.replace(new RegExp(`(model ${name} \\{[\\s\\S]*?)output \\w+`), `$1output ${out}`);

/**
 * sum over i_1..i_j of D[s, e, i_1, ..., i_j] v[s, i_1] ... v[s, i_j]: a dense derivative
 * (samples s, leading entries e, then j axes of size n) contracted with v along its last j axes.
 */
function contract(D: ArrayLike<number>, samples: number, m: number, n: number, j: number, v: ArrayLike<number>, vPerSample: boolean): number[] {
  const out: number[] = [];
  const nj = n ** j;
  for (let s = 0; s < samples; s++) {
    const vs = (i: number) => v[(vPerSample ? s * n : 0) + i]!;
    for (let e = 0; e < m; e++) {
      let acc = 0;
      for (let flat = 0; flat < nj; flat++) {
        let w = 1, r = flat;
        for (let q = 0; q < j; q++) { w *= vs(r % n); r = Math.floor(r / n); }
        acc += D[(s * m + e) * nj + flat]! * w;
      }
      out.push(acc);
    }
  }
  return out;
}

const size = (t: Tensor) => t.data.length;

describe.each(MODES)("hvp and jet against dense derivatives (%s mode)", (mode) => {
  it.each([
    // model, x, v, batch size, size(x) per sample, v per sample
    ["hvp_mlp", "x", "v", 3, 4, true],
    ["hvp_ops", "x", "v", 3, 4, true],
    ["hvp_param", "W", "V", 3, 6, false],
    ["hvp_conv", "x", "v", 1, 6, false],
    ["hvp_einsum", "x", "v", 2, 3, true],
    ["hvp_shared", "x", "u", 2, 4, false],
    ["hvp_loss", "x", "v", 2, 3, true],
  ] as const)("%s: hvp(y, %s, %s) = (d^2 y / dx^2) v", (name, x, v, B, n, vPer) => {
    const hv = compileOk(withOutput(name, "hv"), { order: 0, model: name, mode });
    const inputs = randomInputs(hv.plan, B, 7);
    const got = hv.fn(inputs).hv!.value;
    const yName = name === "hvp_loss" ? "u" : "y";
    const H = compileOk(withOutput(name, yName), { order: 2, model: name, wrt: [x], mode }).fn(inputs)[yName]!.d(x, x);
    const want = contract(H.data, size(H) / (n * n), n, n, 1, inputs[v]!.data, vPer);
    expect(got.data.length).toBe(want.length);
    expect(relError(got.data, want)).toBeLessThan(1e-12);
    expect(Math.max(...want.map(Math.abs))).toBeGreaterThan(1e-3); // not vacuous
  });

  it.each([
    ["jet_mlp", 4, 3, 2],
    ["jet_ops", 3, 4, 1],
    ["jet_loss", 3, 2, 1],
  ] as const)("%s: jet(y, x, v, k) = [d^j y / dx^j v^j], j = 1..k", (name, k, n, m) => {
    const B = 2;
    const jt = compileOk(withOutput(name, "j"), { order: 0, model: name, mode });
    const inputs = randomInputs(jt.plan, B, 11);
    const got = jt.fn(inputs).j!.value;
    expect(got.shape).toEqual(m === 1 ? [B, k] : [B, k, m]);
    const yName = name === "jet_loss" ? "u" : "y";
    const r = compileOk(withOutput(name, yName), { order: k, model: name, wrt: ["x"], mode }).fn(inputs)[yName]!;
    const vPer = size(inputs.v!) > n;
    const per = Array.from({ length: k }, (_, i) => contract(r.d(...Array<string>(i + 1).fill("x")).data, B, m, n, i + 1, inputs.v!.data, vPer));
    // layout [B, k, ...shape(y)\B]
    const want: number[] = [];
    for (let s = 0; s < B; s++) for (let j = 0; j < k; j++) for (let e = 0; e < m; e++) want.push(per[j]![s * m + e]!);
    expect(relError(got.data, want)).toBeLessThan(1e-11);
    expect(Math.max(...want.map(Math.abs))).toBeGreaterThan(1e-3);
  });
});

describe.each(MODES)("a param x through param-only ops, directions shared and per sample (%s mode)", (mode) => {
  it("hvp(y, W, V), hvp(y, W, Vb) and jet(y, W, Vb, 3) against d(y, W, ...) contracted", () => {
    const B = 2, n = 9;
    const c = compileOk(FILE, { order: 0, model: "hvp_param2", mode });
    const inputs = randomInputs(c.plan, B, 21);
    const r = c.fn(inputs);
    const y = compileOk(withOutput("hvp_param2", "y"), { order: 3, model: "hvp_param2", wrt: ["W"], mode }).fn(inputs).y!;
    const H = y.d("W", "W").data;
    expect(r.hv!.value.shape).toEqual([B, 3, 3]);
    expect(relError(r.hv!.value.data, contract(H, B, n, n, 1, inputs.V!.data, false))).toBeLessThan(1e-12);
    expect(relError(r.hb!.value.data, contract(H, B, n, n, 1, inputs.Vb!.data, true))).toBeLessThan(1e-12);
    const per = [1, 2, 3].map((j) => contract(y.d(...Array<string>(j).fill("W")).data, B, 1, n, j, inputs.Vb!.data, true));
    expect(r.j!.value.shape).toEqual([B, 3]);
    expect(relError(r.j!.value.data, [0, 1].flatMap((s) => per.map((p) => p[s]!)))).toBeLessThan(1e-11);
  });
});

describe("hvp and jet differentiated again", () => {
  it.each([
    ["hvp_loss", ["W1", "b1"], 2],
    ["jet_loss", ["W"], 2],
    ["hvp_param", ["W", "a"], 1],
  ] as const)("%s --wrt %s --order %d: forward and reverse plans agree, finite differences", (name, wrt, order) => {
    const f = compileOk(FILE, { order, model: name, wrt: [...wrt], mode: "forward" });
    const r = compileOk(FILE, { order, model: name, wrt: [...wrt], mode: "reverse" });
    plansAgree(f.plan, r.plan, 2, 5, 1e-11);
    const errs = finiteDifferenceCheck(f.plan, f.fn, randomInputs(f.plan, 2, 6));
    for (const e of errs) expect(e.maxRelError, `order ${e.order} at ${e.where}`).toBeLessThan(1e-6);
  });

  it("--no-batch and --no-symmetry (the ablations) give the same derivatives", () => {
    const a = compileOk(FILE, { order: 1, model: "hvp_loss", wrt: ["W1"], mode: "forward" });
    const b = compileOk(FILE, { order: 1, model: "hvp_loss", wrt: ["W1"], mode: "forward", noBatch: 2 });
    plansAgree(a.plan, b.plan, 2, 9, 1e-12);
    // batched scatters (the adjoints of indexing and flip) with their maps extended over the samples
    const e = compileOk(FILE, { order: 1, model: "hvp_ops", wrt: ["x", "p"], mode: "reverse" });
    const f = compileOk(FILE, { order: 1, model: "hvp_ops", wrt: ["x", "p"], mode: "reverse", noBatch: 2 });
    plansAgree(e.plan, f.plan, 2, 9, 1e-12);
    const c = compileOk(FILE, { order: 2, model: "jet_loss", wrt: ["W"], mode: "reverse" });
    const d = compileOk(FILE, { order: 2, model: "jet_loss", wrt: ["W"], mode: "reverse", noSymmetry: true });
    plansAgree(c.plan, d.plan, 2, 10, 1e-12);
  });
});

describe("hvp and jet with --want and with d()", () => {
  const src = (out: string) => `model m {\n batch B\n input x : [B, 3]\n input v : [B, 3]\n param W : [3, 2]\n u = sum(tanh(x @ W) ** 2, axis=1) + sum(sin(x) * exp(x), axis=1)\n${out}\n}`;
  const run = (text: string, options: Parameters<typeof compileOk>[1], inputs?: Record<string, Tensor>) => {
    const c = compileOk(text, options);
    const ins = inputs ?? randomInputs(c.plan, 3, 4);
    return { ins, r: c.fn(ins) };
  };
  it("--want hvp --at x --v v and --want jet --jet-order 3 are the operators written in the model", () => {
    const { ins, r } = run(src(" h = hvp(u, x, v)\n j = jet(u, x, v, 3)\n output h, j"), { order: 0 });
    const h = run(src(" output u"), { order: 0, want: { kind: "hvp", at: "x", v: "v" } }, ins).r.u!.value;
    const j = run(src(" output u"), { order: 0, want: { kind: "jet", at: "x", v: "v", k: 3 } }, ins).r.u!.value;
    expect(h.shape).toEqual([3, 3]);
    expect(Array.from(h.data)).toEqual(Array.from(r.h!.value.data));
    expect(j.shape).toEqual([3, 3]);
    expect(Array.from(j.data)).toEqual(Array.from(r.j!.value.data));
  });
  it("v an expression (here of x itself): H(x) v(x), and --order differentiates v's dependence too", () => {
    const text = src(" w = 2 * v + sin(x)\n h = hvp(u, x, w)\n H = einsum(\"bij,bj->bi\", d(u, x, x), w)\n output h, H");
    const { r } = run(text, { order: 0 });
    expect(relError(r.h!.value.data, r.H!.value.data)).toBeLessThan(1e-13);
    const { r: r1 } = run(text, { order: 1, wrt: ["x"] });
    expect(relError(r1.h!.d("x").data, r1.H!.d("x").data)).toBeLessThan(1e-12);
  });
  it("transforms compose: jet of an hvp is d(u, x, x, x) against v three times, an hvp of an hvp d(u, x, x, x, x) against v four times", () => {
    const { r } = run(src(" q = sum(hvp(u, x, v) * v, axis=1)\n j = jet(q, x, v, 1)[:, 0]\n h = sum(hvp(q, x, v) * v, axis=1)\n T = einsum(\"bijk,bi,bj,bk->b\", d(u, x, x, x), v, v, v)\n F = einsum(\"bijkl,bi,bj,bk,bl->b\", d(u, x, x, x, x), v, v, v, v)\n output j, h, T, F"), { order: 0 });
    expect(relError(r.j!.value.data, r.T!.value.data)).toBeLessThan(1e-12);
    expect(relError(r.h!.value.data, r.F!.value.data)).toBeLessThan(1e-12);
    for (const t of [r.T!, r.F!]) expect(Math.max(...Array.from(t.value.data).map(Math.abs))).toBeGreaterThan(1e-3);
  });
  it("hvp(u, x, v) is d(u, x, x) contracted with v (the forward-mode transform of d), and jet's second entry v d(u, x, x) v", () => {
    const { r } = run(src(" h = hvp(u, x, v)\n H = einsum(\"bij,bj->bi\", d(u, x, x), v)\n j = jet(u, x, v, 2)[:, 1]\n q = einsum(\"bi,bij,bj->b\", v, d(u, x, x), v)\n output h, H, j, q"), { order: 0 });
    expect(relError(r.h!.value.data, r.H!.value.data)).toBeLessThan(1e-13);
    expect(relError(r.j!.value.data, r.q!.value.data)).toBeLessThan(1e-13);
  });
});

describe("jet's size in k", () => {
  // nodes of jet(u, x, v, k) through two layers of f: doubling k at most quadruples them where f has an
  // ODE recurrence (O(k^2) terms per node; Faa di Bruno over series powers would approach 8x)
  const nodes = (f: string, k: number): number => {
    const src = `model m {\n batch B\n input x : [B, 3]\n input v : [B, 3]\n param W : [3, 4]\n param w : [4]\n u = ${f}(${f}(x @ W) @ w)\n j = jet(u, x, v, ${k})\n output j\n}`;
    return topoOrder(runPipeline(src, { order: 0 }).state.ir!.outputs.map((o) => o.node)).length;
  };
  it.each(["exp", "sin", "cos", "tanh", "sigmoid", "log"])("%s: nodes(k = 10) / nodes(k = 5) < 4", (f) => {
    const r = nodes(f, 10) / nodes(f, 5);
    expect(r).toBeGreaterThan(2); // it does grow with k
    expect(r).toBeLessThan(4);
  });
});

describe("hvp and jet misuse", () => {
  const diag = (body: string) => {
    const src = `model m {\n batch B\n input x : [B, 3]\n input v : [B, 3]\n param W : [3, 2]\n${body}\n}`;
    return runPipeline(src, { order: 0 }).diagnostics.map((d) => `${d.code} ${d.span?.line}:${d.span?.column}`);
  };
  it("x must be a declared input or param (TH120)", () => {
    expect(diag(" y = sum(x * x, axis=1)\n h = hvp(y, x * 2, v)\n output h")).toEqual(["TH120 7:6"]);
    expect(diag(" y = sum(x * x, axis=1)\n h = jet(y, 2 * x, v, 2)\n output h")).toEqual(["TH120 7:6"]);
  });
  it("v must have x's per-sample shape (TH120)", () => {
    expect(diag(" y = sum(x * x, axis=1)\n h = hvp(y, x, W)\n output h")).toEqual(["TH120 7:6"]);
    expect(diag(" y = sum(x * x, axis=1)\n h = jet(y, W, v, 2)\n output h")).toEqual(["TH120 7:6"]);
  });
  it("hvp's y must be one number per sample (TH122)", () => {
    expect(diag(" y = x * x\n h = hvp(y, x, v)\n output h")).toEqual(["TH122 7:6"]);
  });
  it("a y that does not depend on x: zeros with the warning TH123 (a y linear in x: a zero hvp, no warning)", () => {
    const src = (body: string) => `model m {\n batch B\n input x : [B, 3]\n input v : [B, 3]\n param W : [3, 2]\n${body}\n}`;
    const r = runPipeline(src(" y = sum(v * v, axis=1)\n h = hvp(y, x, v)\n j = jet(v @ W, x, v, 2)\n output h, j"), { order: 0 });
    expect(r.diagnostics.map((d) => `${d.code} ${d.severity} ${d.span?.line}:${d.span?.column}`)).toEqual(["TH123 warning 7:6", "TH123 warning 8:6"]);
    const c = compileOk(src(" y = sum(x * v, axis=1)\n h = hvp(y, x, v)\n output h"), { order: 0 });
    const out = c.fn(randomInputs(c.plan, 2, 1)).h!.value;
    expect(out.shape).toEqual([2, 3]);
    expect(Array.from(out.data)).toEqual([0, 0, 0, 0, 0, 0]);
    const z = runPipeline(src(" y = sum(v * v, axis=1)\n h = hvp(y, x, v)\n j = jet(v @ W, x, v, 2)\n output h, j"), { order: 0 });
    const f = instantiate(z.state.plan!)(randomInputs(z.state.plan!, 2, 1));
    expect(f.h!.value.shape).toEqual([2, 3]);
    expect(f.j!.value.shape).toEqual([2, 2, 2]);
    expect([...f.h!.value.data, ...f.j!.value.data].every((x) => x === 0)).toBe(true);
  });
  it("jet's k is an integer from 1 to 10 (TH121), a constant (TH105)", () => {
    expect(diag(" h = jet(x * x, x, v, 0)\n output h")).toEqual(["TH121 6:6"]);
    expect(diag(" h = jet(x * x, x, v, 1.5)\n output h")).toEqual(["TH121 6:6"]);
    expect(diag(" h = jet(x * x, x, v, 11)\n output h")).toEqual(["TH121 6:6"]);
    expect(diag(" h = jet(x * x, x, v, x)\n output h")).toEqual(["TH105 6:23"]);
  });
});
