/**
 * Model calls over chunks of samples: the derivative blocks of the analysed
 * input for samples [start, end), and values at perturbed points (rows of the
 * analysed input, each tied to the sample whose other batched inputs it keeps).
 * A model without a batch axis is called once per sample or row.
 */
import { Tensor, type RunOptions } from "../runtime/index.js";
import type { DataLayout } from "./data.js";
import { callModel, type CallResult, type CompiledModel } from "./model.js";

/** Per analysed output, for n samples: values [n, m] and packed blocks D^k [n, m, P_k], k = 1..K. */
export interface ChunkDerivatives {
  readonly n: number;
  readonly values: ReadonlyMap<string, Float64Array>;
  /** blocks.get(o)[k - 1]: the packed block of key (wrt x k), sorted index tuples in lexicographic order. */
  readonly blocks: ReadonlyMap<string, readonly Float64Array[]>;
}

const f64 = (a: ArrayLike<number>): Float64Array => (a instanceof Float64Array ? a : Float64Array.from(a));

/** Inputs for samples [start, end) (batched model), or sample `start` alone (unbatched model). */
function sliceInputs(layout: DataLayout, start: number, end: number): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const [name, inp] of layout.inputs) {
    if (!inp.batched) { out[name] = new Tensor(inp.shape, inp.data); continue; }
    const rows = layout.modelBatched ? end - start : 1;
    const shape = layout.modelBatched ? [rows, ...inp.shape.slice(1)] : inp.shape.slice(1);
    out[name] = new Tensor(shape, inp.data.subarray(start * inp.rowSize, (start + rows) * inp.rowSize));
  }
  return out;
}

/** The outputs the analysis reads: those carrying the batch axis (all of them without one). */
export function analysedOutputs(result: CallResult, outputs: readonly string[], layout: DataLayout, n: number): string[] {
  if (!layout.modelBatched) return outputs.slice();
  return outputs.filter((o) => result[o]!.batchSize === n);
}

/** Values and packed blocks of orders 1..K for samples [start, end). */
export function chunkDerivatives(model: CompiledModel, layout: DataLayout, outputs: readonly string[], start: number, end: number, K: number, run?: RunOptions): ChunkDerivatives {
  const n = end - start, w = layout.wrt;
  const values = new Map<string, Float64Array>(), blocks = new Map<string, Float64Array[]>();
  const keys = Array.from({ length: K }, (_, k) => Array<string>(k + 1).fill(w));
  if (layout.modelBatched) {
    const r = callModel(model, sliceInputs(layout, start, end), run);
    for (const o of outputs) {
      values.set(o, f64(r[o]!.value.data));
      blocks.set(o, keys.map((key) => f64(r[o]!.packed(...key).data)));
    }
  } else {
    for (let s = 0; s < n; s++) {
      const r = callModel(model, sliceInputs(layout, start + s, start + s + 1), run);
      for (const o of outputs) {
        const v = r[o]!.value.data;
        if (s === 0) { values.set(o, new Float64Array(n * v.length)); blocks.set(o, keys.map((key) => new Float64Array(n * r[o]!.packed(...key).data.length))); }
        values.get(o)!.set(v, s * v.length);
        keys.forEach((key, k) => { const b = r[o]!.packed(...key).data; blocks.get(o)![k]!.set(b, s * b.length); });
      }
    }
  }
  return { n, values, blocks };
}

/**
 * Values of the outputs at rows of the analysed input: `x` holds R rows of d
 * entries; row r takes every other batched input from sample `sample[r]`.
 * Result per output: [R, m].
 */
export function valuesAt(model: CompiledModel, layout: DataLayout, outputs: readonly string[], x: Float64Array, sample: Int32Array, run?: RunOptions): Map<string, Float64Array> {
  const R = sample.length;
  const out = new Map<string, Float64Array>();
  if (layout.modelBatched) {
    const inputs: Record<string, Tensor> = {};
    for (const [name, inp] of layout.inputs) {
      if (name === layout.wrt) inputs[name] = new Tensor([R, ...inp.shape.slice(1)], x);
      else if (!inp.batched) inputs[name] = new Tensor(inp.shape, inp.data);
      else {
        const rows = new Float64Array(R * inp.rowSize);
        for (let r = 0; r < R; r++) rows.set(inp.data.subarray(sample[r]! * inp.rowSize, (sample[r]! + 1) * inp.rowSize), r * inp.rowSize);
        inputs[name] = new Tensor([R, ...inp.shape.slice(1)], rows);
      }
    }
    const res = callModel(model, inputs, run);
    for (const o of outputs) out.set(o, f64(res[o]!.value.data));
  } else {
    const d = layout.d;
    for (let r = 0; r < R; r++) {
      const inputs: Record<string, Tensor> = {};
      for (const [name, inp] of layout.inputs) inputs[name] = name === layout.wrt ? new Tensor(layout.wrtShape, x.subarray(r * d, (r + 1) * d)) : new Tensor(inp.shape, inp.data);
      const res = callModel(model, inputs, run);
      for (const o of outputs) {
        const v = res[o]!.value.data;
        if (r === 0) out.set(o, new Float64Array(R * v.length));
        out.get(o)!.set(v, r * v.length);
      }
    }
  }
  return out;
}
