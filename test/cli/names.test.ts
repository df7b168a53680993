/** thoadc with hostile names: __proto__ inputs and outputs in eval, reserved model names (TH118), an imported file named like one. */
import { describe, it, expect } from "vitest";
import { copyFileSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, thoadc, useCli, workdir } from "../helpers/cli.js";

useCli();
const T = 60_000;

describe("names", { timeout: T }, () => {
  it("eval keeps an input and an output named __proto__ (it printed \"outputs\":{} and exit 0)", () => {
    const dir = workdir({ "m.thd": "model m {\n  input __proto__ : [2]\n  y = __proto__ * 3\n  output __proto__, y\n}\n", "in.json": `{"__proto__": [1, 2]}` });
    const r = thoadc(dir, "eval", "m.thd", "--order", "1", "--inputs", "in.json");
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out.outputs).sort()).toEqual(["__proto__", "y"]);
    expect(out.outputs["__proto__"].value.data).toEqual([1, 2]);
    expect(out.outputs.y.value.data).toEqual([3, 6]);
    expect(out.outputs.y.derivatives["__proto__"].data).toEqual([3, 0, 0, 3]);
  });

  it("a batched input named constructor missing from the inputs file is TH302 (Object.prototype's constructor was read as its tensor)", () => {
    const dir = workdir({ "m.thd": "model m {\n  batch B\n  input constructor : [B, 2]\n  y = constructor * 2\n  output y\n}\n", "in.json": "{}" });
    const r = thoadc(dir, "eval", "m.thd", "--order", "1", "--inputs", "in.json");
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^in\.json: error TH302: m: missing input 'constructor' of shape \[B, 2\]/);
  });

  it("model default is TH118 at its name, and nothing is written", () => {
    const dir = workdir({ "m.thd": "model default {\n  input x : [2]\n  y = x\n  output y\n}\n" });
    const r = thoadc(dir, "m.thd", "--emit", "js");
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^m\.thd:1:7: error TH118: model 'default' cannot be exported: 'default' is a JavaScript reserved word/);
    expect(readdirSync(dir)).toEqual(["m.thd"]);
  });

  it("an ONNX file named default.onnx compiles as model default_", () => {
    const dir = workdir();
    copyFileSync(join(ROOT, "examples/quickstart/regressor.onnx"), join(dir, "default.onnx"));
    const r = thoadc(dir, "default.onnx", "--order", "1", "--emit", "js");
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("(model default_,");
    expect(readFileSync(join(dir, "default_.d.ts"), "utf8")).toContain("export declare const default_:");
  });
});
