/**
 * dot, outer, linear: lowered to einsum. "Per sample" shapes: a batched
 * operand is its shape without the batch axis, which passes through to axis 0
 * of the result (so `dot(x, y)` of two [B, n] is [B]).
 */
import type { Span } from "../diagnostics/diagnostic.js";
import type { Builder } from "./builders.js";
import type { FnRule } from "./functions.js";
import { BATCH, isBatched, showShape, type Node } from "./node.js";

const rank1 = (n: Node): boolean => n.shape.length - (isBatched(n.shape) ? 1 : 0) === 1;
const last = (n: Node): number => n.shape[n.shape.length - 1]!;
const b0 = (n: Node): string => (isBatched(n.shape) ? "b" : "");

function vectors(b: Builder, what: string, x: Node, y: Node, span: Span): boolean {
  if (rank1(x) && rank1(y)) return true;
  b.error("TH202", `${what} needs two 1-D operands (per sample), got ${showShape(x.shape)} and ${showShape(y.shape)}`, span);
  return false;
}

export const CONTRACTION_NAMES = ["dot", "outer", "linear"] as const;

export const CONTRACTIONS: Record<(typeof CONTRACTION_NAMES)[number], FnRule> = {
  dot: {
    params: [{ name: "input", kind: "tensor" }, { name: "other", kind: "tensor" }],
    doc: "inner product of two 1-D tensors (torch.dot); per sample with a batch axis",
    lower: (b, a, span) => {
      const x = a.input as Node, y = a.other as Node;
      if (!vectors(b, "dot", x, y, span)) return undefined;
      if (last(x) !== last(y)) return b.error("TH202", `dot ${showShape(x.shape)} . ${showShape(y.shape)}: sizes ${last(x)} and ${last(y)} differ`, span);
      const out = isBatched(x.shape) || isBatched(y.shape) ? "b" : "";
      return b.einsum(`${b0(x)}i,${b0(y)}i->${out}`, [x, y], span, "dot");
    },
  },
  outer: {
    params: [{ name: "input", kind: "tensor" }, { name: "vec2", kind: "tensor" }],
    doc: "outer product of two 1-D tensors (torch.outer): [n] x [m] -> [n, m]; per sample with a batch axis",
    lower: (b, a, span) => {
      const x = a.input as Node, y = a.vec2 as Node;
      if (!vectors(b, "outer", x, y, span)) return undefined;
      const out = isBatched(x.shape) || isBatched(y.shape) ? "b" : "";
      return b.einsum(`${b0(x)}i,${b0(y)}j->${out}ij`, [x, y], span, "outer");
    },
  },
  linear: {
    params: [{ name: "input", kind: "tensor" }, { name: "weight", kind: "tensor" }, { name: "bias", kind: "tensor", optional: true }],
    doc: "x @ W^T + b (torch.nn.functional.linear): W is [out, in], b is [out]",
    lower: (b, a, span) => {
      const x = a.input as Node, W = a.weight as Node, bias = a.bias as Node | undefined;
      if (W.shape.length !== 2 || isBatched(W.shape)) return b.error("TH202", `linear: the weight must be [out, in] (rank 2, no batch axis), got ${showShape(W.shape)}`, span);
      const [o, i] = W.shape as [number, number];
      if (x.shape.length === 0 || (isBatched(x.shape) && x.shape.length === 1)) return b.error("TH202", `linear: the input must have at least one feature axis, got ${showShape(x.shape)}`, span);
      if (last(x) !== i) return b.error(last(x) === BATCH ? "TH208" : "TH202", `linear: the input ${showShape(x.shape)} has ${last(x) === BATCH ? "B" : last(x)} features but the weight ${showShape(W.shape)} takes ${i}`, span);
      if (bias && (bias.shape.length !== 1 || bias.shape[0] !== o)) return b.error("TH201", `linear: the bias must be [${o}] for the weight ${showShape(W.shape)}, got ${showShape(bias.shape)}`, span);
      const lead = "bacdefghjklmnpqrstuvwxyz".slice(0, x.shape.length - 1);
      const y = b.einsum(`${lead}i,oi->${lead}o`, [x, W], span, "linear");
      return y && bias ? b.add(y, bias, span) : y;
    },
  },
};
