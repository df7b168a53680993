/**
 * The codegen target interface (compiler/codegen/targets.ts, target.ts): the
 * registry and TH306, a target's schedule parameters reaching the emitted
 * loops and its layout the cost model, its cost factors the mode choice, and
 * the CLI's --target. The ts target's output is pinned by the goldens; the
 * default ("auto") is tested in target-auto.test.ts.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { batchProfile, instantiate, makeTypescriptTarget, planCost, runPipeline, TARGET_NAMES, TARGETS, typescriptTarget, type CostTarget, type ModelFn } from "../../compiler/index.js";
import { chooseMode } from "../../compiler/plan/choose-mode.js";
import { randomInputs } from "../../compiler/tools/random-inputs.js";
import { compileOk, readRoot, relError } from "../helpers/compile.js";
import { thoadc, useCli, workdir } from "../helpers/cli.js";

const mlp = readRoot("examples/mlp.thd");
const emitOpts = { flavor: "ts", provenance: "mlp.thd", runtimeImport: "thoad/runtime" } as const;

describe("target registry", () => {
  it("lists ts, which the pipeline emits with when asked", () => {
    expect(TARGET_NAMES).toContain("ts");
    expect(TARGETS.ts).toBe(typescriptTarget);
    const a = runPipeline(mlp, { order: 2, emit: emitOpts, target: "ts" });
    const b = runPipeline(mlp, { order: 2, emit: emitOpts, target: "ts" });
    expect(a.state.target?.name).toBe("ts");
    expect(b.state.code).toBe(a.state.code);
    expect(a.state.code).toBe(typescriptTarget.module(a.state.plan!, emitOpts));
  });

  it("an unknown target is TH306, before anything is planned", () => {
    const r = runPipeline(mlp, { order: 2, target: "cuda" as "ts" });
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map((d) => d.code)).toEqual(["TH306"]);
    expect(r.diagnostics[0]!.message).toBe("unknown codegen target 'cuda' (targets: ts, wasm, auto)");
    expect(r.state.forward).toBeUndefined();
  });
});

describe("a target's schedule parameters and layout", () => {
  const { plan } = compileOk(mlp, { order: 3, mode: "forward" });
  const small = makeTypescriptTarget({ tile: 5, unroll: 2 });

  it("reach the emitted loops (tile, register blocking) and the cost model (tile, slots)", () => {
    const text = small.module(plan, emitOpts), dflt = typescriptTarget.module(plan, emitOpts);
    expect(dflt).toMatch(/b0 \+= 16\)/);
    expect(dflt).toMatch(/ \+= 4\) \{/);
    expect(text).toMatch(/b0 \+= 5\)/);
    expect(text).toMatch(/ \+= 2\) \{/);
    expect(text).not.toMatch(/ \+= 4\) \{/);
    expect(batchProfile(plan, small).tile).toBe(5);
    expect(batchProfile(plan).tile).toBe(16);
    // slots hold one tile of samples: a smaller tile allocates less at B = 64
    expect(planCost(plan, 64, small).peakBytes).toBeLessThan(planCost(plan, 64).peakBytes);
    expect(planCost(plan, 64, small).flops).toBe(planCost(plan, 64).flops);
  });

  it("compute the same derivatives (another summation order: agreement to 1e-12)", async () => {
    const rt = await import("../../runtime/index.js");
    const B = 13; // a multiple of neither tile
    const inputs = randomInputs(plan, B, 7);
    const a = instantiate(plan, "ts")(inputs).y!;
    const b = (new Function("rt", small.module(plan, { flavor: "function", provenance: "memory", runtimeImport: "" }))(rt) as ModelFn)(inputs).y!;
    expect(relError(b.value.data, a.value.data)).toBeLessThan(1e-12);
    for (const names of [["x"], ["x", "x"], ["x", "x", "x"]]) {
      const want = a.packed(...names).data;
      expect(want.some((w) => w !== 0), names.join(",")).toBe(true);
      expect(relError(b.packed(...names).data, want), names.join(",")).toBeLessThan(1e-12);
    }
  });
});

describe("a target's cost factors", () => {
  it("weigh the modes: a target whose reverse nests are very slow picks forward, very fast picks reverse", () => {
    const r = runPipeline(mlp, { order: 2 });
    const { forward, reverse } = r.state;
    expect(forward && reverse).toBeTruthy();
    const withSlowdown = (reverseSlowdown: number): CostTarget => ({ ...typescriptTarget, costFactors: () => ({ ...typescriptTarget.costFactors(), reverseSlowdown }) });
    expect(chooseMode(forward, reverse, "auto", undefined, 128, undefined, withSlowdown(1e6)).mode).toBe("forward");
    expect(chooseMode(forward, reverse, "auto", undefined, 128, undefined, withSlowdown(1e-6)).mode).toBe("reverse");
    // the default target gives the pipeline's choice
    expect(chooseMode(forward, reverse, "auto").explanation).toBe(r.state.choice!.explanation);
  });
});

describe("thoadc --target", () => {
  useCli();
  it("ts is accepted and writes the ts module; an unknown target is TH306, exit 1, no file", () => {
    const dir = workdir({ "m.thd": mlp });
    expect(thoadc(dir, "m.thd", "--target", "ts", "-o", "b.ts").status).toBe(0);
    const b = readFileSync(join(dir, "b.ts"), "utf8");
    expect(b.split("\n")[0]).toMatch(/\(--order 2 --target ts --wrt x; target ts; model sha256 [0-9a-f]{12}\)/);
    expect(b.split("\n").slice(1).join("\n")).toBe(typescriptTarget.module(runPipeline(mlp, { order: 2, target: "ts" }).state.plan!, emitOpts).split("\n").slice(1).join("\n"));
    const bad = thoadc(dir, "m.thd", "--target", "cuda", "-o", "c.ts");
    expect([bad.status, bad.stderr.trim()]).toEqual([1, "m.thd: error TH306: unknown codegen target 'cuda' (targets: ts, wasm, auto)\n1 error"]);
    expect(existsSync(join(dir, "c.ts"))).toBe(false);
  });

  it("explain says which target", () => {
    const dir = workdir({ "m.thd": mlp });
    const r = thoadc(dir, "explain", "m.thd", "--order", "1", "--target", "ts");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^target: ts \(TypeScript\/JavaScript loop nests/m);
    const j = thoadc(dir, "explain", "m.thd", "--order", "1", "--json", "--target", "ts");
    expect(JSON.parse(j.stdout).target).toBe("ts");
  });
});
