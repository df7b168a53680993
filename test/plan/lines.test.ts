/**
 * Every plan step names the model line it comes from (buffers carry their IR
 * node's line, the pipeline stamps the lines' text): explain ranks lines by
 * cost, and the emitted module keeps the labels as comments, its code the same.
 */
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { costByLine, planCost, printPlan, runPipeline, stepFn, stepLine, typescriptTarget, type Plan } from "../../compiler/index.js";
import { readRoot } from "../helpers/compile.js";

const MODELS = ["examples/mlp.thd", "examples/loss.thd", "examples/cnn.thd", ...readdirSync(new URL("../models/", import.meta.url)).filter((f) => f.endsWith(".thd")).map((f) => `test/models/${f}`)];

/** Both modes' plans of every model in a file. */
const plans = (src: string, order: number): Plan[] => [...src.matchAll(/^model (\w+)/gm)].flatMap((m) => {
  const r = runPipeline(src, { order, model: m[1]! });
  expect(r.diagnostics).toEqual([]);
  return [r.state.forward, r.state.reverse].filter((p): p is Plan => p !== undefined);
});

describe("model lines in plans", () => {
  it("every step of every model's plans, in both modes, names a line of the model", () => {
    let checked = 0;
    for (const m of MODELS) {
      const src = readRoot(m), text = src.split("\n");
      for (const plan of plans(src, 2)) {
        for (const s of plan.steps) {
          const l = stepLine(plan, s);
          expect(l, `${m} ${plan.mode}: a step without a line`).toBeDefined();
          expect(plan.lines!.get(l!)).toBe(text[l! - 1]!.trim());
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(2000);
  });

  it("cost by line adds up to the plan's flops, most first", () => {
    const [fwd] = plans(readRoot("examples/mlp.thd"), 3);
    const by = costByLine(fwd!, 4);
    expect(by.reduce((s, e) => s + e.flops, 0)).toBe(planCost(fwd!, 4).flops);
    expect(by.map((e) => e.line).sort()).toEqual([12, 13, 14]);
    expect(by.find((e) => e.line === 14)!.text).toBe("y  = h2 @ W3 + b3");
    for (let i = 1; i < by.length; i++) expect(by[i]!.flops).toBeLessThanOrEqual(by[i - 1]!.flops);
  });

  it("the module's comments carry the lines; its code is the code of a plan without them", () => {
    for (const [m, order] of [["examples/mlp.thd", 3], ["examples/loss.thd", 2]] as const) {
      for (const plan of plans(readRoot(m), order)) {
        const bare: Plan = { ...plan, buffers: plan.buffers.map(({ line: _, ...b }) => b), lines: new Map() };
        for (const flavor of ["ts", "js"] as const) {
          const emit = (p: Plan) => typescriptTarget.module(p, { flavor, provenance: m, runtimeImport: "thoad/runtime" });
          const withLines = emit(plan), without = emit(bare);
          expect(withLines).toMatch(/\/\/ \d+: .*  @\d+: \S/);
          expect(without).not.toMatch(/  @\d+: /);
          const code = (t: string) => t.split("\n").filter((l) => !/^\s*(\/\/|\/\*\*.*\*\/$)/.test(l)).join("\n");
          expect(code(withLines)).toBe(code(without));
        }
      }
    }
    const [fwd] = plans(readRoot("examples/mlp.thd"), 2);
    expect(typescriptTarget.module(fwd!, { flavor: "js", provenance: "mlp.thd", runtimeImport: "thoad/runtime" })).toContain("  @12: h1 = tanh(x @ W1 + b1)");
  });

  it("a step of an inlined fn body names the model line of the call, then the fn and its body line", () => {
    const src = [
      "fn act(u) = tanh(u) * u", // 1
      "", // 2
      "fn layer(v, W) = act(v @ W)", // 3
      "model m {", // 4
      "  batch B",
      "  input x : [B, 3]",
      "  param W : [3, 3]",
      "  h = layer(x, W)", // 8
      "  y = sum(act(h) + h, axis=1)", // 9
      "  output y",
      "}",
    ].join("\n");
    for (const plan of plans(src, 2)) {
      const origins = new Set(plan.steps.map((s) => { const f = stepFn(plan, s); return `${stepLine(plan, s)}${f ? ` ${f.name}:${f.line}` : ""}`; }));
      // layer's matmul and act's tanh at line 8 (act called inside layer), act's at line 9; the sum itself on line 9
      expect(origins, plan.mode).toEqual(new Set(["8 layer:3", "8 act:1", "9 act:1", "9"]));
      expect(costByLine(plan).map((e) => e.line).sort()).toEqual([8, 9]);
      expect(printPlan(plan)).toMatch(/ {3}@8 \(fn layer, line 3\)\n/);
      const js = typescriptTarget.module(plan, { flavor: "js", provenance: "m.thd", runtimeImport: "thoad/runtime" });
      expect(js).toContain("  @8 (fn act, line 1): h = layer(x, W)");
      expect(js).toContain("  @9 (fn act, line 1): y = sum(act(h) + h, axis=1)");
    }
  });
});
