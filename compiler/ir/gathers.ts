/**
 * Shape operators expressed with the gather primitive (a static affine index
 * map per sample, node.ts GatherSpec): basic indexing `x[...]`, flip, repeat,
 * expand / broadcast_to, concat, stack, and im2col for convolution and
 * pooling. Each builds its map here and reports its shape errors as coded
 * diagnostics; squeeze and unsqueeze are reshapes.
 */
import type { Span } from "../diagnostics/diagnostic.js";
import { normAxis } from "../shapes/broadcast.js";
import type { Builder } from "./builders.js";
import { BATCH, isBatched, showShape, type GatherSpec, type Node, type Shape } from "./node.js";

/** A subscript with its constants resolved (lower.ts). */
export type Subscript =
  | { readonly kind: "ellipsis"; readonly span: Span }
  | { readonly kind: "at"; readonly index: number; readonly span: Span }
  | { readonly kind: "slice"; readonly start?: number; readonly stop?: number; readonly step?: number; readonly span: Span };

/** Per-sample (inner) axes of a shape: the batch axis removed. */
const inner = (s: Shape): number[] => s.filter((d) => d !== BATCH);

/** The affine map from out view axes: one row per source axis. */
function spec(view: readonly number[], src: readonly number[], rows: readonly { coef: Record<number, number>; offset: number }[]): GatherSpec {
  return {
    view: [...view],
    src: [...src],
    coef: rows.map((r) => view.map((_, k) => r.coef[k] ?? 0)),
    offset: rows.map((r) => r.offset),
  };
}

/** Python's slice.indices(n) and the slice length. */
function sliceIndices(n: number, start: number | undefined, stop: number | undefined, step: number): { start: number; len: number } {
  const lower = step > 0 ? 0 : -1, upper = step > 0 ? n : n - 1;
  const clamp = (v: number | undefined, dflt: number) => (v === undefined ? dflt : v < 0 ? Math.max(v + n, lower) : Math.min(v, upper));
  const s = clamp(start, step > 0 ? lower : upper), e = clamp(stop, step > 0 ? upper : lower);
  const len = step > 0 ? Math.max(0, Math.ceil((e - s) / step)) : Math.max(0, Math.ceil((s - e) / -step));
  return { start: s, len };
}

/** NumPy basic indexing with constant integers, slices and one `...`. */
export function index(b: Builder, x: Node, items: readonly Subscript[], span: Span): Node | undefined {
  const r = x.shape.length;
  const ell = items.filter((it) => it.kind === "ellipsis");
  if (ell.length > 1) return b.error("TH203", "an index may contain '...' at most once", ell[1]!.span);
  const used = items.length - ell.length;
  if (used > r) return b.error("TH203", `too many indices (${used}) for shape ${showShape(x.shape)}`, span);
  // one subscript per axis: '...' and the missing tail become full slices
  const full = (s: Span): Subscript => ({ kind: "slice", span: s });
  const per: Subscript[] = [];
  for (const it of items) {
    if (it.kind === "ellipsis") for (let k = 0; k < r - used; k++) per.push(full(it.span));
    else per.push(it);
  }
  while (per.length < r) per.push(full(span));
  const view: number[] = [];
  const rows: { coef: Record<number, number>; offset: number }[] = [];
  let changed = false;
  for (let a = 0; a < r; a++) {
    const it = per[a]!, n = x.shape[a]!;
    if (n === BATCH) {
      if (it.kind !== "slice" || it.start !== undefined || it.stop !== undefined || (it.step !== undefined && it.step !== 1)) {
        return b.error("TH208", "indexing the batch axis (axis 0) would mix samples; use ':' there", it.span);
      }
      continue;
    }
    if (it.kind === "at") {
      const i = it.index < 0 ? it.index + n : it.index;
      if (i < 0 || i >= n) return b.error("TH203", `index ${it.index} is out of range for axis ${a} of size ${n} in ${showShape(x.shape)}`, it.span);
      rows.push({ coef: {}, offset: i });
      changed = true;
      continue;
    }
    if (it.kind !== "slice") continue;
    const step = it.step ?? 1;
    if (step === 0) return b.error("TH105", "a slice step must not be 0", it.span);
    const { start, len } = sliceIndices(n, it.start, it.stop, step);
    if (len === 0) return b.error("TH203", `the slice selects no element of axis ${a} (size ${n}) in ${showShape(x.shape)}`, it.span);
    if (len !== n || start !== 0 || step !== 1) changed = true;
    rows.push({ coef: { [view.length]: step }, offset: start });
    view.push(len);
  }
  if (!changed) return x;
  return b.gather(x, spec(view, inner(x.shape), rows), view, span);
}

/** Reverses the order along the given (normalised) axes. */
export function flip(b: Builder, x: Node, axes: readonly number[], span: Span): Node | undefined {
  if (isBatched(x.shape) && axes.includes(0)) return b.error("TH208", "flip along the batch axis (axis 0) would mix samples", span);
  const inAxes = x.shape.map((_, a) => a).filter((a) => x.shape[a] !== BATCH);
  const view = inner(x.shape);
  const rows = inAxes.map((a, k) => (axes.includes(a) ? { coef: { [k]: -1 }, offset: x.shape[a]! - 1 } : { coef: { [k]: 1 }, offset: 0 }));
  if (axes.every((a) => x.shape[a] === 1)) return x;
  return b.gather(x, spec(view, view, rows), view, span);
}

/** torch's Tensor.repeat: tiles x `repeats[i]` times along axis i (leading new axes allowed). */
export function repeat(b: Builder, x: Node, repeats: readonly number[], span: Span): Node | undefined {
  const r = x.shape.length;
  if (repeats.length < r) return b.error("TH204", `repeat: ${repeats.length} repeat count(s) for the ${r} axes of ${showShape(x.shape)}; give at least one per axis`, span);
  if (repeats.some((c) => !Number.isInteger(c) || c < 1)) return b.error("TH105", "repeat: the repeat counts must be positive integers", span);
  const lead = repeats.length - r;
  if (isBatched(x.shape) && (lead > 0 || repeats[0] !== 1)) return b.error("TH208", "repeat along or before the batch axis would mix samples; its count must be 1 and come first", span);
  const shape = [...Array<number>(lead).fill(1), ...x.shape];
  const out = shape.map((d, a) => (d === BATCH ? BATCH : d * repeats[a]!));
  if (repeats.every((c) => c === 1)) return x;
  // view each output axis as [count, size]: the source index is the size part
  const view: number[] = [], rows: { coef: Record<number, number>; offset: number }[] = [];
  shape.forEach((d, a) => {
    if (d === BATCH) return;
    view.push(repeats[a]!, d);
    if (a >= lead) rows.push({ coef: { [view.length - 1]: 1 }, offset: 0 });
  });
  return b.gather(x, spec(view, inner(x.shape), rows), inner(out), span);
}

/**
 * torch's expand / NumPy's broadcast_to: size-1 axes repeat, new axes lead;
 * -1 (bound as -2) keeps a size; the batch name keeps the batch axis.
 */
export function expand(b: Builder, x: Node, target: Shape, span: Span, what: string): Node | undefined {
  const r = x.shape.length, lead = target.length - r;
  if (lead < 0) return b.error("TH204", `${what}: the target ${showShape(target.map((d) => (d === -2 ? -1 : d)))} has fewer axes than ${showShape(x.shape)}`, span);
  const out: number[] = [];
  for (let a = 0; a < target.length; a++) {
    const t = target[a]!, d = a >= lead ? x.shape[a - lead]! : undefined;
    if (t === -2) {
      if (d === undefined) return b.error("TH204", `${what}: -1 is only allowed for an existing axis (axis ${a} is new)`, span);
      out.push(d);
    } else if (t === BATCH || d === BATCH) {
      if (t !== d || a !== 0) return b.error("TH208", `${what}: ${d === BATCH ? "the batch axis must stay axis 0 (write B there)" : "cannot add a batch axis to " + showShape(x.shape)}`, span);
      out.push(BATCH);
    } else if (d === undefined || d === t || d === 1) out.push(t);
    else return b.error("TH204", `${what}: axis ${a - lead} of ${showShape(x.shape)} has size ${d}, which cannot expand to ${t} (only size 1 can)`, span);
  }
  if (out.join() === x.shape.join()) return x;
  const view = inner(out);
  const rows: { coef: Record<number, number>; offset: number }[] = [];
  let k = 0;
  out.forEach((d, a) => {
    if (d === BATCH) return;
    if (a >= lead) { const s = x.shape[a - lead]!; rows.push(s === d ? { coef: { [k]: 1 }, offset: 0 } : { coef: {}, offset: 0 }); }
    k++;
  });
  return b.gather(x, spec(view, inner(x.shape), rows), view, span);
}

/**
 * torch.nn.functional.pad, constant mode: `pads` holds (before, after) pairs
 * from the last axis backwards; negative amounts crop. Padding holds `value`.
 */
export function pad(b: Builder, x: Node, pads: readonly number[], value: number, span: Span): Node | undefined {
  const r = x.shape.length;
  if (pads.length % 2 !== 0 || pads.length / 2 > r) return b.error("TH105", `pad: 'pad' must hold (before, after) pairs for at most the ${r} axes of ${showShape(x.shape)}, got ${pads.length} number(s)`, span);
  const before = Array<number>(r).fill(0), after = Array<number>(r).fill(0);
  for (let k = 0; k < pads.length / 2; k++) { before[r - 1 - k] = pads[2 * k]!; after[r - 1 - k] = pads[2 * k + 1]!; }
  if (isBatched(x.shape) && (before[0] !== 0 || after[0] !== 0)) return b.error("TH208", "pad of the batch axis (axis 0) would mix samples", span);
  const out = x.shape.map((d, a) => (d === BATCH ? BATCH : d + before[a]! + after[a]!));
  const bad = out.findIndex((d) => d !== BATCH && d < 1);
  if (bad >= 0) return b.error("TH204", `pad: axis ${bad} of ${showShape(x.shape)} would have ${out[bad]} elements`, span);
  if (before.every((p) => p === 0) && after.every((p) => p === 0)) return x;
  const inAxes = out.map((_, a) => a).filter((a) => out[a] !== BATCH);
  const rows = inAxes.map((a, k) => ({ coef: { [k]: 1 }, offset: -before[a]! }));
  const view = inner(out);
  return b.gather(x, spec(view, inner(x.shape), rows), view, span, value);
}

/** Joins tensors of equal shapes except along `axis`: a sum of gathers, each padding the others' parts. */
export function concat(b: Builder, xs: readonly Node[], axis: number, span: Span, what = "concat"): Node | undefined {
  const first = xs[0]!, r = first.shape.length;
  if (r === 0) return b.error("TH210", `${what}: cannot join scalars (use stack)`, span);
  const ax = normAxis(axis, r);
  if (ax === undefined) return b.error("TH203", `${what}: axis ${axis} is out of range for shape ${showShape(first.shape)}`, span);
  if (first.shape[ax] === BATCH) return b.error("TH208", `${what} along the batch axis (axis 0) would mix samples`, span);
  for (let i = 1; i < xs.length; i++) {
    const s = xs[i]!.shape;
    if (s.length !== r) return b.error("TH210", `${what}: operand ${i + 1} has shape ${showShape(s)}, expected rank ${r} like operand 1 (${showShape(first.shape)})`, span);
    const bad = s.findIndex((d, a) => a !== ax && d !== first.shape[a]);
    if (bad >= 0) return b.error("TH210", `${what}: operand ${i + 1} has shape ${showShape(s)}, which differs from ${showShape(first.shape)} at axis ${bad}`, span);
  }
  if (xs.length === 1) return first;
  const total = xs.reduce((p, x) => p + x.shape[ax]!, 0);
  const out = first.shape.map((d, a) => (a === ax ? total : d));
  const view = inner(out);
  const inAxes = out.map((_, a) => a).filter((a) => out[a] !== BATCH);
  let off = 0, sum: Node | undefined;
  for (const x of xs) {
    const rows = inAxes.map((a, k) => ({ coef: { [k]: 1 }, offset: a === ax ? -off : 0 }));
    const g = b.gather(x, spec(view, inner(x.shape), rows), view, span);
    sum = sum ? b.add(sum, g, span) : g;
    off += x.shape[ax]!;
    if (!sum) return undefined;
  }
  return sum;
}

/** Joins tensors of equal shapes along a new axis. */
export function stack(b: Builder, xs: readonly Node[], axis: number, span: Span): Node | undefined {
  const first = xs[0]!, r = first.shape.length;
  const ax = normAxis(axis, r + 1);
  if (ax === undefined) return b.error("TH203", `stack: axis ${axis} is out of range for stacking tensors of shape ${showShape(first.shape)}`, span);
  if (isBatched(first.shape) && ax === 0) return b.error("TH208", "stack along axis 0 would move the batch axis", span);
  for (let i = 1; i < xs.length; i++) {
    if (xs[i]!.shape.join() !== first.shape.join()) return b.error("TH210", `stack: operand ${i + 1} has shape ${showShape(xs[i]!.shape)}, operand 1 has ${showShape(first.shape)}; they must be equal`, span);
  }
  const parts: Node[] = [];
  for (const x of xs) {
    const u = b.reshape(x, [...x.shape.slice(0, ax), 1, ...x.shape.slice(ax)], span);
    if (!u) return undefined;
    parts.push(u);
  }
  return concat(b, parts, ax, span, "stack");
}

/**
 * im2col: x's last `kernel.length` axes are spatial; the result has x's other
 * axes, then the kernel axes, then the output positions:
 * P[..., k1, .., kd, o1, .., od] = x[..., o1 * s1 + k1 * d1 - p1, ...] (fill outside).
 * `padding` pads before each spatial axis, `padEnd` after it (default: the same).
 */
export function im2col(b: Builder, x: Node, kernel: readonly number[], stride: readonly number[], padding: readonly number[], dilation: readonly number[], span: Span, what: string, fill = 0, padEnd: readonly number[] = padding): Node | undefined {
  const d = kernel.length, sIn = x.shape.slice(-d) as number[];
  const outSp: number[] = [];
  for (let j = 0; j < d; j++) {
    const o = Math.floor((sIn[j]! + padding[j]! + padEnd[j]! - dilation[j]! * (kernel[j]! - 1) - 1) / stride[j]!) + 1;
    if (o < 1) return b.error("TH210", `${what}: the input's spatial size ${sIn.join("x")} (padding ${padding.join("x")}) is smaller than the kernel ${kernel.join("x")} (dilation ${dilation.join("x")})`, span);
    outSp.push(o);
  }
  const leadShape = x.shape.slice(0, -d);
  const leadInner = inner(leadShape);
  const view = [...leadInner, ...kernel, ...outSp];
  const L = leadInner.length;
  const rows = [
    ...leadInner.map((_, k) => ({ coef: { [k]: 1 }, offset: 0 })),
    ...sIn.map((_, j) => ({ coef: { [L + d + j]: stride[j]!, [L + j]: dilation[j]! }, offset: -padding[j]! })),
  ];
  return b.gather(x, spec(view, inner(x.shape), rows), view, span, fill);
}

/**
 * x shifted by `d` positions along `axis` (not the batch axis): out[.., j, ..] = x[.., j - d, ..],
 * `fill` for j < d. The steps of the prefix scans (cumsum, cumprod, cummax).
 */
export function shift(b: Builder, x: Node, axis: number, d: number, span: Span, fill = 0): Node {
  const view = inner(x.shape);
  const k0 = isBatched(x.shape) ? 1 : 0;
  const rows = view.map((_, k) => ({ coef: { [k]: 1 }, offset: k === axis - k0 ? -d : 0 }));
  return b.gather(x, spec(view, view, rows), view, span, fill);
}

/** x[..., j] along the last axis (the batch axis passes through). */
export function lastAt(b: Builder, x: Node, j: number, span: Span): Node {
  const src = inner(x.shape), view = src.slice(0, -1);
  const rows = [...view.map((_, k) => ({ coef: { [k]: 1 }, offset: 0 })), { coef: {}, offset: j }];
  return b.gather(x, spec(view, src, rows), view, span);
}
