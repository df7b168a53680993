/**
 * The wasm target's unrolled steps through index tables
 * (compiler/codegen/wasm-table-step.ts): which steps qualify, that the
 * unrolled body writes every output element of a loop iteration exactly once,
 * outer products and scalings unrolled along their innermost output index,
 * reverse mode's elementwise products (a term's own output names renamed),
 * and that large kernels encode. Their numbers against the ts target's are in
 * wasm-target.test.ts (MLP orders 3 and 4, f64 and f32, PINN order 4, softmax).
 */
import { describe, expect, it } from "vitest";
import { isTableRef, type ContractStep, type Plan } from "../../compiler/plan/plan.js";
import { describeStep, matchStep, wasmSteps } from "../../compiler/codegen/wasm-steps.js";
import { matchTableStep } from "../../compiler/codegen/wasm-table-step.js";
import { ModuleBuilder } from "../../compiler/wasm/index.js";
import { makeWasmTarget, wasmModuleOf } from "../../compiler/codegen/wasm-target.js";
import { instantiate, type ModelFn } from "../../compiler/index.js";
import { randomInputs } from "../../compiler/tools/random-inputs.js";
import * as runtime from "../../runtime/index.js";
import { compileOk, readRoot, relError } from "../helpers/compile.js";

const tableSteps = (plan: Plan): [number, ContractStep][] =>
  plan.steps.flatMap((s, i) => (s.kind === "contract" && s.terms.some((t) => t.factors.some((f) => f.idx.some((r) => r !== null && typeof r === "object" && isTableRef(r)))) ? [[i, s] as [number, ContractStep]] : []));

describe("index-table steps in wasm", () => {
  it("MLP order 3, forward: every step through index tables runs unrolled in wasm, among them the Faa di Bruno product of order 3", () => {
    const { plan } = compileOk(readRoot("bench/models/mlp.thd"), { order: 3, mode: "forward" });
    const steps = tableSteps(plan);
    expect(steps.length).toBeGreaterThanOrEqual(4);
    const W = wasmSteps(plan);
    for (const [i, s] of steps) {
      expect("gemm" in matchStep(s)).toBe(false);
      expect(W.get(i)?.table, describeStep(s, plan)).toBeDefined();
      expect(describeStep(s, plan)).toMatch(/^wasm unrolled \(\d+ output elements a loop iteration/);
      expect(describeStep(s)).toMatch(/^js \(/); // without the plan (its tables), the GEMM matcher's reason
    }
    // the order-3 block of h2: 120 packed entries per (b, i1)
    expect(steps.some(([, s]) => { const t = matchTableStep(s, plan); return typeof t !== "string" && t.body.length === 120 && t.loops.length === 2; })).toBe(true);
  });

  for (const order of [3, 4]) {
    it(`MLP order ${order}: each unrolled body writes the output elements of one loop iteration once each`, () => {
      const { plan } = compileOk(readRoot("bench/models/mlp.thd"), { order, mode: "forward" });
      for (const [, s] of tableSteps(plan)) {
        const t = matchTableStep(s, plan);
        if (typeof t === "string") throw new Error(t);
        const offs = t.body.map((e) => e.off).sort((a, b) => a - b);
        const perIter = plan.buffers[s.out]!.size / t.loops.filter((l) => !l.extent.batch).reduce((p, l) => p * l.extent.c, 1);
        expect(offs.length).toBe(perIter);
        expect(new Set(offs).size).toBe(offs.length);
        // the innermost loop steps past the iteration's elements: no element is written by two iterations
        const inner = t.loops[t.loops.length - 1];
        if (inner) expect(inner.out).toBeGreaterThan(Math.max(...offs) - Math.min(...offs) - 1);
      }
    });
  }

  it("an outer product or a scaling is unrolled along its innermost output index", () => {
    const { plan } = compileOk(readRoot("bench/models/mlp.thd"), { order: 2, mode: "forward" });
    const scalings = plan.steps.filter((s): s is ContractStep => s.kind === "contract" && !tableSteps(plan).some(([, t]) => t === s) && !("gemm" in matchStep(s)) && s.terms.every((t) => t.factors.length >= 2));
    expect(scalings.length).toBeGreaterThanOrEqual(3);
    for (const s of scalings) {
      const t = matchTableStep(s, plan);
      if (typeof t === "string") throw new Error(t);
      const inner = s.outIdx[s.outIdx.length - 1]!;
      expect(t.body.length).toBe(s.sizes[inner]);
      expect(describeStep(s, plan)).toMatch(/^wasm unrolled/);
    }
  });

  it("a bias add (a sum of single reads) is unrolled along its innermost output index; a lone read (a transpose) is not", () => {
    const { plan } = compileOk(readRoot("bench/models/mlp.thd"), { order: 2, mode: "forward" });
    const biases = plan.steps.filter((s): s is ContractStep => s.kind === "contract" && s.terms.length === 2 && s.terms.every((t) => t.factors.length === 1));
    expect(biases.length).toBe(3); // one per layer
    for (const s of biases) {
      const t = matchTableStep(s, plan);
      if (typeof t === "string") throw new Error(t);
      expect(t.body.length).toBe(s.sizes[s.outIdx[s.outIdx.length - 1]!]);
      expect(t.body.every((e) => e.sum.length === 2 && e.sum.every((pr) => pr.outer.length === 1 && pr.coef === 1))).toBe(true);
      expect(describeStep(s, plan)).toMatch(/^wasm unrolled \(\d+ output elements a loop iteration in B loops\)$/);
    }
    const transpose = plan.steps.find((s): s is ContractStep => s.kind === "contract" && s.terms.length === 1 && s.terms[0]!.factors.length === 1)!;
    expect(matchTableStep(transpose, plan)).toBe("no index table");
  });

  it("reverse mode: a term writing the output through its own names (an elementwise product) is renamed and unrolled; a sum of such products and single reads too; the numbers are the ts target's", () => {
    const { plan } = compileOk(readRoot("bench/models/trig.thd"), { order: 1, mode: "reverse" });
    const renamed = plan.steps.filter((s): s is ContractStep => s.kind === "contract" && s.terms.some((t) => t.out)
      // products (not the seed, a copy or a broadcast), every output axis named (not a sum into one position)
      && (s.terms.length >= 2 || s.terms[0]!.factors.length >= 2) && s.terms.every((t) => t.factors.length >= 1 && (t.out ?? []).every((r) => typeof r === "string")));
    expect(renamed.length).toBeGreaterThanOrEqual(6);
    for (const s of renamed) {
      const t = matchTableStep(s, plan);
      if (typeof t === "string") throw new Error(`${describeStep(s, plan)}: ${t}`);
      // every output element of an iteration once, each a sum over the step's terms
      const offs = t.body.map((e) => e.off);
      expect(new Set(offs).size).toBe(offs.length);
      expect(t.body.every((e) => e.sum.length === s.terms.length)).toBe(true);
    }
    expect(renamed.some((s) => s.terms.length === 2 && s.terms.some((t) => t.factors.length === 1))).toBe(true); // the mixed sum
    const ts = instantiate(plan, "ts"), wasm = instantiate(plan, "wasm");
    for (const B of [1, 5, 300]) {
      const inputs = randomInputs(plan, B, B);
      const a = ts(inputs).s!, b = wasm(inputs).s!;
      expect(relError(b.value.data, a.value.data), `B=${B}`).toBeLessThan(1e-14);
      expect(relError(b.packed("x").data, a.packed("x").data), `B=${B} d[x]`).toBeLessThan(1e-14);
    }
    // a diagonal written through a repeated name is not a renaming
    const s0 = renamed[0]!, t0 = s0.terms.find((t) => t.out)!;
    const rep = t0.out!.map((r, j) => (j === t0.out!.length - 1 ? t0.out![j - 1]! : r));
    expect(matchTableStep({ ...s0, terms: [{ ...t0, out: rep }] }, plan)).toMatch(/^a term writes the output through its own indices/);
  });

  it("says why not: no table, a step whose output is read, an index table with run-time contents", () => {
    const { plan } = compileOk(readRoot("bench/models/mlp.thd"), { order: 2, mode: "forward" });
    // a layer product sums over k (a GEMM)
    const product = plan.steps.find((s): s is ContractStep => s.kind === "contract" && "gemm" in matchStep(s))!;
    expect(matchTableStep(product, plan)).toBe("no index table");
    const [, s] = tableSteps(plan)[0]!;
    expect(matchTableStep({ ...s, terms: [{ ...s.terms[0]!, factors: [...s.terms[0]!.factors, { buf: s.out, idx: s.outIdx }] }] }, plan)).toBe("the output is also read");
    const rankPlan = { ...plan, tables: plan.tables.map((t) => ({ ...t, kind: "rank" as const })) };
    expect(matchTableStep(s, rankPlan)).toMatch(/^index table T\d+ is not static$/);
  });
});

describe("bodies of several chunks", () => {
  const funcs = (plan: Plan) => {
    const text = wasmModuleOf(plan)!.toText();
    return { all: (text.match(/^\s*\(func /gm) ?? []).length, exported: (text.match(/^\s*\(func \$\w+ \(export /gm) ?? []).length };
  };
  it("MLP order 4: the large bodies' chunks are functions of their own, called by the step's driver; order 2 has none", () => {
    const o4 = funcs(compileOk(readRoot("bench/models/mlp.thd"), { order: 4, mode: "forward" }).plan);
    // order 4's 330-element body of h2 alone has over ten chunks of 1024 loads
    expect(o4.all - o4.exported).toBeGreaterThanOrEqual(10);
    const o2 = funcs(compileOk(readRoot("bench/models/mlp.thd"), { order: 2, mode: "forward" }).plan);
    expect(o2.all).toBe(o2.exported);
  });
});

/** The wasm target with every unrolled table step's lanes choice forced (or as chosen). */
function withLanes(plan: Plan, lanes: boolean | undefined): ModelFn {
  const steps = (p: Plan) => new Map([...wasmSteps(p)].map(([i, w]) => [i, w.table && lanes !== undefined ? { ...w, table: { ...w.table, lanes } } : w]));
  return new Function("rt", makeWasmTarget(steps).module(plan, { flavor: "function", provenance: "memory", runtimeImport: "" }))(runtime) as ModelFn;
}

describe("two loop iterations in the lanes (wasm-table-lanes.ts)", () => {
  it("chosen for Faa di Bruno's products, not for outer products along p", () => {
    const { plan } = compileOk(readRoot("bench/models/mlp.thd"), { order: 3, mode: "forward" });
    const chosen = tableSteps(plan).map(([, s]) => matchTableStep(s, plan)).filter((t) => typeof t !== "string");
    // the order-3 block of h2 (120 entries through tables) takes the lanes; h1's derivative, tanh' times W1 along p, pairs p and p+1
    expect(chosen.find((t) => t.body.length === 120 && t.loops.length === 2)!.lanes).toBe(true);
    const outer = plan.steps.map((s) => (s.kind === "contract" ? matchTableStep(s, plan) : "")).filter((t) => typeof t !== "string" && t.body.length === 8 && t.body[0]!.sum.length === 1 && t.body[0]!.sum[0]!.inner.every((x) => !x.length));
    expect(outer.length).toBeGreaterThan(0);
    for (const t of outer) expect(typeof t !== "string" && t.lanes).toBe(false);
    // f32 too (the pairing is scalar there): its order-3 block takes the lanes
    expect([...wasmSteps(compileOk(readRoot("bench/models/mlp.thd"), { order: 3, mode: "forward", dtype: "f32" }).plan).values()].some((w) => w.table?.lanes && w.table.body.length === 120)).toBe(true);
  });

  // every table step forced into the lanes, forced out, and as chosen: the same numbers bit for bit, each lane
  // doing the pair emission's operations in its order; odd B runs the remainder iteration of a batch loop
  for (const [file, order, dtype] of [["bench/models/pinn.thd", 4, "f64"], ["bench/models/mlp.thd", 3, "f64"], ["bench/models/softmax_classifier.thd", 3, "f64"], ["examples/cnn.thd", 2, "f64"], ["bench/models/pinn.thd", 4, "f32"], ["bench/models/mlp.thd", 3, "f32"]] as const) {
    it(`${file} order ${order}, ${dtype}: forced on, forced off and as chosen give identical numbers (B = 7)`, () => {
      const { plan } = compileOk(readRoot(file), { order, mode: "forward", dtype });
      expect([...wasmSteps(plan).values()].some((w) => w.table)).toBe(true);
      const inputs = randomInputs(plan, 7, 11);
      const [on, off, chosen] = [true, false, undefined].map((l) => withLanes(plan, l)(inputs, { threads: 1 }));
      for (const o of Object.keys(off!)) for (const k of ["", ...off![o]!.keys()]) {
        const get = (r: typeof on) => Array.from(k ? r![o]!.packed(...k.split(",")).data : r![o]!.value.data);
        expect(get(on), `${o} d[${k}]`).toEqual(get(off));
        expect(get(chosen), `${o} d[${k}]`).toEqual(get(off));
      }
    });
  }
});

describe("large kernels", () => {
  it("a function body of over a million bytes encodes (no argument spread) and validates", () => {
    const mod = new ModuleBuilder().importMemory(1);
    mod.addFunction({ params: ["i32"], results: [] }, (f) => {
      for (let j = 0; j < 100000; j++) f.get(f.params[0]!).get(f.params[0]!).mem("f64.load", { offset: 8 * (j % 1000) }).mem("f64.store", { offset: 8 * (j % 997) });
    }, "big");
    const bytes = mod.encode();
    expect(bytes.length).toBeGreaterThan(1_000_000);
    expect(WebAssembly.validate(bytes as BufferSource)).toBe(true);
  });
});
