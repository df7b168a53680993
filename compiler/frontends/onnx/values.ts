/**
 * What an ONNX value is during translation: a constant known at import time
 * (initializers, Constant nodes, folded shape arithmetic), or a run-time
 * tensor named in the emitted `.thd` text. Shapes are static except the
 * batch axis, written "B".
 */
import type { ElemKind } from "./tensor-data.js";

export type Dim = number | "B";

export interface Const {
  readonly kind: "const";
  readonly shape: readonly number[];
  readonly data: Float64Array;
  /**
   * Shape arithmetic on the batch size: element i is data[i] + sym[i] * B
   * (Shape of a batched tensor, and what Gather/Concat/Mul make of it).
   */
  readonly sym?: Float64Array;
  readonly elem: ElemKind;
  /** From an initializer (a trained weight, kept exact as a param) rather than a literal of the exporter. */
  readonly weight: boolean;
  /** The ONNX value name, for naming the param. */
  readonly onnxName: string;
}

export interface Tensor {
  readonly kind: "tensor";
  /** Its identifier in the `.thd` text. */
  readonly ref: string;
  readonly shape: readonly Dim[];
}

export type Value = Const | Tensor;

export const isConst = (v: Value | undefined): v is Const => v?.kind === "const";

export const showShape = (s: readonly Dim[]): string => `[${s.join(", ")}]`;

export const size = (s: readonly number[]): number => s.reduce((p, d) => p * d, 1);

/** Elements per sample above which a tensor is taken for a corrupt size rather than a model (2^26). */
export const MAX_ELEMENTS = 2 ** 26;

/** The static part of a shape (the batch axis excluded). */
export const perSample = (s: readonly Dim[]): number => s.reduce<number>((p, d) => (d === "B" ? p : p * d), 1);

export const hasBatch = (s: readonly Dim[]): boolean => s.includes("B");

export function makeConst(shape: readonly number[], data: Float64Array, elem: ElemKind, onnxName: string, opts: { sym?: Float64Array; weight?: boolean } = {}): Const {
  const sym = opts.sym && opts.sym.some((v) => v !== 0) ? opts.sym : undefined;
  return { kind: "const", shape: [...shape], data, elem, onnxName, weight: opts.weight ?? false, ...(sym ? { sym } : {}) };
}

/** Row-major strides. */
export function strides(shape: readonly number[]): number[] {
  const st = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) { st[i] = s; s *= shape[i]!; }
  return st;
}

/** NumPy broadcasting of two shapes; undefined when they do not broadcast (B only against B or 1). */
export function broadcast(a: readonly Dim[], b: readonly Dim[]): Dim[] | undefined {
  const r = Math.max(a.length, b.length), out: Dim[] = [];
  for (let i = 0; i < r; i++) {
    const x = a[a.length - r + i] ?? 1, y = b[b.length - r + i] ?? 1;
    if (x === y || y === 1) out.push(x);
    else if (x === 1) out.push(y);
    else return undefined;
  }
  return out;
}
