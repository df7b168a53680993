/** Index tables are built on a model's first call, not when its module is imported (an order-10 module took most of a minute to load). */
import { describe, it, expect } from "vitest";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { runPipeline, typescriptTarget } from "../../compiler/index.js";
import { ROOT } from "../helpers/compile.js";

describe("index tables", () => {
  it("importing a module builds none; its first call builds each once, and later calls none", async () => {
    mkdirSync(join(ROOT, "test/.tmp"), { recursive: true });
    const dir = mkdtempSync(join(ROOT, "test/.tmp/tables-"));
    // the runtime, with a counting subIndexTable
    writeFileSync(join(dir, "runtime.js"), `export * from ${JSON.stringify(pathToFileURL(join(ROOT, "dist/runtime/index.js")).href)};
import { subIndexTable as real } from ${JSON.stringify(pathToFileURL(join(ROOT, "dist/runtime/index.js")).href)};
export const built = { count: 0 };
export function subIndexTable(...a) { built.count++; return real(...a); }
`);
    const r = runPipeline("model m {\n  input x : [3]\n  y = sum(tanh(x) * sin(x))\n  output y\n}\n", { order: 4, mode: "forward" });
    const plan = r.state.plan!;
    const sub = plan.tables.filter((t) => t.kind === "sub").length;
    expect(sub).toBeGreaterThan(5);
    writeFileSync(join(dir, "m.js"), typescriptTarget.module(plan, { flavor: "js", provenance: "m.thd", runtimeImport: "./runtime.js" }));
    const { built } = (await import(pathToFileURL(join(dir, "runtime.js")).href)) as { built: { count: number } };
    const { m } = (await import(pathToFileURL(join(dir, "m.js")).href)) as { m: (i: object) => { y: { packed(...k: string[]): { data: Float64Array } } } };
    expect(built.count).toBe(0);
    const first = m({ x: [0.1, 0.2, 0.3] }).y.packed("x", "x", "x", "x").data;
    expect(built.count).toBe(sub);
    expect(Array.from(m({ x: [0.1, 0.2, 0.3] }).y.packed("x", "x", "x", "x").data)).toEqual(Array.from(first));
    expect(built.count).toBe(sub);
  });
});
