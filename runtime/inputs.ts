/** Call-time checks of a model's inputs: clear errors naming the input and both shapes. */
import { Tensor, type FloatArray, type NestedArray, type TensorLike } from "./tensor.js";

/** Declared shape of one input; -1 stands for the batch axis. */
export interface InputSpec { readonly name: string; readonly shape: readonly number[] }

/** Float64Array or Float32Array (the constructor): the element type a module computes in. */
export interface FloatArrayType<D extends FloatArray> {
  new (length: number): D;
  from(values: ArrayLike<number>): D;
}

/** A TensorFlow.js tensor as far as inputs go: duck-typed, so that tfjs is never imported. */
export interface TfTensorLike { readonly shape: readonly number[]; readonly dtype?: string; dataSync(): unknown }

/** What a model accepts for an input: a Tensor or `{shape, data}`, a tf.Tensor, or nested arrays (a number for a scalar). */
export type InputLike = TensorLike | TfTensorLike | NestedArray;

/**
 * A tf.Tensor (read once, with dataSync) or nested arrays (Tensor.from) as a
 * TensorLike; any other value as given, for the caller's checks.
 */
export function asTensorLike(model: string, name: string, x: unknown): unknown {
  if (typeof x === "number" || Array.isArray(x)) {
    try { return Tensor.from(x as NestedArray); } catch (e) { throw new Error(`${model}: input '${name}': ${(e as Error).message}`); }
  }
  const tf = x as Partial<TfTensorLike> | null;
  if (tf === null || typeof tf !== "object" || typeof tf.dataSync !== "function" || !Array.isArray(tf.shape)) return x;
  if (tf.dtype === "string" || tf.dtype === "complex64") throw new Error(`${model}: input '${name}' is a tf.Tensor of dtype ${tf.dtype}; expected float32, int32 or bool`);
  let data: unknown;
  try { data = tf.dataSync(); } catch (e) { throw new Error(`${model}: input '${name}': cannot read the tf.Tensor (${(e as Error).message})`); }
  return { shape: tf.shape, data };
}

const show = (s: readonly number[]): string => `[${s.map((d) => (d === -1 ? "B" : String(d))).join(", ")}]`;

/**
 * Checks every declared input is present (an own property of the record) with the declared shape and returns the
 * batch size (1 if the model has no batch axis) and each input's data in the module's
 * element type (`dtype`, default Float64Array): converted once here if it is another
 * array type, otherwise the caller's array itself. An input may also be a
 * tf.Tensor or nested arrays (`asTensorLike`), converted here on every call.
 */
export function checkInputs<D extends FloatArray = Float64Array>(model: string, inputsArg: object, specs: readonly InputSpec[], dtype: FloatArrayType<D> = Float64Array as unknown as FloatArrayType<D>): { B: number; data: D[] } {
  const inputs = inputsArg as Readonly<Record<string, unknown>>;
  if (inputs === null || typeof inputs !== "object") throw new Error(`${model}: expected an object of named inputs`);
  let B: number | undefined;
  let batchFrom = "";
  const data: D[] = [];
  for (const spec of specs) {
    // own properties only: an input named constructor or toString is not Object.prototype's
    const given = Object.prototype.hasOwnProperty.call(inputs, spec.name) ? inputs[spec.name] : undefined;
    if (given === undefined) throw new Error(`${model}: missing input '${spec.name}' of shape ${show(spec.shape)}`);
    const t = asTensorLike(model, spec.name, given) as TensorLike | null;
    if (!t || !Array.isArray(t.shape) || t.data === undefined) throw new Error(`${model}: input '${spec.name}' must be a Tensor or {shape, data}`);
    if (t.shape.length !== spec.shape.length) throw new Error(`${model}: input '${spec.name}' has shape ${show(t.shape)}, expected ${show(spec.shape)}`);
    for (let a = 0; a < spec.shape.length; a++) {
      const want = spec.shape[a]!, got = t.shape[a]!;
      if (want === -1) {
        if (!Number.isInteger(got) || got < 1) throw new Error(`${model}: input '${spec.name}' has batch size ${got}; it must be a positive integer`);
        if (B !== undefined && B !== got) {
          const expected = spec.shape.map((d) => (d === -1 ? B! : d));
          throw new Error(`${model}: input '${spec.name}' has shape ${show(t.shape)}, expected ${show(expected)}: batch size ${got}, but '${batchFrom}' has batch size ${B}`);
        }
        B = got;
        batchFrom = spec.name;
      } else if (want !== got) {
        throw new Error(`${model}: input '${spec.name}' has shape ${show(t.shape)}, expected ${show(spec.shape)}`);
      }
    }
    let n = 1;
    for (const d of t.shape) n *= d;
    if (t.data.length !== n) throw new Error(`${model}: input '${spec.name}' has ${t.data.length} values for shape ${show(t.shape)} (${n} expected)`);
    data.push(t.data instanceof dtype ? t.data : dtype.from(t.data));
  }
  return { B: B ?? 1, data };
}
