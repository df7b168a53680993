/**
 * The Keras topology as one list of layer calls, Sequential and functional
 * alike. A Sequential model is a chain whose input comes from its first
 * layer's batch_input_shape (tfjs) or from a leading InputLayer (Keras). A
 * functional model ("Model", "Functional") lists each layer's calls in
 * `inbound_nodes` (Keras 2 lists `[layer, node, tensor, kwargs]`, or Keras 3
 * dicts holding `keras_history`), and its `input_layers` / `output_layers`.
 * Malformed structure is TH503.
 */
import { LayerConfig, isObject, type Json } from "./config.js";
import { fail } from "./failure.js";

/** Output `tensor` of call `node` of layer `layer`. */
export interface TensorRef {
  readonly layer: string;
  readonly node: number;
  readonly tensor: number;
}

export interface GraphInput {
  /** The input layer's name: the InputLayer, or tfjs's `<first layer>_input` for a Sequential without one. */
  readonly name: string;
  /** Keras's batch_input_shape: null for a dimension of any size. */
  readonly batchShape: readonly (number | null)[];
  readonly config: LayerConfig;
}

export interface LayerCall {
  readonly config: LayerConfig;
  /** 0 for the layer's first call; a shared layer is called more than once. */
  readonly node: number;
  readonly inputs: readonly TensorRef[];
}

export interface Graph {
  readonly kind: "Sequential" | "Functional";
  /** The Keras model's own name (config.name), for the header. */
  readonly modelName: string;
  readonly inputs: readonly GraphInput[];
  readonly calls: readonly LayerCall[];
  readonly outputs: readonly TensorRef[];
}

interface LayerEntry { readonly config: LayerConfig; readonly inbound: Json | undefined }

function layerEntries(list: Json | undefined, where: string): LayerEntry[] {
  if (!Array.isArray(list)) return fail("TH503", `${where} has no list of layers`);
  const names = new Set<string>();
  return list.map((l, i) => {
    if (!isObject(l) || typeof l.class_name !== "string") return fail("TH503", `${where}: layer ${i + 1} has no class_name`);
    const config = isObject(l.config) ? l.config : {};
    const name = typeof config.name === "string" ? config.name : typeof l.name === "string" ? l.name : `${l.class_name}_${i + 1}`;
    // layers are referred to by name: two with one name make the graph ambiguous
    if (names.has(name)) return fail("TH503", `${where}: two layers are named '${name}'`);
    names.add(name);
    return { config: new LayerConfig(name, l.class_name, config), inbound: l.inbound_nodes };
  });
}

/** The batch shape an input layer or a Sequential's first layer declares, if any. */
function declaredBatchShape(c: LayerConfig): readonly (number | null)[] | undefined {
  const isDims = (v: Json | undefined): v is (number | null)[] => Array.isArray(v) && v.every((d) => d === null || (Number.isInteger(d) && (d as number) >= 0));
  for (const key of ["batch_input_shape", "batch_shape"]) {
    const v = c.raw[key];
    if (v === undefined || v === null) continue;
    if (!isDims(v) || v.length === 0) return c.fail("TH503", `${key} ${JSON.stringify(v)} is not a list of sizes`);
    return v;
  }
  const shape = c.raw.input_shape;
  if (isDims(shape)) return [null, ...shape];
  if (Number.isInteger(c.raw.input_dim)) return [null, c.raw.input_dim as number];
  return undefined;
}

function sequential(config: Json): Graph {
  // Keras < 2.2 wrote a Sequential's config as the bare list of layers
  const cfg = isObject(config) ? config : { layers: config };
  const entries = layerEntries(cfg.layers, "the Sequential model");
  if (entries.length === 0) return fail("TH503", "the Sequential model has no layers");
  const first = entries[0]!.config;
  const batchShape = declaredBatchShape(first);
  if (!batchShape) return fail("TH503", `the Sequential model's first layer '${first.layer}' (${first.className}) declares no input shape (batch_input_shape)`);
  const hasInputLayer = first.className === "InputLayer";
  const input: GraphInput = { name: hasInputLayer ? first.layer : `${first.layer}_input`, batchShape, config: first };
  const calls: LayerCall[] = [];
  let prev: TensorRef = { layer: input.name, node: 0, tensor: 0 };
  for (const e of hasInputLayer ? entries.slice(1) : entries) {
    calls.push({ config: e.config, node: 0, inputs: [prev] });
    prev = { layer: e.config.layer, node: 0, tensor: 0 };
  }
  return { kind: "Sequential", modelName: typeof cfg.name === "string" ? cfg.name : "sequential", inputs: [input], calls, outputs: [prev] };
}

/** `[name, node, tensor]` (Keras 2) or `{keras_history: [...]}` (Keras 3). */
function ref(v: Json, where: string): TensorRef {
  const triple = Array.isArray(v) ? v : isObject(v) && isObject(v.config) && Array.isArray(v.config.keras_history) ? v.config.keras_history : undefined;
  if (!triple || typeof triple[0] !== "string" || !Number.isInteger(triple[1] ?? 0) || !Number.isInteger(triple[2] ?? 0)) {
    return fail("TH503", `${where}: ${JSON.stringify(v)} is not a reference to a layer's output`);
  }
  return { layer: triple[0], node: (triple[1] as number | undefined) ?? 0, tensor: (triple[2] as number | undefined) ?? 0 };
}

/** Every Keras-3 tensor reference inside a call's args, in order. */
function historyRefs(v: Json, out: Json[]): Json[] {
  if (isObject(v) && v.class_name === "__keras_tensor__") out.push(v);
  else if (Array.isArray(v)) for (const e of v) historyRefs(e, out);
  return out;
}

function callInputs(node: Json, where: string): TensorRef[] {
  if (Array.isArray(node)) return node.map((r) => ref(r, where));
  if (isObject(node) && node.args !== undefined) return historyRefs(node.args, []).map((r) => ref(r, where));
  return fail("TH503", `${where}: inbound node ${JSON.stringify(node)} is in an unrecognised format`);
}

function functional(config: Json): Graph {
  if (!isObject(config)) return fail("TH503", "the functional model has no config");
  const entries = layerEntries(config.layers, "the functional model");
  const byName = new Map(entries.map((e) => [e.config.layer, e]));
  const refList = (v: Json | undefined, key: string): TensorRef[] => {
    if (!Array.isArray(v) || v.length === 0) return fail("TH503", `the functional model's ${key} is not a list of layer outputs`);
    // a single output may be written as one triple instead of a list of them
    return (typeof v[0] === "string" ? [v] : v).map((r) => ref(r as Json, key));
  };
  const inputs = refList(config.input_layers, "input_layers").map((r): GraphInput => {
    const e = byName.get(r.layer);
    if (!e) return fail("TH503", `input_layers names '${r.layer}', which is not a layer of the model`);
    if (e.config.className !== "InputLayer") return e.config.fail("TH503", "is listed in input_layers but is not an InputLayer");
    const batchShape = declaredBatchShape(e.config);
    if (!batchShape) return e.config.fail("TH503", "declares no batch_input_shape");
    return { name: r.layer, batchShape, config: e.config };
  });
  const inputNames = new Set(inputs.map((i) => i.name));
  const calls: LayerCall[] = [];
  for (const e of entries) {
    if (e.config.className === "InputLayer") {
      if (!inputNames.has(e.config.layer)) return e.config.fail("TH503", "is an InputLayer missing from input_layers");
      continue;
    }
    const where = e.config.label;
    const nodes = e.inbound ?? [];
    if (!Array.isArray(nodes) || nodes.length === 0) return e.config.fail("TH503", "is never called (no inbound_nodes)");
    nodes.forEach((n, k) => calls.push({ config: e.config, node: k, inputs: callInputs(n, where) }));
  }
  return { kind: "Functional", modelName: typeof config.name === "string" ? config.name : "model", inputs, calls, outputs: refList(config.output_layers, "output_layers") };
}

export function readGraph(topology: { readonly class_name: string; readonly config: Json }): Graph {
  return topology.class_name === "Sequential" ? sequential(topology.config) : functional(topology.config);
}
