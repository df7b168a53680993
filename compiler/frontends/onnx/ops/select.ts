/**
 * Slice, Gather and Split with constant positions: NumPy basic indexing in
 * `.thd` (`x[:, 1:3]`, `x[:, 2]`), a list of indices as a concat of slices
 * (runs with a constant step become one slice), Split as one slice per
 * output. On constants (shape arithmetic such as Gather(Shape(x), 0)) they
 * are folded.
 */
import type { OpContext, OpRule } from "../context.js";
import { gatherConst, takeIndex } from "../const-eval.js";
import { showShape, size, strides, type Const, type Dim, type Value } from "../values.js";

interface Range { readonly start: number; readonly step: number; readonly len: number }

/** ONNX Slice's clamping of start/end for one axis of size n. */
function range(n: number, start: number, end: number, step: number): Range {
  const clampTo = (v: number, lo: number, hi: number) => Math.min(Math.max(v < 0 ? v + n : v, lo), hi);
  const s = step > 0 ? clampTo(start, 0, n) : clampTo(start, 0, n - 1);
  const e = step > 0 ? clampTo(end, 0, n) : clampTo(end, -1, n - 1);
  return { start: s, step, len: Math.max(0, Math.ceil((e - s) / step)) };
}

/** A subscript for a range of an axis of size n: `:`, `1:3`, `::2`, `3::-1`. */
function subscript(r: Range, n: number): string {
  const end = r.start + r.len * r.step;
  if (r.step > 0) return `${r.start ? r.start : ""}:${end >= n ? "" : end}${r.step !== 1 ? `:${r.step}` : ""}`;
  return `${r.start === n - 1 ? "" : r.start}:${end < 0 ? "" : end}:${r.step}`;
}

/** `x[s0, s1, ...]` with trailing full slices dropped. */
function indexExpr(x: string, subs: string[]): string {
  while (subs.length > 1 && subs[subs.length - 1] === ":") subs.pop();
  return `${x}[${subs.join(", ")}]`;
}

/** Row-major element indices selected by per-axis index lists (constants). */
function selectIndex(shape: readonly number[], picks: readonly (readonly number[])[]): Int32Array {
  const st = strides(shape), outShape = picks.map((p) => p.length), n = size(outShape), src = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let rem = i, at = 0;
    for (let ax = outShape.length - 1; ax >= 0; ax--) { const c = rem % outShape[ax]!; rem = (rem - c) / outShape[ax]!; at += picks[ax]![c]! * st[ax]!; }
    src[i] = at;
  }
  return src;
}

const BIG = 2 ** 53;

function sliceRanges(cx: OpContext, shape: readonly Dim[]): Range[] {
  const r = shape.length;
  let starts: number[], ends: number[], axes: number[] | undefined, steps: number[] | undefined;
  if (cx.opset >= 10) {
    starts = cx.ints(1, "starts"); ends = cx.ints(2, "ends");
    axes = cx.optional(3) ? cx.ints(3, "axes") : undefined; steps = cx.optional(4) ? cx.ints(4, "steps") : undefined;
  } else {
    starts = cx.intList("starts") ?? []; ends = cx.intList("ends") ?? []; axes = cx.intList("axes");
  }
  axes ??= starts.map((_, i) => i);
  steps ??= starts.map(() => 1);
  if (ends.length !== starts.length || axes.length !== starts.length || steps.length !== starts.length) cx.fail("TH503", "starts, ends, axes and steps differ in length");
  const out: (Range | undefined)[] = shape.map(() => undefined);
  axes.forEach((a0, j) => {
    const a = cx.axis(a0, r), step = steps![j]!;
    if (step === 0) cx.fail("TH503", "a step of 0");
    const n = shape[a]!;
    if (n === "B") {
      // the batch axis may only be taken whole
      if (starts[j] !== 0 || step !== 1 || ends[j]! < BIG / 4) cx.fail("TH502", `slicing the batch axis (start ${starts[j]}, end ${ends[j]}, step ${step})`);
      return;
    }
    out[a] = range(n, starts[j]!, ends[j]!, step);
    if (out[a]!.len === 0) cx.fail("TH506", `the slice of axis ${a} of ${showShape(shape)} is empty`);
  });
  return shape.map((n, i) => out[i] ?? { start: 0, step: 1, len: n === "B" ? -1 : n });
}

const picks = (r: Range): number[] => Array.from({ length: r.len }, (_, k) => r.start + k * r.step);

const slice: OpRule = {
  emit: (cx) => {
    const x = cx.input(0, "data"), ranges = sliceRanges(cx, x.shape);
    const to: Dim[] = ranges.map((r, i) => (x.shape[i] === "B" ? "B" : r.len));
    if (to.every((d, i) => d === x.shape[i] && ranges[i]!.step === 1)) return [x];
    return [cx.emit(indexExpr(cx.em.ref(x), ranges.map((r, i) => (x.shape[i] === "B" ? ":" : subscript(r, x.shape[i] as number)))), to)];
  },
  fold: (cx) => {
    const x = cx.input(0) as Const, ranges = sliceRanges(cx, x.shape);
    return [gatherConst(x, ranges.map((r) => r.len), selectIndex(x.shape, ranges.map(picks)), cx.node.outputs[0]!)];
  },
};

/** Consecutive indices with one step as ranges (each at least one index). */
function runs(idx: readonly number[]): Range[] {
  const out: Range[] = [];
  for (let i = 0; i < idx.length;) {
    const step = i + 1 < idx.length ? idx[i + 1]! - idx[i]! : 1;
    let len = 1;
    if (step !== 0) while (i + len < idx.length && idx[i + len]! - idx[i + len - 1]! === step) len++;
    out.push({ start: idx[i]!, step: len === 1 ? 1 : step, len });
    i += len;
  }
  return out;
}

function gatherIndices(cx: OpContext, data: Value): { axis: number; idx: number[]; idxShape: number[] } {
  const ind = cx.input(1, "indices");
  if (ind.kind !== "const") cx.fail("TH501", "indices computed at run time (an embedding lookup) are not supported; only constant indices");
  if (ind.sym) cx.fail("TH502", "indices depend on the batch size");
  const axis = cx.axis(cx.int("axis", 0), data.shape.length);
  const n = data.shape[axis]!;
  if (n === "B") cx.fail("TH502", "gathering along the batch axis");
  const idx = [...ind.data].map((i) => {
    if (!Number.isInteger(i) || i < -n || i >= n) cx.fail("TH506", `index ${i} is out of range for axis ${axis} of size ${n}`);
    return i < 0 ? i + n : i;
  });
  return { axis, idx, idxShape: [...ind.shape] };
}

const gather: OpRule = {
  emit: (cx) => {
    const x = cx.input(0, "data"), { axis, idx, idxShape } = gatherIndices(cx, x);
    const pre = Array<string>(axis).fill(":"), n = x.shape[axis] as number, ref = cx.em.ref(x);
    const to: Dim[] = [...x.shape.slice(0, axis), ...idxShape, ...x.shape.slice(axis + 1)];
    if (idxShape.length === 0) return [cx.emit(indexExpr(ref, [...pre, String(idx[0])]), to)];
    const parts = runs(idx).map((r) => indexExpr(ref, [...pre, subscript(r, n)]));
    let expr = parts.length === 1 ? parts[0]! : `concat([${parts.join(", ")}], axis=${axis})`;
    if (idxShape.length !== 1) expr = `reshape(${expr}, [${to.join(", ")}])`;
    return [cx.emit(expr, to)];
  },
  fold: (cx) => {
    const x = cx.input(0) as Const, { axis, idx, idxShape } = gatherIndices(cx, x);
    const m = takeIndex(x.shape, axis, idx, idxShape);
    return [gatherConst(x, m.shape, m.src, cx.node.outputs[0]!)];
  },
};

/** Split: the parts along an axis (given sizes, or equal parts), one slice statement per output. */
function splitParts(cx: OpContext, shape: readonly Dim[]): { axis: number; parts: Range[] } {
  const axis = cx.axis(cx.int("axis", 0), shape.length), n = shape[axis]!;
  if (n === "B") cx.fail("TH502", "splitting the batch axis");
  const k = cx.node.outputs.length;
  const sizes = cx.optional(1) ? cx.ints(1, "split") : cx.intList("split") ?? Array<number>(k).fill(n / k);
  if (sizes.length !== k || sizes.some((v) => !Number.isInteger(v) || v < 1) || sizes.reduce((a, b) => a + b, 0) !== n) {
    cx.fail("TH506", `split [${sizes.join(", ")}] does not divide axis ${axis} of size ${n} into ${k} parts`);
  }
  let at = 0;
  return { axis, parts: sizes.map((len) => { const r = { start: at, step: 1, len }; at += len; return r; }) };
}

const split: OpRule = {
  emit: (cx) => {
    const x = cx.input(0, "input"), { axis, parts } = splitParts(cx, x.shape);
    const pre = Array<string>(axis).fill(":"), n = x.shape[axis] as number;
    return parts.map((r, k) => {
      const id = cx.out(k), shape = x.shape.map((d, i) => (i === axis ? r.len : d));
      cx.em.assign(id, indexExpr(cx.em.ref(x), [...pre, subscript(r, n)]));
      return { kind: "tensor" as const, ref: id, shape };
    });
  },
  fold: (cx) => {
    const x = cx.input(0) as Const, { axis, parts } = splitParts(cx, x.shape);
    return parts.map((r, k) => {
      const ranges = x.shape.map((d, i) => (i === axis ? r : { start: 0, step: 1, len: d }));
      return gatherConst(x, ranges.map((q) => q.len), selectIndex(x.shape, ranges.map(picks)), cx.node.outputs[k]!);
    });
  },
};

export const SELECT_OPS: Record<string, OpRule> = { Slice: slice, Gather: gather, Split: split };
