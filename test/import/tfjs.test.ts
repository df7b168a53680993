/**
 * The TensorFlow.js Layers frontend against things it did not write: models
 * built and saved by @tensorflow/tfjs (test/oracle/gen_tfjs_models.mjs),
 * tfjs's own predictions on them, and PyTorch's derivatives of an independent
 * float64 reimplementation (test/oracle/gen_tfjs_fixtures.py). Every fixture
 * runs in forward and in reverse mode: values within float32 accuracy of
 * tfjs (1e-5) and within 1e-9 of PyTorch, every derivative key at 1e-9.
 * Then bad files: each gives its code, none throws.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { importTfjs } from "../../compiler/frontends/tfjs/index.js";
import type { ImportResult } from "../../compiler/frontends/imported.js";
import { Tensor } from "../../runtime/index.js";
import { compileOk, relError, ROOT } from "../helpers/compile.js";

const DIR = ROOT + "test/fixtures/tfjs/";

interface Block { shape: number[]; data: number[] }
interface Fixture {
  case: string; model: string; order: number; wrt: string[];
  inputs: Record<string, Block>;
  outputs: Record<string, { value: Block; derivatives: Record<string, Block> }>;
}
interface Predictions { input_names: string[]; output_names: string[]; inputs: Record<string, Block>; outputs: Record<string, Block> }

/** Shards resolved beside model.json, as the CLI does; a missing file is an Error. */
const shardsOf = (dir: string) => (path: string): Uint8Array | Error => {
  try {
    return readFileSync(dir + path);
  } catch (e) {
    return e as Error;
  }
};

const importDir = (name: string, json?: string, read?: (p: string) => Uint8Array | undefined | Error): ImportResult =>
  importTfjs(json ?? readFileSync(`${DIR}${name}/model.json`, "utf8"), read ?? shardsOf(`${DIR}${name}/`), { name });

const fixtures = readdirSync(DIR).filter((f) => /_o\d+\.json$/.test(f)).sort();

describe("tfjs fixtures", () => {
  it("cover the seven models", () => {
    expect(fixtures.map((f) => f.replace(/_o\d+\.json$/, "")).sort()).toEqual(["activations", "cnn", "cnn_cf", "cnn_small", "conv1d", "dense", "functional"]);
  });

  for (const f of fixtures) {
    const fx = JSON.parse(readFileSync(DIR + f, "utf8")) as Fixture;
    const pred = JSON.parse(readFileSync(`${DIR}${fx.model}/tfjs_predict.json`, "utf8")) as Predictions;

    it(`${fx.case}: imports, one statement per layer call, names from the file`, () => {
      const r = importDir(fx.model);
      expect(r.diagnostics).toEqual([]);
      const m = r.model!;
      expect(m.name).toBe(fx.model);
      expect(m.source).toMatch(/^# Imported from a TensorFlow\.js Layers model by thoad: .*tfjs-layers 4\.\d+\.\d+/);
      const topology = JSON.parse(readFileSync(`${DIR}${fx.model}/model.json`, "utf8")).modelTopology;
      // a layer called twice (a shared layer) has two statements
      const layers = (topology.config.layers as { class_name: string; inbound_nodes?: unknown[] }[]).filter((l) => l.class_name !== "InputLayer");
      const calls = layers.reduce((n, l) => n + (topology.class_name === "Sequential" ? 1 : l.inbound_nodes!.length), 0);
      expect(m.source.split("\n").filter((l) => /^ {2}\w+ = /.test(l))).toHaveLength(calls);
      // inputs and outputs under their Keras names (a Sequential's input is x)
      expect(fx.wrt.map((n) => m.originalNames.get(n))).toEqual(pred.input_names);
      expect(Object.keys(fx.outputs).map((n) => m.originalNames.get(n))).toEqual(pred.output_names);
      // every param has a value of its declared shape
      for (const [name, w] of m.weights) {
        expect(m.source).toContain(`param ${name} : [${w.shape.join(", ")}]`);
        expect(w.data.length).toBe(w.shape.reduce((a, b) => a * b, 1));
      }
    });

    for (const mode of ["forward", "reverse"] as const) {
      it(`${fx.case}, ${mode} mode: tfjs's predictions, PyTorch's value and derivatives`, () => {
        const m = importDir(fx.model).model!;
        const { fn, plan } = compileOk(m.source, { order: fx.order, wrt: fx.wrt, mode });
        expect(plan.mode).toBe(mode);
        const inputs: Record<string, Tensor> = {};
        for (const [k, v] of Object.entries(fx.inputs)) inputs[k] = new Tensor(v.shape, Float64Array.from(v.data));
        for (const [k, w] of m.weights) inputs[k] = new Tensor(w.shape, w.data);
        const res = fn(inputs);
        let keys = 0;
        for (const [name, want] of Object.entries(fx.outputs)) {
          const got = res[name]!;
          // anchored to tfjs (float32) ...
          const tfjs = pred.outputs[m.originalNames.get(name)!]!;
          expect(got.value.shape).toEqual(tfjs.shape);
          expect(relError(got.value.data, tfjs.data), `${name} vs tfjs predict`).toBeLessThan(1e-5);
          // ... and exact against PyTorch (float64)
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
  }

  it("float32 modules (--dtype f32) give tfjs's predictions to float32 accuracy", () => {
    for (const f of fixtures) {
      const fx = JSON.parse(readFileSync(DIR + f, "utf8")) as Fixture;
      const pred = JSON.parse(readFileSync(`${DIR}${fx.model}/tfjs_predict.json`, "utf8")) as Predictions;
      const m = importDir(fx.model).model!;
      const { fn } = compileOk(m.source, { order: 1, dtype: "f32" });
      const inputs: Record<string, Tensor> = {};
      for (const [k, v] of Object.entries(fx.inputs)) inputs[k] = new Tensor(v.shape, Float64Array.from(v.data));
      for (const [k, w] of m.weights) inputs[k] = new Tensor(w.shape, w.data);
      const res = fn(inputs);
      for (const name of Object.keys(fx.outputs)) {
        expect(relError(res[name]!.value.data, pred.outputs[m.originalNames.get(name)!]!.data), `${fx.model} ${name}`).toBeLessThan(1e-5);
      }
    }
  });

  it("the fixtures' inputs are the points tfjs predicted at", () => {
    for (const f of fixtures) {
      const fx = JSON.parse(readFileSync(DIR + f, "utf8")) as Fixture;
      const pred = JSON.parse(readFileSync(`${DIR}${fx.model}/tfjs_predict.json`, "utf8")) as Predictions;
      fx.wrt.forEach((n, i) => expect(fx.inputs[n]!.data).toEqual(pred.inputs[pred.input_names[i]!]!.data));
    }
  });
});
