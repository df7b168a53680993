/**
 * fn definitions are inlined at compile time: a model written with fns gives
 * the same plan, in both modes, as the model written out (so the same kernel
 * and the same numbers); parameters bind to argument nodes, constants and
 * string/list literals pass through, keyword arguments bind by name.
 */
import { describe, expect, it } from "vitest";
import { runPipeline, type CompileOptions } from "../../compiler/pipeline.js";
import { printPlan } from "../../compiler/plan/print.js";
import type { Plan } from "../../compiler/plan/plan.js";
import { randomInputs } from "../../compiler/tools/random-inputs.js";
import { compileOk, readRoot } from "../helpers/compile.js";

const MLP = readRoot("examples/mlp.thd");

const MLP_FN = `# the mlp example with a file-level fn, defined after its use
model mlp {
  batch B
  input x  : [B, 8]
  param W1 : [8, 32]
  param b1 : [32]
  param W2 : [32, 32]
  param b2 : [32]
  param W3 : [32, 4]
  param b3 : [4]

  h1 = dense(x, W1, b1)
  h2 = dense(b=b2, W=W2, x=h1)      # keyword arguments, in any order
  y  = h2 @ W3 + b3
  output y
}
fn dense(x, W, b) = tanh(x @ W + b)
`;

/** A plan without its source positions (model lines, fn body lines): where two sources put a statement is no part of the schedule. */
const unplaced = (p: Plan): Plan => ({ ...p, buffers: p.buffers.map(({ line: _, fn: _f, ...b }) => b), lines: new Map() });

/**
 * Same plan (the schedule, buffers and labels) for two sources, and the same
 * numbers. Labels name the assigned tensors, so both sources assign the same names.
 */
function samePlans(a: string, b: string, options: Partial<CompileOptions> = {}): void {
  for (const mode of ["forward", "reverse"] as const) {
    const opts = { order: 3, mode, ...options };
    const pa = compileOk(a, opts), pb = compileOk(b, opts);
    expect(printPlan(unplaced(pa.plan))).toBe(printPlan(unplaced(pb.plan)));
    expect(JSON.stringify(unplaced(pa.plan))).toBe(JSON.stringify(unplaced(pb.plan)));
    const inputs = randomInputs(pa.plan, 2, 11);
    const ra = pa.fn(inputs), rb = pb.fn(inputs);
    for (const name of Object.keys(ra)) {
      for (const key of ra[name]!.keys()) expect(Array.from(ra[name]!.packed(...key.split(",")).data)).toEqual(Array.from(rb[name]!.packed(...key.split(",")).data));
    }
  }
}

const irSize = (src: string, options: Partial<CompileOptions> = {}) => {
  const r = runPipeline(src, { order: 1, ...options });
  expect(r.diagnostics).toEqual([]);
  return r.state.ir!.builder.g.nodes.length;
};

describe("fn inlining", () => {
  it("the mlp written with a fn has the mlp's plan, in both modes", () => samePlans(MLP_FN, MLP));

  it("a fn inside a model that reads the model's params, and a fn calling a fn", () => {
    const written = `model m {
  batch B
  input x : [B, 3]
  param W : [3, 3]
  param c : [3]
  y = sigmoid(tanh(x @ W + c) @ W + c) * sin(x)
  output y
}`;
    const withFns = `fn act(v) = sigmoid(v)
model m {
  batch B
  input x : [B, 3]
  param W : [3, 3]
  param c : [3]
  fn layer(v) = v @ W + c
  fn block(v) = act(layer(tanh(layer(v))))
  y = block(x) * sin(x)
  output y
}`;
    samePlans(withFns, written, { wrt: ["x", "W"] });
  });

  it("constants, axes, strings and lists pass through parameters", () => {
    const written = `model m {
  input x : [2, 3]
  param Q : [3, 3]
  y = sum(x ** 3, axis=[0, 1]) + einsum("ij,jk->ik", x, Q) * mean(x, axis=1, keepdims=true) + reshape(reshape(x, [3, 2]), [2, 3])
  output y
}`;
    const withFns = `fn pw(x, k, ax) = sum(x ** k, axis=ax)
fn es(spec, a, b) = einsum(spec, a, b)
fn rowmean(v, keep) = mean(v, axis=1, keepdims=keep)
fn rs(v, shape) = reshape(v, shape)
model m {
  input x : [2, 3]
  param Q : [3, 3]
  y = pw(x, 2 + 1, [0, 2 - 1]) + es("ij,jk->ik", x, Q) * rowmean(x, true) + rs(rs(x, [3, 2]), shape=[2, 3])
  output y
}`;
    samePlans(withFns, written);
  });

  it("a list of tensors passes through a parameter, its tensors lowered in the caller", () => {
    const written = "model m { batch B input x : [B, 3] input y : [B, 3] z = concat([x * y, sin(x)], axis=1) * reshape(stack([x, y], 1), [B, 6]) output z }";
    const withFns = `fn cat(xs, ax) = concat(xs, axis=ax)
fn pair(u, v) = stack([u, v], 1)
model m { batch B input x : [B, 3] input y : [B, 3] z = cat([x * y, sin(x)], 1) * reshape(pair(x, y), [B, 6]) output z }`;
    samePlans(withFns, written);
  });

  it("a fn without parameters is a constant expression", () => {
    samePlans(`fn half() = 1 / 2\nmodel m { input x : [3] y = half() * x * x output y }`, "model m { input x : [3] y = 1 / 2 * x * x output y }");
  });

  it("a file-level fn serves every model of the file, with each model's shapes", () => {
    const src = `fn dense(x, W, b) = tanh(x @ W + b)
model small { input x : [2] param W : [2, 3] param b : [3] y = dense(x, W, b) output y }
model big { batch B input x : [B, 5] param W : [5, 4] param b : [4] y = dense(dense(x, W, b) @ transpose(W), W, b) output y }
`;
    samePlans(src, "model small { input x : [2] param W : [2, 3] param b : [3] y = tanh(x @ W + b) output y }", { model: "small" });
    samePlans(src, "model big { batch B input x : [B, 5] param W : [5, 4] param b : [4] y = tanh(tanh(x @ W + b) @ transpose(W) @ W + b) output y }", { model: "big" });
  });

  it("two calls with the same arguments share their nodes (no duplicated work)", () => {
    const once = irSize("model m { input x : [3] h = tanh(x * x + 1) y = h * h output y }");
    expect(irSize("fn f(v) = tanh(v * v + 1)\nmodel m { input x : [3] y = f(x) * f(x) output y }")).toBe(once);
  });

  it("a parameter that is not used still has its argument checked", () => {
    const r = runPipeline("fn first(a, b) = a\nmodel m { input x : [3] y = first(x, x @ x @ x) output y }", { order: 1 });
    expect(r.diagnostics.map((d) => d.code)).toEqual(["TH202"]);
  });
});
