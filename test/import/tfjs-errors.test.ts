/**
 * The TensorFlow.js Layers frontend on bad and unusual files: each problem is
 * one coded diagnostic naming the layer or file (TH501-TH506), and nothing
 * throws, whatever the bytes (a seeded fuzz of every fixture's model.json and
 * shards). Also: what tfjs and Keras write besides model.save (quantized
 * weights checked against tf.io.decodeWeights, the converter's Keras-H5
 * wrapping with a leading InputLayer and scoped weight names).
 */
import { readFileSync } from "node:fs";
import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { importTfjs } from "../../compiler/frontends/tfjs/index.js";
import type { ImportResult } from "../../compiler/frontends/imported.js";
import { compile } from "../../compiler/index.js";
import { rng } from "../../compiler/tools/random-inputs.js";
import { Tensor } from "../../runtime/index.js";
import { instantiateForTest, relError, ROOT, testTarget } from "../helpers/compile.js";

const DIR = ROOT + "test/fixtures/tfjs/";
const MODELS = ["dense", "functional", "cnn", "cnn_cf", "cnn_small", "conv1d", "activations"];

type Doc = { modelTopology: any; weightsManifest: { paths: string[]; weights: { name: string; shape: number[]; dtype: string; quantization?: object }[] }[]; [k: string]: any };
const text = (name: string): string => readFileSync(`${DIR}${name}/model.json`, "utf8");
const doc = (name: string): Doc => JSON.parse(text(name));
const shard = (name: string, path: string): Uint8Array => readFileSync(`${DIR}${name}/${path}`);
const shards = (name: string) => (path: string): Uint8Array | undefined => {
  try {
    return shard(name, path);
  } catch {
    return undefined;
  }
};
const run = (json: string | Doc, read: (p: string) => Uint8Array | undefined | Error = shards("dense")): ImportResult =>
  importTfjs(typeof json === "string" ? json : JSON.stringify(json), read, { name: "m" });
const codes = (r: ImportResult): string[] => r.diagnostics.map((d) => d.code);
/** The one diagnostic of a failed import. */
function only(r: ImportResult): { code: string; message: string } {
  expect(r.model).toBeUndefined();
  expect(r.diagnostics).toHaveLength(1);
  expect(r.diagnostics[0]!.span).toBeUndefined();
  return r.diagnostics[0]!;
}
const layer = (d: Doc, name: string): { class_name: string; config: any; inbound_nodes?: any } =>
  d.modelTopology.config.layers.find((l: { config: { name: string } }) => l.config.name === name);

describe("unsupported layers: TH501", () => {
  it("names the layer and its class, lists the supported ones", () => {
    const d = doc("dense");
    layer(d, "dense_Dense2").class_name = "LSTM";
    const e = only(run(d));
    expect(e.code).toBe("TH501");
    expect(e.message).toMatch(/^layer 'dense_Dense2' \(LSTM\) is not supported; supported layers: Activation, Add, .*Conv2D.*, Dense, /);
  });

  it("every unsupported layer at once, before the weights are read", () => {
    const d = doc("cnn_small");
    layer(d, "conv_s2").class_name = "DepthwiseConv2D";
    layer(d, "gap").class_name = "UpSampling2D";
    const r = run(d, () => undefined);
    expect(codes(r)).toEqual(["TH501", "TH501"]);
    expect(r.diagnostics[1]!.message).toMatch(/^layer 'gap' \(UpSampling2D\)/);
  });

  it("a nested model used as a layer", () => {
    const d = doc("functional");
    layer(d, "norm").class_name = "Sequential";
    expect(only(run(d, shards("functional"))).message).toMatch(/^layer 'norm' \(Sequential\) is not supported/);
  });
});

describe("dynamic shapes: TH502", () => {
  it("a null dimension other than the batch", () => {
    const d = doc("functional");
    layer(d, "aux_in").config.batch_input_shape = [null, null];
    const e = only(run(d, shards("functional")));
    expect(e.code).toBe("TH502");
    expect(e.message).toBe("input 'aux_in' has shape [null, null]: dimension 1 is dynamic (null); only the batch dimension (0) may be");
  });

  it("in a Sequential's first layer", () => {
    const d = doc("cnn");
    d.modelTopology.config.layers[0].config.batch_input_shape = [null, 6, null, 2];
    expect(only(run(d, shards("cnn"))).code).toBe("TH502");
  });
});

describe("not a Layers model: TH503", () => {
  const cases: [string, string, RegExp][] = [
    ["invalid JSON", "{\"modelTopology\": ", /^model\.json is not valid JSON: /],
    ["empty", "", /^model\.json is not valid JSON/],
    ["a list", "[]", /not a TensorFlow\.js Layers model/],
    ["null", "null", /not a TensorFlow\.js Layers model/],
    ["no topology", JSON.stringify({ weightsManifest: [] }), /no 'modelTopology'/],
    ["a graph model", JSON.stringify({ format: "graph-model", modelTopology: { node: [] }, weightsManifest: [] }), /graph model/],
    ["a GraphDef topology", JSON.stringify({ modelTopology: { node: [{ name: "x", op: "Placeholder" }] } }), /GraphDef/],
    ["an unknown model class", JSON.stringify({ modelTopology: { class_name: "Pipeline", config: {} } }), /class_name is "Pipeline"/],
    ["no layers", JSON.stringify({ modelTopology: { class_name: "Sequential", config: { layers: [] } } }), /has no layers/],
    ["a malformed manifest", JSON.stringify({ ...doc("dense"), weightsManifest: [{ paths: "weights.bin" }] }), /weightsManifest group 1/],
  ];
  for (const [what, json, message] of cases) {
    it(what, () => {
      const e = only(run(json));
      expect(e.code).toBe("TH503");
      expect(e.message).toMatch(message);
    });
  }

  it("a functional model whose layer reads a layer that does not exist", () => {
    const d = doc("functional");
    layer(d, "skip").inbound_nodes = [[["branch_a", 0, 0, {}], ["nowhere", 0, 0, {}]]];
    expect(only(run(d, shards("functional")))).toEqual({
      code: "TH503", severity: "error", span: undefined,
      message: "layer 'skip' (Add): its input [\"nowhere\", 0, 0] is not the output of a layer call that can be computed (unknown layer, or a cycle)",
    });
  });

  it("two layers with one name", () => {
    const d = doc("functional");
    layer(d, "branch_b").config.name = "branch_a";
    expect(only(run(d, shards("functional")))).toMatchObject({ code: "TH503", message: "the functional model: two layers are named 'branch_a'" });
  });

  it("a cycle", () => {
    const d = doc("functional");
    layer(d, "branch_a").inbound_nodes = [[["skip", 0, 0, {}]]];
    expect(only(run(d, shards("functional"))).code).toBe("TH503");
  });
});

describe("weights: TH504, TH505", () => {
  it("a missing shard (undefined, an Error, a throw)", () => {
    expect(only(run(text("dense"), () => undefined))).toMatchObject({ code: "TH504", message: "weight shard 'weights.bin' listed in model.json was not found" });
    const enoent = Object.assign(new Error("no such file"), { code: "ENOENT" });
    expect(only(run(text("dense"), () => enoent))).toMatchObject({ code: "TH504", message: "weight shard 'weights.bin' listed in model.json cannot be read: ENOENT" });
    expect(only(run(text("dense"), () => { throw new Error("disk on fire"); })).message).toMatch(/cannot be read: disk on fire/);
  });

  it("the second of two shards missing", () => {
    const read = (p: string) => (p.includes("2of2") ? undefined : shard("functional", p));
    expect(only(run(text("functional"), read)).message).toBe("weight shard './group1-shard2of2.bin' listed in model.json was not found");
  });

  it("a short shard", () => {
    const second = shard("functional", "group1-shard2of2.bin"), total = shard("functional", "group1-shard1of2.bin").length + second.length;
    const read = (p: string) => (p.includes("2of2") ? second.subarray(0, second.length - 4) : shard("functional", p));
    const last = doc("functional").weightsManifest[0]!.weights.at(-1)!;
    expect(only(run(text("functional"), read))).toMatchObject({
      code: "TH505",
      message: `weight '${last.name}' needs ${4 * last.shape.reduce((a, b) => a * b, 1)} bytes at offset ${total - 4 * last.shape.reduce((a, b) => a * b, 1)}, the shards (./group1-shard1of2.bin, ./group1-shard2of2.bin) hold ${total - 4} bytes in all`,
    });
  });

  it("a long shard", () => {
    const long = new Uint8Array(shard("dense", "weights.bin").length + 8);
    long.set(shard("dense", "weights.bin"));
    expect(only(run(text("dense"), () => long))).toMatchObject({ code: "TH505", message: `the shards (weights.bin) hold ${long.length} bytes, their manifest entries need ${long.length - 8}` });
  });

  it("a weight whose shape is not the layer's", () => {
    const d = doc("functional");
    d.weightsManifest[0]!.weights.find((w) => w.name === "branch_a/kernel")!.shape = [5, 4];
    expect(only(run(d, shards("functional")))).toMatchObject({ code: "TH505", message: "layer 'branch_a' (Dense): weight 'branch_a/kernel' has shape [5, 4], the layer needs [4, 5]" });
  });

  it("a weight missing from the manifest", () => {
    const d = doc("functional");
    d.weightsManifest[0]!.weights.find((w) => w.name === "norm/gamma")!.name = "norm/scale";
    expect(only(run(d, shards("functional")))).toMatchObject({ code: "TH504", message: "layer 'norm' (LayerNormalization): weight 'gamma' is not in the weights manifest (looked for 'norm/gamma')" });
  });

  it("a model with weights but no manifest", () => {
    const d = doc("dense");
    delete d.weightsManifest;
    expect(only(run(d)).code).toBe("TH504");
  });
});

describe("unsupported config values: TH506", () => {
  const conv = (edit: (c: any) => void): { code: string; message: string } => {
    const d = doc("cnn_small");
    edit(layer(d, "conv_s2").config);
    return only(run(d, shards("cnn_small")));
  };
  it("dilation with strides", () => {
    expect(conv((c) => (c.dilation_rate = [2, 2]))).toMatchObject({ code: "TH506", message: "layer 'conv_s2' (Conv2D): dilation_rate [2, 2] with strides [2, 2] is not supported (TensorFlow needs one of them to be 1)" });
  });
  it("causal padding, an unknown activation, a bad kernel size, a bad data_format", () => {
    expect(conv((c) => (c.padding = "causal")).message).toBe("layer 'conv_s2' (Conv2D): padding \"causal\" is not supported (supported: \"valid\", \"same\")");
    expect(conv((c) => (c.activation = "swoosh")).message).toMatch(/^layer 'conv_s2' \(Conv2D\): activation "swoosh" is not supported \(supported: linear, relu, /);
    expect(conv((c) => (c.kernel_size = [2, 2, 2])).message).toBe("layer 'conv_s2' (Conv2D): kernel_size must be a positive integer or a list of 2, got [2, 2, 2]");
    expect(conv((c) => (c.data_format = "channels_middle")).code).toBe("TH506");
  });
  it("a window larger than its input", () => {
    const d = doc("cnn");
    layer(d, "max_pool").config.pool_size = [7, 7];
    expect(only(run(d, shards("cnn"))).message).toBe("layer 'max_pool' (MaxPooling2D): the window of 7 along spatial axis 1 is larger than the input's 6 (padding \"valid\")");
  });
  it("LayerNormalization over a leading axis, a Concatenate along the batch", () => {
    const d = doc("cnn_small");
    layer(d, "bn").class_name = "LayerNormalization";
    layer(d, "bn").config.axis = [1];
    expect(only(run(d, shards("cnn_small"))).message).toBe("layer 'bn' (LayerNormalization): axis [1]: only the last axes, in increasing order, are supported");
    const f = doc("functional");
    layer(f, "joined").config.axis = 0;
    expect(only(run(f, shards("functional"))).message).toBe("layer 'joined' (Concatenate): axis 0 is the batch axis, which the translation keeps per sample");
  });
  it("weights of an unsupported dtype", () => {
    const d = doc("dense");
    d.weightsManifest[0]!.weights[0]!.dtype = "string";
    expect(only(run(d)).message).toMatch(/^weight 'dense_Dense1\/kernel' has dtype 'string'; supported: /);
  });
});

describe("what other writers produce", () => {
  /** The same model imported from two files computes the same values. */
  function sameValues(a: ImportResult, b: ImportResult, inputs: Record<string, Tensor>): void {
    expect(a.diagnostics).toEqual([]);
    expect(b.diagnostics).toEqual([]);
    const run1 = (r: ImportResult) => {
      const c = compile(r.model!.source, { order: 1, target: testTarget() });
      expect(c.diagnostics).toEqual([]);
      const all = { ...inputs };
      for (const [k, w] of r.model!.weights) all[k] = new Tensor(w.shape, w.data);
      return instantiateForTest(c.state.plan!)(all);
    };
    const ra = run1(a), rb = run1(b);
    for (const o of Object.keys(ra)) expect(relError(rb[o]!.value.data, ra[o]!.value.data)).toBe(0);
  }

  it("the converter's Keras-H5 wrapping: model_config, a leading InputLayer, scoped weight names", () => {
    const d = doc("dense");
    const cfg = d.modelTopology.config;
    const first = cfg.layers[0].config;
    cfg.layers.unshift({ class_name: "InputLayer", config: { batch_input_shape: first.batch_input_shape, dtype: "float32", sparse: false, name: "features" } });
    delete first.batch_input_shape;
    d.modelTopology = { keras_version: "2.13.1", backend: "tensorflow", model_config: { class_name: "Sequential", config: cfg } };
    for (const w of d.weightsManifest[0]!.weights) w.name = `sequential/${w.name}:0`;
    const keras = run(d);
    sameValues(run(text("dense")), keras, { x: new Tensor([2, 5], Float64Array.from({ length: 10 }, (_, i) => Math.sin(i))) });
    expect(keras.model!.originalNames.get("x")).toBe("features");
    expect(keras.model!.source).toMatch(/model 'sequential_1' \(Keras 2\.13\.1, /);
    expect(keras.model!.source).toContain("param sequential_dense_Dense1_kernel : [5, 6]  # sequential/dense_Dense1/kernel:0");
  });

  it("Keras 3's inbound nodes (args with keras_history)", () => {
    const d = doc("functional");
    for (const l of d.modelTopology.config.layers) {
      l.inbound_nodes = l.inbound_nodes.map((node: [string, number, number][]) => ({
        args: [node.length === 1 ? hist(node[0]!) : node.map(hist)],
        kwargs: {},
      }));
    }
    function hist(r: [string, number, number]) {
      return { class_name: "__keras_tensor__", config: { shape: [null, 5], dtype: "float32", keras_history: [r[0], r[1], r[2]] } };
    }
    const x = { features: new Tensor([1, 4], Float64Array.from([0.1, -0.2, 0.3, 0.4])), aux_in: new Tensor([1, 3], Float64Array.from([0.5, -0.6, 0.7])) };
    sameValues(run(text("functional"), shards("functional")), run(d, shards("functional")), x);
  });

  it("Keras's activations that tfjs lacks: exponential, leaky_relu (slope 0.2)", () => {
    // in the activations model, branch 0 is linear; branches 1 and 3 become these two
    const d = doc("activations");
    layer(d, "act_relu").config.activation = "exponential";
    layer(d, "act_elu").config.activation = "leaky_relu";
    const r = run(d, shards("activations"));
    expect(r.diagnostics).toEqual([]);
    const c = compile(r.model!.source, { order: 1, target: testTarget() });
    const inputs: Record<string, Tensor> = { inp: new Tensor([2, 4], Float64Array.from([0.3, -1.2, 0.8, 0.1, -0.5, 0.9, -0.2, 1.4])) };
    for (const [k, w] of r.model!.weights) inputs[k] = new Tensor(w.shape, w.data);
    const y = instantiateForTest(c.state.plan!)(inputs).all!.value, width = y.shape[1]!;
    for (let b = 0; b < 2; b++) {
      for (let j = 0; j < 6; j++) {
        const pre = y.data[b * width + j]!;
        expect(y.data[b * width + 6 + j]).toBeCloseTo(Math.exp(pre), 12);
        expect(y.data[b * width + 18 + j]).toBeCloseTo(pre > 0 ? pre : 0.2 * pre, 14);
      }
    }
  });

  it("quantized weights decode as tf.io.decodeWeights decodes them", async () => {
    // a Dense 2 -> 3 whose kernel is uint8- or uint16-quantized and bias float16-quantized
    const kernel = [0, 17, 255, 128, 3, 99], bias = [0x3c00, 0xc000, 0x3555]; // 1, -2, 0.33325...
    for (const q of ["uint8", "uint16"] as const) {
      const specs = [
        { name: "d/kernel", shape: [2, 3], dtype: "float32" as const, quantization: { dtype: q, scale: 0.013, min: -1.7 } },
        { name: "d/bias", shape: [3], dtype: "float32" as const, quantization: { dtype: "float16" as const } },
      ];
      const k = q === "uint8" ? new Uint8Array(kernel) : new Uint16Array(kernel.map((v) => v * 251));
      const bytes = new Uint8Array(k.byteLength + 6);
      bytes.set(new Uint8Array(k.buffer), 0);
      bytes.set(new Uint8Array(new Uint16Array(bias).buffer), k.byteLength);
      const model = {
        modelTopology: { class_name: "Sequential", config: { name: "q", layers: [{ class_name: "Dense", config: { name: "d", units: 3, batch_input_shape: [null, 2] } }] } },
        weightsManifest: [{ paths: ["w.bin"], weights: specs }],
      };
      const r = importTfjs(JSON.stringify(model), () => bytes, { name: "q" });
      expect(r.diagnostics).toEqual([]);
      const want = tf.io.decodeWeights(bytes.buffer as ArrayBuffer, specs);
      expect(Array.from(r.model!.weights.get("d_kernel")!.data)).toEqual(Array.from(await want["d/kernel"]!.data()));
      expect(Array.from(r.model!.weights.get("d_bias")!.data)).toEqual(Array.from(await want["d/bias"]!.data()));
      expect(r.model!.weights.get("d_kernel")!.f32).toBe(true);
    }
  });
});

describe("never a throw", () => {
  /** Replaces the value at a random path of a JSON tree with junk. */
  function mutate(root: unknown, r: () => number): void {
    const junk = [null, -1, 0, 1.5, 3, "same", "x", [], {}, [2, 2], [null, 3], true, 1e300, ["a", 0, 0]];
    let node: any = root;
    for (let depth = 0; depth < 12; depth++) {
      const keys = Array.isArray(node) ? node.map((_: unknown, i: number) => i) : node && typeof node === "object" ? Object.keys(node) : [];
      if (keys.length === 0) return;
      const k = keys[Math.floor(r() * keys.length)];
      const child = node[k];
      if (child === null || typeof child !== "object" || r() < 0.25) {
        if (r() < 0.2 && !Array.isArray(node)) delete node[k];
        else node[k] = junk[Math.floor(r() * junk.length)];
        return;
      }
      node = child;
    }
  }

  it("on mutated model.json files: a model that compiles, or TH5xx diagnostics", () => {
    const r = rng(20240601);
    let imported = 0, refused = 0;
    for (const name of MODELS) {
      const original = text(name);
      const read = shards(name);
      // truncations
      for (let k = 1; k <= 6; k++) expect(codes(run(original.slice(0, Math.floor((original.length * k) / 7)), read))).toEqual(["TH503"]);
      for (let t = 0; t < 40; t++) {
        const d = JSON.parse(original);
        mutate(d, r);
        if (r() < 0.5) mutate(d, r);
        let res: ImportResult;
        expect(() => (res = run(d, read))).not.toThrow();
        for (const c of codes(res!)) expect(c).toMatch(/^TH50[1-6]$/);
        if (res!.model) {
          // what the frontend accepts, the compiler accepts
          const c = compile(res!.model.source, { order: 1 });
          expect(c.diagnostics.map((x) => `${x.code} ${x.message}`), res!.model.source).toEqual([]);
          imported++;
        } else refused++;
      }
    }
    expect(imported).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(20);
  });

  it("on garbage shards", () => {
    const r = rng(7);
    for (const name of MODELS) {
      const d = doc(name);
      for (let t = 0; t < 10; t++) {
        const garbage = Uint8Array.from({ length: Math.floor(r() * 600) }, () => Math.floor(r() * 256));
        const res = run(d, () => garbage);
        for (const c of codes(res)) expect(c).toMatch(/^TH50[45]$/);
      }
    }
  });
});
