/**
 * The functions of the .thd language: one entry per name, with its parameters
 * and its lowering to IR primitives (shape rules live in the builders).
 * Composite functions (softmax, log_softmax, mean) are decomposed here.
 * Adding a function is one entry; the Record type makes a listed name without
 * a rule a compile error.
 */
import type { Span } from "../diagnostics/diagnostic.js";
import type { Builder } from "./builders.js";
import { innerSize, type Node, type Shape, type UnaryFn } from "./node.js";

/** Argument kinds a function can take; arguments are bound and checked before lowering. */
export type ParamKind = "tensor" | "tensors" | "axes" | "int" | "bool" | "shape" | "ints" | "string";

export interface ParamSpec {
  readonly name: string;
  readonly kind: ParamKind;
  /** Absent from the call: this default (undefined: the parameter is required). */
  readonly default?: BoundValue;
  readonly optional?: boolean;
}

export type BoundValue = Node | readonly Node[] | number | readonly number[] | boolean | string | Shape | undefined;

export interface FnRule {
  readonly params: readonly ParamSpec[];
  readonly doc: string;
  lower(b: Builder, args: Readonly<Record<string, BoundValue>>, span: Span): Node | undefined;
}

export const FUNCTION_NAMES = ["exp", "log", "sqrt", "tanh", "sigmoid", "sin", "cos", "softplus", "relu", "sum", "mean", "softmax", "log_softmax", "reshape", "transpose", "einsum"] as const;
export type FnName = (typeof FUNCTION_NAMES)[number];

const T = (name = "x"): ParamSpec => ({ name, kind: "tensor" });
const elementwise = (fn: UnaryFn, doc: string): FnRule => ({
  params: [T()],
  doc,
  lower: (b, a, span) => b.unary(fn, a.x as Node, span),
});

/** softmax's shift by the max is a constant: it changes no derivative, only the range of exp. */
function shifted(b: Builder, x: Node, axis: number, span: Span): { e: Node; s: Node; z: Node } | undefined {
  const m = b.amax(x, [axis], span);
  const z = b.sub(x, m, span);
  const e = z && b.unary("exp", z, span);
  const s = e && b.sum(e, [axis], true, span);
  return z && e && s ? { e, s, z } : undefined;
}

function singleAxis(b: Builder, x: Node, axis: number, span: Span, what: string): number | undefined {
  return b.axes(x, [axis], span, what)?.[0];
}

export const FUNCTIONS: Record<FnName, FnRule> = {
  exp: elementwise("exp", "e^x"),
  log: elementwise("log", "natural logarithm"),
  sqrt: elementwise("sqrt", "square root"),
  tanh: elementwise("tanh", "hyperbolic tangent"),
  sigmoid: elementwise("sigmoid", "1 / (1 + e^-x)"),
  sin: elementwise("sin", "sine"),
  cos: elementwise("cos", "cosine"),
  softplus: elementwise("softplus", "log(1 + e^x) (PyTorch: beta 1, threshold 20)"),
  relu: elementwise("relu", "max(x, 0); derivative 0 at 0 (PyTorch)"),
  sum: {
    params: [T(), { name: "axis", kind: "axes", optional: true }, { name: "keepdims", kind: "bool", default: false }],
    doc: "sum over an axis, a list of axes, or all",
    lower: (b, a, span) => {
      const x = a.x as Node;
      const axes = b.axes(x, a.axis as number[] | undefined, span, "sum");
      return axes && b.sum(x, axes, a.keepdims as boolean, span);
    },
  },
  mean: {
    params: [T(), { name: "axis", kind: "axes", optional: true }, { name: "keepdims", kind: "bool", default: false }],
    doc: "mean over an axis, a list of axes, or all",
    lower: (b, a, span) => {
      const x = a.x as Node;
      const axes = b.axes(x, a.axis as number[] | undefined, span, "mean");
      if (!axes) return undefined;
      const n = axes.reduce((p, ax) => p * x.shape[ax]!, 1);
      const s = b.sum(x, axes, a.keepdims as boolean, span);
      return s && b.mul(b.const(1 / n, span), s, span);
    },
  },
  softmax: {
    params: [T(), { name: "axis", kind: "int", default: -1 }],
    doc: "exp(x) / sum(exp(x), axis), computed stably",
    lower: (b, a, span) => {
      const x = a.x as Node;
      const axis = singleAxis(b, x, a.axis as number, span, "softmax");
      const p = axis === undefined ? undefined : shifted(b, x, axis, span);
      const r = p && b.unary("pow", p.s, span, -1);
      return p && r && b.mul(p.e, r, span);
    },
  },
  log_softmax: {
    params: [T(), { name: "axis", kind: "int", default: -1 }],
    doc: "x - log(sum(exp(x), axis)), computed stably",
    lower: (b, a, span) => {
      const x = a.x as Node;
      const axis = singleAxis(b, x, a.axis as number, span, "log_softmax");
      const p = axis === undefined ? undefined : shifted(b, x, axis, span);
      const l = p && b.unary("log", p.s, span);
      return p && l && b.sub(p.z, l, span);
    },
  },
  reshape: {
    params: [T(), { name: "shape", kind: "shape" }],
    doc: "same elements, new shape (one dim may be -1)",
    lower: (b, a, span) => {
      const x = a.x as Node;
      let shape = [...(a.shape as Shape)];
      const holes = shape.filter((d) => d === -2).length;
      if (holes > 1) return b.error("TH204", "reshape: at most one dim may be -1", span);
      if (holes === 1) {
        const known = shape.reduce((p, d) => (d === -2 || d === -1 ? p : p * d), 1);
        const total = innerSize(x.shape);
        if (known === 0 || total % known !== 0) return b.error("TH204", `reshape: cannot infer -1 for ${total} elements`, span);
        shape = shape.map((d) => (d === -2 ? total / known : d));
      }
      return b.reshape(x, shape, span);
    },
  },
  transpose: {
    params: [T(), { name: "perm", kind: "ints", optional: true }],
    doc: "permute axes (default: reverse them)",
    lower: (b, a, span) => {
      const x = a.x as Node;
      const perm = (a.perm as number[] | undefined) ?? [...x.shape.keys()].reverse();
      return b.transpose(x, perm, span);
    },
  },
  einsum: {
    params: [{ name: "spec", kind: "string" }, { name: "operands", kind: "tensors" }],
    doc: "Einstein summation over any number of operands; repeated indices take diagonals",
    lower: (b, a, span) => b.einsum(a.spec as string, a.operands as Node[], span),
  },
};

export const isFnName = (s: string): s is FnName => (FUNCTION_NAMES as readonly string[]).includes(s);
