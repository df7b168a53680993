/** Call-time checks of a model's inputs: clear errors naming the input and both shapes. */
import type { FloatArray, TensorLike } from "./tensor.js";

/** Declared shape of one input; -1 stands for the batch axis. */
export interface InputSpec { readonly name: string; readonly shape: readonly number[] }

/** Float64Array or Float32Array (the constructor): the element type a module computes in. */
export interface FloatArrayType<D extends FloatArray> {
  new (length: number): D;
  from(values: ArrayLike<number>): D;
}

const show = (s: readonly number[]): string => `[${s.map((d) => (d === -1 ? "B" : String(d))).join(", ")}]`;

/**
 * Checks every declared input is present with the declared shape and returns the
 * batch size (1 if the model has no batch axis) and each input's data in the module's
 * element type (`dtype`, default Float64Array): converted once here if it is another
 * array type, otherwise the caller's array itself.
 */
export function checkInputs<D extends FloatArray = Float64Array>(model: string, inputsArg: object, specs: readonly InputSpec[], dtype: FloatArrayType<D> = Float64Array as unknown as FloatArrayType<D>): { B: number; data: D[] } {
  const inputs = inputsArg as Readonly<Record<string, TensorLike | undefined>>;
  if (inputs === null || typeof inputs !== "object") throw new Error(`${model}: expected an object of named inputs`);
  let B: number | undefined;
  let batchFrom = "";
  const data: D[] = [];
  for (const spec of specs) {
    const t = inputs[spec.name];
    if (t === undefined) throw new Error(`${model}: missing input '${spec.name}' of shape ${show(spec.shape)}`);
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
