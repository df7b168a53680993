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
import { CONTRACTION_NAMES, CONTRACTIONS } from "./contractions.js";
import { LOSS_NAMES, LOSSES } from "./losses.js";
import { OP_FUNCTION_NAMES, OP_FUNCTIONS } from "./functions-ops.js";
import { STRUCTURED_NAMES, STRUCTURED } from "./structured.js";

/** Argument kinds a function can take; arguments are bound and checked before lowering. */
export type ParamKind = "tensor" | "tensors" | "tensorList" | "axes" | "int" | "number" | "bool" | "shape" | "ints" | "string"
  /** a constant number if the argument is one (bound as a number), else a tensor (bound as its node) */
  | "numberOrTensor"
  /** a string literal (bound as the string), else as "axes" */
  | "axesOrString";

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

export const FUNCTION_NAMES = [
  "exp", "expm1", "log", "log1p", "log2", "log10", "sqrt", "rsqrt", "square", "reciprocal", "pow", "abs", "neg",
  "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "atanh", "acosh", "erf", "erfc", "erfinv", "sign", "floor", "ceil", "round", "trunc",
  "sigmoid", "softplus", "relu", "leaky_relu", "elu", "celu", "selu", "silu", "gelu", "mish", "xlogy", "atan2", "hypot",
  "sum", "mean", "softmax", "log_softmax", "reshape", "transpose", "einsum",
  ...CONTRACTION_NAMES, ...LOSS_NAMES, ...OP_FUNCTION_NAMES, ...STRUCTURED_NAMES,
] as const;
export type FnName = (typeof FUNCTION_NAMES)[number];

const T = (name = "x"): ParamSpec => ({ name, kind: "tensor" });
const N = (name: string, dflt?: number): ParamSpec => ({ name, kind: "number", ...(dflt === undefined ? {} : { default: dflt }) });
const elementwise = (fn: UnaryFn, doc: string): FnRule => ({
  params: [T()],
  doc,
  lower: (b, a, span) => b.unary(fn, a.x as Node, span),
});
/** A piecewise-constant function: its value, a constant for differentiation (PyTorch's gradient is 0 everywhere). */
const step = (fn: UnaryFn, doc: string): FnRule => ({
  params: [T()],
  doc: `${doc}; every derivative 0`,
  lower: (b, a, span) => { const u = b.unary(fn, a.x as Node, span); return u && b.compare("detach", [u], span, fn); },
});
const power = (p: number, doc: string): FnRule => ({ params: [T()], doc, lower: (b, a, span) => b.unary("pow", a.x as Node, span, p) });

/** c * x for a constant c (no node for c = 1). */
const scaled = (b: Builder, c: number, x: Node | undefined, span: Span): Node | undefined => x && b.mul(b.const(c, span), x, span);

/**
 * c1 * f1(x) + c2 * relu(x): the piecewise-linear part of leaky_relu and elu.
 * relu'(0) = 0, so the derivative at 0 is the one of c1 * f1 (PyTorch's branch at 0).
 */
function withRelu(b: Builder, c1: number, f1: Node | undefined, c2: number, x: Node, span: Span): Node | undefined {
  const a = scaled(b, c1, f1, span), r = scaled(b, c2, b.unary("relu", x, span), span);
  return a && r && b.add(a, r, span);
}

/** x ** p for a constant p, as the '**' operator (x ** 0: ones with x's shape). */
function powConst(b: Builder, x: Node, p: number, span: Span): Node | undefined {
  if (p !== 0) return b.unary("pow", x, span, p);
  const zero = b.mul(b.const(0, span), x, span);
  return zero && b.add(b.const(1, span), zero, span);
}

/**
 * x ** y: a constant exponent (a number, or a constant node) as the '**' operator; a tensor
 * exponent as exp(y log x), broadcasting x and y (defined for x > 0; PyTorch's pow also
 * takes negative bases with integer exponents, where this is NaN).
 */
export function powOf(b: Builder, x: Node, y: number | Node, span: Span): Node | undefined {
  if (typeof y === "number") return powConst(b, x, y, span);
  if (y.op === "const") return powConst(b, x, y.attrs.value, span);
  const l = b.unary("log", x, span);
  const m = l && b.mul(l, y, span, "**");
  return m && b.unary("exp", m, span);
}

/**
 * atan2(y, x), broadcasting (torch.atan2), from atan on two branches selected by a constant
 * mask: where |y| <= |x|, atan(y / x) + pi sgn(y) [x < 0]; where |y| > |x|, pi/2 sgn(y) -
 * atan(x / y). Each branch divides by an operand that is not 0 where the branch is selected;
 * elsewhere its divisor is replaced by 1, so the unselected branch is finite and the
 * selection `A m + B (1 - m)` is exact. sgn(y) is 2 [y >= 0] - 1 (-0 counts as +0, so
 * atan2(-0, -1) = pi where PyTorch gives -pi). At (0, 0): value 0 (as PyTorch), derivatives
 * those of atan(y) (PyTorch's are NaN).
 */
function atan2(b: Builder, y: Node, x: Node, span: Span): Node | undefined {
  const what = "atan2";
  const yd = b.compare("detach", [y], span, what)!, xd = b.compare("detach", [x], span, what)!;
  const ay = b.unary("abs", yd, span), ax = b.unary("abs", xd, span);
  const m = ay && ax && b.compare("le", [ay, ax], span, what); // branch A
  if (!m) return undefined;
  const one = b.const(1, span);
  const oneMinus = (v: Node) => b.sub(one, v, span)!;
  const nz = b.compare("ne", [xd, b.const(0, span)], span, what)!;
  const k = b.mul(m, nz, span)!; // branch A and x != 0 (A at (0, 0) divides by 1)
  const xa = b.add(b.mul(x, k, span)!, oneMinus(k), span)!;
  const ya = b.add(b.mul(y, oneMinus(m), span)!, m, span)!; // branch B: y != 0 there
  const sgn = b.add(scaled(b, 2, b.compare("ge", [yd, b.const(0, span)], span, what), span)!, b.const(-1, span), span)!;
  const inv = (v: Node) => b.unary("pow", v, span, -1)!;
  const ta = b.unary("atan", b.mul(y, inv(xa), span)!, span)!;
  const a = b.add(ta, scaled(b, Math.PI, b.mul(b.compare("lt", [xd, b.const(0, span)], span, what)!, sgn, span), span)!, span)!;
  const tb = b.unary("atan", b.mul(x, inv(ya), span)!, span)!;
  const bb = b.sub(scaled(b, Math.PI / 2, sgn, span)!, tb, span)!;
  return b.add(b.mul(a, m, span)!, b.mul(bb, oneMinus(m), span)!, span);
}

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
  expm1: elementwise("expm1", "e^x - 1, accurate near 0"),
  log: elementwise("log", "natural logarithm"),
  log1p: elementwise("log1p", "log(1 + x), accurate near 0"),
  log2: elementwise("log2", "base-2 logarithm"),
  log10: elementwise("log10", "base-10 logarithm"),
  sqrt: elementwise("sqrt", "square root"),
  rsqrt: power(-0.5, "1 / sqrt(x) (x ** -0.5)"),
  square: power(2, "x * x (x ** 2)"),
  reciprocal: power(-1, "1 / x (x ** -1)"),
  pow: {
    params: [T(), { name: "exponent", kind: "numberOrTensor" }],
    doc: "x ** exponent (as the ** operator): a constant number exponent, or a tensor one (exp(exponent log x), x > 0, broadcasting)",
    lower: (b, a, span) => powOf(b, a.x as Node, a.exponent as number | Node, span),
  },
  abs: elementwise("abs", "|x|; derivative sgn(x), 0 at 0 (PyTorch)"),
  neg: { params: [T()], doc: "-x", lower: (b, a, span) => b.neg(a.x as Node, span) },
  sin: elementwise("sin", "sine"),
  cos: elementwise("cos", "cosine"),
  tan: elementwise("tan", "tangent"),
  asin: elementwise("asin", "inverse sine, domain [-1, 1]"),
  acos: elementwise("acos", "inverse cosine, domain [-1, 1]"),
  atan: elementwise("atan", "inverse tangent"),
  sinh: elementwise("sinh", "hyperbolic sine"),
  cosh: elementwise("cosh", "hyperbolic cosine"),
  tanh: elementwise("tanh", "hyperbolic tangent"),
  asinh: elementwise("asinh", "inverse hyperbolic sine"),
  atanh: elementwise("atanh", "inverse hyperbolic tangent, domain (-1, 1)"),
  erf: elementwise("erf", "error function"),
  sign: step("sign", "-1, 0 or 1 (0 at 0, as torch.sign)"),
  floor: step("floor", "the largest integer <= x"),
  ceil: step("ceil", "the smallest integer >= x"),
  round: step("round", "the nearest integer, half to even (torch.round)"),
  trunc: step("trunc", "x rounded toward 0"),
  erfc: elementwise("erfc", "complementary error function 1 - erf(x), accurate for large x"),
  erfinv: elementwise("erfinv", "inverse error function, domain (-1, 1); +-inf at +-1"),
  acosh: elementwise("acosh", "inverse hyperbolic cosine, domain x >= 1 (derivatives infinite at 1)"),
  sigmoid: elementwise("sigmoid", "1 / (1 + e^-x)"),
  softplus: {
    params: [T(), N("beta", 1), N("threshold", 20)],
    doc: "log(1 + e^(beta x)) / beta; x where beta x > threshold (PyTorch; only threshold 20)",
    lower: (b, a, span) => {
      const x = a.x as Node, beta = a.beta as number;
      if (a.threshold !== 20) return b.error("TH105", "softplus(): only threshold=20 (the default) is supported", span);
      if (beta === 0) return b.error("TH105", "softplus(): 'beta' must not be 0", span);
      if (beta === 1) return b.unary("softplus", x, span);
      // the primitive switches to the identity where its argument beta x > 20: PyTorch's test
      return scaled(b, 1 / beta, b.unary("softplus", scaled(b, beta, x, span)!, span), span);
    },
  },
  relu: elementwise("relu", "max(x, 0); derivative 0 at 0 (PyTorch)"),
  leaky_relu: {
    params: [T(), N("negative_slope", 0.01)],
    doc: "x > 0 ? x : negative_slope * x; derivative negative_slope at 0 (PyTorch)",
    lower: (b, a, span) => {
      const x = a.x as Node, s = a.negative_slope as number;
      if (s === 1) return x;
      if (s === 0) return b.unary("relu", x, span);
      return withRelu(b, s, x, 1 - s, x, span); // s x + (1 - s) relu(x)
    },
  },
  elu: {
    params: [T(), N("alpha", 1)],
    doc: "x > 0 ? x : alpha (e^x - 1); at 0: first derivative alpha, higher ones 0 (PyTorch)",
    lower: (b, a, span) => {
      const x = a.x as Node, alpha = a.alpha as number;
      if (alpha === 1) return b.unary("elu", x, span);
      if (alpha === 0) return b.unary("relu", x, span);
      return withRelu(b, alpha, b.unary("elu", x, span), 1 - alpha, x, span); // alpha elu(x) + (1 - alpha) relu(x)
    },
  },
  celu: {
    params: [T(), N("alpha", 1)],
    doc: "x > 0 ? x : alpha (e^(x/alpha) - 1) = alpha elu(x / alpha); at 0: first derivative 1, higher ones 0 (PyTorch)",
    lower: (b, a, span) => {
      const x = a.x as Node, alpha = a.alpha as number;
      if (alpha === 0) return b.error("TH105", "celu(): 'alpha' must not be 0", span);
      if (alpha === 1) return b.unary("elu", x, span);
      const e = b.unary("elu", scaled(b, 1 / alpha, x, span)!, span);
      return scaled(b, alpha, e, span);
    },
  },
  selu: elementwise("selu", "scale * elu(x, alpha) with PyTorch's constants; at 0: first derivative scale * alpha, higher ones 0"),
  silu: {
    params: [T()],
    doc: "x * sigmoid(x)",
    lower: (b, a, span) => { const x = a.x as Node; const s = b.unary("sigmoid", x, span); return s && b.mul(x, s, span); },
  },
  mish: {
    params: [T()],
    doc: "x * tanh(softplus(x))",
    lower: (b, a, span) => {
      const x = a.x as Node;
      const sp = b.unary("softplus", x, span);
      const t = sp && b.unary("tanh", sp, span);
      return t && b.mul(x, t, span);
    },
  },
  gelu: {
    params: [T(), { name: "approximate", kind: "string", default: "none" }],
    doc: "x * Phi(x) (approximate=\"none\"), or PyTorch's tanh approximation (approximate=\"tanh\")",
    lower: (b, a, span) => {
      const x = a.x as Node;
      const half = scaled(b, 0.5, x, span)!;
      if (a.approximate === "none") {
        // PyTorch: x * 0.5 * (1 + erf(x / sqrt(2)))
        const e = b.unary("erf", scaled(b, Math.SQRT1_2, x, span)!, span);
        const p = e && b.add(b.const(1, span), e, span);
        return p && b.mul(half, p, span);
      }
      if (a.approximate === "tanh") {
        // PyTorch: 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3)))
        const beta = Math.SQRT2 * (2 / Math.sqrt(Math.PI)) * 0.5;
        const cube = b.unary("pow", x, span, 3);
        const inner = b.add(x, scaled(b, 0.044715, cube, span)!, span);
        const t = b.unary("tanh", scaled(b, beta, inner, span)!, span);
        const p = t && b.add(b.const(1, span), t, span);
        return p && b.mul(half, p, span);
      }
      return b.error("TH105", "gelu(): 'approximate' must be \"none\" or \"tanh\"", span);
    },
  },
  xlogy: {
    params: [T("x"), T("y")],
    doc: "x * log(y), broadcasting; 0 where x == 0 and y > 0 (PyTorch; see the notes for y <= 0)",
    lower: (b, a, span) => { const l = b.unary("log", a.y as Node, span); return l && b.mul(a.x as Node, l, span); },
  },
  atan2: {
    params: [T("input"), T("other")],
    doc: "atan2(input, other): the angle of the point (other, input), broadcasting (torch.atan2); see the notes for (0, 0) and -0",
    lower: (b, a, span) => atan2(b, a.input as Node, a.other as Node, span),
  },
  hypot: {
    params: [T("input"), T("other")],
    doc: "sqrt(input^2 + other^2), broadcasting (torch.hypot); not differentiable at (0, 0) (NaN derivatives, as PyTorch)",
    lower: (b, a, span) => {
      const s = b.add(b.unary("pow", a.input as Node, span, 2)!, b.unary("pow", a.other as Node, span, 2)!, span, "hypot");
      return s && b.unary("sqrt", s, span);
    },
  },
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
  ...CONTRACTIONS,
  ...LOSSES,
  ...OP_FUNCTIONS,
  ...STRUCTURED,
};

export const isFnName = (s: string): s is FnName => (FUNCTION_NAMES as readonly string[]).includes(s);
