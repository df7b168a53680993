/**
 * Conv and pooling windows: strides, dilations and the padding before and
 * after each spatial axis, from `pads` or from `auto_pad` (computable here:
 * every spatial size is static).
 */
import type { OpContext } from "../context.js";

export interface Windows {
  readonly kernel: readonly number[];
  readonly strides: readonly number[];
  readonly dilations: readonly number[];
  readonly begin: readonly number[];
  readonly end: readonly number[];
  /** Output size per spatial axis (floor mode). */
  readonly out: readonly number[];
}

export function windows(cx: OpContext, spatial: readonly number[], kernel: readonly number[]): Windows {
  const d = spatial.length;
  const list = (name: string, dflt: number): number[] => {
    const v = cx.intList(name) ?? Array<number>(d).fill(dflt);
    if (v.length !== d || v.some((x) => !Number.isInteger(x) || x < (name === "pads" ? 0 : 1))) cx.fail("TH506", `${name} [${v.join(", ")}] is not valid for ${d} spatial axes`);
    return v;
  };
  const strides = list("strides", 1), dilations = list("dilations", 1);
  const span = kernel.map((k, i) => (k - 1) * dilations[i]! + 1);
  const autoPad = cx.string("auto_pad", "NOTSET");
  let begin: number[], end: number[];
  if (autoPad === "NOTSET") {
    const pads = cx.intList("pads") ?? Array<number>(2 * d).fill(0);
    if (pads.length !== 2 * d || pads.some((p) => !Number.isInteger(p) || p < 0)) cx.fail("TH506", `pads [${pads.join(", ")}] is not valid for ${d} spatial axes`);
    begin = pads.slice(0, d); end = pads.slice(d);
  } else if (autoPad === "VALID") {
    begin = Array<number>(d).fill(0); end = begin;
  } else if (autoPad === "SAME_UPPER" || autoPad === "SAME_LOWER") {
    // output ceil(in / stride); the odd unit of padding goes at the end (UPPER) or the beginning (LOWER)
    const total = spatial.map((n, i) => Math.max(0, (Math.ceil(n / strides[i]!) - 1) * strides[i]! + span[i]! - n));
    const small = total.map((t) => Math.floor(t / 2)), big = total.map((t) => t - Math.floor(t / 2));
    [begin, end] = autoPad === "SAME_UPPER" ? [small, big] : [big, small];
  } else return cx.fail("TH506", `auto_pad "${autoPad}" is not supported`);
  const out = spatial.map((n, i) => Math.floor((n + begin[i]! + end[i]! - span[i]!) / strides[i]!) + 1);
  if (out.some((o) => o < 1)) cx.fail("TH503", `the window [${kernel.join(", ")}] does not fit the input ${spatial.join("x")} with its padding`);
  return { kernel, strides, dilations, begin, end, out };
}

/** ceil_mode=1 is accepted only where it gives the floor mode's output size. */
export function checkCeilMode(cx: OpContext, spatial: readonly number[], w: Windows): void {
  if (cx.int("ceil_mode", 0) === 0) return;
  const ceil = spatial.map((n, i) => Math.ceil((n + w.begin[i]! + w.end[i]! - ((w.kernel[i]! - 1) * w.dilations[i]! + 1)) / w.strides[i]!) + 1);
  if (ceil.some((c, i) => c !== w.out[i])) cx.fail("TH506", `ceil_mode=1 gives output ${ceil.join("x")} where floor mode gives ${w.out.join("x")}; partial windows are not supported`);
}

/** True when the padding is the same on both sides of every axis. */
export const symmetric = (w: Windows): boolean => w.begin.every((b, i) => b === w.end[i]);

/** `pad()`'s list: (before, after) pairs from the last axis backwards. */
export const padList = (w: Windows): number[] => w.begin.map((_, i) => i).reverse().flatMap((i) => [w.begin[i]!, w.end[i]!]);

/** An int list as .thd: `[1, 2]`. */
export const list = (v: readonly (number | string)[]): string => `[${v.join(", ")}]`;
