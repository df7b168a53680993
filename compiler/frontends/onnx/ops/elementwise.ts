/**
 * Elementwise ops: arithmetic with NumPy broadcasting (scalar literals inline),
 * the math functions and the activations, each mapped to the `.thd` function
 * with the same definition. Arithmetic on constants (shape computations) is
 * folded, batch-size terms included.
 */
import type { OpContext, OpRule } from "../context.js";
import { mapConsts } from "../const-eval.js";
import { lit, operandLit } from "../literal.js";
import { broadcast, hasBatch, isConst, showShape, type Const, type Dim, type Value } from "../values.js";

const shapeOf = (v: Value): readonly Dim[] => v.shape;

/** The broadcast shape of the operands, or a diagnostic. */
function outShape(cx: OpContext, vs: readonly Value[]): Dim[] {
  let s: Dim[] = [];
  for (const v of vs) {
    const b = broadcast(s, shapeOf(v));
    if (!b) cx.fail(hasBatch(s) || hasBatch(v.shape) ? "TH502" : "TH503", `operands of shapes ${vs.map((x) => showShape(x.shape)).join(" and ")} do not broadcast`);
    s = b;
  }
  return s;
}

const rankOf = (v: Value): number => v.shape.length;

// ---- binary arithmetic ----

interface Binary { readonly sign: string; readonly f: (a: number, b: number, int: boolean) => number }
const BINARY: Record<string, Binary> = {
  Add: { sign: "+", f: (a, b) => a + b },
  Sub: { sign: "-", f: (a, b) => a - b },
  Mul: { sign: "*", f: (a, b) => a * b },
  Div: { sign: "/", f: (a, b, int) => (int ? Math.trunc(a / b) : a / b) },
};

/** Batch-size terms through + - * /: (a + pB) op (b + qB), linear in B or refused. */
function symBinary(cx: OpContext, op: string) {
  return (_: number, [a, b]: readonly number[], [p, q]: readonly number[]): number => {
    switch (op) {
      case "Add": return p! + q!;
      case "Sub": return p! - q!;
      case "Mul": if (p && q) cx.fail("TH502", "a product of two batch sizes"); return p! * b! + q! * a!;
      default:
        if (q) cx.fail("TH502", "a division by the batch size");
        if (p! % b! !== 0 || a! % b! !== 0) cx.fail("TH502", "a division of the batch size that is not exact");
        return p! / b!;
    }
  };
}

function binary(op: string): OpRule {
  const { sign, f } = BINARY[op]!;
  return {
    emit: (cx) => {
      const a = cx.input(0, "A"), b = cx.input(1, "B");
      const shape = outShape(cx, [a, b]);
      return [cx.emit(`${cx.em.operand(a, rankOf(b))} ${sign} ${cx.em.operand(b, rankOf(a))}`, shape)];
    },
    fold: (cx) => {
      const a = cx.input(0) as Const, b = cx.input(1) as Const, int = a.elem !== "float";
      return [mapConsts([a, b], cx.node.outputs[0]!, (x, y) => f(x!, y!, int), a.elem, symBinary(cx, op)) ?? cx.fail("TH503", `operands of shapes ${showShape(a.shape)} and ${showShape(b.shape)} do not broadcast`)];
    },
  };
}

const pow: OpRule = {
  emit: (cx) => {
    const x = cx.input(0, "X"), y = cx.input(1, "Y");
    if (!isConst(y)) return cx.fail("TH501", "an exponent computed at run time is not supported (the exponent must be a constant number)");
    if (y.data.length !== 1 || y.shape.length > x.shape.length) cx.fail("TH506", `the exponent must be a single number, got shape ${showShape(y.shape)}`);
    return [cx.emit(`${cx.em.ref(x)} ** ${operandLit(y.data[0]!)}`, x.shape)];
  },
  fold: (cx) => [mapConsts([cx.input(0) as Const, cx.input(1) as Const], cx.node.outputs[0]!, (a, b) => a! ** b!) ?? cx.fail("TH503", "operands do not broadcast")],
};

// ---- unary functions ----

interface Unary { readonly thd: (x: string, cx: OpContext) => string; readonly f?: (x: number) => number }
const fn = (name: string, f?: (x: number) => number): Unary => ({ thd: (x) => `${name}(${x})`, ...(f ? { f } : {}) });

const UNARY: Record<string, Unary> = {
  Neg: { thd: (x) => `-${x}`, f: (x) => -x },
  Exp: fn("exp", Math.exp),
  Log: fn("log", Math.log),
  Sqrt: fn("sqrt", Math.sqrt),
  Reciprocal: fn("reciprocal", (x) => 1 / x),
  Abs: fn("abs", Math.abs),
  Sin: fn("sin", Math.sin),
  Cos: fn("cos", Math.cos),
  Tanh: fn("tanh", Math.tanh),
  Sigmoid: fn("sigmoid", (x) => 1 / (1 + Math.exp(-x))),
  Relu: fn("relu", (x) => Math.max(x, 0)),
  Erf: fn("erf"),
  Softplus: fn("softplus"),
  LeakyRelu: {
    thd: (x, cx) => { const a = cx.float("alpha", 0.01); return a === 0.01 ? `leaky_relu(${x})` : `leaky_relu(${x}, negative_slope=${lit(a)})`; },
  },
  Elu: {
    thd: (x, cx) => { const a = cx.float("alpha", 1); return a === 1 ? `elu(${x})` : `elu(${x}, alpha=${lit(a)})`; },
  },
  Selu: {
    // ONNX's defaults are PyTorch's constants rounded to float32: those mean selu() itself
    thd: (x, cx) => {
      const a = cx.node.attributes.get("alpha")?.f, g = cx.node.attributes.get("gamma")?.f;
      const std = (a === undefined || a === Math.fround(1.6732632423543772)) && (g === undefined || g === Math.fround(1.0507009873554805));
      return std ? `selu(${x})` : `${lit(cx.float("gamma", 1.0507009873554805))} * elu(${x}, alpha=${lit(cx.float("alpha", 1.6732632423543772))})`;
    },
  },
};

function unary(op: string): OpRule {
  const u = UNARY[op]!;
  const rule: OpRule = { emit: (cx) => { const x = cx.input(0, "X"); return [cx.emit(u.thd(cx.em.ref(x), cx), x.shape)]; } };
  const f = u.f;
  return f ? { ...rule, fold: (cx) => [mapConsts([cx.input(0) as Const], cx.node.outputs[0]!, (x) => f(x!), "float") ?? cx.fail("TH503", "bad constant")] } : rule;
}

/** Clip with constant bounds (inputs since opset 11): clamp(x, min=, max=). */
const clip: OpRule = {
  emit: (cx) => {
    const x = cx.input(0, "input");
    const lo = cx.optional(1) && cx.number(1, "min"), hi = cx.optional(2) && cx.number(2, "max");
    const args = [lo !== undefined && Number.isFinite(lo) ? `min=${lit(lo)}` : "", hi !== undefined && Number.isFinite(hi) ? `max=${lit(hi)}` : ""].filter((s) => s);
    if (args.length === 0) return [x];
    return [cx.emit(`clamp(${cx.em.ref(x)}, ${args.join(", ")})`, x.shape)];
  },
};

export const ELEMENTWISE_OPS: Record<string, OpRule> = {
  ...Object.fromEntries(Object.keys(BINARY).map((op) => [op, binary(op)])),
  ...Object.fromEntries(Object.keys(UNARY).map((op) => [op, unary(op)])),
  Pow: pow,
  Clip: clip,
};
