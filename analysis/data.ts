/**
 * The data an analysis runs over, checked against the model: the analysed
 * input `wrt` holds N samples along its batch axis (or, for a model without a
 * batch axis, along an extra leading axis), and every other input or param has
 * the declared shape (batched ones with the same N). Bad data is a DataError
 * whose message names the input, the shapes, or the sample at fault.
 */
import type { TensorLike } from "../runtime/index.js";
import type { CompiledModel } from "./model.js";

export class DataError extends Error {
  override readonly name = "DataError";
}

export interface InputData {
  /** Every value as float64, row-major; for batched inputs N rows of `rowSize`. */
  readonly data: Float64Array;
  readonly shape: readonly number[];
  /** Carries the sample axis (sliced per chunk, repeated for perturbations). */
  readonly batched: boolean;
  /** Elements per sample (batched), else the whole size. */
  readonly rowSize: number;
}

export interface DataLayout {
  readonly wrt: string;
  /** Per-sample shape of the analysed input (flattened size d). */
  readonly wrtShape: readonly number[];
  readonly d: number;
  /** Number of samples. */
  readonly N: number;
  /** The model declares a batch axis on `wrt` (one call per chunk); false: one call per sample. */
  readonly modelBatched: boolean;
  readonly inputs: ReadonlyMap<string, InputData>;
}

const show = (s: readonly number[]): string => `[${s.map((d) => (d === -1 ? "N" : String(d))).join(", ")}]`;
const sizeOf = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

/** The analysed input: the one given, else the model's only differentiation variable. */
export function chooseWrt(model: CompiledModel, wrt?: string): string {
  if (wrt !== undefined) {
    if (!(wrt in model.inputs)) throw new DataError(`'${wrt}' is not an input of the model (inputs: ${Object.keys(model.inputs).join(", ")})`);
    if (!model.wrt.includes(wrt)) throw new DataError(`'${wrt}' is not a differentiation variable of the model (wrt = [${model.wrt.join(", ")}]); compile it with --wrt ${wrt}`);
    return wrt;
  }
  if (model.wrt.length !== 1) throw new DataError(`the model has several differentiation variables (${model.wrt.join(", ")}): name the analysed one (--wrt)`);
  return model.wrt[0]!;
}

/** Checks `data` against the model's declared inputs; converts every value to float64. */
export function checkData(model: CompiledModel, data: Readonly<Record<string, TensorLike>>, wrt: string): DataLayout {
  const decl = model.inputs;
  const modelBatched = Object.values(decl).some((s) => s[0] === -1);
  const wrtDecl = decl[wrt]!;
  if (modelBatched && wrtDecl[0] !== -1) throw new DataError(`'${wrt}' has no batch axis (declared ${show(wrtDecl)}), so it cannot hold the samples; analyse an input that carries the batch axis`);
  for (const name of Object.keys(data)) if (!(name in decl)) throw new DataError(`'${name}' is not an input or param of the model (they are: ${Object.keys(decl).join(", ")})`);
  const x = data[wrt];
  if (x === undefined) throw new DataError(`the analysed input '${wrt}' is missing from the data`);
  const per = modelBatched ? wrtDecl.slice(1) : wrtDecl.slice();
  const want = [-1, ...per];
  const shapeOk = (got: readonly number[], exp: readonly number[]): boolean => got.length === exp.length && exp.every((e, a) => e === -1 || e === got[a]);
  if (!shapeOk(x.shape, want)) throw new DataError(`input '${wrt}' has shape ${show(x.shape)}, expected ${show(want)} (N samples of ${show(per)})`);
  const N = x.shape[0]!;
  if (N === 0) throw new DataError(`empty dataset: input '${wrt}' holds N = 0 samples`);
  // a model from bindParams / withParams fills its bound inputs itself
  const bound = new Set((model as { bound?: readonly string[] }).bound ?? []);
  const inputs = new Map<string, InputData>();
  for (const [name, shape] of Object.entries(decl)) {
    const t = data[name];
    if (t === undefined && bound.has(name) && name !== wrt && shape[0] !== -1) continue;
    const batched = shape[0] === -1 || name === wrt;
    const exp = name === wrt ? [N, ...per] : shape.map((s) => (s === -1 ? N : s));
    if (t === undefined) throw new DataError(`missing input '${name}' of shape ${show(exp)}: give it in the data file${shape[0] === -1 ? "" : " or bind it (--weights, or an imported model's weights)"}`);
    if (!shapeOk(t.shape, exp)) throw new DataError(`input '${name}' has shape ${show(t.shape)}, expected ${show(exp)}${shape[0] === -1 && t.shape[0] !== N && t.shape.length === exp.length ? ` (N = ${N} samples, from '${wrt}')` : ""}`);
    const n = sizeOf(t.shape);
    if (t.data.length !== n) throw new DataError(`input '${name}' has ${t.data.length} values for shape ${show(t.shape)} (${n} expected)`);
    const values = Float64Array.from(t.data);
    const rowSize = batched ? n / N : n;
    for (let k = 0; k < values.length; k++) {
      if (!Number.isFinite(values[k])) {
        const where = batched ? `sample ${Math.floor(k / rowSize)}, element ${k % rowSize}` : `element ${k}`;
        throw new DataError(`input '${name}' holds ${values[k]} at ${where}: the data must be finite numbers`);
      }
    }
    inputs.set(name, { data: values, shape: t.shape.slice(), batched, rowSize });
  }
  return { wrt, wrtShape: per, d: sizeOf(per), N, modelBatched, inputs };
}
