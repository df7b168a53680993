/**
 * Losses, as compositions of existing primitives (so exact at every order, in
 * both modes, with no rule of their own). Each computes an elementwise (or,
 * for cross_entropy, per-row) loss, then reduces it by `reduction`:
 *   "mean" (default): the mean over every element -> a scalar (PyTorch's 'mean');
 *   "sum": the sum over every element -> a scalar;
 *   "none": no reduction: the elementwise loss (cross_entropy: one value per row).
 * With a batch axis, "mean" and "sum" would mix samples: TH208, with a hint to
 * use "none" (per-sample values) and reduce the other axes explicitly.
 */
import type { Span } from "../diagnostics/diagnostic.js";
import type { Builder } from "./builders.js";
import type { BoundValue, FnRule, ParamSpec } from "./functions.js";
import { isBatched, showShape, type Node } from "./node.js";

const T = (name: string): ParamSpec => ({ name, kind: "tensor" });
const R: ParamSpec = { name: "reduction", kind: "string", default: "mean" };
const num = (name: string, dflt: number): ParamSpec => ({ name, kind: "number", default: dflt });
/** cross_entropy's and nll_loss's class weights and ignored label (PyTorch's names and defaults). */
const WEIGHT: ParamSpec = { name: "weight", kind: "tensor", optional: true };
const IGNORE: ParamSpec = { name: "ignore_index", kind: "int", default: -100 };

/** Class-index targets: the shape of the scores without their class axis (the last), as PyTorch's. */
const isLabels = (scores: Node, t: Node): boolean => t.shape.join() === scores.shape.slice(0, -1).join();

/**
 * -weight[t] * scores[..., t] per row for class-index targets t (floats holding integers): a one-hot
 * mask of t (a constant for differentiation) selects the scores. Rows whose label is ignore_index,
 * or not an integer in [0, C), are 0. "mean" divides by the sum of the selected weights (the number
 * of rows not ignored without weight), as PyTorch; a scalar, so never with the batch axis (TH208).
 */
function labelLoss(b: Builder, scores: Node, t: Node, a: Readonly<Record<string, BoundValue>>, span: Span, what: string): Node | undefined {
  const C = scores.shape[scores.shape.length - 1]!, w = a.weight as Node | undefined, ig = a.ignore_index as number;
  if (w && (w.shape.length !== 1 || w.shape[0] !== C)) return b.error("TH210", `${what}: 'weight' must have one value per class, [${C}], got ${showShape(w.shape)}`, span);
  let sel: Node | undefined = b.onehot(t, C, span);
  if (ig >= 0 && ig < C) {
    const keep = b.reshape(b.compare("ne", [t, b.const(ig, span)], span, what)!, [...t.shape, 1], span);
    sel = keep && b.mul(sel, keep, span);
  }
  if (w) sel = sel && b.mul(sel, w, span);
  const picked = sel && b.mul(sel, scores, span);
  const s = picked && b.sum(picked, [scores.shape.length - 1], false, span);
  const loss = s && b.neg(s, span);
  if (!sel || !loss || a.reduction !== "mean" || isBatched(loss.shape)) return reduce(b, loss, a.reduction, span, what);
  const all = (x: Node) => b.sum(x, [...x.shape.keys()], false, span);
  const den = b.unary("pow", all(sel)!, span, -1);
  return den && b.mul(all(loss)!, den, span);
}

/** Reduces `x` (the unreduced loss) by `reduction`; `batchmean` only for kl_div. */
function reduce(b: Builder, x: Node | undefined, how: BoundValue, span: Span, what: string, batchmean = false): Node | undefined {
  const allowed = ["none", "sum", "mean", ...(batchmean ? ["batchmean"] : [])];
  if (typeof how !== "string" || !allowed.includes(how)) {
    return b.error("TH105", `${what}(): 'reduction' must be ${allowed.map((r) => `"${r}"`).join(", ").replace(/, ([^,]*)$/, " or $1")}`, span);
  }
  if (!x || how === "none") return x;
  if (isBatched(x.shape)) {
    return b.error("TH208", `${what}(reduction="${how}") reduces over the batch axis and would mix samples; use reduction="none" for per-sample losses (then sum or mean over the other axes)`, span);
  }
  const axes = [...x.shape.keys()];
  const s = b.sum(x, axes, false, span);
  if (how === "sum") return s;
  const n = how === "batchmean" ? (x.shape.length ? x.shape[0]! : 1) : x.shape.reduce((p, d) => p * d, 1);
  return s && b.mul(b.const(1 / n, span), s, span);
}

const scale = (b: Builder, c: number, x: Node | undefined, span: Span): Node | undefined => x && b.mul(b.const(c, span), x, span);

/**
 * 0.5 r^2 - 0.5 relu(|r| - delta)^2: 0.5 r^2 for |r| <= delta, delta (|r| - delta / 2) beyond.
 * relu(u) is written u + relu(-u) (the same value): its derivative at u = 0 is then 1, so at
 * |r| = delta the second derivative is 0, as PyTorch's (its double backward takes the outer branch there).
 */
function huberTerm(b: Builder, r: Node, delta: number, span: Span): Node | undefined {
  const sq = scale(b, 0.5, b.unary("pow", r, span, 2), span);
  const abs = b.unary("abs", r, span);
  const over = abs && b.add(abs, b.const(-delta, span), span);
  const under = over && b.unary("relu", b.neg(over, span)!, span);
  const relu = over && under && b.add(over, under, span);
  const relu2 = relu && scale(b, -0.5, b.unary("pow", relu, span, 2), span);
  return sq && relu2 && b.add(sq, relu2, span);
}

export const LOSS_NAMES = ["mse_loss", "bce", "bce_with_logits", "cross_entropy", "nll_loss", "huber", "smooth_l1", "kl_div"] as const;

export const LOSSES: Record<(typeof LOSS_NAMES)[number], FnRule> = {
  mse_loss: {
    params: [T("input"), T("target"), R],
    doc: "(input - target)^2, reduced (torch.nn.functional.mse_loss)",
    lower: (b, a, span) => {
      const r = b.sub(a.input as Node, a.target as Node, span);
      return reduce(b, r && b.unary("pow", r, span, 2), a.reduction, span, "mse_loss");
    },
  },
  bce: {
    params: [T("input"), T("target"), R],
    doc: "binary cross entropy on probabilities: -(t log p + (1 - t) log(1 - p)), reduced (torch.nn.functional.binary_cross_entropy, without its clamp of the logs at -100)",
    lower: (b, a, span) => {
      const p = a.input as Node, t = a.target as Node;
      const lp = b.unary("log", p, span);
      const lq = b.unary("log1p", b.neg(p, span)!, span); // log(1 - p)
      const one_t = b.sub(b.const(1, span), t, span);
      const x = lp && b.mul(t, lp, span);
      const y = lq && one_t && b.mul(one_t, lq, span);
      const s = x && y && b.add(x, y, span);
      return reduce(b, s && b.neg(s, span), a.reduction, span, "bce");
    },
  },
  bce_with_logits: {
    params: [T("input"), T("target"), R],
    doc: "binary cross entropy on logits, computed stably as softplus(z) - t z, reduced (torch.nn.functional.binary_cross_entropy_with_logits)",
    lower: (b, a, span) => {
      const z = a.input as Node, t = a.target as Node;
      const sp = b.unary("softplus", z, span);
      const tz = b.mul(t, z, span);
      return reduce(b, sp && tz && b.sub(sp, tz, span), a.reduction, span, "bce_with_logits");
    },
  },
  cross_entropy: {
    params: [T("input"), T("target"), R, WEIGHT, IGNORE],
    doc: "-sum(target * log_softmax(input, -1), -1) per row for probability (or one-hot) targets, or -log_softmax(input)[target] for class-index targets (the logits' shape without the class axis); class weights, ignore_index; reduced over the rows (torch.nn.functional.cross_entropy)",
    lower: (b, a, span) => {
      const z = a.input as Node, t = a.target as Node, w = a.weight as Node | undefined;
      if (z.shape.length === 0 || (isBatched(z.shape) && z.shape.length === 1)) return b.error("TH203", `cross_entropy: the logits need a class axis (the last), got ${showShape(z.shape)}`, span);
      const axis = z.shape.length - 1;
      const p = shiftedLogSoftmax(b, z, axis, span);
      if (p && isLabels(z, t)) return labelLoss(b, p, t, a, span, "cross_entropy");
      if (a.ignore_index !== -100) return b.error("TH105", "cross_entropy(): 'ignore_index' needs class-index targets (the logits' shape without the class axis), as PyTorch", span);
      if (w && (w.shape.length !== 1 || w.shape[0] !== z.shape[axis])) return b.error("TH210", `cross_entropy: 'weight' must have one value per class, [${z.shape[axis]}], got ${showShape(w.shape)}`, span);
      const tw = w ? b.mul(t, w, span) : t;
      const prod = p && tw && b.mul(tw, p, span);
      if (prod && prod.shape.length !== z.shape.length) return b.error("TH201", `cross_entropy: the target ${showShape(t.shape)} has more axes than the logits ${showShape(z.shape)}`, span);
      const s = prod && b.sum(prod, [axis], false, span);
      return reduce(b, s && b.neg(s, span), a.reduction, span, "cross_entropy");
    },
  },
  nll_loss: {
    params: [T("input"), T("target"), R, WEIGHT, IGNORE],
    doc: "-weight[target] * input[..., target] per row: input log-probabilities [..., C], target class indices (input's shape without the class axis); reduced as cross_entropy (torch.nn.functional.nll_loss)",
    lower: (b, a, span) => {
      const x = a.input as Node, t = a.target as Node;
      if (x.shape.length === 0 || (isBatched(x.shape) && x.shape.length === 1)) return b.error("TH203", `nll_loss: the input needs a class axis (the last), got ${showShape(x.shape)}`, span);
      if (!isLabels(x, t)) return b.error("TH210", `nll_loss: the target must hold class indices with the input's shape without the class axis, ${showShape(x.shape.slice(0, -1))}, got ${showShape(t.shape)}`, span);
      return labelLoss(b, x, t, a, span, "nll_loss");
    },
  },
  huber: {
    params: [T("input"), T("target"), num("delta", 1), R],
    doc: "0.5 r^2 for |r| <= delta, delta (|r| - delta / 2) beyond, r = input - target, reduced (torch.nn.functional.huber_loss)",
    lower: (b, a, span) => {
      const delta = a.delta as number;
      if (!(delta > 0)) return b.error("TH105", `huber(): 'delta' must be positive, got ${delta}`, span);
      const r = b.sub(a.input as Node, a.target as Node, span);
      return reduce(b, r && huberTerm(b, r, delta, span), a.reduction, span, "huber");
    },
  },
  smooth_l1: {
    params: [T("input"), T("target"), num("beta", 1), R],
    doc: "0.5 r^2 / beta for |r| < beta, |r| - beta / 2 beyond (|r| for beta = 0), r = input - target, reduced (torch.nn.functional.smooth_l1_loss)",
    lower: (b, a, span) => {
      const beta = a.beta as number;
      if (!(beta >= 0)) return b.error("TH105", `smooth_l1(): 'beta' must not be negative, got ${beta}`, span);
      const r = b.sub(a.input as Node, a.target as Node, span);
      const l = r && (beta === 0 ? b.unary("abs", r, span) : scale(b, 1 / beta, huberTerm(b, r, beta, span), span));
      return reduce(b, l, a.reduction, span, "smooth_l1");
    },
  },
  kl_div: {
    params: [T("input"), T("target"), R, { name: "log_target", kind: "bool", default: false }],
    doc: "target (log target - input), input being log-probabilities, reduced (torch.nn.functional.kl_div; 'mean' averages over every element, 'batchmean' sums and divides by the size of axis 0)",
    lower: (b, a, span) => {
      const x = a.input as Node, t = a.target as Node;
      let l: Node | undefined;
      if (a.log_target) {
        // exp(t) (t - input)
        const e = b.unary("exp", t, span);
        const d = b.sub(t, x, span);
        l = e && d && b.mul(e, d, span);
      } else {
        // xlogy(t, t) - t input, with xlogy(0, 0) = 0 as in PyTorch: t log(s), s = t where t > 0, else 1
        // (the mask is a constant for differentiation, so t log s has no NaN and exact derivatives)
        const m = b.compare("gt", [t, b.const(0, span)], span, "kl_div");
        const tm = m && b.mul(t, m, span);
        const rest = m && b.sub(b.const(1, span), m, span);
        const s = tm && rest && b.add(tm, rest, span);
        const lt = s && b.unary("log", s, span);
        const tl = lt && b.mul(t, lt, span);
        const tx = b.mul(t, x, span);
        l = tl && tx && b.sub(tl, tx, span);
      }
      return reduce(b, l, a.reduction, span, "kl_div", true);
    },
  },
};

/** log_softmax along `axis`, shifted by the max (a constant for differentiation), as functions.ts's log_softmax. */
function shiftedLogSoftmax(b: Builder, x: Node, axis: number, span: Span): Node | undefined {
  if (isBatched(x.shape) && axis === 0) return b.error("TH208", "cross_entropy over the batch axis would mix samples", span);
  const m = b.amax(x, [axis], span);
  const z = b.sub(x, m, span);
  const e = z && b.unary("exp", z, span);
  const s = e && b.sum(e, [axis], true, span);
  const l = s && b.unary("log", s, span);
  return z && l && b.sub(z, l, span);
}
