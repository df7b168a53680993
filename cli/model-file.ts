/**
 * Reads a model file of any format thoadc accepts: `.thd` text, an ONNX model
 * (`.onnx`), or a TensorFlow.js Layers model (`model.json` with its weight
 * shards beside it). Imported formats are translated to `.thd` text by their
 * frontend; their weights, and those of `--weights FILE.safetensors`, are
 * bound parameters: the commands feed them to the model, so `eval --inputs`
 * needs only the graph inputs.
 */
import { readFileSync } from "node:fs";
import { basename, dirname, extname, resolve } from "node:path";
import { identifier, type Weight } from "../compiler/frontends/imported.js";
import { importOnnx } from "../compiler/frontends/onnx/index.js";
import { importTfjs } from "../compiler/frontends/tfjs/index.js";
import { modelNameProblem, type Diagnostic } from "../compiler/index.js";
import { decodeSafetensors, encodeSafetensors, Tensor } from "../runtime/index.js";
import { fail } from "./front.js";

export type ModelFormat = "thd" | "onnx" | "tfjs";

export interface ModelFile {
  readonly format: ModelFormat;
  /** The `.thd` text the pipeline compiles (the translation, for an imported model). */
  readonly source: string;
  /** Bound parameters by name; empty for a `.thd` without --weights. */
  readonly weights: ReadonlyMap<string, Weight>;
  /** Where a diagnostic in `source` is reported: the file, or "the .thd translation of" it. */
  readonly label: string;
}

const error = (code: Diagnostic["code"], message: string): Diagnostic => ({ code, severity: "error", message, span: undefined });

export function formatOf(file: string): ModelFormat {
  const ext = extname(file).toLowerCase();
  return ext === ".onnx" ? "onnx" : ext === ".json" ? "tfjs" : "thd";
}

/** The default module and model name of an imported file: its base name, or for `model.json` the folder's name. */
export function importedName(file: string): string {
  const base = basename(file, extname(file));
  const dir = basename(dirname(resolve(file)));
  const name = identifier(formatOf(file) === "tfjs" && base === "model" && dir ? dir : base);
  return modelNameProblem(name) ? `${name}_` : name; // default.onnx: model default_ (a module cannot export 'default')
}

function readBytes(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (e) {
    return fail(file, [error("TH301", `cannot read '${file}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`)]);
  }
}

/** Bound weights from a safetensors file, every tensor as float64. */
export function readWeightsFile(file: string): Map<string, Weight> {
  const bytes = readBytes(file);
  let tensors: Map<string, Tensor>;
  try {
    tensors = decodeSafetensors(bytes);
  } catch (e) {
    return fail(file, [error("TH504", `cannot read weights from '${file}': ${(e as Error).message}`)]);
  }
  const out = new Map<string, Weight>();
  for (const [name, t] of tensors) out.set(name, { shape: [...t.shape], data: t.data as Float64Array, f32: false });
  return out;
}

/** Reads and, for ONNX or tfjs, translates a model file; `name` overrides the imported model's name (--model). */
export function readModelFile(file: string, opts: { name?: string; weights?: string } = {}): ModelFile {
  const format = formatOf(file);
  let source: string, weights = new Map<string, Weight>(), label = file;
  if (format === "thd") {
    source = new TextDecoder().decode(readBytes(file));
  } else {
    const name = opts.name ?? importedName(file);
    const r = format === "onnx"
      ? importOnnx(readBytes(file), { name })
      : importTfjs(new TextDecoder().decode(readBytes(file)), (rel) => {
          try { return readFileSync(resolve(dirname(file), rel)); } catch (e) { return e as Error; }
        }, { name });
    if (!r.model) return fail(file, r.diagnostics);
    source = r.model.source;
    weights = new Map(r.model.weights);
    label = `${file} (its .thd translation; see thoadc import)`;
  }
  if (opts.weights !== undefined) for (const [k, w] of readWeightsFile(opts.weights)) weights.set(k, w);
  return { format, source, weights, label };
}

/** The bound weights as runtime tensors, to merge under the caller's inputs. */
export const weightTensors = (weights: ReadonlyMap<string, Weight>): Record<string, Tensor> => {
  const out: Record<string, Tensor> = Object.create(null) as Record<string, Tensor>;
  for (const [k, w] of weights) out[k] = new Tensor([...w.shape], w.data);
  return out;
};

/** Bound weights as safetensors bytes: F32 where every value is a float32 (as ONNX and tfjs store them), else F64. */
export const encodeWeights = (weights: ReadonlyMap<string, Weight>): Uint8Array =>
  encodeSafetensors(new Map([...weights].map(([k, w]) => [k, { shape: [...w.shape], data: w.data, dtype: w.f32 ? "F32" as const : "F64" as const }])));
