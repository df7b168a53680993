/**
 * The emitted module, written to disk and imported, gives the same numbers as
 * the in-memory model that `thoadc eval` runs: as TypeScript importing
 * thoad/runtime, as JavaScript, and standalone (no imports at all); and with
 * threads = 2 exactly the numbers of one thread in each of these forms (here
 * through vitest's transforms) and compiled by tsc and run by plain node.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { randomInputs } from "../../compiler/tools/random-inputs.js";
import type { OutputResult } from "../../runtime/index.js";
import { compileOk, readRoot, ROOT, testEmitTarget } from "../helpers/compile.js";

/** The target under test (THOAD_TEST_TARGET, default ts). */
const emitTarget = testEmitTarget();

mkdirSync(ROOT + "test/.tmp", { recursive: true });
const dir = mkdtempSync(ROOT + "test/.tmp/emit-");

type Model = ((inputs: object, options?: { threads?: number }) => Record<string, OutputResult>) & { order: number; wrt: readonly string[]; inputs: Record<string, readonly number[]>; outputs: readonly string[] };

describe("emitted modules", () => {
  const { plan, fn } = compileOk(readRoot("examples/mlp.thd"), { order: 3 });
  const inputs = randomInputs(plan, 3, 11);
  const expected = fn(inputs);

  const variants = [
    { name: "ts importing thoad/runtime", file: "mlp_ts.ts", flavor: "ts", standalone: false },
    { name: "js importing thoad/runtime", file: "mlp_js.js", flavor: "js", standalone: false },
    { name: "ts standalone", file: "mlp_sa.ts", flavor: "ts", standalone: true },
    { name: "js standalone", file: "mlp_sajs.js", flavor: "js", standalone: true },
  ] as const;

  for (const v of variants) {
    it(v.name, async () => {
      const text = emitTarget.module(plan, { flavor: v.flavor, provenance: "mlp.thd", runtimeImport: "thoad/runtime", standalone: v.standalone });
      if (v.standalone) expect(text).not.toMatch(/^\s*import\s/m);
      else expect(text.match(/^import .*$/gm)).toEqual([`import * as $rt from "thoad/runtime";`, ...(v.flavor === "ts" ? [`import type { InputLike, RunOptions } from "thoad/runtime";`] : [])]);
      writeFileSync(`${dir}/${v.file}`, text);
      const mod = (await import(`${dir}/${v.file}`)) as { mlp: Model; closeWorkers?: () => Promise<number> };
      const m = mod.mlp;
      expect(m.order).toBe(3);
      expect(m.wrt).toEqual(["x"]);
      expect(Object.keys(m.inputs)).toEqual(["x", "W1", "b1", "W2", "b2", "W3", "b3"]);
      const got = m(inputs).y!;
      expect(Array.from(got.value.data)).toEqual(Array.from(expected.y!.value.data));
      for (const k of ["x", "x,x", "x,x,x"]) {
        const d = got.d(...k.split(","));
        expect(d.shape).toEqual([3, 4, ...Array(k.split(",").length).fill(8)]);
        expect(Array.from(d.data)).toEqual(Array.from(expected.y!.d(...k.split(",")).data));
      }
      expect(got.packed("x", "x", "x").shape).toEqual([3, 4, 120]);
      // threads: the workers rebuild the kernels from this module's (transformed) source text
      const many = randomInputs(plan, 100, 12);
      // the split happened: the call started a worker of the module's pool (its own when standalone)
      const close = v.standalone ? mod.closeWorkers! : (await import("thoad/runtime")).closeWorkers;
      await close();
      const one = m(many).y!, two = m(many, { threads: 2 }).y!;
      expect(await close()).toBeGreaterThan(0);
      expect(Array.from(two.value.data)).toEqual(Array.from(one.value.data));
      for (const k of ["x", "x,x", "x,x,x"]) expect(Array.from(two.packed(...k.split(",")).data)).toEqual(Array.from(one.packed(...k.split(",")).data));
      if (v.standalone) {
        expect(typeof mod.closeWorkers).toBe("function"); // a standalone module has its own pool
        await mod.closeWorkers!();
      }
    });
  }

  it("rejects a wrong input shape with a message naming the input and both shapes", () => {
    expect(() => fn({ ...inputs, W1: { shape: [8, 31], data: new Float64Array(248) } })).toThrow(/'W1' has shape \[8, 31\], expected \[8, 32\]/);
  });
});

describe("emitted TypeScript type-checks under strict in a user's project", () => {
  it("with the runtime import and standalone", async () => {
    const { spawnSync } = await import("node:child_process");
    const { plan } = compileOk(readRoot("examples/mlp.thd"), { order: 3 });
    const d = mkdtempSync(ROOT + "test/.tmp/tsc-");
    writeFileSync(`${d}/mlp.ts`, emitTarget.module(plan, { flavor: "ts", provenance: "mlp.thd", runtimeImport: "thoad/runtime" }));
    writeFileSync(`${d}/mlp_sa.ts`, emitTarget.module(plan, { flavor: "ts", provenance: "mlp.thd", runtimeImport: "thoad/runtime", standalone: true }));
    writeFileSync(`${d}/app.ts`, [
      'import { mlp } from "./mlp.js";',
      'import { mlp as mlp2 } from "./mlp_sa.js";',
      'import { Tensor } from "thoad/runtime";',
      "const z = (s: number[]) => Tensor.zeros(s);",
      "const inputs = { x: Tensor.from([[1, 2, 3, 4, 5, 6, 7, 8]]), W1: z([8, 32]), b1: z([32]), W2: z([32, 32]), b2: z([32]), W3: z([32, 4]), b3: z([4]) };",
      'const d3: Tensor = mlp(inputs).y.d("x", "x", "x");',
      'const p = mlp2(inputs).y.packed("x");',
      "export const shapes = [d3.shape, p.shape, mlp.order, mlp.wrt];",
      "",
    ].join("\n"));
    writeFileSync(`${d}/tsconfig.json`, JSON.stringify({ compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, skipLibCheck: true, types: [] }, include: ["*.ts"] }));
    const r = spawnSync(process.execPath, [ROOT + "node_modules/typescript/bin/tsc", "-p", `${d}/tsconfig.json`], { encoding: "utf8" });
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("compiled by tsc (down to ES2019) and run by node: threads = 2 gives one thread's numbers, and the process exits", { timeout: 60_000 }, async () => {
    const { spawnSync } = await import("node:child_process");
    const { plan } = compileOk(readRoot("examples/mlp.thd"), { order: 3 });
    const d = mkdtempSync(ROOT + "test/.tmp/tsc-run-");
    writeFileSync(`${d}/mlp.ts`, emitTarget.module(plan, { flavor: "ts", provenance: "mlp.thd", runtimeImport: "thoad/runtime" }));
    writeFileSync(`${d}/mlp_sa.ts`, emitTarget.module(plan, { flavor: "ts", provenance: "mlp.thd", runtimeImport: "thoad/runtime", standalone: true }));
    writeFileSync(`${d}/app.ts`, [
      'import { mlp } from "./mlp.js";',
      'import { mlp as mlpSa } from "./mlp_sa.js";',
      'import { Tensor } from "thoad/runtime";',
      "let seed = 7;",
      "const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;",
      "const t = (s: number[]) => new Tensor(s, Float64Array.from({ length: s.reduce((a, b) => a * b, 1) }, rand));",
      "const inputs = { x: t([100, 8]), W1: t([8, 32]), b1: t([32]), W2: t([32, 32]), b2: t([32]), W3: t([32, 4]), b3: t([4]) };",
      "let blocks = 0;",
      "// a split call starts its module's pool worker: one more OS thread in this process (Linux)",
      'declare const process: { getBuiltinModule(id: "node:fs"): { readFileSync(path: string, encoding: "utf8"): string } }; // no @types/node here',
      'const osThreads = () => Number(/Threads:\\s+(\\d+)/.exec(process.getBuiltinModule("node:fs").readFileSync("/proc/self/status", "utf8"))![1]);',
      "for (const m of [mlp, mlpSa]) {",
      "  const before = osThreads();",
      "  const one = m(inputs).y, two = m(inputs, { threads: 2 }).y;",
      '  if (osThreads() <= before) throw new Error("the batch was not split (no worker thread started)");',
      '  for (const k of ["x", "x,x", "x,x,x"]) {',
      '    const names = k.split(",") as "x"[]; // d() and packed() take the module\'s variable names',
      '    const a = one.packed(...names).data, b = two.packed(...names).data;',
      "    if (a.length !== b.length || a.some((v, i) => !Object.is(v, b[i]))) throw new Error(`block ${k} differs`);",
      "    blocks++;",
      "  }",
      "}",
      "console.log(`identical blocks: ${blocks}`); // no closeWorkers(): idle workers must not keep the process alive",
      "",
    ].join("\n"));
    writeFileSync(`${d}/tsconfig.json`, JSON.stringify({ compilerOptions: { target: "ES2019", module: "NodeNext", moduleResolution: "NodeNext", strict: true, outDir: "out", skipLibCheck: true, types: [] }, include: ["*.ts"] }));
    const c = spawnSync(process.execPath, [ROOT + "node_modules/typescript/bin/tsc", "-p", `${d}/tsconfig.json`], { encoding: "utf8" });
    expect(c.stdout + c.stderr).toBe("");
    const r = spawnSync(process.execPath, [`${d}/out/app.js`], { encoding: "utf8", timeout: 30_000 });
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe("identical blocks: 6");
    expect(r.status).toBe(0);
  });
});
