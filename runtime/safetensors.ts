/**
 * The safetensors format: an 8-byte little-endian header length N, N bytes of
 * UTF-8 JSON `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__"?: {..}}`,
 * then the data buffer (offsets relative to its start). Decoding checks what the
 * reference implementation checks (offsets contiguous from 0 and covering the
 * whole buffer, byte sizes matching shape and dtype) and gives every tensor as
 * float64. No Buffer and no node imports: this file runs in browsers, and only
 * uses library features of ES2019 (standalone modules may inline it).
 */
import { Tensor } from "./tensor.js";

/** One tensor of a header, data_offsets relative to the data buffer. */
export interface SafetensorsEntry {
  readonly name: string;
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly begin: number;
  readonly end: number;
}

/** A parsed header: tensors in data order, and where the data buffer starts in the file. */
export interface SafetensorsHeader {
  readonly metadata: Readonly<Record<string, string>>;
  readonly entries: readonly SafetensorsEntry[];
  readonly dataStart: number;
}

/** What encodeSafetensors writes per tensor (a Tensor qualifies); dtype F64 unless "F32". */
export interface SafetensorsInput {
  readonly shape: readonly number[];
  readonly data: ArrayLike<number>;
  readonly dtype?: "F64" | "F32";
}

/** The reference implementation's limit: a larger header is taken as corrupt. */
const ST_MAX_HEADER = 100_000_000;

type StReader = (v: DataView, at: number) => number;

function stHalf(h: number): number {
  const s = h & 0x8000 ? -1 : 1, e = (h >> 10) & 0x1f, m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

const stScratch = new DataView(new ArrayBuffer(4));
function stBf16(h: number): number {
  stScratch.setUint32(0, h << 16 >>> 0);
  return stScratch.getFloat32(0);
}

/** float8 e4m3fn (torch.float8_e4m3fn): bias 7, no infinities, S.1111.111 is NaN. */
function stE4m3(b: number): number {
  const s = b & 0x80 ? -1 : 1, e = (b >> 3) & 0xf, m = b & 7;
  if (e === 15 && m === 7) return NaN;
  return e === 0 ? s * m * 2 ** -9 : s * (1 + m / 8) * 2 ** (e - 7);
}

/** Bytes per element and a little-endian reader, by dtype (64-bit integers round to the nearest double). */
const ST_DTYPES: ReadonlyMap<string, readonly [number, StReader]> = new Map<string, readonly [number, StReader]>([
  ["F64", [8, (v, i) => v.getFloat64(i, true)]],
  ["F32", [4, (v, i) => v.getFloat32(i, true)]],
  ["F16", [2, (v, i) => stHalf(v.getUint16(i, true))]],
  ["BF16", [2, (v, i) => stBf16(v.getUint16(i, true))]],
  ["F8_E5M2", [1, (v, i) => stHalf(v.getUint8(i) << 8)]],
  ["F8_E4M3", [1, (v, i) => stE4m3(v.getUint8(i))]],
  ["I64", [8, (v, i) => v.getInt32(i + 4, true) * 2 ** 32 + v.getUint32(i, true)]],
  ["U64", [8, (v, i) => v.getUint32(i + 4, true) * 2 ** 32 + v.getUint32(i, true)]],
  ["I32", [4, (v, i) => v.getInt32(i, true)]],
  ["U32", [4, (v, i) => v.getUint32(i, true)]],
  ["I16", [2, (v, i) => v.getInt16(i, true)]],
  ["U16", [2, (v, i) => v.getUint16(i, true)]],
  ["I8", [1, (v, i) => v.getInt8(i)]],
  ["U8", [1, (v, i) => v.getUint8(i)]],
  ["BOOL", [1, (v, i) => (v.getUint8(i) ? 1 : 0)]],
]);

/** The platform's byte order: typed arrays copy little-endian data as is only on little-endian machines. */
const ST_LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const stFail = (msg: string): never => { throw new Error(`safetensors: ${msg}`); };
const stIsObject = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);
const stIsCount = (x: unknown): x is number => typeof x === "number" && Number.isSafeInteger(x) && x >= 0;

function stEntry(name: string, info: unknown, dataLength: number): SafetensorsEntry {
  const where = `tensor '${name}'`;
  if (!stIsObject(info)) return stFail(`${where}: expected {dtype, shape, data_offsets}, got ${JSON.stringify(info)}`);
  const { dtype, shape, data_offsets: offsets } = info;
  if (typeof dtype !== "string") return stFail(`${where}: dtype must be a string, got ${JSON.stringify(dtype)}`);
  const kind = ST_DTYPES.get(dtype);
  if (!kind) return stFail(`${where} has unknown dtype '${dtype}'; supported: ${[...ST_DTYPES.keys()].join(", ")}`);
  if (!Array.isArray(shape) || !shape.every(stIsCount)) return stFail(`${where}: shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(stIsCount) || (offsets[0] as number) > (offsets[1] as number)) {
    return stFail(`${where}: data_offsets must be [begin, end] with 0 <= begin <= end, got ${JSON.stringify(offsets)}`);
  }
  const [begin, end] = offsets as [number, number];
  if (end > dataLength) return stFail(`${where}: data_offsets [${begin}, ${end}] run past the end of the data buffer (${dataLength} bytes)`);
  let bytes = kind[0];
  for (const d of shape) bytes *= d; // exact: a product above 2^53 cannot equal end - begin, which is below it
  if (bytes !== end - begin) return stFail(`${where}: shape [${shape.join(", ")}] of ${dtype} needs ${bytes} bytes, data_offsets [${begin}, ${end}] hold ${end - begin}`);
  return { name, dtype, shape: shape.slice(), begin, end };
}

/** Reads and checks the header of a safetensors file (no tensor data is read). */
export function readSafetensorsHeader(input: Uint8Array | ArrayBuffer): SafetensorsHeader {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  if (bytes.length < 8) stFail(`file too short (${bytes.length} bytes): expected at least the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lo = view.getUint32(0, true), hi = view.getUint32(4, true);
  if (hi !== 0 || lo > ST_MAX_HEADER) stFail(`header length ${hi * 2 ** 32 + lo} is larger than ${ST_MAX_HEADER} bytes: not a safetensors file, or a corrupt one`);
  const n = lo, dataStart = 8 + n;
  if (dataStart > bytes.length) stFail(`header length ${n} runs past the end of the file (${bytes.length} bytes): truncated or corrupt`);
  let text = "";
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, dataStart));
  } catch {
    stFail("the header is not valid UTF-8");
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    stFail(`the header is not valid JSON (${(e as Error).message})`);
  }
  if (!stIsObject(header)) return stFail("the header must be a JSON object");
  const dataLength = bytes.length - dataStart;
  const metadata: Record<string, string> = Object.create(null) as Record<string, string>;
  const entries: SafetensorsEntry[] = [];
  for (const name of Object.keys(header)) {
    const info = header[name];
    if (name === "__metadata__") {
      if (!stIsObject(info)) stFail("__metadata__ must be an object of strings");
      for (const k of Object.keys(info as object)) {
        const v = (info as Record<string, unknown>)[k];
        if (typeof v !== "string") stFail(`__metadata__ '${k}' must be a string, got ${JSON.stringify(v)}`);
        metadata[k] = v as string;
      }
    } else {
      entries.push(stEntry(name, info, dataLength));
    }
  }
  // the spec: tensors fill the data buffer in order, with no overlap, no hole and nothing after
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0, prev: SafetensorsEntry | undefined;
  for (const e of entries) {
    if (e.begin < at) stFail(`tensor '${e.name}' data_offsets [${e.begin}, ${e.end}] overlap those of '${prev!.name}' [${prev!.begin}, ${prev!.end}]`);
    if (e.begin > at) stFail(`bytes [${at}, ${e.begin}) of the data buffer before tensor '${e.name}' belong to no tensor`);
    at = e.end;
    prev = e;
  }
  if (at !== dataLength) stFail(`${dataLength - at} bytes after the last tensor's data belong to no tensor: truncated header or corrupt file`);
  return { metadata, entries, dataStart };
}

/** Every tensor of a safetensors file as a float64 Tensor, in data order. */
export function decodeSafetensors(input: Uint8Array | ArrayBuffer): Map<string, Tensor> {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  const { entries, dataStart } = readSafetensorsHeader(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Map<string, Tensor>();
  for (const e of entries) {
    const [size, read] = ST_DTYPES.get(e.dtype)!;
    const n = (e.end - e.begin) / size, at = dataStart + e.begin;
    let data: Float64Array;
    if (ST_LITTLE && (e.dtype === "F64" || e.dtype === "F32")) {
      // a copy into a fresh, aligned buffer: the tensor does not keep the file alive
      const copy = new Uint8Array(n * size);
      copy.set(bytes.subarray(at, at + n * size));
      data = e.dtype === "F64" ? new Float64Array(copy.buffer) : Float64Array.from(new Float32Array(copy.buffer));
    } else {
      data = new Float64Array(n);
      for (let k = 0; k < n; k++) data[k] = read(view, at + k * size);
    }
    out.set(e.name, new Tensor(e.shape, data));
  }
  return out;
}

/** Byte-wise comparison of UTF-8 encodings, as the reference implementation orders names. */
function stCompareUtf8(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/**
 * safetensors bytes, deterministic: like the reference implementation, F64
 * tensors come before F32 ones (descending alignment), each group by name,
 * `__metadata__` first (its keys sorted here), the header padded with spaces to
 * a multiple of 8 bytes so that the data buffer is 8-byte aligned.
 */
export function encodeSafetensors(tensors: Readonly<Record<string, SafetensorsInput>> | ReadonlyMap<string, SafetensorsInput>, metadata?: Readonly<Record<string, string>>): Uint8Array {
  const utf8 = new TextEncoder();
  const pairs: [string, SafetensorsInput][] = tensors instanceof Map ? [...(tensors as ReadonlyMap<string, SafetensorsInput>)] : Object.keys(tensors).map((k) => [k, (tensors as Record<string, SafetensorsInput>)[k]!]);
  const items = pairs.map(([name, t]) => {
    if (name === "" || name === "__metadata__") stFail(`cannot write a tensor named '${name}'`);
    if (!t || !Array.isArray(t.shape) || !t.shape.every(stIsCount) || !t.data || typeof t.data.length !== "number") stFail(`tensor '${name}' must be {shape, data} with a shape of non-negative integers`);
    const dtype = t.dtype ?? "F64";
    if (dtype !== "F64" && dtype !== "F32") stFail(`tensor '${name}': cannot write dtype '${String(dtype)}' (F64 or F32)`);
    let count = 1;
    for (const d of t.shape) count *= d;
    if (t.data.length !== count) stFail(`tensor '${name}' has ${t.data.length} values for shape [${t.shape.join(", ")}] (${count} expected)`);
    return { name, key: utf8.encode(name), t, dtype, size: dtype === "F64" ? 8 : 4 };
  });
  items.sort((a, b) => b.size - a.size || stCompareUtf8(a.key, b.key));
  // JSON.stringify writes strings as serde_json does (same escapes, UTF-8 unescaped)
  const parts: string[] = [];
  if (metadata !== undefined) {
    const keys = Object.keys(metadata).sort((a, b) => stCompareUtf8(utf8.encode(a), utf8.encode(b)));
    for (const k of keys) if (typeof metadata[k] !== "string") stFail(`metadata '${k}' must be a string`);
    parts.push(`"__metadata__":{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(metadata[k])}`).join(",")}}`);
  }
  let offset = 0;
  for (const it of items) {
    const bytes = it.t.data.length * it.size;
    parts.push(`${JSON.stringify(it.name)}:{"dtype":"${it.dtype}","shape":[${it.t.shape.join(",")}],"data_offsets":[${offset},${offset + bytes}]}`);
    offset += bytes;
  }
  const json = utf8.encode(`{${parts.join(",")}}`);
  const n = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + n + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, n, true); // n < 2^32: the high word stays 0
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + n);
  let at = 8 + n;
  for (const it of items) {
    const d = it.t.data, f64 = it.size === 8;
    if (ST_LITTLE && f64 && d instanceof Float64Array) out.set(new Uint8Array(d.buffer, d.byteOffset, d.byteLength), at);
    else if (f64) for (let k = 0; k < d.length; k++) view.setFloat64(at + 8 * k, d[k]!, true);
    else for (let k = 0; k < d.length; k++) view.setFloat32(at + 4 * k, d[k]!, true);
    at += d.length * it.size;
  }
  return out;
}

/**
 * The tensors of a safetensors file: a `file:` URL or a path read from disk in
 * Node, anything else fetched (browsers, or http(s) in Node). Errors name the file.
 */
export async function loadSafetensors(url: URL | string): Promise<Map<string, Tensor>> {
  const where = String(url);
  let bytes: Uint8Array;
  try {
    bytes = await stReadBytes(url);
  } catch (e) {
    throw new Error(`loadSafetensors: cannot read ${where}: ${(e as Error).message}`);
  }
  try {
    return decodeSafetensors(bytes);
  } catch (e) {
    throw new Error(`loadSafetensors: ${where}: ${(e as Error).message}`);
  }
}

/** The parts of node:fs/promises used here: the runtime compiles without @types/node. */
interface StFs { readFile(path: string | URL): Promise<Uint8Array> }

async function stReadBytes(url: URL | string): Promise<Uint8Array> {
  const node = typeof (globalThis as { process?: { versions?: { node?: unknown } } }).process?.versions?.node === "string";
  let target: URL | string = url;
  if (typeof url === "string") {
    // an absolute URL of a known scheme, else a path (relative, or a Windows drive like C:\)
    try {
      const u = new URL(url);
      if (["file:", "http:", "https:", "data:", "blob:"].includes(u.protocol)) target = u;
    } catch { /* not an absolute URL */ }
  }
  const isFile = target instanceof URL ? target.protocol === "file:" : node;
  if (node && isFile) {
    // a specifier in a variable: bundlers for browsers leave it alone, and tsc needs no node types
    const fsName = "node:fs/promises";
    const fs = (await import(fsName)) as StFs;
    return await fs.readFile(target);
  }
  const res = await fetch(target);
  if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`);
  return new Uint8Array(await res.arrayBuffer());
}
