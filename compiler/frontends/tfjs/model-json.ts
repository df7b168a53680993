/**
 * model.json as tfjs writes it (`model.save`, tfjs-converter): the Keras
 * topology and the weights manifest. Also accepted: a bare Keras topology
 * (`model.to_json()`, no weights) and the converter's Keras-H5 wrapping
 * (`modelTopology.model_config`). A graph model (format "graph-model", or a
 * GraphDef with `node`) is TH503: it has no layers to translate.
 */
import { fail } from "./failure.js";
import { isObject, type Json } from "./config.js";

export interface ManifestEntry {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: string;
  readonly quantization?: { readonly dtype: string; readonly scale?: number; readonly min?: number };
}

export interface ManifestGroup {
  readonly paths: readonly string[];
  readonly weights: readonly ManifestEntry[];
}

export interface ModelJson {
  /** `{class_name, config}` of the model. */
  readonly topology: { readonly class_name: string; readonly config: Json };
  readonly manifest: readonly ManifestGroup[];
  /** "tfjs-layers 4.22.0", "2.13.1", ... (Keras's `keras_version`), if present. */
  readonly kerasVersion?: string;
  readonly generatedBy?: string;
  readonly convertedBy?: string;
}

const MODEL_CLASSES = ["Sequential", "Model", "Functional"];

export function readModelJson(text: string): ModelJson {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return fail("TH503", `model.json is not valid JSON: ${(e as Error).message}`);
  }
  if (!isObject(doc)) return fail("TH503", "model.json holds no object: not a TensorFlow.js Layers model");
  const format = typeof doc.format === "string" ? doc.format : undefined;
  if (format === "graph-model") return fail("TH503", "this is a TensorFlow.js graph model (format \"graph-model\"); only Layers models (format \"layers-model\", written by model.save) can be imported");
  // model.json, or a bare Keras topology
  const outer = isObject(doc.modelTopology) ? doc.modelTopology : typeof doc.class_name === "string" ? doc : undefined;
  if (!outer) return fail("TH503", "model.json has no 'modelTopology': not a TensorFlow.js Layers model");
  if (Array.isArray(outer.node)) return fail("TH503", "the topology is a TensorFlow GraphDef (a graph model); only Layers models can be imported");
  const topology = isObject(outer.model_config) ? outer.model_config : outer;
  const cls = topology.class_name;
  if (typeof cls !== "string" || !MODEL_CLASSES.includes(cls)) {
    return fail("TH503", `the topology's class_name is ${JSON.stringify(cls ?? null)}, not a Keras model (${MODEL_CLASSES.join(", ")})`);
  }
  const str = (v: Json | undefined): string | undefined => (typeof v === "string" ? v : undefined);
  return {
    topology: { class_name: cls, config: topology.config ?? null },
    manifest: readManifest(doc.weightsManifest),
    kerasVersion: str(outer.keras_version) ?? str(topology.keras_version),
    generatedBy: str(doc.generatedBy),
    convertedBy: str(doc.convertedBy),
  };
}

const isShape = (v: unknown): v is number[] => Array.isArray(v) && v.every((d) => Number.isInteger(d) && d >= 0);

function readManifest(m: Json | undefined): ManifestGroup[] {
  if (m === undefined || m === null) return [];
  if (!Array.isArray(m)) return fail("TH503", "weightsManifest is not a list of weight groups");
  return m.map((g, gi) => {
    if (!isObject(g) || !Array.isArray(g.paths) || !g.paths.every((p) => typeof p === "string") || !Array.isArray(g.weights)) {
      return fail("TH503", `weightsManifest group ${gi + 1} needs 'paths' (a list of file names) and 'weights'`);
    }
    const weights = g.weights.map((w, wi): ManifestEntry => {
      if (!isObject(w) || typeof w.name !== "string" || !isShape(w.shape) || typeof w.dtype !== "string") {
        return fail("TH503", `weightsManifest group ${gi + 1}, entry ${wi + 1}: needs a name, a shape of non-negative integers and a dtype`);
      }
      const q = w.quantization;
      if (q !== undefined && q !== null && !(isObject(q) && typeof q.dtype === "string")) {
        return fail("TH503", `weight '${w.name}': malformed quantization ${JSON.stringify(q)}`);
      }
      const quantization = isObject(q) ? { dtype: q.dtype as string, scale: typeof q.scale === "number" ? q.scale : undefined, min: typeof q.min === "number" ? q.min : undefined } : undefined;
      return { name: w.name, shape: w.shape, dtype: w.dtype, ...(quantization ? { quantization } : {}) };
    });
    return { paths: g.paths as string[], weights };
  });
}
