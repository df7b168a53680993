/**
 * Sliding-window geometry of convolutions and pooling, per spatial axis, with
 * TensorFlow's padding rules: "valid" uses no padding; "same" gives
 * ceil(size / stride) outputs and pads (out - 1) * stride + window - size
 * zeros, the odd one after (TensorFlow's choice; PyTorch's `padding=` is
 * symmetric). The translation passes the symmetric part as `padding=` and
 * the odd one through `pad` first.
 */
import type { LayerConfig } from "./config.js";

export interface Window {
  readonly out: number;
  readonly before: number;
  readonly after: number;
}

export function windows(c: LayerConfig, sizes: readonly number[], kernel: readonly number[], strides: readonly number[], dilation: readonly number[], padding: "valid" | "same"): Window[] {
  return sizes.map((size, i) => {
    const span = (kernel[i]! - 1) * dilation[i]! + 1, s = strides[i]!;
    if (padding === "same") {
      const out = Math.ceil(size / s);
      const total = Math.max((out - 1) * s + span - size, 0);
      return { out, before: Math.floor(total / 2), after: total - Math.floor(total / 2) };
    }
    if (span > size) return c.fail("TH506", `the window of ${span} along spatial axis ${i + 1} is larger than the input's ${size} (padding "valid")`);
    return { out: Math.floor((size - span) / s) + 1, before: 0, after: 0 };
  });
}

/** `2` when every axis has the same value, else `[2, 1]`. */
export const intArg = (v: readonly number[]): string => (v.every((x) => x === v[0]) ? String(v[0]) : `[${v.join(", ")}]`);

/** Keyword arguments of a conv or pool call, leaving out PyTorch's defaults. */
export function windowArgs(w: readonly Window[], opts: { stride?: readonly number[]; defaultStride?: readonly number[]; dilation?: readonly number[] }): string[] {
  const args: string[] = [];
  const differs = (v: readonly number[], d: readonly number[]): boolean => v.some((x, i) => x !== d[i]);
  if (opts.stride && differs(opts.stride, opts.defaultStride ?? opts.stride.map(() => 1))) args.push(`stride=${intArg(opts.stride)}`);
  const pads = w.map((x) => x.before);
  if (pads.some((p) => p > 0)) args.push(`padding=${intArg(pads)}`);
  if (opts.dilation && opts.dilation.some((d) => d !== 1)) args.push(`dilation=${intArg(opts.dilation)}`);
  return args;
}

/** `x` with the odd "same" padding added after each spatial axis (the trailing axes), or `x` itself. */
export function padOdd(x: string, w: readonly Window[], value?: string): string {
  const odd = w.map((a) => a.after - a.before);
  if (odd.every((e) => e === 0)) return x;
  const pairs = [...odd].reverse().flatMap((e) => [0, e]);
  return `pad(${x}, [${pairs.join(", ")}]${value ? `, value=${value}` : ""})`;
}
