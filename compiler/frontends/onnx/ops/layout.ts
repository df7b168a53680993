/**
 * Transpose, Concat, Expand and Pad (constant mode): `transpose`, `concat`,
 * `expand`, `pad`. On constants they are folded (Concat of shape pieces is
 * how exporters build Reshape targets).
 */
import type { OpContext, OpRule } from "../context.js";
import { broadcastIndex, gatherConst, transposeIndex } from "../const-eval.js";
import { lit } from "../literal.js";
import { broadcast, hasBatch, makeConst, showShape, size, type Const, type Dim } from "../values.js";
import { list } from "./padding.js";

function perm(cx: OpContext, r: number): number[] {
  const p = cx.intList("perm") ?? Array.from({ length: r }, (_, i) => r - 1 - i);
  if (p.length !== r || [...p].sort((a, b) => a - b).some((v, i) => v !== i)) cx.fail("TH506", `perm [${p.join(", ")}] is not a permutation of ${r} axes`);
  return p;
}

const transpose: OpRule = {
  emit: (cx) => {
    const x = cx.input(0, "data"), p = perm(cx, x.shape.length);
    if (p.every((v, i) => v === i)) return [x];
    return [cx.emit(`transpose(${cx.em.ref(x)}, ${list(p)})`, p.map((a) => x.shape[a]!))];
  },
  fold: (cx) => {
    const x = cx.input(0) as Const, m = transposeIndex(x.shape, perm(cx, x.shape.length));
    return [gatherConst(x, m.shape, m.src, cx.node.outputs[0]!)];
  },
};

function concatShape(cx: OpContext, shapes: readonly (readonly Dim[])[]): { axis: number; shape: Dim[] } {
  const r = shapes[0]!.length, axis = cx.axis(cx.int("axis", 0) , r);
  let total = 0;
  for (const s of shapes) {
    if (s.length !== r || s.some((d, i) => i !== axis && d !== shapes[0]![i])) cx.fail("TH503", `inputs of shapes ${shapes.map(showShape).join(", ")} do not concatenate along axis ${axis}`);
    if (s[axis] === "B") cx.fail("TH502", "concatenating along the batch axis");
    total += s[axis] as number;
  }
  return { axis, shape: shapes[0]!.map((d, i) => (i === axis ? total : d)) };
}

const concat: OpRule = {
  emit: (cx) => {
    const xs = cx.inputs.filter((v) => v !== undefined);
    if (xs.length === 0) cx.fail("TH503", "no inputs");
    const { axis, shape } = concatShape(cx, xs.map((v) => v.shape));
    if (xs.length === 1) return [xs[0]!];
    return [cx.emit(`concat([${xs.map((v) => cx.em.ref(v)).join(", ")}], axis=${axis})`, shape)];
  },
  fold: (cx) => {
    const xs = cx.inputs.filter((v) => v !== undefined) as Const[];
    const { axis, shape } = concatShape(cx, xs.map((v) => v.shape));
    const out = shape as number[], inner = size(out.slice(axis + 1)), outer = size(out.slice(0, axis));
    const data = new Float64Array(size(out)), sym = xs.some((x) => x.sym) ? new Float64Array(size(out)) : undefined;
    let k = 0;
    for (let o = 0; o < outer; o++) for (const x of xs) {
      const len = (x.shape[axis] as number) * inner;
      for (let i = 0; i < len; i++, k++) { data[k] = x.data[o * len + i]!; if (sym) sym[k] = x.sym?.[o * len + i] ?? 0; }
    }
    return [makeConst(out, data, xs[0]!.elem, cx.node.outputs[0]!, sym ? { sym } : {})];
  },
};

/** Expand: bidirectional broadcasting to a constant shape. */
function expandShape(cx: OpContext, from: readonly Dim[]): Dim[] {
  const s = cx.constant(1, "shape");
  const to: Dim[] = [...s.data].map((v, j) => (s.sym?.[j] ? (s.sym[j] === 1 && v === 0 ? "B" : cx.fail("TH502", "an expanded size that merges the batch size")) : v));
  return broadcast(from, to) ?? cx.fail("TH503", `${showShape(from)} does not expand to ${showShape(to)}`);
}

const expand: OpRule = {
  emit: (cx) => {
    const x = cx.input(0, "input"), to = expandShape(cx, x.shape);
    if (to.length === x.shape.length && to.every((d, i) => d === x.shape[i])) return [x];
    if (to.includes("B") && !hasBatch(x.shape)) cx.fail("TH502", `expanding ${showShape(x.shape)} to the batch size (${showShape(to)}): a tensor repeated per sample cannot be expressed; only tensors that carry the batch axis keep it`);
    return [cx.emit(`expand(${cx.em.ref(x)}, ${list(to)})`, to)];
  },
  fold: (cx) => {
    const x = cx.input(0) as Const, to = expandShape(cx, x.shape);
    if (to.includes("B")) cx.fail("TH502", "a constant expanded to the batch size");
    return [gatherConst(x, to as number[], broadcastIndex(x.shape, to as number[]), cx.node.outputs[0]!)];
  },
};

/** Pad, mode "constant", constant amounts (inputs since opset 11). */
const pad: OpRule = {
  emit: (cx) => {
    const x = cx.input(0, "data"), r = x.shape.length;
    const mode = cx.string("mode", "constant");
    if (mode !== "constant") cx.fail("TH506", `mode "${mode}" is not supported (constant padding only)`);
    const pads = cx.opset >= 11 ? cx.ints(1, "pads") : cx.intList("pads") ?? [];
    const value = cx.opset >= 11 ? (cx.optional(2) ? cx.number(2, "constant_value") : 0) : cx.float("value", 0);
    const axes = cx.optional(3) ? cx.ints(3, "axes").map((a) => cx.axis(a, r)) : x.shape.map((_, i) => i);
    if (pads.length !== 2 * axes.length) cx.fail("TH503", `pads [${pads.join(", ")}] do not fit ${axes.length} axes`);
    const before = Array<number>(r).fill(0), after = Array<number>(r).fill(0);
    axes.forEach((a, j) => { before[a] = pads[j]!; after[a] = pads[j + axes.length]!; });
    const used = x.shape.map((_, i) => i).filter((i) => before[i] !== 0 || after[i] !== 0);
    if (used.length === 0) return [x];
    if (used.some((i) => x.shape[i] === "B")) cx.fail("TH502", "padding the batch axis");
    const first = Math.min(...used);
    const amounts = x.shape.map((_, i) => i).filter((i) => i >= first).reverse().flatMap((i) => [before[i]!, after[i]!]);
    const to = x.shape.map((d, i) => (d === "B" ? d : d + before[i]! + after[i]!));
    if (to.some((d) => d !== "B" && d < 1)) cx.fail("TH506", "cropping to an empty tensor");
    if (!Number.isFinite(value)) cx.fail("TH506", `padding value ${value} is not supported`);
    return [cx.emit(`pad(${cx.em.ref(x)}, ${list(amounts)}${value !== 0 ? `, value=${lit(value)}` : ""})`, to)];
  },
};

export const LAYOUT_OPS: Record<string, OpRule> = { Transpose: transpose, Concat: concat, Expand: expand, Pad: pad };
