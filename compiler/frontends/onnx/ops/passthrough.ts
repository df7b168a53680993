/**
 * Ops that compute nothing at run time: Identity, Dropout (inference), Cast to
 * a float type (thoad computes in float64 throughout), and the constants:
 * Constant, Shape (static except the batch size, which becomes a batch-size
 * term), ConstantOfShape.
 */
import type { OpContext, OpRule } from "../context.js";
import { float32Literal } from "../literal.js";
import { DATA_TYPE_NAMES } from "../tensor-data.js";
import { makeConst, size, type Const, type Value } from "../values.js";

const identity: OpRule = { emit: (cx) => [cx.input(0, "input")] };

const dropout: OpRule = {
  emit: (cx) => {
    cx.onlyFirstOutput();
    if (cx.optional(2) && cx.number(2, "training_mode") !== 0) cx.fail("TH506", "training_mode=true (random dropout) is not supported; export the model in eval mode");
    return [cx.input(0, "data")];
  },
};

const FLOATS = new Set([1, 10, 11, 16]);
const INTS = new Set([2, 3, 4, 5, 6, 7, 12, 13]);

function castConst(cx: OpContext, x: Const, to: number): Const {
  if (FLOATS.has(to)) return makeConst(x.shape, x.data, "float", cx.node.outputs[0]!, x.sym ? { sym: x.sym } : {});
  if (INTS.has(to)) return makeConst(x.shape, x.data.map(Math.trunc), "int", cx.node.outputs[0]!, x.sym ? { sym: x.sym } : {});
  if (to === 9) return makeConst(x.shape, x.data.map((v) => (v ? 1 : 0)), "bool", cx.node.outputs[0]!);
  return cx.fail("TH506", `cast to ${DATA_TYPE_NAMES[to] ?? to} is not supported`);
}

const cast: OpRule = {
  emit: (cx) => {
    const x = cx.input(0, "input"), to = cx.int("to", 1);
    if (x.kind === "const") return [castConst(cx, x, to)];
    if (!FLOATS.has(to)) cx.fail("TH501", `a cast of a run-time tensor to ${DATA_TYPE_NAMES[to] ?? to} is not supported (it is not differentiable); only casts to float types`);
    return [x];
  },
};

const constant: OpRule = {
  emit: (cx) => {
    const name = cx.node.outputs[0]!;
    const t = cx.tensorAttr("value");
    if (t) {
      // a float32 scalar is an exporter's literal (0.5, 1e-5, sqrt 2): read back as written
      const data = t.float32 && t.data.length === 1 ? t.data.map(float32Literal) : t.data;
      return [makeConst(t.shape, data, t.kind, name)];
    }
    const a = cx.node.attributes;
    if (a.has("value_float")) return [makeConst([], Float64Array.of(float32Literal(a.get("value_float")!.f)), "float", name)];
    if (a.has("value_floats")) return [makeConst([a.get("value_floats")!.floats.length], Float64Array.from(a.get("value_floats")!.floats), "float", name)];
    if (a.has("value_int")) return [makeConst([], Float64Array.of(a.get("value_int")!.i), "int", name)];
    if (a.has("value_ints")) return [makeConst([a.get("value_ints")!.ints.length], Float64Array.from(a.get("value_ints")!.ints), "int", name)];
    return cx.fail("TH506", `only value, value_float(s) and value_int(s) constants are supported (got ${[...a.keys()].join(", ") || "no attribute"})`);
  },
};

/** Shape: static sizes, and the batch size as a batch-size term (data 0, sym 1). */
const shape: OpRule = {
  emit: (cx) => {
    const x: Value = cx.input(0, "data"), r = x.shape.length;
    const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + r : v, 0), r);
    const lo = clamp(cx.int("start", 0)), hi = cx.has("end") ? clamp(cx.int("end", r)) : r;
    const dims = x.shape.slice(lo, Math.max(lo, hi));
    const data = Float64Array.from(dims, (d) => (d === "B" ? 0 : d)), sym = Float64Array.from(dims, (d) => (d === "B" ? 1 : 0));
    return [makeConst([dims.length], data, "int", cx.node.outputs[0]!, { sym })];
  },
};

const constantOfShape: OpRule = {
  emit: (cx) => {
    const s = cx.ints(0, "input");
    const t = cx.tensorAttr("value");
    const v = t ? (t.float32 ? float32Literal(t.data[0] ?? 0) : t.data[0] ?? 0) : 0;
    if (s.some((d) => !Number.isInteger(d) || d < 0) || size(s) > 1 << 24) cx.fail("TH506", `shape [${s.join(", ")}] is not supported`);
    return [makeConst(s, new Float64Array(size(s)).fill(v), t?.kind ?? "float", cx.node.outputs[0]!)];
  },
};

export const PASSTHROUGH_OPS: Record<string, OpRule> = {
  Identity: identity, Dropout: dropout, Cast: cast, Constant: constant, Shape: shape, ConstantOfShape: constantOfShape,
};
