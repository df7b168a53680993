/**
 * `import "thoad"` (the package's root entry, dist/index.js: build first)
 * gives the runtime and the compiler's API; the runtime itself imports only
 * runtime files, so emitted modules never pull in the compiler.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/compile.js";

describe("the package's root entry", () => {
  it("resolves to the runtime and the compiler API: compile, instantiate, importOnnx, importTfjs", () => {
    // run from inside the package: Node resolves "thoad" to this package through its "exports"
    const script = `
      import * as thoad from "thoad";
      import * as rt from "thoad/runtime";
      import { readFileSync } from "node:fs";
      const r = thoad.compile("model m {\\n  batch B\\n  input x: [B, 2]\\n  y = sum(x * x, axis=1)\\n  output y\\n}\\n", { order: 2 });
      if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
      const y = thoad.instantiate(r.state.plan)({ x: thoad.Tensor.from([[1, 2]]) }).y;
      const onnx = thoad.importOnnx(readFileSync("examples/quickstart/regressor.onnx"), { name: "reg" });
      const tfjs = thoad.importTfjs("not json", () => undefined, { name: "bad" });
      console.log(JSON.stringify({
        sameTensor: thoad.Tensor === rt.Tensor, sameResult: thoad.OutputResult === rt.OutputResult,
        value: Array.from(y.value.data), hessian: Array.from(y.d("x", "x").data),
        onnx: onnx.model?.format, onnxWeights: onnx.model?.weights.size > 0, tfjs: tfjs.diagnostics.map((d) => d.code),
      }));`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: ROOT, encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual({ sameTensor: true, sameResult: true, value: [5], hessian: [2, 0, 0, 2], onnx: "onnx", onnxWeights: true, tfjs: ["TH503"] });
  });

  it("runtime/ imports nothing outside runtime/", () => {
    const files = readdirSync(ROOT + "runtime").filter((f) => f.endsWith(".ts"));
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) {
      const specs = [...readFileSync(ROOT + "runtime/" + f, "utf8").matchAll(/^\s*(?:import|export)\b[^;]*?\sfrom\s+"([^"]+)"/gm)].map((m) => m[1]!);
      for (const s of specs) expect(`${f}: ${s}`).toMatch(/^[\w.-]+: \.\/[\w-]+\.js$/);
    }
  });

  it("ships an MIT LICENSE matching package.json", () => {
    const pkg = JSON.parse(readFileSync(ROOT + "package.json", "utf8")) as { license: string; exports: Record<string, { types: string; default: string }> };
    expect(pkg.license).toBe("MIT");
    expect(readFileSync(ROOT + "LICENSE", "utf8")).toMatch(/^MIT License\n\nCopyright \(c\) 2026 the thoad authors\n/);
    expect(pkg.exports["."]).toEqual({ types: "./dist/index.d.ts", default: "./dist/index.js" });
  });
});
