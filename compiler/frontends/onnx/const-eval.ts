/**
 * Constant folding helpers: every shape op on a constant is an index map
 * (output element i reads input element src[i]), applied to the data and to
 * its batch-size terms alike; elementwise ops broadcast as NumPy.
 */
import { fail } from "./failure.js";
import { broadcast, makeConst, MAX_ELEMENTS, size, strides, type Const } from "./values.js";

/** Folding allocates the whole result: refuse corrupt sizes first. */
function sized(shape: readonly number[]): number {
  const n = size(shape);
  if (n > MAX_ELEMENTS) fail("TH506", `a folded constant of shape [${shape.join(", ")}] is too large`);
  return n;
}

/** For each element of `outShape`, the row-major index it reads in `inShape` under broadcasting. */
export function broadcastIndex(inShape: readonly number[], outShape: readonly number[]): Int32Array {
  const n = sized(outShape), r = outShape.length, off = r - inShape.length;
  const inSt = strides(inShape), src = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let rem = i, at = 0;
    for (let ax = r - 1; ax >= 0; ax--) {
      const d = outShape[ax]!, c = rem % d;
      rem = (rem - c) / d;
      const ia = ax - off;
      if (ia >= 0 && inShape[ia] !== 1) at += c * inSt[ia]!;
    }
    src[i] = at;
  }
  return src;
}

/** A constant read through an index map. */
export function gatherConst(c: Const, shape: readonly number[], src: ArrayLike<number>, onnxName: string): Const {
  const data = new Float64Array(src.length), sym = c.sym ? new Float64Array(src.length) : undefined;
  for (let i = 0; i < src.length; i++) { data[i] = c.data[src[i]!]!; if (sym) sym[i] = c.sym![src[i]!]!; }
  return makeConst(shape, data, c.elem, onnxName, sym ? { sym } : {});
}

/** The index map of a permutation of axes. */
export function transposeIndex(shape: readonly number[], perm: readonly number[]): { shape: number[]; src: Int32Array } {
  const out = perm.map((p) => shape[p]!), st = strides(shape), n = sized(out), src = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let rem = i, at = 0;
    for (let ax = out.length - 1; ax >= 0; ax--) { const c = rem % out[ax]!; rem = (rem - c) / out[ax]!; at += c * st[perm[ax]!]!; }
    src[i] = at;
  }
  return { shape: out, src };
}

/** The index map that picks `indices` along `axis` (NumPy take): the axis is replaced by the indices' shape. */
export function takeIndex(shape: readonly number[], axis: number, indices: readonly number[], idxShape: readonly number[]): { shape: number[]; src: Int32Array } {
  const outer = size(shape.slice(0, axis)), inner = size(shape.slice(axis + 1)), d = shape[axis]!;
  const out = [...shape.slice(0, axis), ...idxShape, ...shape.slice(axis + 1)];
  sized(out);
  const src = new Int32Array(outer * indices.length * inner);
  let k = 0;
  for (let o = 0; o < outer; o++) for (const j of indices) for (let i = 0; i < inner; i++) src[k++] = (o * d + j) * inner + i;
  return { shape: out, src };
}

/** Elementwise f over broadcast constants; `sym` combines the batch-size terms (undefined: not allowed). */
export function mapConsts(
  cs: readonly Const[],
  onnxName: string,
  f: (...v: number[]) => number,
  elem = cs[0]!.elem,
  sym?: (i: number, data: readonly number[], syms: readonly number[]) => number,
): Const | undefined {
  let shape: number[] = [];
  for (const c of cs) { const s = broadcast(shape, c.shape); if (!s) return undefined; shape = s as number[]; }
  const maps = cs.map((c) => broadcastIndex(c.shape, shape));
  const n = sized(shape), data = new Float64Array(n), anySym = cs.some((c) => c.sym);
  const out = anySym ? new Float64Array(n) : undefined;
  for (let i = 0; i < n; i++) {
    const vs = cs.map((c, j) => c.data[maps[j]![i]!]!);
    data[i] = f(...vs);
    if (out) out[i] = sym!(i, vs, cs.map((c, j) => (c.sym ? c.sym[maps[j]![i]!]! : 0)));
  }
  return makeConst(shape, data, elem, onnxName, out ? { sym: out } : {});
}
