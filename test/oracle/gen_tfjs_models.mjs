#!/usr/bin/env node
/**
 * Builds the TensorFlow.js Layers models of test/fixtures/tfjs/ with
 * @tensorflow/tfjs itself (pure-JS CPU backend) and saves each one as the file
 * handlers do: NAME/model.json (topology + weightsManifest) beside its weight
 * shard(s). Weights are set explicitly from a seeded PRNG (tf's random
 * initialisers are not seeded), so a rerun writes identical files.
 *
 * It also writes NAME/tfjs_predict.json: seeded inputs (exact float32 values)
 * and tfjs's own `model.predict` on them. gen_tfjs_fixtures.py reads the same
 * inputs, and the tests compare thoad's value with these predictions, which
 * anchors both reimplementations to tfjs.
 *
 * Usage (from the project root): node test/oracle/gen_tfjs_models.mjs [NAME ...]
 * then /usr/bin/python3 test/oracle/gen_tfjs_fixtures.py
 */
import { mkdirSync, writeFileSync } from "node:fs";
import * as tf from "@tensorflow/tfjs";

const OUT = new URL("../fixtures/tfjs/", import.meta.url).pathname;

/** mulberry32: a small PRNG that gives the same numbers on every platform. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
/** Standard normal draws (Box-Muller), rounded to float32 as tfjs stores them. */
const normals = (r, n, scale = 1, shift = 0) => Float32Array.from({ length: n }, () => shift + scale * Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r()));
const uniforms = (r, n, lo, hi) => Float32Array.from({ length: n }, () => lo + (hi - lo) * r());
const size = (shape) => shape.reduce((a, b) => a * b, 1);

/**
 * Every weight drawn by its role (the last part of its name): kernels N(0, s^2)
 * with s = kernelScale / sqrt(fan-in), biases N(0, 0.2^2), BatchNormalization's
 * moving variance U(0.5, 1.5) and its gamma around 1, so no layer is trivial.
 */
function seedWeights(model, seed, overrides = {}) {
  const r = rng(seed);
  const values = model.weights.map((w) => {
    const role = w.originalName.split("/").pop();
    const n = size(w.shape);
    if (overrides[w.originalName]) return tf.tensor(overrides[w.originalName], w.shape);
    let data;
    if (role === "kernel") data = normals(r, n, 1.2 / Math.sqrt(n / w.shape[w.shape.length - 1]));
    else if (role === "bias" || role === "beta") data = normals(r, n, 0.2);
    else if (role === "gamma") data = normals(r, n, 0.2, 1);
    else if (role === "moving_mean") data = normals(r, n, 0.3);
    else if (role === "moving_variance") data = uniforms(r, n, 0.5, 1.5);
    else if (role === "alpha") data = normals(r, n, 0.1, 0.25);
    else throw new Error(`no rule for weight ${w.originalName}`);
    return tf.tensor(data, w.shape);
  });
  model.setWeights(values);
}

/** model.save through a handler that writes what the file handler writes, with the weights split into `shards` files. */
async function save(model, name, shards = 1) {
  const dir = OUT + name + "/";
  mkdirSync(dir, { recursive: true });
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    const bytes = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData));
    // The converter cuts shards at byte boundaries regardless of weight boundaries: so does this.
    const paths = [], cut = Math.ceil(bytes.length / shards);
    for (let k = 0; k < shards; k++) {
      const path = shards === 1 ? "weights.bin" : `group1-shard${k + 1}of${shards}.bin`;
      writeFileSync(dir + path, bytes.subarray(k * cut, Math.min(bytes.length, (k + 1) * cut)));
      paths.push(shards === 1 ? path : `./${path}`);
    }
    const json = {
      modelTopology: artifacts.modelTopology,
      format: artifacts.format,
      generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy,
      weightsManifest: [{ paths, weights: artifacts.weightSpecs }],
    };
    writeFileSync(dir + "model.json", JSON.stringify(json, null, 1) + "\n");
    return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: "JSON" } };
  }));
}

/** Seeded float32 inputs, tfjs's predictions on them, and the names tfjs gives the inputs and outputs. */
function writePredictions(model, name, batch, seed, scale = 1) {
  const r = rng(seed);
  const inputs = model.inputs.map((t) => {
    const shape = [batch, ...t.shape.slice(1)];
    return { shape, data: normals(r, size(shape), scale) };
  });
  let out = model.predict(inputs.map((i) => tf.tensor(i.data, i.shape)));
  if (!Array.isArray(out)) out = [out];
  const record = {
    batch, seed,
    input_names: model.inputNames,
    output_names: model.outputNames,
    inputs: Object.fromEntries(inputs.map((i, k) => [model.inputNames[k], { shape: i.shape, data: Array.from(i.data) }])),
    outputs: Object.fromEntries(out.map((t, k) => [model.outputNames[k], { shape: t.shape, data: Array.from(t.dataSync()) }])),
    generator: { tfjs: tf.version.tfjs, backend: tf.getBackend(), script: "test/oracle/gen_tfjs_models.mjs" },
  };
  writeFileSync(OUT + name + "/tfjs_predict.json", JSON.stringify(record) + "\n");
}

const L = tf.layers;
const MODELS = {
  /**
   * Sequential MLP: Dense(tanh) -> Dropout -> GaussianNoise -> BatchNormalization
   * (non-trivial moving stats) -> Dense(selu) -> Dense(softmax). Its layers keep tfjs's
   * automatic names (dense_Dense1, ...): built first, they are the same on every run.
   */
  async dense() {
    const m = tf.sequential();
    m.add(L.dense({ inputShape: [5], units: 6, activation: "tanh" }));
    m.add(L.dropout({ rate: 0.25 }));
    m.add(L.gaussianNoise({ stddev: 0.1 }));
    m.add(L.batchNormalization({ epsilon: 0.01 }));
    m.add(L.dense({ units: 5, activation: "selu" }));
    m.add(L.dense({ units: 3, activation: "softmax" }));
    seedWeights(m, 11);
    await save(m, "dense");
    writePredictions(m, "dense", 3, 12);
  },

  /**
   * Functional, two inputs and two outputs, weights in two shards cut mid-weight:
   * a skip connection (Add of two Dense branches), LayerNormalization, a Multiply
   * gate from the second input, Concatenate, Maximum, Minimum, and Average of
   * three inputs, two of them from one Dense layer called twice (a shared layer).
   */
  async functional() {
    const x = tf.input({ shape: [4], name: "features" });
    const aux = tf.input({ shape: [3], name: "aux_in" });
    const h1 = L.dense({ units: 5, activation: "tanh", name: "branch_a" }).apply(x);
    const h2 = L.dense({ units: 5, name: "branch_b", useBias: false }).apply(x);
    const s = L.add({ name: "skip" }).apply([h1, h2]);
    const n = L.layerNormalization({ name: "norm", epsilon: 0.05 }).apply(s);
    const g = L.dense({ units: 5, activation: "sigmoid", name: "gate" }).apply(aux);
    const m = L.multiply({ name: "gated" }).apply([n, g]);
    const c = L.concatenate({ name: "joined" }).apply([m, h1]);
    const y = L.dense({ units: 3, name: "head" }).apply(c);
    const d = L.maximum({ name: "peak" }).apply([h1, g]);
    const shared = L.dense({ units: 5, activation: "elu", name: "shared" });
    const low = L.minimum({ name: "low" }).apply([n, g]);
    const a = L.average({ name: "avg" }).apply([d, shared.apply(n), shared.apply(low)]);
    const z = L.dense({ units: 2, activation: "softmax", name: "probs" }).apply(a);
    const model = tf.model({ inputs: [x, aux], outputs: [y, z], name: "two_heads" });
    seedWeights(model, 21);
    await save(model, "functional", 2);
    writePredictions(model, "functional", 3, 22);
  },

  /** Sequential CNN on 6x6x2 (channels_last): Conv2D same tanh, MaxPooling2D, AveragePooling2D same (asymmetric pad, padding excluded from the mean), Flatten, Dense softmax. */
  async cnn() {
    const m = tf.sequential();
    m.add(L.conv2d({ inputShape: [6, 6, 2], filters: 4, kernelSize: 3, padding: "same", activation: "tanh", name: "conv" }));
    m.add(L.maxPooling2d({ poolSize: 2, name: "max_pool" }));
    m.add(L.averagePooling2d({ poolSize: 2, strides: 1, padding: "same", name: "avg_pool" }));
    m.add(L.flatten({ name: "flat" }));
    m.add(L.dense({ units: 3, activation: "softmax", name: "probs" }));
    seedWeights(m, 31);
    await save(m, "cnn");
    writePredictions(m, "cnn", 2, 32);
  },

  /**
   * Functional CNN on 5x5x1: Conv2D stride 2 same (pad only after), BatchNormalization
   * on channels, MaxPooling2D same stride 1 (asymmetric), Conv2D dilation 2 same,
   * GlobalAveragePooling2D and GlobalMaxPooling2D concatenated, Dense.
   */
  async cnn_small() {
    const x = tf.input({ shape: [5, 5, 1], name: "image" });
    const c1 = L.conv2d({ filters: 3, kernelSize: 2, strides: 2, padding: "same", activation: "sigmoid", name: "conv_s2" }).apply(x);
    const bn = L.batchNormalization({ name: "bn" }).apply(c1);
    const mp = L.maxPooling2d({ poolSize: 2, strides: 1, padding: "same", name: "pool_same" }).apply(bn);
    const c2 = L.conv2d({ filters: 2, kernelSize: 2, dilationRate: 2, padding: "same", activation: "elu", name: "conv_dilated" }).apply(mp);
    const ga = L.globalAveragePooling2d({ name: "gap" }).apply(c2);
    const gm = L.globalMaxPooling2d({ name: "gmp" }).apply(c2);
    const j = L.concatenate({ name: "pooled" }).apply([ga, gm]);
    const y = L.dense({ units: 2, name: "logits" }).apply(j);
    const model = tf.model({ inputs: x, outputs: y, name: "cnn_small" });
    seedWeights(model, 41);
    await save(model, "cnn_small");
    writePredictions(model, "cnn_small", 2, 42);
  },

  /**
   * Sequential CNN in channels_first layout on [2, 5, 5]: Conv2D same tanh,
   * AveragePooling2D same, MaxPooling2D, Flatten (which moves channels last
   * first, as Keras does), Dense. (No BatchNormalization on axis 1: tfjs's CPU
   * kernel applies its statistics along the last axis whatever the layer's axis.)
   */
  async cnn_cf() {
    const m = tf.sequential();
    m.add(L.conv2d({ inputShape: [2, 5, 5], filters: 3, kernelSize: 3, padding: "same", dataFormat: "channelsFirst", activation: "tanh", name: "conv" }));
    m.add(L.averagePooling2d({ poolSize: 2, strides: 1, padding: "same", dataFormat: "channelsFirst", name: "avg" }));
    m.add(L.maxPooling2d({ poolSize: 2, dataFormat: "channelsFirst", name: "pool" }));
    m.add(L.flatten({ dataFormat: "channelsFirst", name: "flat" }));
    m.add(L.dense({ units: 2, name: "out" }));
    seedWeights(m, 71);
    await save(m, "cnn_cf");
    writePredictions(m, "cnn_cf", 2, 72);
  },

  /**
   * Functional 1-D model: Reshape [14] -> [7, 2], Conv1D same with dilation 2 (gelu),
   * MaxPooling1D, Conv1D valid (swish), AveragePooling1D same, the two global 1-D
   * poolings concatenated, Dense softplus; conv_b's output is a second output.
   */
  async conv1d() {
    const x = tf.input({ shape: [14], name: "signal" });
    const r = L.reshape({ targetShape: [7, 2], name: "as_sequence" }).apply(x);
    const c1 = L.conv1d({ filters: 3, kernelSize: 3, padding: "same", dilationRate: 2, activation: "gelu", name: "conv_a" }).apply(r);
    const p1 = L.maxPooling1d({ poolSize: 2, name: "pool_a" }).apply(c1);
    const c2 = L.conv1d({ filters: 2, kernelSize: 2, activation: "swish", name: "conv_b" }).apply(p1);
    const p2 = L.averagePooling1d({ poolSize: 2, strides: 1, padding: "same", name: "pool_b" }).apply(c2);
    const ga = L.globalAveragePooling1d({ name: "gap" }).apply(p2);
    const gm = L.globalMaxPooling1d({ name: "gmp" }).apply(p2);
    const j = L.concatenate({ name: "pooled" }).apply([ga, gm]);
    const y = L.dense({ units: 2, activation: "softplus", name: "out" }).apply(j);
    // conv_b is also an output: returned channels-last although pooled channels-first
    const model = tf.model({ inputs: x, outputs: [y, c2], name: "conv1d" });
    seedWeights(model, 51);
    await save(model, "conv1d");
    writePredictions(model, "conv1d", 2, 52);
  },

  /**
   * Every built-in tfjs activation as an Activation layer on one Dense's output,
   * and the activation layers (ReLU with max_value, LeakyReLU, ELU, Softmax,
   * ThresholdedReLU, PReLU), concatenated. The Dense bias spreads the pre-activations over [-7, 7.5] so
   * relu6 and hard_sigmoid reach their caps and the tails are exercised.
   */
  async activations() {
    const names = ["linear", "relu", "relu6", "elu", "selu", "softplus", "softsign", "sigmoid", "hardSigmoid", "tanh", "softmax", "logSoftmax", "swish", "mish", "gelu", "gelu_new"];
    const x = tf.input({ shape: [4], name: "inp" });
    const pre = L.dense({ units: 6, name: "pre" }).apply(x);
    const outs = names.map((a) => L.activation({ activation: a, name: `act_${a}` }).apply(pre));
    // and the activation layers
    outs.push(L.reLU({ maxValue: 4.5, name: "relu_max" }).apply(pre));
    outs.push(L.leakyReLU({ alpha: 0.2, name: "leaky" }).apply(pre));
    outs.push(L.elu({ name: "elu_layer" }).apply(pre));
    outs.push(L.softmax({ name: "softmax_layer" }).apply(pre));
    outs.push(L.thresholdedReLU({ theta: 0.5, name: "thresholded" }).apply(pre));
    outs.push(L.prelu({ name: "prelu" }).apply(pre));
    const y = L.concatenate({ name: "all" }).apply(outs);
    const model = tf.model({ inputs: x, outputs: y, name: "activations" });
    seedWeights(model, 61, { "pre/bias": [-7, -2.6, -0.4, 0.3, 2.8, 7.5] });
    await save(model, "activations");
    writePredictions(model, "activations", 2, 62);
  },
};

await tf.setBackend("cpu");
const wanted = process.argv.slice(2);
for (const [name, build] of Object.entries(MODELS)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  await build();
  console.log(`wrote ${OUT}${name}/`);
}
