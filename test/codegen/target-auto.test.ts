/**
 * The default target, "auto" (compiler/codegen/choose-target.ts, wasm-cost.ts):
 * the decision rule on plans whose answer does not hang on the constants (no
 * step wasm would run: ts; a plan that is almost all layer products: wasm), the
 * margin, forced targets and modes, explain (text and JSON), the compile
 * header, and instantiate's "auto". Not timed: docs/targets.md checks the
 * choice against measurements.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AUTO_MARGIN, chooseTarget, instantiate, runPipeline, TARGETS } from "../../compiler/index.js";
import { targetEstimate, TS_RATES, WASM_RATES } from "../../compiler/codegen/wasm-cost.js";
import { planCost } from "../../compiler/plan/cost.js";
import { randomInputs } from "../../compiler/tools/random-inputs.js";
import { readRoot, relError } from "../helpers/compile.js";
import { thoadc, useCli, workdir } from "../helpers/cli.js";

const mlp = readRoot("bench/models/mlp.thd");
const trig = readRoot("bench/models/trig.thd");
/** At order 0 only maps without a vector version: nothing the wasm target runs in wasm. */
const maps = "model e {\n  batch B\n  input x : [B]\n  y = sinh(x) * cosh(x)\n  output y\n}\n"; // no exp, tanh, sin, cos or log: no elementwise step in wasm

describe("--target auto", () => {
  it("is the default; a plan with no step in wasm gets ts, with the reason", () => {
    const r = runPipeline(maps, { order: 0 });
    expect(r.ok).toBe(true);
    const t = r.state.targetChoice!;
    expect([t.target, t.forced, r.state.target!.name]).toEqual(["ts", false, "ts"]);
    expect(t.estimates.every((e) => e.wasmSteps + e.tableSteps + e.mapSteps === 0 && e.wasmFlops === 0 && e.ts === e.wasm)).toBe(true);
    expect(t.explanation).toMatch(/chosen: ts.*\(--target auto: no step runs in wasm\)/);
  });

  it("a plan of layer products gets wasm, with both estimates, the wasm share of the flops and the margin", () => {
    const r = runPipeline(mlp, { order: 1, batchHint: 128 });
    const t = r.state.targetChoice!;
    expect([t.target, r.state.target!.name]).toEqual(["wasm", "wasm"]);
    const e = t.estimates.find((x) => x.mode === r.state.plan!.mode)!;
    expect(e.wasmFlops / e.flops).toBeGreaterThan(0.8);
    expect(e.ts / e.wasm).toBeGreaterThan(AUTO_MARGIN);
    expect(t.explanation).toMatch(/^target estimates at B=128:$/m);
    expect(t.explanation).toMatch(/wasm +[\d.]+ ms \(5 GEMM steps, 9\d% of the flops/);
    expect(t.explanation).toMatch(new RegExp(`chosen: wasm.*ts / wasm estimated \\d+\\.\\d\\d; wasm when above ${AUTO_MARGIN}`));
  });

  it("picks wasm exactly when ts / wasm is above the margin (each mode's plan, both batch sizes)", () => {
    for (const order of [1, 2, 3, 4]) for (const B of [16, 1024]) {
      const r = runPipeline(mlp, { order, batchHint: B, mode: "forward" });
      const plan = r.state.plan!;
      const e = targetEstimate(plan, B, "forward", TARGETS.ts, planCost(plan, B, TARGETS.ts).peakBytes);
      expect(r.state.targetChoice!.target, `order ${order} B=${B}`).toBe(e.ts / e.wasm > AUTO_MARGIN ? "wasm" : "ts");
      // the parts add up; the steps both targets run alike cost the same on both
      expect(e.wasm).toBeCloseTo(e.sharedSeconds + e.gemmSeconds + e.tableSeconds + e.mapSeconds + e.stagingSeconds, 12);
      expect(e.ts).toBeCloseTo(e.sharedSeconds + e.tableTsSeconds + e.mapTsSeconds + e.wasmFlops * TS_RATES.gemmFlop, 12);
      expect(e.mapSteps).toBe(2); // tanh of both layers
    }
  });

  it("costs a GEMM step by its calls and shape: more calls or edge columns cost more (f32 per flop less)", () => {
    const one = (dtype: "f64" | "f32", B: number) => {
      const plan = runPipeline(mlp, { order: 1, batchHint: B, mode: "forward", target: "ts", dtype }).state.plan!;
      return targetEstimate(plan, B, "forward", TARGETS.ts, 0).gemmSeconds;
    };
    expect(one("f64", 1024)).toBeGreaterThan(one("f64", 128));
    expect(one("f32", 1024)).toBeLessThan(one("f64", 1024));
    expect(WASM_RATES.f32.flop).toBeLessThan(WASM_RATES.f64.flop);
  });

  it("--target ts and --target wasm force; a forced mode restricts the pairs to its plan", () => {
    for (const target of ["ts", "wasm"] as const) {
      const r = runPipeline(trig, { order: 2, target });
      expect([r.state.target!.name, r.state.targetChoice!.forced]).toEqual([target, true]);
      expect(r.state.targetChoice!.explanation).toMatch(new RegExp(`chosen: ${target}.*forced by --target ${target}`));
    }
    const f = runPipeline(mlp, { order: 2, mode: "reverse" });
    expect(f.state.targetChoice!.estimates.map((e) => e.mode)).toEqual(["reverse"]);
    expect(f.state.plan!.mode).toBe("reverse");
    // --target ts keeps the mode choice's mode
    const t = runPipeline(mlp, { order: 2, target: "ts" });
    expect(t.state.plan!.mode).toBe(t.state.choice!.mode);
    expect(t.state.choice!.explanation).not.toMatch(/but on the/);
  });

  it("chooses the (mode, target) pair: wasm takes its cheaper mode", () => {
    const r = runPipeline(mlp, { order: 2 });
    const { forward, reverse } = r.state;
    const c = chooseTarget([forward!, reverse!], "reverse", "auto", 128, TARGETS.ts);
    const best = c.estimates.reduce((a, e) => (e.wasm < a.wasm ? e : a));
    const ts = c.estimates.find((e) => e.mode === "reverse")!;
    expect(c.mode).toBe(c.target === "wasm" ? best.mode : "reverse");
    expect(c.target).toBe(ts.ts / best.wasm > AUTO_MARGIN ? "wasm" : "ts");
  });

  it("instantiate() resolves auto like the pipeline and computes what ts computes", () => {
    const r = runPipeline(mlp, { order: 2 });
    const plan = r.state.plan!;
    expect(r.state.targetChoice!.target).toBe("wasm");
    const inputs = randomInputs(plan, 20, 3);
    const a = instantiate(plan)(inputs).y!, b = instantiate(plan, "ts")(inputs).y!;
    expect(relError(a.value.data, b.value.data)).toBeLessThan(1e-12);
    for (const names of [["x"], ["x", "x"]]) expect(relError(a.packed(...names).data, b.packed(...names).data), names.join(",")).toBeLessThan(1e-12);
    // it is the wasm module: its function body compiles the kernels
    expect(TARGETS.wasm.module(plan, { flavor: "function", provenance: "memory", runtimeImport: "" })).toMatch(/new WebAssembly\.Module/);
  });
});

describe("thoadc and --target auto", () => {
  useCli();
  it("explain says which target the default picked and why (text and --json); the header names it", () => {
    const dir = workdir({ "m.thd": mlp, "t.thd": maps });
    const e = thoadc(dir, "explain", "m.thd", "--order", "1", "--batch", "128");
    expect(e.status).toBe(0);
    expect(e.stdout).toMatch(/^target: wasm \(/m);
    expect(e.stdout).toMatch(/^target estimates at B=128:\n {2}forward ts +\d/m);
    expect(e.stdout).toMatch(/^chosen: wasm.*--target auto: ts \/ wasm estimated/m);
    const j = JSON.parse(thoadc(dir, "explain", "m.thd", "--order", "1", "--batch", "128", "--json").stdout);
    expect([j.target, j.targetChoice.chosen, j.targetChoice.forced, j.targetChoice.margin]).toEqual(["wasm", "wasm", false, AUTO_MARGIN]);
    const fw = j.targetChoice.estimates.find((x: { mode: string }) => x.mode === "forward");
    expect(fw.tsMs / fw.wasmMs).toBeGreaterThan(AUTO_MARGIN);
    expect(fw.wasmFlopShare).toBeGreaterThan(0.8);
    const t = thoadc(dir, "explain", "t.thd", "--order", "0");
    expect(t.stdout).toMatch(/^chosen: ts(, forward mode)? \(--target auto: no step runs in wasm\)$/m);
    expect(thoadc(dir, "m.thd", "--order", "1", "-o", "m.ts").status).toBe(0);
    const head = readFileSync(join(dir, "m.ts"), "utf8").split("\n")[0]!;
    expect(head).toMatch(/\(--order 1 --wrt x; target wasm chosen by the cost model; model sha256 [0-9a-f]{12}\)/);
    expect(readFileSync(join(dir, "m.ts"), "utf8")).toMatch(/await WebAssembly\.compile/);
    expect(thoadc(dir, "m.thd", "--order", "1", "--target", "auto", "-o", "a.ts").status).toBe(0);
    expect(readFileSync(join(dir, "a.ts"), "utf8").split("\n").slice(1)).toEqual(readFileSync(join(dir, "m.ts"), "utf8").split("\n").slice(1));
  });
});
