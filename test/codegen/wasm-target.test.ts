/**
 * The wasm target (compiler/codegen/wasm-*.ts): which steps become GEMMs
 * (matcher on hand-made steps and on the bench models), that its modules give
 * the ts target's numbers (f64, f32, forward and reverse, worker threads), that
 * they are deterministic and valid WebAssembly, and the CLI's --target wasm.
 * The oracle, mode-agreement, finite-difference and op suites run on this
 * target too (.ci/run, THOAD_TEST_TARGET=wasm).
 */
import { describe, expect, it } from "vitest";
import { instantiate, runPipeline, stepFlops, TARGETS, type CompileOptions } from "../../compiler/index.js";
import type { ContractStep } from "../../compiler/plan/plan.js";
import { matchStep } from "../../compiler/codegen/wasm-steps.js";
import { stepText as stepTextOf } from "../../compiler/plan/print.js";
import { wasmModuleOf } from "../../compiler/codegen/wasm-target.js";
import { randomInputs } from "../../compiler/tools/random-inputs.js";
import { compileOk, readRoot, relError } from "../helpers/compile.js";
import { thoadc, useCli, workdir } from "../helpers/cli.js";

/** A contraction step from terms written as [coef, [buf, idx][]] (idx: one letter per axis), out [0, idx]. */
function step(out: string, sizes: Record<string, number | "B">, ...terms: [number, [number, string | (string | object)[]][]][]): ContractStep {
  const idx = (s: string | (string | object)[]) => (typeof s === "string" ? [...s] : s) as ContractStep["outIdx"];
  return { kind: "contract", out: 0, outIdx: idx(out), sizes, terms: terms.map(([coef, fs]) => ({ coef, factors: fs.map(([buf, i]) => ({ buf, idx: idx(i) as never })) })) };
}

describe("matcher", () => {
  it("a layer product x[b,k] W[k,n] is one GEMM over the tile's samples", () => {
    const r = matchStep(step("bn", { b: "B", k: 8, n: 32 }, [1, [[1, "bk"], [2, "kn"]]]));
    expect(r).toEqual({ gemm: { scale: 1, terms: [{ a: 1, b: 2, transA: false, m: { c: 1, batch: true }, n: { c: 32, batch: false }, k: { c: 8, batch: false }, lda: 8, ldb: 32, ldc: 32, loops: [] }] } });
  });

  it("a Jacobian product J[b,k,p] W[k,n] -> [b,n,p] is W^T J per sample (transA, a loop over b)", () => {
    const r = matchStep(step("bnp", { b: "B", k: 32, n: 16, p: 8 }, [1, [[1, "bkp"], [2, "kn"]]]));
    if (!("gemm" in r)) throw new Error(r.reason);
    const t = r.gemm.terms[0]!;
    expect([t.a, t.b, t.transA, t.m.c, t.n.c, t.k.c, t.lda, t.ldb, t.ldc]).toEqual([2, 1, true, 16, 8, 32, 16, 8, 8]);
    expect(t.loops).toEqual([{ extent: { c: 1, batch: true }, out: 128, a: 0, b: 256 }]);
  });

  it("adjacent indices of one role merge: [b,o] of t[b,o,k] and out[b,o,p] is one M of 4B rows", () => {
    const r = matchStep(step("bop", { b: "B", o: 4, k: 32, p: 36 }, [1, [[1, "bok"], [2, "kp"]]]));
    if (!("gemm" in r)) throw new Error(r.reason);
    expect(r.gemm.terms[0]!.m).toEqual({ c: 4, batch: true });
    expect(r.gemm.terms[0]!.loops).toEqual([]);
  });

  it("a third factor reading output indices only scales the GEMM's output: t[l,o,k] = A[l,n] B[n,o,k] s[l,k]", () => {
    const r = matchStep(step("lok", { l: "B", o: 4, k: 32, n: 32 }, [1, [[1, "ln"], [2, "nok"], [3, "lk"]]]));
    if (!("gemm" in r)) throw new Error(r.reason);
    const t = r.gemm.terms[0]!;
    expect([t.a, t.b, t.m, t.n.c, t.k.c]).toEqual([1, 2, { c: 1, batch: true }, 128, 32]);
    expect(t.scaleBy).toEqual({ buf: 3, axes: [{ extent: { c: 1, batch: true }, out: 128, f: 32 }, { extent: { c: 4, batch: false }, out: 32, f: 0 }, { extent: { c: 32, batch: false }, out: 1, f: 1 }] });
  });

  it("C += A B^T (N strided in B) packs B into a k x n block first", () => {
    const r = matchStep(step("bj", { b: "B", j: 16, k: 32 }, [1, [[1, "bk"], [2, "jk"]]]));
    if (!("gemm" in r)) throw new Error(r.reason);
    const t = r.gemm.terms[0]!;
    expect([t.a, t.b, t.transA, t.m, t.n.c, t.k.c, t.ldb, t.packB]).toEqual([1, 2, false, { c: 1, batch: true }, 16, 32, 16, { k: 1, n: 32 }]);
  });

  it("terms with one coefficient are GEMMs into one output, then scaled", () => {
    const r = matchStep(step("bn", { b: "B", k: 8, j: 4, n: 32 }, [-2, [[1, "bk"], [2, "kn"]]], [-2, [[3, "bj"], [4, "jn"]]]));
    expect("gemm" in r && [r.gemm.terms.length, r.gemm.scale]).toEqual([2, -2]);
  });

  it("the rest stays JavaScript, with the reason", () => {
    const why = (s: ContractStep) => { const r = matchStep(s); return "reason" in r ? r.reason : "gemm"; };
    expect(why(step("ij", { i: 4, j: 70000, k: 2 }, [1, [[1, "ik"], [2, "jk"]]]))).toBe("no factor order puts the output's innermost index at unit stride in a factor");
    expect(why(step("bn", { b: "B", k: 8, n: 32 }, [1, [[1, "bk"], [2, "kn"], [3, "bk"]]]))).toBe("3 factors, none of them a scaling of the output");
    expect(why(step("bn", { b: "B", k: 8, n: 32, j: 4 }, [1, [[1, "bk"], [2, "kn"], [3, "bn"]]], [1, [[1, "bj"], [2, "jn"]]]))).toBe("term 1: 3 factors in a step of several terms");
    expect(why(step("bn", { b: "B", k: 8, n: 32 }, [1, [[1, "bk"], [2, "kn"], [3, "b"], [4, "n"]]]))).toBe("4 factors, not 2");
    expect(why(step("bnp", { b: "B", n: 32, p: 8 }, [1, [[1, "bn"], [2, "np"]]]))).toMatch(/no summed index/);
    expect(why(step("bn", { b: "B", k: 8, n: 32 }, [1, [[1, ["b", { table: 0, row: "k", member: "0" }]], [2, "kn"]]]))).toMatch(/index table/);
    expect(why(step("bn", { b: "B", k: 8, n: 32 }, [1, [[1, "bk"], [2, "kn"]]], [2, [[1, "bk"], [2, "kn"]]]))).toBe("terms with different coefficients");
    expect(why(step("in", { i: 2, k: 2, n: 2 }, [1, [[1, "ik"], [2, "kn"]]]))).toMatch(/too small/);
    // a derivative that cancels to zero is a step of no terms (it crashed the target choice)
    expect(why(step("bn", { b: "B", n: 4 }))).toBe("no terms (the step writes zeros)");
  });

  it("a model whose derivatives cancel to steps of no terms gives the ts target's zeros", () => {
    const { plan } = compileOk("model m {\n  input x : [3]\n  y = (x + 1) - x - 1\n  output y\n}\n", { order: 3 });
    const inputs = randomInputs(plan, 5, 3);
    expect(worst(instantiate(plan, "ts")(inputs), instantiate(plan, "wasm")(inputs))).toBeLessThan(1e-12);
  });
});

const models: [string, CompileOptions][] = [
  ["bench/models/mlp.thd", { order: 1 }],
  ["bench/models/mlp.thd", { order: 2 }],
  ["bench/models/mlp.thd", { order: 3 }],
  ["bench/models/pinn.thd", { order: 4 }],
  ["bench/models/softmax_classifier.thd", { order: 3 }],
];

describe("the bench models' GEMM steps run in wasm", () => {
  for (const [file, opts] of models) {
    it(`${file} order ${opts.order}: every layer product (of the value and of each derivative block) is a GEMM`, () => {
      const { plan } = compileOk(readRoot(file), opts);
      const layer = plan.steps.filter((s) => s.kind === "contract" && s.terms.length === 1 && /^t\d+\[em,en(,p)?\] = t\d+\[em,ek(,p)?\]\*t\d+\[ek,en\]$/.test(stepTextOf(plan, s)));
      expect(layer.length).toBeGreaterThanOrEqual(3);
      for (const s of layer) expect(matchStep(s), stepTextOf(plan, s)).toHaveProperty("gemm");
      // and they carry flops: more than a quarter of the plan's at B = 128
      const all = plan.steps.reduce((a, s) => a + stepFlops(plan, s, 128), 0);
      const wasm = plan.steps.filter((s) => "gemm" in matchStep(s)).reduce((a, s) => a + stepFlops(plan, s, 128), 0);
      expect(wasm / all).toBeGreaterThan(0.25);
    });
  }
});


/** Largest relative error over every output block of two models' results. */
function worst(a: ReturnType<ReturnType<typeof instantiate>>, b: ReturnType<ReturnType<typeof instantiate>>): number {
  let e = 0;
  for (const o of Object.keys(a)) {
    e = Math.max(e, relError(b[o]!.value.data, a[o]!.value.data));
    for (const k of a[o]!.keys()) e = Math.max(e, relError(b[o]!.packed(...k.split(",")).data, a[o]!.packed(...k.split(",")).data));
  }
  return e;
}

describe("wasm modules give the ts target's numbers", () => {
  const cases: [string, CompileOptions, number][] = [
    ...models.map(([f, o]) => [f, o, 1e-12] as [string, CompileOptions, number]),
    ["bench/models/mlp.thd", { order: 2, mode: "reverse" }, 1e-12],
    ["bench/models/mlp.thd", { order: 1, mode: "reverse" }, 1e-12], // A B^T steps (packed B)
    ["examples/cnn.thd", { order: 2 }, 1e-12],
    ["bench/models/mlp.thd", { order: 4 }, 1e-12], // unrolled index-table steps cut into chunks
    ["bench/models/mlp.thd", { order: 3, dtype: "f32" }, 1e-5],
    ["bench/models/softmax_classifier.thd", { order: 2, mode: "reverse", dtype: "f32" }, 1e-5],
  ];
  for (const [file, opts, tol] of cases) {
    it(`${file} ${JSON.stringify(opts)}: batch sizes 1, 5, 16, 37; threads 2 gives one thread's numbers`, () => {
      const { plan } = compileOk(readRoot(file), opts);
      const ts = instantiate(plan, "ts"), wasm = instantiate(plan, "wasm");
      for (const B of [1, 5, 16, 37]) {
        const inputs = randomInputs(plan, B, B);
        expect(worst(ts(inputs), wasm(inputs)), `B=${B}`).toBeLessThan(tol);
      }
      const many = randomInputs(plan, 96, 7);
      const one = wasm(many), two = wasm(many, { threads: 2 });
      expect(worst(one, two)).toBe(0);
      // a model called again with another batch size re-lays its memory out
      expect(worst(ts(randomInputs(plan, 3, 1)), wasm(randomInputs(plan, 3, 1)))).toBeLessThan(tol);
    });
  }
});

describe("the emitted module", () => {
  const source = readRoot("bench/models/mlp.thd");
  const emit = (flavor: "ts" | "js" | "function") => TARGETS.wasm.module(runPipeline(source, { order: 2 }).state.plan!, { flavor, provenance: "mlp.thd", runtimeImport: "thoad/runtime" });

  it("is deterministic, and embeds valid WebAssembly", () => {
    expect(emit("ts")).toBe(emit("ts"));
    const plan = runPipeline(source, { order: 2 }).state.plan!;
    const bytes = wasmModuleOf(plan)!.encode();
    expect(WebAssembly.validate(bytes as BufferSource)).toBe(true);
    expect(emit("js")).toContain(JSON.stringify(Buffer.from(bytes).toString("base64")));
  });

  it("ES modules compile the kernels asynchronously, the function flavor synchronously", () => {
    expect(emit("js")).toMatch(/^const \$wasm = await WebAssembly\.compile\(/m);
    expect(emit("function")).toMatch(/^const \$wasm = new WebAssembly\.Module\(/m);
  });

  it("a plan with no wasm step (no GEMM, no index table, no product of two factors) is the ts target's module", () => {
    const plan = runPipeline("model m {\n  batch B\n  input x : [B, 4]\n  y = sinh(x)\n  output y\n}\n", { order: 1 }).state.plan!;
    const opts = { flavor: "ts", provenance: "m.thd", runtimeImport: "thoad/runtime" } as const;
    expect(TARGETS.wasm.module(plan, opts)).toBe(TARGETS.ts.module(plan, opts));
  });
});

describe("thoadc --target wasm", () => {
  useCli();
  it("compiles, checks (finite differences) and explains (per step: a wasm GEMM or JS and why)", () => {
    const dir = workdir({ "m.thd": readRoot("bench/models/mlp.thd") });
    expect(thoadc(dir, "m.thd", "--order", "2", "--target", "wasm", "--emit", "js", "-o", "m.js").status).toBe(0);
    const e = thoadc(dir, "explain", "m.thd", "--order", "2", "--target", "wasm");
    expect(e.status).toBe(0);
    expect(e.stdout).toMatch(/^target: wasm /m);
    expect(e.stdout).toMatch(/^how the wasm target runs each step:$/m);
    expect(e.stdout).toMatch(/^ +\d+ +wasm GEMM \(m x n x k\) A B Bx32x8$/m);
    expect(e.stdout).toMatch(/^ +\d+ +wasm f64x2 elementwise \(the rule's expressions, tanh vectorised\)$/m); // tanh^(0..2)
    expect(e.stdout).toMatch(/^ +\d+ +js \(.+\)$/m); // the bias sums, with the reason
    const ck = thoadc(dir, "check", "m.thd", "--order", "2", "--target", "wasm");
    expect(ck.status, ck.stdout + ck.stderr).toBe(0);
  });
});
