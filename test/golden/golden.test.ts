/**
 * Golden folders: test/golden/<case>/ holds model.thd and options.json; the
 * printed plans of both modes (plan-forward.txt, plan-reverse.txt), the mode
 * choice (choice.txt) and the emitted kernel of the chosen mode (kernel.ts)
 * are compared byte for byte. `npm run test:update` rewrites them; review the diff like code.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { printPlan, runPipeline, TARGETS, type TargetName } from "../../compiler/index.js";
import { wasmModuleOf } from "../../compiler/codegen/wasm-target.js";
import { ROOT } from "../helpers/compile.js";

const DIR = ROOT + "test/golden/";
const update = process.env.THOAD_UPDATE_GOLDEN === "1";
const cases = readdirSync(DIR, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

function check(path: string, text: string): void {
  if (update) { writeFileSync(path, text); return; }
  expect(existsSync(path), `${path} is missing: run npm run test:update`).toBe(true);
  expect(text).toBe(readFileSync(path, "utf8"));
}

describe("golden plans and kernels", () => {
  it("has cases", () => expect(cases.length).toBeGreaterThanOrEqual(6));
  for (const c of cases) {
    it(c, () => {
      const source = readFileSync(`${DIR}${c}/model.thd`, "utf8");
      const opts = JSON.parse(readFileSync(`${DIR}${c}/options.json`, "utf8")) as { order: number; wrt?: string[]; model?: string; target?: TargetName };
      const r = runPipeline(source, { target: "ts", ...opts }); // ts unless the case names a target: the goldens pin the ts kernels
      expect(r.diagnostics).toEqual([]);
      const st = r.state;
      check(`${DIR}${c}/plan-forward.txt`, printPlan(st.forward!) + "\n");
      check(`${DIR}${c}/plan-reverse.txt`, printPlan(st.reverse!) + "\n");
      check(`${DIR}${c}/choice.txt`, st.choice!.explanation + "\n");
      const emit = (plan: typeof st.plan) => TARGETS[opts.target ?? "ts"].module(plan!, { flavor: "ts", provenance: `test/golden/${c}/model.thd`, runtimeImport: "thoad/runtime" });
      const kernel = emit(st.plan);
      check(`${DIR}${c}/kernel.ts`, kernel);
      // determinism: a second compile gives the same bytes
      expect(emit(runPipeline(source, { target: "ts", ...opts }).state.plan)).toBe(kernel);
      // the wasm target's kernels as WebAssembly text (the module embeds their bytes)
      if (opts.target === "wasm") check(`${DIR}${c}/kernels.wat`, wasmModuleOf(st.plan!)!.toText());
    });
  }
});
