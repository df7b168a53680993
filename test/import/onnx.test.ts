/**
 * The ONNX frontend against PyTorch: every model in test/fixtures/onnx was
 * exported by torch.onnx.export and its derivatives computed by functorch in
 * float64 (test/oracle/gen_onnx_fixtures.py). importOnnx -> compile -> run
 * must match every derivative key at 1e-9 relative, in both modes. Bad files
 * give coded diagnostics and never throw.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compile } from "../../compiler/index.js";
import { importOnnx } from "../../compiler/frontends/onnx/index.js";
import type { ImportResult } from "../../compiler/frontends/imported.js";
import { Tensor } from "../../runtime/index.js";
import { instantiateForTest, relError, ROOT, testTarget } from "../helpers/compile.js";

interface Fixture {
  case: string; model_file: string; order: number; wrt: string[];
  inputs: Record<string, { shape: number[]; data: number[] }>;
  outputs: Record<string, { value: { shape: number[]; data: number[] }; derivatives: Record<string, { shape: number[]; data: number[] }> }>;
}

const DIR = "test/fixtures/onnx/";
const bytes = (file: string): Uint8Array => new Uint8Array(readFileSync(ROOT + file));
const fixtures = readdirSync(ROOT + DIR).filter((f) => f.endsWith(".json")).sort();

/** importOnnx that must not throw, with its diagnostics in a failure message. */
function importOk(data: Uint8Array, name: string) {
  const r = importOnnx(data, { name });
  expect(r.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return r.model!;
}

describe.each(["forward", "reverse"] as const)("ONNX fixtures against PyTorch, %s mode", (mode) => {
  it("there are at least 6 fixtures", () => expect(fixtures.length).toBeGreaterThanOrEqual(6));
  for (const f of fixtures) {
    it(f.replace(/\.json$/, ""), () => {
      const fx = JSON.parse(readFileSync(ROOT + DIR + f, "utf8")) as Fixture;
      const model = importOk(bytes(fx.model_file), fx.case);
      const r = compile(model.source, { order: fx.order, wrt: fx.wrt, mode, target: testTarget() });
      expect(r.diagnostics.map((d) => `${d.code} ${d.span?.line}:${d.span?.column} ${d.message}`), model.source).toEqual([]);
      const plan = r.state.plan!;
      expect(plan.mode).toBe(mode);
      const args: Record<string, Tensor> = {};
      for (const [k, v] of Object.entries(fx.inputs)) args[k] = new Tensor(v.shape, Float64Array.from(v.data));
      for (const [k, w] of model.weights) args[k] = new Tensor([...w.shape], w.data);
      const res = instantiateForTest(plan)(args);
      let keys = 0;
      for (const [name, want] of Object.entries(fx.outputs)) {
        const got = res[name]!;
        expect(got, `output ${name}`).toBeDefined();
        expect(got.value.shape).toEqual(want.value.shape);
        expect(relError(got.value.data, want.value.data), `${name} value`).toBeLessThan(1e-9);
        expect(Object.keys(want.derivatives).sort()).toEqual(got.keys().sort());
        for (const [key, d] of Object.entries(want.derivatives)) {
          const dense = got.d(...key.split(","));
          expect(dense.shape, `${name} d[${key}] shape`).toEqual(d.shape);
          expect(relError(dense.data, d.data), `${name} d[${key}]`).toBeLessThan(1e-9);
          keys++;
        }
      }
      expect(keys).toBeGreaterThan(0);
    }, 120_000);
  }
});

/** The diagnostics of a bad file: exactly one, of this code, and no exception. */
function expectDiagnostic(run: () => ImportResult, code: string, ...inMessage: string[]): string {
  let r: ImportResult | undefined;
  expect(() => { r = run(); }).not.toThrow();
  expect(r!.model).toBeUndefined();
  expect(r!.diagnostics.map((d) => d.code)).toEqual([code]);
  const d = r!.diagnostics[0]!;
  expect(d.span).toBeUndefined();
  for (const s of inMessage) expect(d.message).toContain(s);
  return d.message;
}

describe("bad ONNX files", () => {
  it("an op outside the supported set is TH501, naming the node, the op and the supported ops", () => {
    expectDiagnostic(() => importOnnx(bytes(DIR + "bad_cumsum.onnx"), { name: "m" }), "TH501", "node '/CumSum' (op CumSum)", "Supported ops:", "Gemm");
  });

  it("a dynamic dim other than the batch axis is TH502", () => {
    expectDiagnostic(() => importOnnx(bytes(DIR + "bad_dynamic_seq.onnx"), { name: "m" }), "TH502", "'x'", "'seq'", "axis 1");
  });

  it("external weights are TH504", () => {
    expectDiagnostic(() => importOnnx(bytes(DIR + "bad_external.onnx"), { name: "m" }), "TH504", "external data", "bad_external.onnx.data");
  });

  it("ceil_mode=1 that adds a partial window is TH506, naming the node", () => {
    expectDiagnostic(() => importOnnx(bytes(DIR + "bad_ceil_mode.onnx"), { name: "m" }), "TH506", "node '/pool/AveragePool' (op AveragePool)", "ceil_mode=1");
  });

  it("a weight whose data does not fill its shape is TH505", () => {
    expectDiagnostic(() => importOnnx(bytes(DIR + "bad_weight_size.onnx"), { name: "m" }), "TH505", "initializer 'W'", "[4, 4]", "64 bytes", "32");
  });

  it("an opset before 13 is TH501", () => {
    expectDiagnostic(() => importOnnx(bytes(DIR + "bad_opset11.onnx"), { name: "m" }), "TH501", "opset 11", "13 to 17");
  });

  it("an integer graph input is TH501", () => {
    expectDiagnostic(() => importOnnx(bytes(DIR + "bad_int_input.onnx"), { name: "m" }), "TH501", "'ids'", "INT64");
  });

  it("a truncated file is TH503 at every cut", () => {
    const good = bytes(DIR + "mlp_o4.onnx");
    for (const cut of [1, 7, 40, 200, Math.floor(good.length / 2), good.length - 300, good.length - 1]) {
      const r = importOnnx(good.subarray(0, cut), { name: "m" });
      expect(r.model, `cut at ${cut}`).toBeUndefined();
      expect(r.diagnostics.map((d) => d.code), `cut at ${cut}`).toEqual(["TH503"]);
    }
  });

  it("random bytes and an empty file are TH503", () => {
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
    for (let n = 0; n < 30; n++) {
      const junk = Uint8Array.from({ length: 64 + 97 * n }, rand);
      expectDiagnostic(() => importOnnx(junk, { name: "m" }), "TH503");
    }
    expectDiagnostic(() => importOnnx(new Uint8Array(0), { name: "m" }), "TH503", "empty");
  });

  it("a protobuf that is not an ONNX model (no graph) is TH503", () => {
    // field 2 (producer_name) only: a valid ModelProto without a graph
    const text = new TextEncoder().encode("not a model");
    expectDiagnostic(() => importOnnx(Uint8Array.of(0x12, text.length, ...text), { name: "m" }), "TH503", "no graph");
  });

  it("flipped bytes in a good file never throw", () => {
    const good = bytes(DIR + "cnn_o3.onnx");
    for (let i = 0; i < good.length; i += 37) {
      const bad = good.slice();
      bad[i] = bad[i]! ^ 0x5a;
      let r: ImportResult | undefined;
      expect(() => { r = importOnnx(bad, { name: "m" }); }, `byte ${i}`).not.toThrow();
      if (r!.model) expect(compile(r!.model.source, { order: 1 }).diagnostics.every((d) => d.code.startsWith("TH"))).toBe(true);
    }
  });
});

describe("the emitted .thd text", () => {
  it("reads as the model: header, batch, inputs, params with shapes, one statement per node, output", () => {
    const m = importOk(bytes(DIR + "residual_ln_o3.onnx"), "residual");
    const lines = m.source.split("\n").map((l) => l.trim());
    expect(lines[0]).toMatch(/^# Imported from ONNX \(producer pytorch 1\.13\.\d+, opset 17/);
    expect(lines).toContain("model residual {");
    expect(lines).toContain("batch B");
    expect(lines).toContain("input x : [B, 6]");
    expect(lines).toContain("param ln1_weight : [6]  # initializer 'ln1.weight'");
    expect(lines).toContain("ln1_LayerNormalization = layer_norm(x, axis=-1, eps=1e-5, weight=ln1_weight, bias=ln1_bias)");
    expect(lines.some((l) => /^act_gelu = gelu\(fc1_Gemm\)/.test(l))).toBe(true);
    expect(lines).toContain("fc1_Gemm = linear(ln1_LayerNormalization, fc1_weight, fc1_bias)");
    expect(lines).toContain("output y");
    expect(m.name).toBe("residual");
    expect([...m.originalNames]).toEqual([["x", "x"], ["y", "y"]]);
    expect([...m.weights.keys()]).toEqual(["ln1_weight", "ln1_bias", "fc1_weight", "fc1_bias", "fc2_weight", "fc2_bias", "ln2_weight", "ln2_bias"]);
    const w = m.weights.get("fc1_weight")!;
    expect(w.shape).toEqual([8, 6]);
    expect(w.f32).toBe(true);
    expect(compile(m.source, { order: 1 }).diagnostics).toEqual([]);
  });

  it("writes Split as slices, view(B, T, ...) with B, and a float32 literal 1/sqrt(2) as sqrt(1/2)", () => {
    const m = importOk(bytes(DIR + "multihead_o3.onnx"), "mh");
    expect(m.source).toContain("Split_1 = qkv_Add[:, :, 4:8]");
    expect(m.source).toContain("Reshape = reshape(Split, [B, 3, 2, 2])");
    expect(m.source).toContain(`Mul = MatMul * ${Math.SQRT1_2}`);
  });

  it("a fully static input gives a model without a batch axis", () => {
    const m = importOk(bytes(DIR + "static_o3.onnx"), "static");
    expect(m.source).not.toMatch(/\bbatch\b/);
    expect(m.source).toContain("input x : [3, 4]");
    expect(m.source).toContain("g = transpose(x) @ W + c");
    expect(m.source).toContain("output y, s");
  });

  it("folds the Shape/Gather/Unsqueeze/Concat chain of x.view(x.size(0), ...) into B", () => {
    const m = importOk(bytes(DIR + "ops_o2.onnx"), "ops");
    expect(m.source).toMatch(/= reshape\(x, \[B, 3, 4\]\)/);
    expect(m.source).not.toMatch(/Shape|Concat =/);
  });
});
