/**
 * The emitted module, written to disk and imported, gives the same numbers as
 * the in-memory model that `thoadc eval` runs: as TypeScript importing
 * thoad/runtime, as JavaScript, and standalone (no imports at all).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { typescriptTarget } from "../../compiler/index.js";
import { randomInputs } from "../../compiler/tools/random-inputs.js";
import type { OutputResult } from "../../runtime/index.js";
import { compileOk, readRoot, ROOT } from "../helpers/compile.js";

mkdirSync(ROOT + "test/.tmp", { recursive: true });
const dir = mkdtempSync(ROOT + "test/.tmp/emit-");

type Model = ((inputs: object) => Record<string, OutputResult>) & { order: number; wrt: readonly string[]; inputs: Record<string, readonly number[]>; outputs: readonly string[] };

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
      const text = typescriptTarget.module(plan, { flavor: v.flavor, provenance: "mlp.thd", runtimeImport: "thoad/runtime", standalone: v.standalone });
      if (v.standalone) expect(text).not.toMatch(/^\s*import\s/m);
      else expect(text.match(/^import .*$/gm)).toEqual([expect.stringContaining('from "thoad/runtime"')]);
      writeFileSync(`${dir}/${v.file}`, text);
      const mod = (await import(`${dir}/${v.file}`)) as { mlp: Model };
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
    writeFileSync(`${d}/mlp.ts`, typescriptTarget.module(plan, { flavor: "ts", provenance: "mlp.thd", runtimeImport: "thoad/runtime" }));
    writeFileSync(`${d}/mlp_sa.ts`, typescriptTarget.module(plan, { flavor: "ts", provenance: "mlp.thd", runtimeImport: "thoad/runtime", standalone: true }));
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
});
