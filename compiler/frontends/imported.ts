/**
 * What a frontend (ONNX, TensorFlow.js Layers) hands to the rest of the
 * compiler: the model as `.thd` text, which the ordinary pipeline compiles,
 * and the values of its bound parameters (initializers, layer weights).
 * Frontends never throw on bad files: they return coded diagnostics naming
 * the node or layer (binary files have no line:column).
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";

/** One bound parameter: a dense row-major tensor. `f32` says every value is exactly a float32 (stored as F32 in safetensors). */
export interface Weight {
  readonly shape: readonly number[];
  readonly data: Float64Array;
  readonly f32: boolean;
}

export interface ImportedModel {
  readonly format: "onnx" | "tfjs";
  /** The model's name in `source` (an identifier). */
  readonly name: string;
  /** One `.thd` model: graph inputs are `input`s, weights and folded constants are `param`s. */
  readonly source: string;
  /** Every `param` of `source`, by name, in declaration order. */
  readonly weights: ReadonlyMap<string, Weight>;
  /** The graph's input and output names as written in the file, by their `.thd` identifier. */
  readonly originalNames: ReadonlyMap<string, string>;
}

export interface ImportResult {
  readonly model?: ImportedModel;
  readonly diagnostics: readonly Diagnostic[];
}

/** Words the `.thd` grammar reserves; a file name equal to one gets a trailing `_`. */
const KEYWORDS = new Set(["model", "batch", "dim", "input", "param", "output", "fn", "true", "false"]);

/**
 * A file's name as a `.thd` identifier: other characters become `_`, a leading
 * digit (or an empty name) gets a `_` in front, a keyword or a name JavaScript
 * objects reserve gets a `_` behind. `taken` makes it unique (`_2`, `_3`, ...)
 * and records it.
 */
export function identifier(name: string, taken?: Set<string>): string {
  let id = name.replace(/[^A-Za-z0-9_]/g, "_");
  if (!/^[A-Za-z_]/.test(id)) id = `_${id}`;
  if (KEYWORDS.has(id) || id === "__proto__" || id === "constructor" || id === "prototype") id = `${id}_`;
  if (taken) {
    let k = 2, unique = id;
    while (taken.has(unique)) unique = `${id}_${k++}`;
    taken.add(unique);
    id = unique;
  }
  return id;
}

/** True when every value is exactly representable as a float32. */
export const allFloat32 = (data: ArrayLike<number>): boolean => {
  for (let i = 0; i < data.length; i++) if (Math.fround(data[i]!) !== data[i] && !Number.isNaN(data[i])) return false;
  return true;
};
