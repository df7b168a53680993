/**
 * laplacian(y, x) and hessian_diag(y, x) (compiler/ir/forward-laplacian.ts), checked
 * against things they share no code with: the trace and diagonal of thoad's own dense
 * order-2 derivative (the Taylor and the reverse planner, --order 2), second central
 * differences of the model's value, and, differentiated again with respect to weights,
 * forward against reverse mode and central differences of the structured value.
 * PyTorch fixtures are in test/oracle (structured_*).
 */
import { describe, expect, it } from "vitest";
import { runPipeline, type CompileOptions } from "../../compiler/index.js";
import { randomInputs } from "../../compiler/tools/random-inputs.js";
import { Tensor } from "../../runtime/index.js";
import { compileOk, plansAgree, readRoot, relError } from "../helpers/compile.js";

/** A model over x : [B, 3], t : [B, 2] (inputs) and W : [3, 3], p : [3] (params). */
const model = (body: string, out = "u"): string => `model m {
  batch B
  input x : [B, 3]
  input t : [B, 2]
  param W : [3, 3]
  param p : [3]
  ${body}
  output ${out}
}`;

/** name, body defining u (any shape per sample), input range. */
const CASES: [string, string, [number, number]?][] = [
  ["product", "u = x * x * t[:, 0:1] + sum(x * p, axis=1, keepdims=true)"],
  ["einsum and matmul", "u = reshape(einsum(\"bi,bj,ij->b\", x, x, W), [B, 1]) + (x @ W) * x"],
  ["tanh mlp", "u = tanh(tanh(x @ W + p) @ W) @ p * t[:, 0] ** 2"],
  ["elementwise", "u = exp(x) * sin(2 * x) + log(1 + x * x) + sigmoid(x) ** 3"],
  ["shapes", "u = reshape(transpose(reshape(x, [B, 3, 1]) * reshape(x @ W, [B, 1, 3]), [0, 2, 1]), [B, 9])[:, 2:7]"],
  ["where and max", "u = where(x > 0.1, x * x * x, sin(x)) + max(x * p, axis=1, keepdims=true) + softmax(x * t[:, 1:2], axis=-1)"],
  ["scalar output", "u = sum(cos(x @ W) * x, axis=1) * exp(t[:, 1] * t[:, 0])"],
  ["does not use t", "u = x @ W"],
  ["relu", "u = relu(x @ W) * x"],
];

function dense(source: string, at: string, mode: "forward" | "reverse", inputs: Record<string, Tensor>): Tensor {
  const { fn } = compileOk(source, { order: 2, wrt: [at], mode });
  const r = fn(inputs);
  return r.u!.d(at, at);
}

/** trace (laplacian) or diagonal over the last two groups of n entries: [B, ...y, n, n] -> [B, ...y] or [B, ...y, n]. */
function reduceHessian(H: Tensor, n: number, kind: "laplacian" | "hessian-diag"): number[] {
  const outer = H.data.length / (n * n), out: number[] = [];
  for (let o = 0; o < outer; o++) {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const v = H.data[o * n * n + i * n + i]!;
      if (kind === "laplacian") s += v;
      else out.push(v);
    }
    if (kind === "laplacian") out.push(s);
  }
  return out;
}

function structured(source: string, kind: string, at: string, inputs: Record<string, Tensor>, extra: Partial<CompileOptions> = {}): Tensor {
  const { fn } = compileOk(source, { order: 0, want: { kind, at }, ...extra });
  return fn(inputs).u!.value;
}

describe("laplacian and hessian_diag match the trace and diagonal of the dense order-2 derivative", () => {
  for (const [name, body, range] of CASES) {
    // t only where u depends on it (else zeros with a warning, below)
    for (const at of body.includes("t[") ? ["x", "t"] : ["x"]) {
      it(`${name}, x = ${at}`, () => {
        const src = model(body);
        const inputs = randomInputs(compileOk(src, { order: 0 }).plan, 3, 7, range ?? [-1, 1]);
        const n = at === "x" ? 3 : 2;
        for (const mode of ["forward", "reverse"] as const) {
          const H = dense(src, at, mode, inputs);
          for (const kind of ["laplacian", "hessian-diag"] as const) {
            const got = structured(src, kind, at, inputs);
            const ys = H.shape.slice(0, H.shape.length - 2);
            expect(got.shape).toEqual(kind === "laplacian" ? ys : [...ys, n]);
            expect(relError(got.data, reduceHessian(H, n, kind)), `${kind} vs ${mode}`).toBeLessThan(1e-12);
          }
        }
      });
    }
  }
});

describe("a matrix-shaped x and no batch axis", () => {
  const src = `model mx {
  batch B
  input X : [B, 2, 3]
  param W : [3, 2]
  u = tanh(X @ W) * X[:, :, 0:2] + exp(sum(X * X, axis=2, keepdims=true))
  output u
}`;
  const nobatch = `model nb {
  input a : [4]
  param W : [4, 4]
  u = sigmoid(a @ W) * a ** 3
  output u
}`;
  for (const [source, at, n] of [[src, "X", 6], [nobatch, "a", 4]] as const) {
    it(`${at}: layout [B]? ++ shape(y)\\B ++ shape(x)\\B, values of the dense Hessian, both modes`, () => {
      const inputs = randomInputs(compileOk(source, { order: 0 }).plan, 2, 9);
      for (const mode of ["forward", "reverse"] as const) {
        const { fn } = compileOk(source, { order: 2, wrt: [at], mode });
        const H = fn(inputs).u!.d(at, at);
        const xs = at === "X" ? [2, 3] : [4];
        const ys = H.shape.slice(0, H.shape.length - 2 * xs.length);
        const lap = structured(source, "laplacian", at, inputs), diag = structured(source, "hessian-diag", at, inputs);
        expect(lap.shape).toEqual(ys);
        expect(diag.shape).toEqual([...ys, ...xs]);
        expect(relError(lap.data, reduceHessian(H, n, "laplacian"))).toBeLessThan(1e-12);
        expect(relError(diag.data, reduceHessian(H, n, "hessian-diag"))).toBeLessThan(1e-12);
      }
    });
  }
});

describe("nested: the Laplacian of a Laplacian (in a fn) is the bi-Laplacian of the dense order-4 derivative", () => {
  const src = `fn lap(u, v) = laplacian(u, v)
model bi {
  batch B
  input x : [B, 3]
  param W : [3, 3]
  u = lap(sum(tanh(x @ W) * sin(x), axis=1), x)
  output u
}`;
  it("sum_ij d4 y / dx_i^2 dx_j^2, both modes", () => {
    const inputs = randomInputs(compileOk(src, { order: 0 }).plan, 2, 13);
    const got = structured(src, "laplacian", "x", inputs);
    for (const mode of ["forward", "reverse"] as const) {
      const plain = src.replace("u = lap(", "u = (").replace(", x)\n  output", ")\n  output");
      const H4 = compileOk(plain, { order: 4, wrt: ["x"], mode }).fn(inputs).u!.d("x", "x", "x", "x"); // [B, 3, 3, 3, 3]
      const want = [0, 1].map((b) => { let s = 0; for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) s += H4.data[b * 81 + i * 27 + i * 9 + j * 3 + j]!; return s; });
      expect(got.shape).toEqual([2]);
      expect(relError(got.data, want), mode).toBeLessThan(1e-11);
    }
  });
});

describe("the Laplacian matches second central differences of the value", () => {
  it("tanh mlp and elementwise", () => {
    for (const body of [CASES[2]![1], CASES[3]![1]]) {
      const src = model(body);
      const { plan, fn } = compileOk(src, { order: 0 });
      const inputs = randomInputs(plan, 2, 3);
      const lap = structured(src, "laplacian", "x", inputs);
      const h = 1e-4, x = inputs.x!;
      const f = (dx: number, i: number) => { const d = Float64Array.from(x.data); for (let b = 0; b < 2; b++) d[b * 3 + i]! += dx; return fn({ ...inputs, x: new Tensor(x.shape, d) }).u!.value.data; };
      const f0 = fn(inputs).u!.value.data;
      const fd = Array.from(f0, () => 0);
      for (let i = 0; i < 3; i++) { const a = f(h, i), b = f(-h, i); for (let j = 0; j < fd.length; j++) fd[j]! += (a[j]! - 2 * f0[j]! + b[j]!) / (h * h); }
      expect(relError(lap.data, fd)).toBeLessThan(1e-5);
    }
  });
});

describe("laplacian inside a model, differentiated again with respect to weights", () => {
  // a Laplacian residual loss (Poisson: lap u = f), per sample: test/models/structured.thd
  const src = readRoot("test/models/structured.thd");
  const model = "poisson";
  it("forward and reverse mode agree at order 2 over W1, b1", () => {
    const fwd = compileOk(src, { model, order: 2, wrt: ["W1", "b1"], mode: "forward" });
    const rev = compileOk(src, { model, order: 2, wrt: ["W1", "b1"], mode: "reverse" });
    const inputs = randomInputs(fwd.plan, 3, 11);
    const a = fwd.fn(inputs).loss!, b = rev.fn(inputs).loss!;
    for (const key of a.keys()) expect(relError(b.packed(...key.split(",")).data, a.packed(...key.split(",")).data), key).toBeLessThan(1e-10);
  });
  it("the ablations plan the same numbers: --no-batch, --no-symmetry", () => {
    const base = compileOk(src, { model, order: 2, wrt: ["W1", "b1"] }).plan;
    plansAgree(base, compileOk(src, { model, order: 2, wrt: ["W1", "b1"], noBatch: 3 }).plan, 3, 4, 1e-10);
    for (const mode of ["forward", "reverse"] as const) plansAgree(base, compileOk(src, { model, order: 2, wrt: ["W1", "b1"], noSymmetry: true, mode }).plan, 3, 4, 1e-10);
  });
  it("the gradient matches central differences of the loss in W1", () => {
    const g = compileOk(src, { model, order: 1, wrt: ["W1"] });
    const v = compileOk(src, { model, order: 0 });
    const inputs = randomInputs(g.plan, 2, 5);
    const grad = g.fn(inputs).loss!.d("W1"); // [B, 3, 5]
    const h = 1e-6, W = inputs.W1!;
    for (let k = 0; k < 15; k++) {
      const at = (dx: number) => { const d = Float64Array.from(W.data); d[k]! += dx; return v.fn({ ...inputs, W1: new Tensor(W.shape, d) }).loss!.value.data; };
      const a = at(h), b = at(-h);
      for (let s = 0; s < 2; s++) expect(Math.abs(grad.data[s * 15 + k]! - (a[s]! - b[s]!) / (2 * h))).toBeLessThan(1e-6 * Math.max(1, Math.abs(grad.data[s * 15 + k]!)));
    }
  });
});

describe("misuse is a coded diagnostic", () => {
  const codes = (src: string, options: CompileOptions) => runPipeline(src, options).diagnostics.map((d) => `${d.code} ${d.severity}${d.span ? ` ${d.span.line}:${d.span.column}` : ""}`);
  it("x not an input", () => expect(codes(model("u = laplacian(x * x, x[:, 0])"), { order: 0 })).toEqual(["TH120 error 7:7"]));
  it("wrong arity", () => expect(codes(model("u = hessian_diag(x * x)"), { order: 0 })[0]).toMatch(/^TH104 error/));
  it("y that does not depend on x: zeros with a warning", () => {
    const r = runPipeline(model("u = laplacian(t * t, x)"), { order: 0 });
    expect(r.ok).toBe(true);
    expect(r.state.ir!.builder.diagnostics.map((d) => `${d.code} ${d.severity}`)).toEqual(["TH123 warning"]);
  });
  it("--want: unknown kind, ambiguous x, unknown --at", () => {
    expect(codes(model("u = x * t[:, 0:1]"), { order: 0, want: { kind: "curl" } })).toEqual(["TH120 error"]);
    expect(codes(model("u = x * t[:, 0:1]"), { order: 0, want: { kind: "laplacian" } })).toEqual(["TH120 error"]);
    expect(codes(model("u = x * t[:, 0:1]"), { order: 0, want: { kind: "laplacian", at: "nope" } })).toEqual(["TH120 error"]);
  });
});
