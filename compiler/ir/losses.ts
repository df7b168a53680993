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

export const LOSS_NAMES = ["mse_loss", "bce", "bce_with_logits", "cross_entropy", "huber", "smooth_l1", "kl_div"] as const;

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
    params: [T("input"), T("target"), R],
    doc: "-sum(target * log_softmax(input, -1), -1) per row (one-hot or probability targets), reduced over the rows (torch.nn.functional.cross_entropy with class probabilities)",
    lower: (b, a, span) => {
      const z = a.input as Node, t = a.target as Node;
      if (z.shape.length === 0 || (isBatched(z.shape) && z.shape.length === 1)) return b.error("TH203", `cross_entropy: the logits need a class axis (the last), got ${showShape(z.shape)}`, span);
      const axis = z.shape.length - 1;
      const p = shiftedLogSoftmax(b, z, axis, span);
      const prod = p && b.mul(t, p, span);
      if (prod && prod.shape.length !== z.shape.length) return b.error("TH201", `cross_entropy: the target ${showShape(t.shape)} has more axes than the logits ${showShape(z.shape)}`, span);
      const s = prod && b.sum(prod, [axis], false, span);
      return reduce(b, s && b.neg(s, span), a.reduction, span, "cross_entropy");
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
