/**
 * thoad/tfjs: results as TensorFlow.js tensors. The caller passes the `tf`
 * namespace (their own @tensorflow/tfjs or tfjs-node import), so nothing here
 * imports TensorFlow.js; runtime/index.ts does not import this file, which keeps
 * thoad/runtime free of dependencies. (Inputs need nothing: models accept
 * tf.Tensors as they are, see checkInputs.)
 */
import type { FloatArray, TensorLike } from "./tensor.js";
import type { OutputResult } from "./result.js";

/** The one function of a tf namespace used here; T is its Tensor type. */
export interface TfNamespace<T = unknown> {
  tensor(values: Float32Array | Int32Array, shape?: number[], dtype?: "float32" | "int32"): T;
}

/** One output as tf tensors: the value and every derivative by canonical key ("x,x,W"). */
export interface TfResult<T> {
  readonly value: T;
  readonly d: Readonly<Record<string, T>>;
}

/**
 * A thoad tensor as `tf.tensor(data, shape, dtype)`; TensorFlow.js has no
 * float64, so values are rounded to float32 (or int32). The data is copied: tf
 * tensors never alias a thoad array.
 */
export function toTf<T>(tf: TfNamespace<T>, x: TensorLike, dtype: "float32" | "int32" = "float32"): T {
  const data = dtype === "int32" ? Int32Array.from(x.data) : Float32Array.from(x.data);
  return tf.tensor(data, [...x.shape], dtype);
}

/**
 * An output's value and its dense derivatives `d(...key)` as tf tensors, for
 * every canonical key up to its order (`result.keys()`) or the keys given.
 * Dense blocks of high order are large: pass `keys` to take only some.
 */
export function resultToTf<T>(tf: TfNamespace<T>, result: OutputResult<FloatArray>, keys: readonly string[] = result.keys()): TfResult<T> {
  const d = Object.create(null) as Record<string, T>;
  for (const k of keys) d[k] = toTf(tf, result.d(...k.split(",")));
  return { value: toTf(tf, result.value), d };
}

/** Every output of a model call, as resultToTf gives them, by output name. */
export function outputsToTf<T>(tf: TfNamespace<T>, results: Readonly<Record<string, OutputResult<FloatArray>>>, keys?: readonly string[]): Record<string, TfResult<T>> {
  const out = Object.create(null) as Record<string, TfResult<T>>;
  for (const name of Object.keys(results)) out[name] = resultToTf(tf, results[name]!, keys);
  return out;
}

/**
 * The tf namespace of @tensorflow/tfjs-node if it loads, else of @tensorflow/tfjs;
 * an error saying what to install if neither does.
 */
export async function loadTf(): Promise<TfNamespace & Record<string, unknown>> {
  const reasons: string[] = [];
  for (const pkg of ["@tensorflow/tfjs-node", "@tensorflow/tfjs"]) {
    try {
      // a specifier in a variable: tsc and bundlers do not resolve it, so neither package is required
      const mod = (await import(pkg)) as Record<string, unknown> & { default?: Record<string, unknown> };
      // a CommonJS build imported from ESM may expose its exports on default only
      const ns = typeof mod["tensor"] === "function" ? mod : mod.default;
      if (ns && typeof ns["tensor"] === "function") return ns as TfNamespace & Record<string, unknown>;
      reasons.push(`${pkg}: loaded, but has no tensor()`);
    } catch (e) {
      reasons.push(`${pkg}: ${(e as Error).message.split("\n")[0]}`);
    }
  }
  throw new Error(`thoad/tfjs: cannot load TensorFlow.js; install @tensorflow/tfjs (or @tensorflow/tfjs-node), or pass your own tf namespace. Tried ${reasons.join("; ")}`);
}
