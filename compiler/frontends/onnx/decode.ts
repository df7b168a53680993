/**
 * Bytes -> a plain, typed ONNX model (numbers instead of Longs, Maps for
 * attributes), with protobufjs/light and the descriptor in schema.ts.
 * Never throws: truncated or corrupt bytes, or a protobuf message that is not
 * an ONNX model (no graph), give TH503.
 */
import protobuf from "protobufjs/light.js";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { ONNX_SCHEMA } from "./schema.js";
import { diagnostic } from "./failure.js";

export interface OnnxTensor {
  readonly name: string;
  readonly dims: readonly number[];
  readonly dataType: number;
  readonly floatData: readonly number[];
  readonly int32Data: readonly number[];
  readonly int64Data: readonly number[];
  readonly doubleData: readonly number[];
  readonly uint64Data: readonly number[];
  readonly rawData: Uint8Array | undefined;
  /** The `location` of external data (data_location EXTERNAL), if any. */
  readonly external: string | undefined;
}

export interface OnnxAttribute {
  readonly name: string;
  readonly type: number;
  readonly f: number;
  readonly i: number;
  readonly s: string;
  readonly t: OnnxTensor | undefined;
  readonly floats: readonly number[];
  readonly ints: readonly number[];
}

export interface OnnxNode {
  readonly name: string;
  readonly opType: string;
  readonly domain: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: ReadonlyMap<string, OnnxAttribute>;
}

/** A dim: its size, its symbolic name (dim_param), or null when neither is given. */
export type OnnxDim = number | string | null;

export interface OnnxValueInfo {
  readonly name: string;
  /** TensorProto.DataType of a tensor type; undefined for other types (sequence, map). */
  readonly elemType: number | undefined;
  /** undefined: no shape in the file (rank unknown). */
  readonly dims: readonly OnnxDim[] | undefined;
}

export interface OnnxGraph {
  readonly name: string;
  readonly nodes: readonly OnnxNode[];
  readonly initializers: readonly OnnxTensor[];
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
  readonly sparseInitializers: number;
}

export interface OnnxModel {
  readonly irVersion: number;
  readonly producer: string;
  /** Opset version by domain ("" is the default ai.onnx domain). */
  readonly opsets: ReadonlyMap<string, number>;
  readonly graph: OnnxGraph;
}

let modelType: protobuf.Type | undefined;
const onnxModelType = (): protobuf.Type => (modelType ??= protobuf.Root.fromJSON(ONNX_SCHEMA as unknown as protobuf.INamespace).lookupType("onnx.ModelProto"));

/** int64 fields arrive as Long when the `long` package is present, else as numbers. */
type LongLike = number | { toNumber(): number };
const num = (v: unknown): number => (typeof v === "number" ? v : v && typeof (v as { toNumber?: unknown }).toNumber === "function" ? (v as { toNumber(): number }).toNumber() : 0);
const nums = (v: unknown): number[] => (Array.isArray(v) ? (v as LongLike[]).map(num) : []);
const str = (v: unknown): string => (typeof v === "string" ? v : "");
const utf8 = new TextDecoder("utf-8");
const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

type Msg = Record<string, unknown>;
const msgs = (v: unknown): Msg[] => (Array.isArray(v) ? (v as Msg[]) : []);

function tensor(m: Msg): OnnxTensor {
  const ext = msgs(m.externalData);
  const location = ext.find((e) => e.key === "location")?.value;
  return {
    name: str(m.name),
    dims: nums(m.dims),
    dataType: num(m.dataType),
    floatData: nums(m.floatData),
    int32Data: nums(m.int32Data),
    int64Data: nums(m.int64Data),
    doubleData: nums(m.doubleData),
    uint64Data: nums(m.uint64Data),
    rawData: has(m, "rawData") ? (m.rawData as Uint8Array) : undefined,
    external: num(m.dataLocation) === 1 || ext.length > 0 ? str(location) || "(no location given)" : undefined,
  };
}

function attribute(m: Msg): OnnxAttribute {
  return {
    name: str(m.name),
    type: num(m.type),
    f: num(m.f),
    i: num(m.i),
    s: m.s instanceof Uint8Array ? utf8.decode(m.s) : "",
    t: m.t ? tensor(m.t as Msg) : undefined,
    floats: nums(m.floats),
    ints: nums(m.ints),
  };
}

function valueInfo(m: Msg): OnnxValueInfo {
  const tt = (m.type as Msg | undefined)?.tensorType as Msg | undefined;
  const shape = tt?.shape as Msg | undefined;
  const dims = shape ? msgs(shape.dim).map((d): OnnxDim => (has(d, "dimValue") ? num(d.dimValue) : has(d, "dimParam") ? str(d.dimParam) : null)) : undefined;
  return { name: str(m.name), elemType: tt ? num(tt.elemType) : undefined, dims };
}

function graph(m: Msg): OnnxGraph {
  return {
    name: str(m.name),
    nodes: msgs(m.node).map((n) => ({
      name: str(n.name),
      opType: str(n.opType),
      domain: str(n.domain),
      inputs: (n.input as string[] | undefined) ?? [],
      outputs: (n.output as string[] | undefined) ?? [],
      attributes: new Map(msgs(n.attribute).map((a) => [str(a.name), attribute(a)])),
    })),
    initializers: msgs(m.initializer).map(tensor),
    inputs: msgs(m.input).map(valueInfo),
    outputs: msgs(m.output).map(valueInfo),
    sparseInitializers: Array.isArray(m.sparseInitializer) ? m.sparseInitializer.length : 0,
  };
}

export function decodeModel(bytes: Uint8Array): { model?: OnnxModel; diagnostics: Diagnostic[] } {
  let m: Msg;
  try {
    m = onnxModelType().decode(bytes) as unknown as Msg;
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { diagnostics: [diagnostic("TH503", `the file is not a readable ONNX model: the protobuf data is truncated or corrupt (${why})`)] };
  }
  if (!m.graph) {
    return { diagnostics: [diagnostic("TH503", bytes.length === 0 ? "the file is empty" : "the file is not an ONNX model: it holds no graph (ModelProto.graph is missing)")] };
  }
  const opsets = new Map<string, number>();
  for (const o of msgs(m.opsetImport)) opsets.set(str(o.domain) === "ai.onnx" ? "" : str(o.domain), num(o.version));
  const producer = [str(m.producerName), str(m.producerVersion)].filter((s) => s).join(" ");
  return { model: { irVersion: num(m.irVersion), producer, opsets, graph: graph(m.graph as Msg) }, diagnostics: [] };
}
