/**
 * Reshape, Flatten, Squeeze, Unsqueeze: the element order does not change, so
 * on a constant they only relabel the shape, and on a run-time tensor they
 * are one `reshape` (or `squeeze`/`unsqueeze`). The batch axis may pass
 * through at axis 0 unmerged; a target shape built from Shape(x) on the
 * batch size (Shape/Gather/Unsqueeze/Concat) arrives as a constant with a
 * batch-size term and becomes `B`.
 */
import type { OpContext, OpRule } from "../context.js";
import { hasBatch, makeConst, showShape, type Const, type Dim, type Value } from "../values.js";
import { list } from "./padding.js";

/** The product of dims, as (static factor, whether B is a factor). */
function volume(s: readonly Dim[]): { n: number; b: boolean } {
  return { n: s.reduce<number>((p, d) => (d === "B" ? p : p * d), 1), b: s.includes("B") };
}

/** The batch axis may only stay axis 0. */
function checkBatch(cx: OpContext, from: readonly Dim[], to: readonly Dim[]): void {
  const at = to.indexOf("B");
  if (hasBatch(from) !== (at >= 0) || at > 0 || to.lastIndexOf("B") !== at) {
    cx.fail("TH502", `${showShape(from)} -> ${showShape(to)} would ${at > 0 ? "move the batch axis away from axis 0" : "merge the batch axis with other axes"}`);
  }
}

/** The output of a relabelling: a constant keeps its data, a tensor gets a statement. */
function relabel(cx: OpContext, x: Value, to: readonly Dim[], expr: () => string): Value {
  if (x.kind === "const") return makeConst(to as number[], x.data, x.elem, cx.node.outputs[0]!, x.sym ? { sym: x.sym } : {});
  checkBatch(cx, x.shape, to);
  if (to.length === x.shape.length && to.every((d, i) => d === x.shape[i])) return x;
  return cx.emit(expr(), to);
}

const reshapeExpr = (cx: OpContext, x: Value, to: readonly Dim[]) => () => `reshape(${cx.em.ref(x)}, ${list(to)})`;

/** Reshape's target: 0 copies the input dim (allowzero=0), -1 is inferred, a batch-size entry is B. */
function target(cx: OpContext, from: readonly Dim[], shape: Const): Dim[] {
  const allowzero = cx.int("allowzero", 0);
  const dims: (Dim | -1)[] = [...shape.data].map((v, j) => {
    const s = shape.sym?.[j] ?? 0;
    if (s !== 0) return s === 1 && v === 0 ? "B" : cx.fail("TH502", `shape entry ${j} is ${v ? `${v} + ` : ""}${s} * batch: the batch axis would be merged`);
    if (v === 0 && !allowzero) return from[j] ?? cx.fail("TH503", `shape entry ${j} is 0 (copy) but the input ${showShape(from)} has no axis ${j}`);
    if (v === 0) return cx.fail("TH506", "allowzero=1 with a 0 in the shape (an empty tensor) is not supported");
    if (v === -1 || v > 0) return v as Dim | -1;
    return cx.fail("TH503", `shape entry ${j} is ${v}`);
  });
  const free = dims.filter((d) => d === -1).length;
  if (free > 1) cx.fail("TH503", "the shape has more than one -1");
  const have = volume(from), known = volume(dims.filter((d): d is Dim => d !== -1));
  if (free === 0) {
    if (have.n !== known.n || have.b !== known.b) cx.fail(have.b !== known.b ? "TH502" : "TH503", `cannot reshape ${showShape(from)} to ${showShape(dims as Dim[])}`);
    return dims as Dim[];
  }
  if (have.n % known.n !== 0) cx.fail("TH503", `cannot reshape ${showShape(from)} to ${showShape(dims as Dim[])}`);
  const rest = have.n / known.n;
  let inferred: Dim = rest;
  if (have.b && !known.b) {
    if (rest !== 1) cx.fail("TH502", `the -1 of ${showShape(dims as Dim[])} would hold the batch axis merged with ${rest} elements`);
    inferred = "B";
  }
  return dims.map((d) => (d === -1 ? inferred : d));
}

const reshape: OpRule = {
  emit: (cx) => {
    const x = cx.input(0, "data"), to = target(cx, x.shape, cx.constant(1, "shape"));
    return [relabel(cx, x, to, reshapeExpr(cx, x, to))];
  },
};

const flatten: OpRule = {
  emit: (cx) => {
    const x = cx.input(0, "input"), r = x.shape.length;
    const a0 = cx.int("axis", 1), a = a0 < 0 ? a0 + r : a0;
    if (a < 0 || a > r) cx.fail("TH506", `axis ${a0} is out of range for rank ${r}`);
    const part = (s: readonly Dim[]): Dim => {
      const v = volume(s);
      if (v.b && s.length > 1 && v.n !== 1) cx.fail("TH502", `flattening ${showShape(x.shape)} at axis ${a0} would merge the batch axis`);
      return v.b ? "B" : v.n;
    };
    const to = [part(x.shape.slice(0, a)), part(x.shape.slice(a))];
    return [relabel(cx, x, to, reshapeExpr(cx, x, to))];
  },
};

/** Axes from the input (opset 13+) or the attribute (before). */
function axesOf(cx: OpContext, i: number): number[] | undefined {
  return cx.opset >= 13 ? (cx.optional(i) ? cx.ints(i, "axes") : undefined) : cx.intList("axes");
}

const squeeze: OpRule = {
  emit: (cx) => {
    const x = cx.input(0, "data"), r = x.shape.length;
    const given = axesOf(cx, 1);
    // without axes: every static size-1 axis (the batch axis is never squeezed: its size is not known here)
    const axes = given ? given.map((a) => cx.axis(a, r)) : x.shape.map((_, i) => i).filter((i) => x.shape[i] === 1);
    for (const a of axes) if (x.shape[a] !== 1) cx.fail(x.shape[a] === "B" ? "TH502" : "TH503", `axis ${a} of ${showShape(x.shape)} is not of size 1`);
    const to = x.shape.filter((_, i) => !axes.includes(i));
    return [relabel(cx, x, to, () => `squeeze(${cx.em.ref(x)}, axis=${axes.length === 1 ? axes[0] : list(axes)})`)];
  },
};

const unsqueeze: OpRule = {
  emit: (cx) => {
    const x = cx.input(0, "data");
    const given = axesOf(cx, 1) ?? cx.fail("TH503", "axes are missing");
    const r = x.shape.length + given.length;
    const axes = given.map((a) => cx.axis(a, r)).sort((p, q) => p - q);
    const to: Dim[] = [];
    let k = 0;
    for (let i = 0; i < r; i++) to.push(axes.includes(i) ? 1 : x.shape[k++]!);
    return [relabel(cx, x, to, () => (axes.length === 1 ? `unsqueeze(${cx.em.ref(x)}, ${axes[0]})` : reshapeExpr(cx, x, to)()))];
  },
};

export const RESHAPE_OPS: Record<string, OpRule> = { Reshape: reshape, Flatten: flatten, Squeeze: squeeze, Unsqueeze: unsqueeze };
