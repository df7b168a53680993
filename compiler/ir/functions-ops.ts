/**
 * The non-elementwise operators of the language (selection, reductions,
 * normalisation, shape ops, convolution and pooling), one FnRule each, lowered
 * to the primitives: `gather` (static index maps, gathers.ts) and `compare`
 * (value-only masks, a constant for differentiation) besides add, mul, sum,
 * reshape, transpose, einsum and the elementwise functions. functions.ts
 * merges this table into FUNCTIONS.
 *
 * Conventions at non-differentiable points follow PyTorch 1.13 (checked with
 * it; docs/language.md lists them): max/min over an axis send the derivative
 * to the first extremum, over all elements they share it equally among ties;
 * maximum/minimum share it half and half at ties; clamp passes it through on
 * the closed interval [min, max]; max_pool2d picks the first maximum of a
 * window (row-major).
 */
import type { Span } from "../diagnostics/diagnostic.js";
import type { Builder } from "./builders.js";
import type { BoundValue, FnRule, ParamSpec } from "./functions.js";
import { concat, expand, flip, im2col, lastAt, pad, repeat, shift, stack } from "./gathers.js";
import { isBatched, showShape, type CompareOp, type Node, type Shape } from "./node.js";

export const OP_FUNCTION_NAMES = [
  "where", "maximum", "minimum", "clamp",
  "prod", "max", "min", "logsumexp", "norm", "var", "std", "layer_norm", "cumsum", "cumprod", "cummax",
  "squeeze", "unsqueeze", "expand", "broadcast_to", "concat", "stack", "flip", "repeat", "permute", "pad",
  "conv1d", "conv2d", "conv3d", "avg_pool2d", "max_pool2d",
] as const;
export type OpFnName = (typeof OP_FUNCTION_NAMES)[number];

type Args = Readonly<Record<string, BoundValue>>;

const T = (name = "x"): ParamSpec => ({ name, kind: "tensor" });
const OPT_T = (name: string): ParamSpec => ({ name, kind: "tensor", optional: true });
const AXIS: ParamSpec = { name: "axis", kind: "axes", optional: true };
const KEEP: ParamSpec = { name: "keepdims", kind: "bool", default: false };

const c = (b: Builder, v: number, span: Span) => b.const(v, span);
const scaled = (b: Builder, k: number, x: Node | undefined, span: Span): Node | undefined => x && b.mul(c(b, k, span), x, span);

/** 1 - m for a mask m. */
const oneMinus = (b: Builder, m: Node, span: Span): Node | undefined => { const n = b.neg(m, span); return n && b.add(c(b, 1, span), n, span); };

/** a * m + b * (1 - m): exact selection for a 0/1 mask (and the mean of a and b where m = 1/2). */
function select(b: Builder, m: Node, x: Node, y: Node, span: Span): Node | undefined {
  const am = b.mul(x, m, span), om = oneMinus(b, m, span);
  const bm = om && b.mul(y, om, span);
  return am && bm && b.add(am, bm, span);
}

/** A 0/1 mask from a condition: a comparison as it is, any other tensor as `cond != 0`. */
const maskOf = (b: Builder, cond: Node, span: Span): Node | undefined =>
  cond.op === "compare" && cond.attrs.cmp !== "detach" && !cond.attrs.axes ? cond : b.compare("ne", [cond, c(b, 0, span)], span, "where");

/** Reduction axes (all when absent); an empty list of axes leaves x as it is. */
function reduction(b: Builder, x: Node, a: Args, span: Span, what: string): number[] | undefined {
  return b.axes(x, a.axis as number[] | undefined, span, what);
}

/** keepdims shape -> the reduced shape, or keep it. */
const dropAxes = (b: Builder, x: Node, like: Shape, axes: readonly number[], keepdims: boolean, span: Span): Node | undefined =>
  keepdims ? x : b.reshape(x, like.filter((_, i) => !axes.includes(i)), span);

/** max (isMax) or min over axes: the sum of x times the mask of its extrema. */
function extreme(b: Builder, x: Node, a: Args, span: Span, isMax: boolean, what: string): Node | undefined {
  const axes = reduction(b, x, a, span, what);
  if (!axes) return undefined;
  if (axes.length === 0) return x;
  // an axis given: torch.max(x, dim)'s first extremum; all elements: torch.max(x)'s equal share among ties
  const op: CompareOp = a.axis !== undefined ? (isMax ? "argmax" : "argmin") : isMax ? "maxmask" : "minmask";
  const m = b.compare(op, [x], span, what, axes);
  const p = m && b.mul(x, m, span);
  return p && b.sum(p, axes, a.keepdims as boolean, span);
}

/** A product over axes: a balanced tree of products of the slices along the flattened axes. */
function product(b: Builder, x: Node, a: Args, span: Span): Node | undefined {
  const axes = reduction(b, x, a, span, "prod");
  if (!axes) return undefined;
  if (axes.length === 0) return x;
  const kept = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const t = b.transpose(x, [...kept, ...axes], span);
  const n = axes.reduce((p, ax) => p * x.shape[ax]!, 1);
  const f = t && b.reshape(t, [...kept.map((i) => x.shape[i]!), n], span);
  if (!f) return undefined;
  let parts: Node[] = Array.from({ length: n }, (_, j) => lastAt(b, f, j, span));
  while (parts.length > 1) {
    const next: Node[] = [];
    for (let i = 0; i + 1 < parts.length; i += 2) { const m = b.mul(parts[i]!, parts[i + 1]!, span); if (!m) return undefined; next.push(m); }
    if (parts.length % 2) next.push(parts[parts.length - 1]!);
    parts = next;
  }
  const keep = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  return a.keepdims ? b.reshape(parts[0]!, keep, span) : parts[0];
}

/**
 * cumsum / cumprod / cummax along one axis: a prefix scan in ceil(log2 n) steps (Hillis-Steele),
 * y <- combine(y, y shifted by d) for d = 1, 2, 4, ...: sums, products (no division: exact at every
 * order with zeros, like prod), or for cummax a selection by the constant mask [y >= shifted y]:
 * at ties the later segment wins, so the derivative goes to the last maximum so far (the index
 * torch.cummax returns: it updates on >=); the mask reads a copy shifted in with -inf.
 */
function scan(b: Builder, x: Node, a: Args, span: Span, what: "cumsum" | "cumprod" | "cummax"): Node | undefined {
  const axis = b.axes(x, [a.axis as number], span, what)?.[0];
  if (axis === undefined) return undefined;
  let y: Node | undefined = x;
  for (let d = 1; y && d < x.shape[axis]!; d *= 2) {
    if (what === "cummax") {
      const yd = b.compare("detach", [y], span, what)!;
      const m = b.compare("ge", [yd, shift(b, yd, axis, d, span, -Infinity)], span, what);
      y = m && select(b, m, y, shift(b, y, axis, d, span), span);
    } else {
      const s = shift(b, y, axis, d, span, what === "cumsum" ? 0 : 1);
      y = what === "cumsum" ? b.add(y, s, span) : b.mul(y, s, span);
    }
  }
  return y;
}

/** Mean over axes with keepdims, and the count. */
function meanKeep(b: Builder, x: Node, axes: readonly number[], span: Span): { mean: Node; n: number } | undefined {
  const n = axes.reduce((p, ax) => p * x.shape[ax]!, 1);
  const m = scaled(b, 1 / n, b.sum(x, axes, true, span), span);
  return m && { mean: m, n };
}

/** var(x) over axes: sum((x - mean)^2) / (n - 1) (unbiased) or / n. */
function variance(b: Builder, x: Node, a: Args, span: Span, what: string): Node | undefined {
  const axes = reduction(b, x, a, span, what);
  if (!axes) return undefined;
  const n = axes.reduce((p, ax) => p * x.shape[ax]!, 1);
  const unbiased = a.unbiased as boolean;
  if (unbiased && n < 2) return b.error("TH210", `${what}: unbiased=true needs at least 2 elements, the axes hold ${n} (PyTorch returns NaN); use unbiased=false`, span);
  const m = meanKeep(b, x, axes, span);
  const d = m && b.sub(x, m.mean, span);
  const sq = d && b.unary("pow", d, span, 2);
  const s = sq && b.sum(sq, axes, a.keepdims as boolean, span);
  return scaled(b, 1 / (unbiased ? n - 1 : n), s, span);
}

/** An int-or-list argument as d values (one value repeats). */
function ints(b: Builder, v: BoundValue, d: number, span: Span, what: string, name: string, min: number): number[] | undefined {
  const list = v as number[];
  const out = list.length === 1 ? Array<number>(d).fill(list[0]!) : list;
  if (out.length !== d) return b.error("TH105", `${what}(): '${name}' must be an integer or a list of ${d} integers`, span);
  if (out.some((x) => x < min)) return b.error("TH105", `${what}(): '${name}' must be ${min === 0 ? "non-negative" : "positive"}, got [${list.join(", ")}]`, span);
  return out;
}

/** The spatial axes' names in messages: L; H, W; D, H, W. */
const spatial = (d: number): string => (d === 1 ? "L" : d === 2 ? "H, W" : "D, H, W");

/** The lead axes of a conv/pool input: [N, C, spatial...] or [C, spatial...]; the batch axis only as N. */
function convInput(b: Builder, x: Node, d: number, span: Span, what: string): { hasN: boolean } | undefined {
  const r = x.shape.length;
  if (r !== d + 1 && r !== d + 2) return b.error("TH210", `${what}: the input must be [N, C, ${spatial(d)}] or [C, ${spatial(d)}], got ${showShape(x.shape)}`, span);
  if (isBatched(x.shape) && r !== d + 2) return b.error("TH208", `${what}: the batch axis of ${showShape(x.shape)} would be read as the channels; declare the input as [B, C, ${spatial(d)}]`, span);
  return { hasN: r === d + 2 };
}

/**
 * conv1d / conv2d / conv3d (PyTorch layouts NCL / NCHW / NCDHW, weight [O, C/groups, k...]): im2col then
 * an einsum with the weight. padding: ints, "valid" (none) or "same" (stride 1; d (k - 1) in all,
 * split as PyTorch does: half before, the extra one after).
 */
function conv(b: Builder, a: Args, span: Span, d: number, what: string): Node | undefined {
  const x = a.x as Node, w = a.weight as Node, bias = a.bias as Node | undefined;
  const inp = convInput(b, x, d, span, what);
  if (!inp) return undefined;
  if (w.shape.length !== d + 2 || isBatched(w.shape)) return b.error(isBatched(w.shape) ? "TH208" : "TH210", `${what}: the weight must be [O, C/groups, ${d === 1 ? "k" : d === 2 ? "kh, kw" : "kd, kh, kw"}] without the batch axis, got ${showShape(w.shape)}`, span);
  const groups = a.groups as number;
  if (groups < 1) return b.error("TH105", `${what}(): 'groups' must be a positive integer`, span);
  const stride = ints(b, a.stride, d, span, what, "stride", 1), dilation = ints(b, a.dilation, d, span, what, "dilation", 1);
  if (!stride || !dilation) return undefined;
  const C = x.shape[x.shape.length - d - 1]!, O = w.shape[0]!, Cg = w.shape[1]!, kernel = w.shape.slice(2);
  let padding: number[] | undefined, padEnd: number[] | undefined;
  if (a.padding === "valid") padding = Array<number>(d).fill(0);
  else if (a.padding === "same") {
    if (stride.some((s) => s !== 1)) return b.error("TH105", `${what}(): padding="same" needs stride 1 (as PyTorch), got stride [${stride.join(", ")}]`, span);
    const total = kernel.map((k, j) => dilation[j]! * (k - 1));
    padding = total.map((t) => Math.floor(t / 2));
    padEnd = total.map((t, j) => t - padding![j]!);
  } else if (typeof a.padding === "string") return b.error("TH105", `${what}(): 'padding' must be "same", "valid", an integer or a list of ${d} integers, got "${a.padding}"`, span);
  else padding = ints(b, a.padding, d, span, what, "padding", 0);
  if (!padding) return undefined;
  if (C % groups !== 0 || O % groups !== 0) return b.error("TH210", `${what}: groups=${groups} must divide the ${C} input channels and the ${O} output channels`, span);
  if (Cg * groups !== C) return b.error("TH210", `${what}: the weight ${showShape(w.shape)} expects ${Cg} input channels per group, the input ${showShape(x.shape)} has ${C / groups} (groups=${groups})`, span);
  if (bias && (bias.shape.length !== 1 || bias.shape[0] !== O)) return b.error("TH210", `${what}: the bias must be [${O}] (one per output channel), got ${showShape(bias.shape)}`, span);
  const P = im2col(b, x, kernel, stride, padding, dilation, span, what, 0, padEnd);
  if (!P) return undefined;
  const n = inp.hasN ? "n" : "", K = "ijk".slice(0, d), S = d === 1 ? "l" : d === 2 ? "hw" : "dhw";
  const outSp = P.shape.slice(-d);
  let y: Node | undefined;
  if (groups === 1) y = b.einsum(`${n}c${K}${S},oc${K}->${n}o${S}`, [P, w], span, what);
  else {
    const lead = inp.hasN ? [x.shape[0]!] : [];
    const Pg = b.reshape(P, [...lead, groups, Cg, ...kernel, ...outSp], span);
    const wg = b.reshape(w, [groups, O / groups, Cg, ...kernel], span);
    const yg = Pg && wg && b.einsum(`${n}gc${K}${S},goc${K}->${n}go${S}`, [Pg, wg], span, what);
    y = yg && b.reshape(yg, [...lead, O, ...outSp], span);
  }
  if (!y || !bias) return y;
  const bb = b.reshape(bias, [O, ...Array<number>(d).fill(1)], span);
  return bb && b.add(y, bb, span);
}

/** avg_pool2d / max_pool2d over the last two axes (torch defaults: stride = kernel, zero padding counted in the average). */
function pool2d(b: Builder, a: Args, span: Span, isMax: boolean, what: string): Node | undefined {
  const x = a.x as Node;
  if (!convInput(b, x, 2, span, what)) return undefined;
  const kernel = ints(b, a.kernel_size, 2, span, what, "kernel_size", 1);
  const stride = a.stride === undefined ? kernel : ints(b, a.stride, 2, span, what, "stride", 1);
  const padding = ints(b, a.padding, 2, span, what, "padding", 0);
  if (!kernel || !stride || !padding) return undefined;
  if (padding.some((p, j) => 2 * p > kernel[j]!)) return b.error("TH105", `${what}(): padding [${padding.join(", ")}] must be at most half the kernel size [${kernel.join(", ")}] (PyTorch)`, span);
  const P = im2col(b, x, kernel, stride, padding, [1, 1], span, what);
  if (!P) return undefined;
  const k0 = x.shape.length - 2, kAxes = [k0, k0 + 1];
  if (!isMax) return scaled(b, 1 / (kernel[0]! * kernel[1]!), b.sum(P, kAxes, false, span), span);
  // the window's first maximum (row-major), padding never chosen: the mask reads a copy padded with -inf
  const Pm = padding.some((p) => p > 0) ? im2col(b, b.compare("detach", [x], span, what)!, kernel, stride, padding, [1, 1], span, what, -Infinity) : P;
  const m = Pm && b.compare("argmax", [Pm], span, what, kAxes);
  const pm = m && b.mul(P, m, span);
  return pm && b.sum(pm, kAxes, false, span);
}

const tensorsOf = (v: BoundValue): Node[] => v as Node[];

/** conv1d/2d/3d's parameters (torch.nn.functional's order); padding: ints, "same" or "valid". */
const CONV_PARAMS: readonly ParamSpec[] = [
  T(), T("weight"), OPT_T("bias"), { name: "stride", kind: "axes", default: [1] }, { name: "padding", kind: "axesOrString", default: [0] },
  { name: "dilation", kind: "axes", default: [1] }, { name: "groups", kind: "int", default: 1 },
];


/**
 * clamp with a tensor bound (a number bound becomes a constant), broadcasting the three, with
 * PyTorch 1.13's clamp_backward_min_max as masks (constants): x gets [min <= x <= max], min
 * gets [x < min][min < max], max gets [x > max or max < min]; with one bound, x gets
 * [x >= min] (or [x <= max]) and the bound the rest. Where none is selected (min == max > x)
 * the value is max with no derivative, as PyTorch's three zero gradients there.
 */
function clampTensor(b: Builder, x: Node, lo0: number | Node | undefined, hi0: number | Node | undefined, span: Span): Node | undefined {
  const what = "clamp";
  const node = (v: number | Node | undefined) => (typeof v === "number" ? c(b, v, span) : v);
  const lo = node(lo0), hi = node(hi0);
  const d = (v: Node) => b.compare("detach", [v], span, what)!;
  const xd = d(x);
  if (!hi) { const m = b.compare("ge", [xd, d(lo!)], span, what); return m && select(b, m, x, lo!, span); }
  if (!lo) { const m = b.compare("le", [xd, d(hi)], span, what); return m && select(b, m, x, hi, span); }
  const ld = d(lo), hd = d(hi);
  const ge = b.compare("ge", [xd, ld], span, what), le = b.compare("le", [xd, hd], span, what);
  const lh = b.compare("lt", [ld, hd], span, what);
  if (!ge || !le || !lh) return undefined;
  const mx = b.mul(ge, le, span)!;
  const ml = b.mul(b.compare("lt", [xd, ld], span, what)!, lh, span)!;
  const above = b.compare("gt", [xd, hd], span, what)!, inverted = b.compare("lt", [hd, ld], span, what)!;
  const mh = oneMinus(b, b.mul(oneMinus(b, above, span)!, oneMinus(b, inverted, span)!, span)!, span)!; // above or inverted
  const rest = b.sub(oneMinus(b, b.add(mx, ml, span)!, span)!, mh, span)!;
  const terms = [b.mul(x, mx, span)!, b.mul(lo, ml, span)!, b.mul(hi, mh, span)!, b.mul(hd, rest, span)!];
  return terms.reduce((s, t) => b.add(s, t, span)!);
}

/** maximum/minimum: select by the strict comparison, ties shared half and half (PyTorch). */
function pairwiseExtremum(cmp: "gt" | "lt", name: string): FnRule {
  return {
    params: [T("x"), T("y")],
    doc: `elementwise ${name === "maximum" ? "max" : "min"}, broadcasting; at ties each operand gets half the derivative (PyTorch)`,
    lower: (b, a, span) => {
      const x = a.x as Node, y = a.y as Node;
      const strict = b.compare(cmp, [x, y], span, name), eq = strict && b.compare("eq", [x, y], span, name);
      const m = strict && eq && b.add(strict, scaled(b, 0.5, eq, span)!, span);
      return m && select(b, m, x, y, span);
    },
  };
}

export const OP_FUNCTIONS: Record<OpFnName, FnRule> = {
  where: {
    params: [T("condition"), T("x"), T("y")],
    doc: "x where condition (nonzero, e.g. a comparison) else y, broadcasting; derivatives those of x * c + y * (1 - c) (PyTorch's: a NaN derivative of the branch not taken propagates, its NaN value does not)",
    lower: (b, a, span) => {
      const m = maskOf(b, a.condition as Node, span);
      const blend = m && select(b, m, a.x as Node, a.y as Node, span);
      return blend && b.select(m!, a.x as Node, a.y as Node, blend, span);
    },
  },
  maximum: pairwiseExtremum("gt", "maximum"),
  minimum: pairwiseExtremum("lt", "minimum"),
  clamp: {
    params: [T(), { name: "min", kind: "numberOrTensor", optional: true }, { name: "max", kind: "numberOrTensor", optional: true }],
    doc: "min(max(x, min), max), bounds constant numbers or tensors (broadcast; either may be absent); derivative 1 on the closed interval [min, max], to a bound where it is selected (PyTorch)",
    lower: (b, a, span) => {
      const x = a.x as Node;
      if (a.min === undefined && a.max === undefined) return b.error("TH104", "clamp() needs 'min', 'max' or both", span);
      if (typeof a.min === "object" || typeof a.max === "object") return clampTensor(b, x, a.min as number | Node | undefined, a.max as number | Node | undefined, span);
      const lo = a.min as number | undefined, hi = a.max as number | undefined;
      if (lo !== undefined && hi !== undefined && lo > hi) return b.error("TH105", `clamp(): 'min' (${lo}) must not exceed 'max' (${hi})`, span);
      // x * [lo <= x <= hi] + lo * [x < lo] + hi * [x > hi]
      const inLo = lo === undefined ? undefined : b.compare("ge", [x, c(b, lo, span)], span, "clamp");
      const inHi = hi === undefined ? undefined : b.compare("le", [x, c(b, hi, span)], span, "clamp");
      const m = inLo && inHi ? b.mul(inLo, inHi, span) : inLo ?? inHi;
      let y = m && b.mul(x, m, span);
      if (lo !== undefined && lo !== 0) { const below = scaled(b, lo, b.compare("lt", [x, c(b, lo, span)], span, "clamp"), span); y = y && below && b.add(y, below, span); }
      if (hi !== undefined && hi !== 0) { const above = scaled(b, hi, b.compare("gt", [x, c(b, hi, span)], span, "clamp"), span); y = y && above && b.add(y, above, span); }
      return y;
    },
  },
  prod: {
    params: [T(), AXIS, KEEP],
    doc: "product over an axis, a list of axes, or all: a product tree of slices (exact at every order, zeros included)",
    lower: (b, a, span) => product(b, a.x as Node, a, span),
  },
  max: {
    params: [T(), AXIS, KEEP],
    doc: "max over an axis, a list of axes, or all; derivative to the first maximum along the axes, or shared equally among tied maxima of the whole tensor (PyTorch)",
    lower: (b, a, span) => extreme(b, a.x as Node, a, span, true, "max"),
  },
  min: {
    params: [T(), AXIS, KEEP],
    doc: "min over an axis, a list of axes, or all; ties as max",
    lower: (b, a, span) => extreme(b, a.x as Node, a, span, false, "min"),
  },
  logsumexp: {
    params: [T(), AXIS, KEEP],
    doc: "log(sum(exp(x))) over axes, computed stably (the max shift is a constant)",
    lower: (b, a, span) => {
      const x = a.x as Node;
      const axes = reduction(b, x, a, span, "logsumexp");
      if (!axes) return undefined;
      if (axes.length === 0) return x;
      const m = b.amax(x, axes, span);
      const z = b.sub(x, m, span);
      const e = z && b.unary("exp", z, span);
      const s = e && b.sum(e, axes, true, span);
      const l = s && b.unary("log", s, span);
      const r = l && b.add(l, m, span);
      return r && dropAxes(b, r, r.shape, axes, a.keepdims as boolean, span);
    },
  },
  norm: {
    params: [T(), { name: "p", kind: "number", default: 2 }, AXIS, KEEP],
    doc: "Euclidean norm sqrt(sum(x^2)) over axes (p=2 only); where it is 0, PyTorch's convention: first derivative 0, higher ones NaN",
    lower: (b, a, span) => {
      const x = a.x as Node;
      if (a.p !== 2) return b.error("TH105", "norm(): only p=2 is supported", span);
      const axes = reduction(b, x, a, span, "norm");
      const sq = axes && b.unary("pow", x, span, 2);
      const s = sq && b.sum(sq, axes!, a.keepdims as boolean, span);
      return s && b.unary("norm_sqrt", s, span);
    },
  },
  var: {
    params: [T(), AXIS, { name: "unbiased", kind: "bool", default: true }, KEEP],
    doc: "variance over axes: sum((x - mean)^2) / (n - 1), or / n with unbiased=false (PyTorch's default is unbiased)",
    lower: (b, a, span) => variance(b, a.x as Node, a, span, "var"),
  },
  std: {
    params: [T(), AXIS, { name: "unbiased", kind: "bool", default: true }, KEEP],
    doc: "sqrt(var(x)); where it is 0, PyTorch's convention: every derivative 0",
    lower: (b, a, span) => { const v = variance(b, a.x as Node, a, span, "std"); return v && b.unary("std_sqrt", v, span); },
  },
  layer_norm: {
    params: [T(), { name: "axis", kind: "axes", default: [-1] }, { name: "eps", kind: "number", default: 1e-5 }, OPT_T("weight"), OPT_T("bias")],
    doc: "(x - mean) / sqrt(var + eps) over the trailing axes (biased variance), then * weight + bias (torch.nn.functional.layer_norm)",
    lower: (b, a, span) => {
      const x = a.x as Node, w = a.weight as Node | undefined, bias = a.bias as Node | undefined;
      const axes = b.axes(x, a.axis as number[], span, "layer_norm");
      if (!axes) return undefined;
      const r = x.shape.length, k = axes.length;
      if (k === 0 || axes.some((ax, i) => ax !== r - k + i)) return b.error("TH203", `layer_norm normalises trailing axes (like PyTorch's normalized_shape); got axes [${(a.axis as number[]).join(", ")}] of ${showShape(x.shape)}`, span);
      const norm = x.shape.slice(r - k);
      for (const [p, name] of [[w, "weight"], [bias, "bias"]] as const) {
        if (p && p.shape.join() !== norm.join()) return b.error("TH210", `layer_norm: '${name}' must have the normalised shape ${showShape(norm)}, got ${showShape(p.shape)}`, span);
      }
      const m = meanKeep(b, x, axes, span);
      const d = m && b.sub(x, m.mean, span);
      const v = d && scaled(b, 1 / m!.n, b.sum(b.unary("pow", d, span, 2)!, axes, true, span), span);
      const ve = v && b.add(v, c(b, a.eps as number, span), span);
      const inv = ve && b.unary("pow", ve, span, -0.5);
      let y = inv && b.mul(d!, inv, span);
      if (w) y = y && b.mul(y, w, span);
      if (bias) y = y && b.add(y, bias, span);
      return y;
    },
  },
  cumsum: {
    params: [T(), { name: "axis", kind: "int" }],
    doc: "cumulative sum along an axis (torch.cumsum): a prefix scan of adds",
    lower: (b, a, span) => scan(b, a.x as Node, a, span, "cumsum"),
  },
  cumprod: {
    params: [T(), { name: "axis", kind: "int" }],
    doc: "cumulative product along an axis (torch.cumprod): a prefix scan of products, exact at every order with zeros",
    lower: (b, a, span) => scan(b, a.x as Node, a, span, "cumprod"),
  },
  cummax: {
    params: [T(), { name: "axis", kind: "int" }],
    doc: "running maximum along an axis (torch.cummax(...).values); derivative to the last maximum so far (torch's index)",
    lower: (b, a, span) => scan(b, a.x as Node, a, span, "cummax"),
  },
  squeeze: {
    params: [T(), AXIS],
    doc: "removes size-1 axes (the given ones, or all); a given axis must have size 1",
    lower: (b, a, span) => {
      const x = a.x as Node;
      const given = a.axis as number[] | undefined;
      let axes: number[];
      if (given === undefined) axes = x.shape.map((_, i) => i).filter((i) => x.shape[i] === 1);
      else {
        const n = b.axes(x, given, span, "squeeze");
        if (!n) return undefined;
        const bad = n.find((i) => x.shape[i] !== 1);
        if (bad !== undefined) return b.error("TH204", `squeeze: axis ${bad} of ${showShape(x.shape)} has size ${x.shape[bad]}, not 1`, span);
        axes = n;
      }
      return b.reshape(x, x.shape.filter((_, i) => !axes.includes(i)), span);
    },
  },
  unsqueeze: {
    params: [T(), { name: "axis", kind: "int" }],
    doc: "inserts a size-1 axis at position axis (-1: at the end)",
    lower: (b, a, span) => {
      const x = a.x as Node, r = x.shape.length, ax0 = a.axis as number;
      const ax = ax0 < 0 ? ax0 + r + 1 : ax0;
      if (ax < 0 || ax > r) return b.error("TH203", `unsqueeze: axis ${ax0} is out of range for inserting into ${showShape(x.shape)}`, span);
      if (isBatched(x.shape) && ax === 0) return b.error("TH208", "unsqueeze at axis 0 would move the batch axis", span);
      return b.reshape(x, [...x.shape.slice(0, ax), 1, ...x.shape.slice(ax)], span);
    },
  },
  expand: {
    params: [T(), { name: "shape", kind: "shape" }],
    doc: "repeats size-1 axes to the given sizes, new axes lead; -1 keeps a size (torch Tensor.expand)",
    lower: (b, a, span) => expand(b, a.x as Node, a.shape as Shape, span, "expand"),
  },
  broadcast_to: {
    params: [T(), { name: "shape", kind: "shape" }],
    doc: "NumPy/PyTorch broadcast_to: as expand",
    lower: (b, a, span) => expand(b, a.x as Node, a.shape as Shape, span, "broadcast_to"),
  },
  concat: {
    params: [{ name: "tensors", kind: "tensorList" }, { name: "axis", kind: "int", default: 0 }],
    doc: "joins a list of tensors along an existing axis (torch.cat)",
    lower: (b, a, span) => concat(b, tensorsOf(a.tensors), a.axis as number, span),
  },
  stack: {
    params: [{ name: "tensors", kind: "tensorList" }, { name: "axis", kind: "int", default: 0 }],
    doc: "joins a list of equal-shape tensors along a new axis (torch.stack)",
    lower: (b, a, span) => stack(b, tensorsOf(a.tensors), a.axis as number, span),
  },
  flip: {
    params: [T(), { name: "axis", kind: "axes" }],
    doc: "reverses the order along the given axes (torch.flip)",
    lower: (b, a, span) => {
      const x = a.x as Node;
      const axes = x.shape.length === 0 ? [] : b.axes(x, a.axis as number[], span, "flip");
      if (!axes) return undefined;
      return flip(b, x, axes, span);
    },
  },
  repeat: {
    params: [T(), { name: "repeats", kind: "ints" }],
    doc: "tiles x repeats[i] times along axis i; more counts than axes add leading axes (torch Tensor.repeat)",
    lower: (b, a, span) => repeat(b, a.x as Node, a.repeats as number[], span),
  },
  permute: {
    params: [T(), { name: "perm", kind: "ints" }],
    doc: "permutes the axes (torch Tensor.permute; the same as transpose with a permutation)",
    lower: (b, a, span) => b.transpose(a.x as Node, a.perm as number[], span),
  },
  pad: {
    params: [T(), { name: "pad", kind: "ints" }, { name: "value", kind: "number", default: 0 }],
    doc: "constant padding (torch.nn.functional.pad, mode \"constant\"): (before, after) pairs from the last axis backwards; negative amounts crop",
    lower: (b, a, span) => pad(b, a.x as Node, a.pad as number[], a.value as number, span),
  },
  conv1d: {
    params: CONV_PARAMS,
    doc: "1-d convolution (cross-correlation), x [N, C, L] or [C, L], weight [O, C/groups, k] (torch.nn.functional.conv1d)",
    lower: (b, a, span) => conv(b, a, span, 1, "conv1d"),
  },
  conv2d: {
    params: CONV_PARAMS,
    doc: "2-d convolution (cross-correlation), x [N, C, H, W] or [C, H, W], weight [O, C/groups, kh, kw] (torch.nn.functional.conv2d)",
    lower: (b, a, span) => conv(b, a, span, 2, "conv2d"),
  },
  conv3d: {
    params: CONV_PARAMS,
    doc: "3-d convolution (cross-correlation), x [N, C, D, H, W] or [C, D, H, W], weight [O, C/groups, kd, kh, kw] (torch.nn.functional.conv3d)",
    lower: (b, a, span) => conv(b, a, span, 3, "conv3d"),
  },
  avg_pool2d: {
    params: [T(), { name: "kernel_size", kind: "axes" }, { name: "stride", kind: "axes", optional: true }, { name: "padding", kind: "axes", default: [0] }],
    doc: "mean over kh x kw windows of the last two axes, zero padding counted (torch defaults)",
    lower: (b, a, span) => pool2d(b, a, span, false, "avg_pool2d"),
  },
  max_pool2d: {
    params: [T(), { name: "kernel_size", kind: "axes" }, { name: "stride", kind: "axes", optional: true }, { name: "padding", kind: "axes", default: [0] }],
    doc: "max over kh x kw windows of the last two axes (padding never wins); derivative to the window's first maximum (PyTorch)",
    lower: (b, a, span) => pool2d(b, a, span, true, "max_pool2d"),
  },
};
