/**
 * Names in emitted modules: model names the module cannot export are TH118
 * (one catalogue, codegen/reserved.ts); inputs and outputs named __proto__
 * survive; file names and model lines in comments cannot end a comment.
 */
import { describe, it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { runPipeline, typescriptTarget, type CompileOptions } from "../../compiler/index.js";
import { inlinedRuntime } from "../../compiler/codegen/standalone.js";
import { MODULE_NAMES } from "../../compiler/codegen/reserved.js";
import { ROOT } from "../helpers/compile.js";

mkdirSync(join(ROOT, "test/.tmp"), { recursive: true });
const dir = mkdtempSync(join(ROOT, "test/.tmp/names-"));
const model = (name: string, body = "input x : [3]\n  y = sin(x)\n  output y") => `model ${name} {\n  ${body}\n}\n`;
const emit = (source: string, options: Partial<CompileOptions>, flavor: "ts" | "js", provenance = "m.thd", standalone = false) => {
  const r = runPipeline(source, { order: 1, ...options });
  expect(r.diagnostics).toEqual([]);
  const emitOpts = { flavor, provenance, runtimeImport: "thoad/runtime", standalone };
  return { module: typescriptTarget.module(r.state.plan!, emitOpts), dts: typescriptTarget.declarations(r.state.plan!, emitOpts) };
};

describe("model names a module cannot export (TH118)", () => {
  it.each(["default", "class", "new", "yield", "let", "await", "eval", "Tensor", "OutputResult", "closeWorkers", "startWorkers", "threadStats", "InputLike", "RunOptions", "Output", "_output"])("model %s is refused at its name", (name) => {
    const r = runPipeline(model(name), { order: 1 });
    expect(r.diagnostics.map((d) => `${d.code} ${d.span?.line}:${d.span?.column}`)).toEqual(["TH118 1:7"]);
    expect(r.diagnostics[0]!.message).toMatch(new RegExp(`^model '${name}' cannot be exported: .*; rename the model$`));
  });

  it("--model picks a refused one the same way", () => {
    const r = runPipeline(model("ok") + model("default"), { order: 1, model: "default" });
    expect(r.diagnostics.map((d) => d.code)).toEqual(["TH118"]);
  });

  it("the catalogue holds every runtime name a generated <Name>Inputs or <Name>Result type could meet", () => {
    const names = [...inlinedRuntime("ts", true).matchAll(/^(?:export\s+)?(?:declare\s+)?(?:async\s+)?(?:const|let|function|class|interface|type|abstract class)\s+([A-Za-z_$][\w$]*)/gm)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThan(30);
    expect(names.filter((n) => /^[A-Z]\w*(Inputs|Result)$/.test(n) && !MODULE_NAMES.has(n))).toEqual([]);
  });

  it("names next to the reserved ones compile, and their modules and .d.ts type-check (standalone too)", { timeout: 120_000 }, () => {
    const d = mkdtempSync(join(dir, "tsc-"));
    const near = ["Default", "tensor", "outputs", "Outputs", "output_", "yield_", "closeworkers", "Result"];
    near.forEach((name, k) => {
      const a = emit(model(name), {}, "ts", "m.thd", k % 2 === 1);
      writeFileSync(join(d, `m${k}.ts`), a.module);
      const b = emit(model(name), {}, "js", "m.thd", k % 2 === 0);
      writeFileSync(join(d, `j${k}.js`), b.module);
      writeFileSync(join(d, `j${k}.d.ts`), b.dts);
      writeFileSync(join(d, `use${k}.ts`), `import { ${name} } from "./j${k}.js";\nexport const order: number = ${name}.order;\n`);
    });
    writeFileSync(join(d, "tsconfig.json"), JSON.stringify({ compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, skipLibCheck: false, types: [] }, include: ["*.ts"] }));
    const r = spawnSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", join(d, "tsconfig.json")], { encoding: "utf8" });
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});

describe("inputs and outputs named __proto__", () => {
  it("reach the module and come back as own entries of the result (a literal \"__proto__\" key set the prototype instead)", async () => {
    const { module } = emit(model("m", "input __proto__ : [3]\n  constructor = __proto__ * 2\n  toString = sin(__proto__)\n  output __proto__, constructor, toString"), {}, "js");
    const file = join(dir, "proto.js");
    writeFileSync(file, module);
    const { m } = (await import(pathToFileURL(file).href)) as { m: (inputs: object) => Record<string, { value: { data: Float64Array } }> };
    const inputs = Object.create(null) as Record<string, unknown>;
    inputs["__proto__"] = [0.5, 1, 2];
    const r = m(inputs);
    expect(Object.keys(r).sort()).toEqual(["__proto__", "constructor", "toString"]);
    expect(Object.getPrototypeOf(r)).toBe(Object.prototype);
    expect(Array.from(r["__proto__"]!.value.data)).toEqual([0.5, 1, 2]);
    expect(Array.from(r["constructor"]!.value.data)).toEqual([1, 2, 4]);
  });
});

describe("comments cannot be ended by a file name or a model line", () => {
  it.each([
    ["a file name with a newline", model("m"), "evil\nexport const pwned = 1;\n.thd (--order 1)"],
    ["a file name with U+2028 and a carriage return", model("m"), "a\u2028b\rc.thd"],
    ["a CR-only model file (each line ends in \\r only)", model("m").replace(/\n/g, "\r") + "# note\r", "m.thd"],
    ["a model line whose comment holds U+2029", model("m", "input x : [3]\n  y = sin(x)  # see \u2029 here\n  output y"), "m.thd"],
  ])("%s: the module parses and runs", async (_, source, provenance) => {
    const { module, dts } = emit(source, {}, "js", provenance);
    expect(module).toContain("@3: y = sin(x)"); // the model line, as the lexer counts lines
    expect(module.split(/\r\n|\r|\n|\u2028|\u2029/)[0]).toMatch(/^\/\/ Generated by thoadc .* Do not edit: regenerate\.$/);
    expect(dts.split(/\r\n|\r|\n|\u2028|\u2029/)[0]).toMatch(/^\/\/ Generated by thoadc .* Do not edit: regenerate\.$/);
    const file = join(mkdtempSync(join(dir, "c-")), "m.js");
    writeFileSync(file, module);
    const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    expect(Object.keys(mod)).toEqual(["m"]);
    const r = (mod["m"] as (i: object) => { y: { value: { data: Float64Array } } })({ x: [0, 1, 2] });
    expect(Array.from(r.y.value.data)).toEqual([0, Math.sin(1), Math.sin(2)]);
  });
});
