/**
 * TensorProto -> dense float64 data. Values come from raw_data (little-endian,
 * any layout ONNX allows) or from the typed repeated fields; external data
 * (stored in another file) is TH504, a size that does not match the dims TH505.
 */
import type { OnnxTensor } from "./decode.js";
import { fail } from "./failure.js";

export type ElemKind = "float" | "int" | "bool";

export interface TensorData {
  readonly shape: readonly number[];
  readonly data: Float64Array;
  readonly kind: ElemKind;
  /** Stored as FLOAT (float32): its scalars may be literals rounded to float32. */
  readonly float32: boolean;
}

export const DATA_TYPE_NAMES: Record<number, string> = {
  0: "UNDEFINED", 1: "FLOAT", 2: "UINT8", 3: "INT8", 4: "UINT16", 5: "INT16", 6: "INT32", 7: "INT64", 8: "STRING",
  9: "BOOL", 10: "FLOAT16", 11: "DOUBLE", 12: "UINT32", 13: "UINT64", 14: "COMPLEX64", 15: "COMPLEX128", 16: "BFLOAT16",
};

/** Bytes per element in raw_data, and how to read one. */
const RAW: Record<number, { size: number; read(v: DataView, at: number): number }> = {
  1: { size: 4, read: (v, at) => v.getFloat32(at, true) },
  2: { size: 1, read: (v, at) => v.getUint8(at) },
  3: { size: 1, read: (v, at) => v.getInt8(at) },
  4: { size: 2, read: (v, at) => v.getUint16(at, true) },
  5: { size: 2, read: (v, at) => v.getInt16(at, true) },
  6: { size: 4, read: (v, at) => v.getInt32(at, true) },
  7: { size: 8, read: (v, at) => Number(v.getBigInt64(at, true)) },
  9: { size: 1, read: (v, at) => (v.getUint8(at) ? 1 : 0) },
  10: { size: 2, read: (v, at) => half(v.getUint16(at, true)) },
  11: { size: 8, read: (v, at) => v.getFloat64(at, true) },
  12: { size: 4, read: (v, at) => v.getUint32(at, true) },
  13: { size: 8, read: (v, at) => Number(v.getBigUint64(at, true)) },
  16: { size: 2, read: (v, at) => bfloat16(v.getUint16(at, true)) },
};

/** IEEE half precision bits -> number (exact). */
function half(h: number): number {
  const s = h & 0x8000 ? -1 : 1, e = (h >> 10) & 0x1f, f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

function bfloat16(h: number): number {
  const v = new DataView(new ArrayBuffer(4));
  v.setUint32(0, h << 16);
  return v.getFloat32(0);
}

const kindOf = (t: number): ElemKind => (t === 1 || t === 10 || t === 11 || t === 16 ? "float" : t === 9 ? "bool" : "int");

/** Dense data of a tensor; `what` names it in messages ("initializer 'fc.weight'"). */
export function tensorData(t: OnnxTensor, what: string): TensorData {
  const typeName = DATA_TYPE_NAMES[t.dataType] ?? `type ${t.dataType}`;
  if (t.external !== undefined) fail("TH504", `${what} is stored as external data in '${t.external}', outside the .onnx file; save the model with its weights inside (onnx.save_model(..., save_as_external_data=False)) and import that file`);
  if (t.dims.some((d) => !Number.isInteger(d) || d < 0)) fail("TH503", `${what} has an invalid shape [${t.dims.join(", ")}]`);
  const n = t.dims.reduce((p, d) => p * d, 1);
  if (n > 2 ** 28) fail("TH505", `${what} claims shape [${t.dims.join(", ")}], too large to be read`);
  const raw = RAW[t.dataType];
  if (!raw) fail("TH504", `${what} has element type ${typeName}, which the importer cannot read (float, integer and bool tensors only)`);
  let values: ArrayLike<number>;
  if (t.rawData !== undefined) {
    if (t.rawData.length !== n * raw.size) fail("TH505", `${what} (${typeName}, shape [${t.dims.join(", ")}]) needs ${n * raw.size} bytes of raw data, the file holds ${t.rawData.length}`);
    const view = new DataView(t.rawData.buffer, t.rawData.byteOffset, t.rawData.byteLength);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = raw.read(view, i * raw.size);
    values = out;
  } else {
    const typed = t.dataType === 1 ? t.floatData : t.dataType === 11 ? t.doubleData : t.dataType === 7 ? t.int64Data
      : t.dataType === 12 || t.dataType === 13 ? t.uint64Data : t.int32Data;
    values = t.dataType === 10 ? typed.map(half) : t.dataType === 16 ? typed.map(bfloat16) : t.dataType === 9 ? typed.map((b) => (b ? 1 : 0)) : typed;
    if (values.length !== n) {
      if (values.length === 0) fail("TH504", `${what} (shape [${t.dims.join(", ")}]) has no values in the file`);
      fail("TH505", `${what} holds ${values.length} values, its shape [${t.dims.join(", ")}] needs ${n}`);
    }
  }
  return { shape: [...t.dims], data: Float64Array.from(values), kind: kindOf(t.dataType), float32: t.dataType === 1 };
}
