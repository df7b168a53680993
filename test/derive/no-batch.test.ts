/**
 * --no-batch, the ablation of batch unification: the batch axis fixed at N and
 * treated as data (full cross-batch derivatives over N*n variables, then their
 * diagonals). It shares the planners with the normal build but none of its
 * batch handling, so equal results on every key (1e-12 relative, per block)
 * check the rewrite, the diagonal tables and the normal build's batch
 * unification against each other; the cost model must show the full tensor's
 * growth with N.
 */
import { describe, expect, it } from "vitest";
import { planCost, runPipeline, type CompileOptions } from "../../compiler/index.js";
import { randomInputs } from "../../compiler/tools/random-inputs.js";
import { batchDiagonalTable, packedIndex } from "../../runtime/index.js";
import { compileOk, readRoot, relError } from "../helpers/compile.js";
import { CASES, model } from "./cases.js";

const TOL = 1e-12;

/** Compiles with and without --no-batch at N samples and compares every output and key, dense. */
function sameAsNormal(source: string, options: CompileOptions, N: number, range: [number, number] = [-1, 1]): void {
  const normal = compileOk(source, options);
  const ablated = compileOk(source, { ...options, noBatch: N, batchHint: N });
  expect(ablated.plan.staticBatch).toBe(N);
  expect(ablated.plan.mode).toBe(normal.plan.mode);
  expect(ablated.plan.inputs).toEqual(normal.plan.inputs);
  expect(ablated.plan.wrt).toEqual(normal.plan.wrt);
  const inputs = randomInputs(normal.plan, N, 3, range);
  const a = normal.fn(inputs), b = ablated.fn(inputs);
  expect(Object.keys(b)).toEqual(Object.keys(a));
  for (const [name, ra] of Object.entries(a)) {
    const rb = b[name]!;
    expect(rb.value.shape).toEqual(ra.value.shape);
    expect(relError(rb.value.data, ra.value.data)).toBeLessThan(TOL);
    expect(rb.keys()).toEqual(ra.keys());
    for (const key of ra.keys()) {
      const names = key.split(",");
      const da = ra.d(...names), db = rb.d(...names);
      expect(db.shape, `${name} d[${key}]`).toEqual(da.shape);
      expect(relError(db.data, da.data), `${name} d[${key}]`).toBeLessThan(TOL);
      expect(rb.packed(...names).shape, `${name} packed[${key}]`).toEqual(ra.packed(...names).shape);
    }
  }
}

describe("--no-batch gives the normal build's results", () => {
  const mlp = readRoot("examples/mlp.thd");
  for (const mode of ["forward", "reverse"] as const) {
    for (const order of [1, 2, 3]) {
      it(`mlp order ${order} (${mode}), wrt x`, () => sameAsNormal(mlp, { order, mode }, order === 3 ? 2 : 3));
      it(`mlp order ${order} (${mode}), mixed keys wrt x, b1, b3`, () => sameAsNormal(mlp, { order, mode, wrt: ["x", "b1", "b3"] }, 2));
    }
    it(`two outputs, one without the batch axis (${mode}, order 3, wrt W, x)`, () => {
      const src = "model m {\n  batch B\n  input x : [B, 3]\n  param W : [3, 3]\n  h = tanh(x @ W)\n  y = h * sin(x)\n  r = sum(W * W * W)\n  output y, r\n}\n";
      sameAsNormal(src, { order: 3, mode, wrt: ["W", "x"] }, 3);
    });
    it(`two heads, x and W1 (${mode}, order 3)`, () => sameAsNormal(readRoot("test/models/two_heads.thd"), { order: 3, mode, wrt: ["x", "W1"] }, 2));
    it(`--seed-output (${mode}, order 3, wrt x, b1)`, () => sameAsNormal(mlp, { order: 3, mode, wrt: ["x", "b1"], seedOutput: true }, 2));
    it(`--no-symmetry (${mode}, order 3)`, () => sameAsNormal(mlp, { order: 3, mode, noSymmetry: true }, 2));
    it(`N = 1 and N above the tile size (${mode}, order 2)`, () => {
      sameAsNormal(mlp, { order: 2, mode }, 1);
      sameAsNormal(mlp, { order: 1, mode }, 17);
    });
  }
  // every op model: gathers, masks, maxima, einsum diagonals over the fixed batch axis
  for (const [name, body, range] of CASES) {
    it(`op model: ${name} (order 2, both modes)`, () => {
      sameAsNormal(model(body), { order: 2, mode: "forward" }, 2, range);
      sameAsNormal(model(body), { order: 2, mode: "reverse", wrt: ["x", "Q"] }, 2, range);
    });
  }
});

describe("--no-batch plans the full cross-batch tensor", () => {
  const mlp = readRoot("examples/mlp.thd");
  it("the derivative blocks are over N*n variables and the diagonal steps read them through tables", () => {
    const { plan } = compileOk(mlp, { order: 2, mode: "forward", noBatch: 4, batchHint: 4 });
    // x d[x] is the identity over all 4*8 batched elements, symbolic (never multiplied): the block
    // of x @ W1 over the 32 variables is written directly (W1 on the diagonal sample blocks)
    expect(plan.steps.some((s) => s.kind === "seed")).toBe(false);
    expect(plan.buffers.find((b) => b.label === "%7 d[x]")).toMatchObject({ batched: false, size: 4 * 32 * 32 });
    expect(plan.tables.filter((t) => t.kind === "diagonal").map((t) => t.diagonal)).toEqual([{ batched: [1], samples: 4 }, { batched: [1], samples: 4 }]);
    // only the diagonal steps are batched
    const batched = plan.buffers.filter((b) => b.batched);
    expect(batched.map((b) => b.label)).toEqual(["y d[x] batch diagonal", "y d[x,x] batch diagonal"]);
  });

  for (const mode of ["forward", "reverse"] as const) {
    it(`flops and bytes grow like N^(k+1) at order k (${mode}); the normal build's like N`, () => {
      for (const k of [1, 2, 3]) {
        const cost = (o: CompileOptions, N: number) => planCost(runPipeline(mlp, { order: k, mode, batchHint: N, ...o }).state.plan!, N);
        // the normal build: affine in N (steps shared by all samples, e.g. d(x @ W1)/dx = W1^T, run once)
        const n4 = cost({}, 4), n8 = cost({}, 8), n12 = cost({}, 12);
        expect(n12.flops - n8.flops).toBe(n8.flops - n4.flops);
        expect(n12.peakBytes - n8.peakBytes).toBe(n8.peakBytes - n4.peakBytes);
        expect(n8.flops).toBeGreaterThan(n4.flops);
        expect(n8.peakBytes).toBeGreaterThan(n4.peakBytes);
        // N = 8 -> 16: the per-sample chain of order 1, contracted before the N*n variable axis
        // (contraction-order.ts), grows like N, and at N = 4 -> 8 it still weighed enough to hide
        // the N^2 work (0.73 of the growth; at 8 -> 16, 0.81)
        const a8 = cost({ noBatch: 8 }, 8), a16 = cost({ noBatch: 16 }, 16);
        const growth = 2 ** (k + 1);
        // forward: the symbolic seed and sink-linear remove part of the N^(k+1) work,
        // so lower-order terms weigh more (measured 0.81..0.93 of the growth)
        expect(a16.flops / a8.flops, `order ${k} flops`).toBeGreaterThan((mode === "forward" ? 0.8 : 0.9) * growth);
        expect(a16.flops / a8.flops, `order ${k} flops`).toBeLessThanOrEqual(growth);
        expect(a16.peakBytes / a8.peakBytes, `order ${k} bytes`).toBeGreaterThan(0.9 * growth);
        expect(a16.peakBytes / a8.peakBytes, `order ${k} bytes`).toBeLessThanOrEqual(growth);
        expect(a8.flops).toBeGreaterThan(n8.flops);
      }
    });
  }

  it("a call with another batch size throws, naming both", () => {
    const { fn, plan } = compileOk(mlp, { order: 1, noBatch: 4, batchHint: 4 });
    expect(() => fn(randomInputs(plan, 3, 1))).toThrow("mlp: compiled with --no-batch for batch size 4, called with batch size 3");
  });
});

describe("--no-batch refusals", () => {
  const errors = (src: string, o: CompileOptions) => runPipeline(src, o).diagnostics.map((d) => `${d.code} ${d.message}`);
  it("a model without a batch axis, or no batched input", () => {
    expect(errors("model m {\n  input x : [3]\n  y = sin(x)\n  output y\n}\n", { order: 1, noBatch: 2 })).toEqual(["TH304 --no-batch: model 'm' declares no batch axis, so there is no batch unification to ablate"]);
    expect(errors("model m {\n  batch B\n  input x : [3]\n  y = sin(x)\n  output y\n}\n", { order: 1, noBatch: 2 })).toEqual(["TH304 --no-batch: no input of model 'm' carries the batch axis 'B'"]);
  });
  it("a batch size that is not a positive integer", () => {
    expect(errors(readRoot("examples/mlp.thd"), { order: 1, noBatch: 0 })).toEqual(["TH304 --no-batch needs the batch size as a positive integer (--batch N), got 0"]);
  });
});

describe("runtime batchDiagonalTable", () => {
  it("moves every batched position into sample b, params as they are", () => {
    // key (x, x, W): x has 2 elements per sample over 3 samples, W 2 elements
    const ns = [2, 2], ms = [2, 1], N = 3;
    const t = batchDiagonalTable(ns, ms, [1, 0], N);
    // per-sample entries in storage order: (j1 <= j2) for x, then w
    const entries = [[0, 0, 0], [0, 0, 1], [0, 1, 0], [0, 1, 1], [1, 1, 0], [1, 1, 1]];
    expect(t.length).toBe(entries.length * N);
    entries.forEach(([j1, j2, w], p) => {
      for (let b = 0; b < N; b++) expect(t[p * N + b]).toBe(packedIndex([b * 2 + j1!, b * 2 + j2!, w!], [6, 2], ms));
    });
  });
});
