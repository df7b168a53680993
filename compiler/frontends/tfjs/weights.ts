/**
 * The weights manifest's values. Each group's shards are read and
 * concatenated in manifest order, then its entries are cut from the bytes in
 * order (little-endian, as tfjs writes them). Supported: float32, int32, and
 * tfjs's quantized float32 (uint8/uint16 affine, float16), decoded as
 * tf.io.decodeWeights does (affine values rounded to float32). A shard that
 * cannot be read is TH504; bytes that do not match the manifest are TH505;
 * other dtypes are TH506.
 */
import { fail } from "./failure.js";
import type { ManifestEntry, ManifestGroup } from "./model-json.js";

export interface RawWeight {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: Float64Array;
}

export type ShardReader = (relativePath: string) => Uint8Array | undefined | Error;

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

const BYTES: Readonly<Record<string, number>> = { float32: 4, int32: 4, float16: 2, uint16: 2, uint8: 1 };

/** Bytes per value of an entry as stored; TH506 for what tf.io.decodeWeights would not give as numbers. */
function storedBytes(e: ManifestEntry): number {
  const q = e.quantization;
  if (!q) {
    if (e.dtype === "float32" || e.dtype === "int32" || e.dtype === "float16") return BYTES[e.dtype]!;
    return fail("TH506", `weight '${e.name}' has dtype '${e.dtype}'; supported: float32, int32, float16, and quantized float32 (uint8, uint16, float16)`);
  }
  const ok = q.dtype === "float16" ? e.dtype === "float32" : (q.dtype === "uint8" || q.dtype === "uint16") && (e.dtype === "float32" || e.dtype === "int32");
  if (!ok) return fail("TH506", `weight '${e.name}' has dtype '${e.dtype}' quantized as '${q.dtype}'; supported: float32 as uint8, uint16 or float16, int32 as uint8 or uint16`);
  if (q.dtype !== "float16" && (q.scale === undefined || q.min === undefined)) return fail("TH503", `weight '${e.name}' is quantized as '${q.dtype}' without its scale and min`);
  return BYTES[q.dtype]!;
}

/** IEEE half to number (exact: every half is a float32 and a float64). */
function half(h: number): number {
  const sign = h & 0x8000 ? -1 : 1, exp = (h >> 10) & 0x1f, frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

function decode(e: ManifestEntry, view: DataView, offset: number): Float64Array {
  const n = size(e.shape), out = new Float64Array(n), q = e.quantization;
  const stored = q ? q.dtype : e.dtype;
  for (let i = 0; i < n; i++) {
    let v: number;
    if (stored === "float32") v = view.getFloat32(offset + 4 * i, true);
    else if (stored === "int32") v = view.getInt32(offset + 4 * i, true);
    else if (stored === "float16") v = half(view.getUint16(offset + 2 * i, true));
    else if (stored === "uint16") v = view.getUint16(offset + 2 * i, true);
    else v = view.getUint8(offset + i);
    if (q && stored !== "float16") v = e.dtype === "int32" ? Math.round(v * q.scale! + q.min!) : Math.fround(v * q.scale! + q.min!);
    out[i] = v;
  }
  return out;
}

/** Every weight of the manifest by its name (the first entry wins if a name repeats). */
export function readWeights(manifest: readonly ManifestGroup[], readShard: ShardReader): Map<string, RawWeight> {
  const out = new Map<string, RawWeight>();
  for (const group of manifest) {
    const shards = group.paths.map((path) => {
      let r: Uint8Array | undefined | Error;
      try {
        r = readShard(path);
      } catch (e) {
        r = e instanceof Error ? e : new Error(String(e));
      }
      if (r instanceof Error) return fail("TH504", `weight shard '${path}' listed in model.json cannot be read: ${(r as NodeJS.ErrnoException).code ?? r.message}`);
      if (!(r instanceof Uint8Array)) return fail("TH504", `weight shard '${path}' listed in model.json was not found`);
      return r;
    });
    const total = shards.reduce((a, s) => a + s.length, 0);
    const bytes = new Uint8Array(total);
    let at = 0;
    for (const s of shards) { bytes.set(s, at); at += s.length; }
    const view = new DataView(bytes.buffer);
    let offset = 0;
    for (const e of group.weights) {
      const need = size(e.shape) * storedBytes(e);
      if (offset + need > total) {
        return fail("TH505", `weight '${e.name}' needs ${need} bytes at offset ${offset}, the shards (${group.paths.join(", ")}) hold ${total} bytes in all`);
      }
      if (!out.has(e.name)) out.set(e.name, { name: e.name, shape: e.shape, data: decode(e, view, offset) });
      offset += need;
    }
    if (offset !== total) {
      return fail("TH505", `the shards (${group.paths.join(", ")}) hold ${total} bytes, their manifest entries need ${offset}`);
    }
  }
  return out;
}
