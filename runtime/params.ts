/**
 * bindParams: a model with some inputs fixed (trained weights), called with the
 * others. Generated modules use it for `withParams` and for imported weights.
 */
import { asTensorLike, type InputLike } from "./inputs.js";
import type { RunOptions } from "./runner.js";

/** The metadata every generated model function carries. */
export interface ModelInfo {
  readonly order: number;
  readonly mode: string;
  readonly wrt: readonly string[];
  readonly inputs: Readonly<Record<string, readonly number[]>>;
  readonly outputs: readonly string[];
}

/** Tensors by input name: a record or a Map. */
export type Params = Readonly<Record<string, InputLike>> | ReadonlyMap<string, InputLike>;

/** A model with bound inputs: called with the others; an input given again overrides its bound value. */
export type BoundModel<I, R> = ((inputs?: Partial<I>, options?: RunOptions) => R) & ModelInfo & {
  /** The bound input names. */
  readonly bound: readonly string[];
  /** Binds more inputs; a name bound again takes the new value. */
  readonly withParams: (params: Params) => BoundModel<I, R>;
};

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/**
 * `(inputs, options) => model({...params, ...inputs}, options)` with the model's
 * metadata, `bound` and `withParams`. A name that is not an input of the model is
 * an error; shapes are checked at call time (checkInputs). tf.Tensors and nested
 * arrays are converted once, here. Merging uses null-prototype objects, so that
 * inputs named `__proto__` or `constructor` are plain entries.
 */
export function bindParams<I, R>(model: ((inputs: I, options?: RunOptions) => R) & ModelInfo, params: Params): BoundModel<I, R> {
  if (typeof model !== "function" || model.inputs === null || typeof model.inputs !== "object") throw new Error("bindParams: expected a generated model function (with its inputs metadata)");
  if (params === null || typeof params !== "object") throw new Error("bindParams: expected a record or a Map of tensors by input name");
  const names = Object.keys(model.inputs);
  const given: [string, unknown][] = params instanceof Map ? [...(params as ReadonlyMap<string, unknown>)] : Object.keys(params).map((k) => [k, (params as Record<string, unknown>)[k]]);
  const fixed = Object.create(null) as Record<string, unknown>;
  for (const [name, value] of given) {
    if (!hasOwn(model.inputs, name)) throw new Error(`bindParams: '${name}' is not an input of the model; its inputs are [${names.join(", ")}]`);
    if (value === undefined || value === null) throw new Error(`bindParams: parameter '${name}' is ${value}`);
    fixed[name] = asTensorLike("bindParams", name, value);
  }
  const run = (inputs?: Partial<I>, options?: RunOptions): R => {
    // not an object: the model's own error message
    if (inputs !== undefined && (inputs === null || typeof inputs !== "object")) return model(inputs as I, options);
    const merged = Object.create(null) as Record<string, unknown>;
    for (const k of Object.keys(fixed)) merged[k] = fixed[k];
    if (inputs) for (const k of Object.keys(inputs)) {
      const v = (inputs as Record<string, unknown>)[k];
      if (v !== undefined) merged[k] = v; // an optional input left undefined keeps the bound value
    }
    return model(merged as I, options);
  };
  // the model's metadata as it is (order, mode, wrt, inputs, outputs, ...), then
  // ours; defined, not assigned: a key like `name` is read-only on functions
  const meta: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const k of Object.keys(model)) if (k !== "bound" && k !== "withParams") meta[k] = (model as unknown as Record<string, unknown>)[k];
  const prior = (model as { bound?: readonly string[] }).bound ?? [];
  meta["bound"] = Object.freeze([...prior, ...Object.keys(fixed).filter((k) => !prior.includes(k))]);
  const out = run as unknown as BoundModel<I, R>;
  meta["withParams"] = (more: Params): BoundModel<I, R> => bindParams(out as unknown as ((inputs: I, options?: RunOptions) => R) & ModelInfo, more);
  for (const k of Object.keys(meta)) Object.defineProperty(run, k, { value: meta[k], writable: true, enumerable: true, configurable: true });
  return out;
}
