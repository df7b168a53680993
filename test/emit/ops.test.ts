/**
 * Emitted modules of a model with gather tables and masks (examples/cnn.thd,
 * plus indexing, comparisons and max over an axis): written to disk and
 * imported, importing thoad/runtime or standalone, they give the numbers of
 * the in-memory model, in both modes; the TypeScript type-checks under strict.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { randomInputs } from "../../compiler/tools/random-inputs.js";
import type { OutputResult } from "../../runtime/index.js";
import { compileOk, readRoot, ROOT, testEmitTarget } from "../helpers/compile.js";

/** The target under test (THOAD_TEST_TARGET, default ts): the files and the in-memory model run the same kernels. */
const emitTarget = testEmitTarget();

mkdirSync(ROOT + "test/.tmp", { recursive: true });
const dir = mkdtempSync(ROOT + "test/.tmp/emit-ops-");

type Model = (inputs: object) => Record<string, OutputResult>;

const SRC = readRoot("examples/cnn.thd").replace("  output y\n", "  s = max(x[:, 0, 1:, ::-2] * (x[:, 0, 1:, ::-2] > 0), axis=[1, 2]) + min(p[:, :, 0, 0], axis=1)\n  output y, s\n");

describe.each(["forward", "reverse"] as const)("emitted modules with gathers and masks (%s mode)", (mode) => {
  const { plan, fn } = compileOk(SRC, { order: 2, mode });
  const inputs = randomInputs(plan, 2, 5);
  const expected = fn(inputs);
  const variants = [
    { file: `cnn_${mode}_ts.ts`, flavor: "ts", standalone: false },
    { file: `cnn_${mode}_sa.ts`, flavor: "ts", standalone: true },
    { file: `cnn_${mode}_sa.js`, flavor: "js", standalone: true },
  ] as const;
  for (const v of variants) {
    it(`${v.flavor}${v.standalone ? " standalone" : " importing thoad/runtime"}`, async () => {
      const text = emitTarget.module(plan, { flavor: v.flavor, provenance: "cnn.thd", runtimeImport: "thoad/runtime", standalone: v.standalone });
      expect(text).toContain("gatherTable(");
      writeFileSync(`${dir}/${v.file}`, text);
      const m = ((await import(`${dir}/${v.file}`)) as { cnn: Model }).cnn;
      const got = m(inputs);
      for (const o of ["y", "s"]) {
        expect(Array.from(got[o]!.value.data)).toEqual(Array.from(expected[o]!.value.data));
        for (const k of ["x", "x,x"]) expect(Array.from(got[o]!.d(...k.split(",")).data)).toEqual(Array.from(expected[o]!.d(...k.split(",")).data));
      }
    });
  }

  it("type-checks under strict", async () => {
    const { spawnSync } = await import("node:child_process");
    const d = mkdtempSync(ROOT + "test/.tmp/tsc-ops-");
    writeFileSync(`${d}/cnn.ts`, emitTarget.module(plan, { flavor: "ts", provenance: "cnn.thd", runtimeImport: "thoad/runtime" }));
    writeFileSync(`${d}/cnn_sa.ts`, emitTarget.module(plan, { flavor: "ts", provenance: "cnn.thd", runtimeImport: "thoad/runtime", standalone: true }));
    writeFileSync(`${d}/tsconfig.json`, JSON.stringify({ compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, skipLibCheck: true, types: [] }, include: ["*.ts"] }));
    const r = spawnSync(process.execPath, [ROOT + "node_modules/typescript/bin/tsc", "-p", `${d}/tsconfig.json`], { encoding: "utf8" });
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});
