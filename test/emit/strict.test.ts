/**
 * What a user's build sees: modules written by the built thoadc (dist/: build
 * first), as TypeScript and as JavaScript with a .d.ts, with and without
 * --standalone and bound weights, type-check with zero errors in an app under
 * the strictest flags, with skipLibCheck off (so the runtime's and the
 * package's own .d.ts are checked too). `@ts-expect-error` lines make tsc
 * report an error if a misspelt variable name, or an array read under
 * noUncheckedIndexedAccess, stopped being an error.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/compile.js";

const MAIN = join(ROOT, "dist/cli/main.js");
const STRICT = { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: true, noPropertyAccessFromIndexSignature: true, noImplicitOverride: true, skipLibCheck: false, noEmit: true, types: [] };

/** file written, model file, flags. */
const MODULES: [string, string, string[]][] = [
  ["mlp_ts.ts", "mlp.thd", []],
  ["mlp_sa.ts", "mlp.thd", ["--standalone"]],
  ["mlp_js.js", "mlp.thd", ["--emit", "js"]],
  ["mlp_sajs.js", "mlp.thd", ["--emit", "js", "--standalone"]],
  ["mlp_rev.ts", "mlp.thd", ["--wrt", "x,W1", "--mode", "reverse"]],
  ["mlp_f32.js", "mlp.thd", ["--emit", "js", "--dtype", "f32"]],
  ["onnx_ts.ts", "mlp_o4.onnx", []],
  ["onnx_sa.ts", "mlp_o4.onnx", ["--standalone"]],
  ["onnx_js.js", "mlp_o4.onnx", ["--emit", "js"]],
  ["onnx_sajs.js", "mlp_o4.onnx", ["--emit", "js", "--standalone", "--embed-weights"]],
  // masks, maxima, gathers (conv, pooling, softmax) and reverse mode's packed groups ($rank helpers)
  ["cnn_ts.ts", "cnn.thd", []],
  ["cnn_rev.ts", "cnn.thd", ["--mode", "reverse", "--order", "1"]],
  ["loss_rev.ts", "loss.thd", ["--wrt", "W1", "--mode", "reverse", "--order", "3"]],
];

const APP = `
import { mlp as mlpTs } from "./mlp_ts.js";
import { mlp as mlpSa } from "./mlp_sa.js";
import { mlp as mlpJs } from "./mlp_js.js";
import { mlp as mlpSaJs } from "./mlp_sajs.js";
import { mlp as mlpRev } from "./mlp_rev.js";
import { mlp as mlpF32 } from "./mlp_f32.js";
import { mlp_o4 as onnxTs } from "./onnx_ts.js";
import { mlp_o4 as onnxSa } from "./onnx_sa.js";
import { mlp_o4 as onnxJs } from "./onnx_js.js";
import { mlp_o4 as onnxSaJs } from "./onnx_sajs.js";
import { Tensor } from "thoad/runtime";
import { compile, instantiate, importOnnx, importTfjs } from "thoad";

const z = (s: number[]) => Tensor.zeros(s);
const inputs = { x: Tensor.from([[1, 2, 3, 4, 5, 6, 7, 8]]), W1: z([8, 32]), b1: z([32]), W2: z([32, 32]), b2: z([32]), W3: z([32, 4]), b3: z([4]) };
const x5 = { x: [[1, 2, 3, 4, 5]] };
const d3: Tensor = mlpTs(inputs).y.d("x", "x");
const p32: Tensor<Float32Array> = mlpF32(inputs).y.packed("x");
export const blocks = [d3, p32, mlpSa(inputs, { threads: 1 }).y.packed("x", "x"), mlpJs(inputs).y.d("x"), mlpSaJs(inputs).y.value,
  mlpRev(inputs).y.d("W1", "x"), onnxTs(x5).y.d("x", "x"), onnxSa(x5).y.packed("x"), onnxJs(x5).y.d("x"), onnxSaJs({ x: [[0, 0, 0, 0, 0]] }).y.d("x")];
// metadata keeps its literal types in .ts and .d.ts alike
const order: 2 = mlpJs.order, wrt: readonly ["x"] = onnxJs.wrt, shape: readonly [-1, 8] = mlpSaJs.inputs.x;
const rev: readonly ["x", "W1"] = mlpRev.wrt, mode: "reverse" = mlpRev.mode, outs: readonly ["y"] = onnxSaJs.outputs;
export const meta = [order, wrt, shape, rev, mode, outs, mlpTs.order, onnxTs.inputs.fc1_weight, onnxJs.withParams({})(x5).y.value];
export const api = [compile, instantiate, importOnnx, importTfjs];

// @ts-expect-error a misspelt variable fails to compile (.ts module)
mlpTs(inputs).y.d("X");
// @ts-expect-error (.d.ts of a JavaScript module)
mlpJs(inputs).y.packed("x", "W1");
// @ts-expect-error (standalone .d.ts with bound weights)
onnxSaJs(x5).y.d("fc1_weight");
// @ts-expect-error W1 is not a variable of the forward module
mlpSa(inputs).y.d("x", "W1");
// @ts-expect-error a literal order
const wrong: 3 = mlpJs.order;
const empty: number[] = [];
// @ts-expect-error the flags are on: an array read may be undefined
const first: number = empty[0];
export const checked = [wrong, first];
`;

describe("emitted modules under the strictest tsc flags, skipLibCheck off", () => {
  it("every variant type-checks with zero errors, and misspelt variable names are errors", { timeout: 120_000 }, () => {
    mkdirSync(join(ROOT, "test/.tmp"), { recursive: true });
    const dir = mkdtempSync(join(ROOT, "test/.tmp/strict-"));
    copyFileSync(join(ROOT, "examples/mlp.thd"), join(dir, "mlp.thd"));
    copyFileSync(join(ROOT, "test/fixtures/onnx/mlp_o4.onnx"), join(dir, "mlp_o4.onnx"));
    for (const m of ["cnn.thd", "loss.thd"]) copyFileSync(join(ROOT, "examples", m), join(dir, m));
    for (const [out, model, flags] of MODULES) {
      const r = spawnSync(process.execPath, [MAIN, model, "--order", "2", "-o", out, ...flags], { cwd: dir, encoding: "utf8" }); // a later --order wins
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
    }
    writeFileSync(join(dir, "app.ts"), APP);
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: STRICT, include: ["*.ts"] }));
    const r = spawnSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", join(dir, "tsconfig.json")], { encoding: "utf8" });
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});
