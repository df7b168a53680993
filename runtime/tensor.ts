/**
 * A dense row-major tensor over a float64 (the default) or float32 array
 * (modules compiled with --dtype f32): the array is held as given, never copied.
 */
export type NestedArray = number | NestedArray[];

/** The element storage of tensors and derivative blocks. */
export type FloatArray = Float64Array | Float32Array;

/** A zeroed array of n elements of the same element type as `like`. */
export function allocLike<D extends FloatArray>(like: D, n: number): D {
  return new (like.constructor as new (n: number) => D)(n);
}

/** What emitted models accept for an input: a Tensor, or any `{shape, data}`. */
export interface TensorLike {
  readonly shape: readonly number[];
  readonly data: ArrayLike<number>;
}

export class Tensor<D extends FloatArray = Float64Array> implements TensorLike {
  constructor(readonly shape: readonly number[], readonly data: D) {
    const n = sizeOf(shape);
    if (data.length !== n) throw new Error(`Tensor: shape [${shape.join(", ")}] needs ${n} values, got ${data.length}`);
  }

  get size(): number { return this.data.length; }
  get rank(): number { return this.shape.length; }

  /** Element at a full multi-index. */
  get(...index: number[]): number {
    if (index.length !== this.shape.length) throw new Error(`Tensor.get: expected ${this.shape.length} indices, got ${index.length}`);
    let off = 0;
    for (let a = 0; a < index.length; a++) {
      const i = index[a]!, n = this.shape[a]!;
      if (!Number.isInteger(i) || i < 0 || i >= n) throw new Error(`Tensor.get: index ${i} out of range for axis ${a} of size ${n}`);
      off = off * n + i;
    }
    return this.data[off]!;
  }

  /** Nested arrays (a number for a scalar). */
  toArray(): NestedArray {
    const rec = (axis: number, off: number): NestedArray => {
      if (axis === this.shape.length) return this.data[off]!;
      const n = this.shape[axis]!, inner = sizeOf(this.shape.slice(axis + 1));
      const out: NestedArray[] = [];
      for (let i = 0; i < n; i++) out.push(rec(axis + 1, off + i * inner));
      return out;
    };
    return rec(0, 0);
  }

  toJSON(): { shape: number[]; data: number[] } {
    return { shape: [...this.shape], data: Array.from(this.data) };
  }

  static zeros(shape: readonly number[]): Tensor { return new Tensor(shape, new Float64Array(sizeOf(shape))); }

  /** From nested arrays (rectangular) or a number. */
  static from(x: NestedArray): Tensor {
    const shape: number[] = [];
    let probe: NestedArray = x;
    while (Array.isArray(probe)) { shape.push(probe.length); probe = probe[0] as NestedArray; }
    const data = new Float64Array(sizeOf(shape));
    let k = 0;
    const rec = (v: NestedArray, axis: number): void => {
      if (axis === shape.length) {
        if (typeof v !== "number") throw new Error("Tensor.from: ragged or non-numeric nested array");
        data[k++] = v;
        return;
      }
      if (!Array.isArray(v) || v.length !== shape[axis]) throw new Error(`Tensor.from: ragged nested array at axis ${axis}`);
      for (const e of v) rec(e, axis + 1);
    };
    rec(x, 0);
    return new Tensor(shape, data);
  }
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function tensor(shape: readonly number[], data: ArrayLike<number> | NestedArray): Tensor {
  if (typeof data === "number" || Array.isArray(data)) {
    const t = Tensor.from(data as NestedArray);
    return new Tensor(shape, t.data);
  }
  return new Tensor(shape, Float64Array.from(data as ArrayLike<number>));
}

/** Permute the axes of a dense tensor: out axis a is input axis perm[a]. */
export function permute<D extends FloatArray>(t: Tensor<D>, perm: readonly number[]): Tensor<D> {
  const r = t.shape.length;
  const inStrides = stridesOf(t.shape);
  const outShape = perm.map((p) => t.shape[p]!);
  const out = allocLike(t.data, t.data.length);
  const idx = new Array<number>(r).fill(0);
  for (let k = 0; k < out.length; k++) {
    let off = 0;
    for (let a = 0; a < r; a++) off += idx[a]! * inStrides[perm[a]!]!;
    out[k] = t.data[off]!;
    for (let a = r - 1; a >= 0; a--) {
      if (++idx[a]! < outShape[a]!) break;
      idx[a] = 0;
    }
  }
  return new Tensor(outShape, out);
}

export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let a = shape.length - 1; a >= 0; a--) { s[a] = acc; acc *= shape[a]!; }
  return s;
}
