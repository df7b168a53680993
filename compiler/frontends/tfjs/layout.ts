/**
 * Tensors as the translation tracks them. Keras images are channels-last
 * ([batch, rows, cols, channels]) and .thd's convolutions and pooling are
 * PyTorch's channels-first, so a value may be held transposed: `perm` says
 * which Keras axis each axis of the `.thd` tensor holds. A chain of
 * convolutions and poolings then stays channels-first, and a transpose back
 * is written only where a layer needs Keras's order (Flatten, Dense, an
 * output, ...). Layouts are exact: only data movement.
 */
import type { LayerConfig } from "./config.js";

export interface Value {
  /** A `.thd` name. */
  readonly name: string;
  /** The Keras shape without the batch axis. */
  readonly shape: readonly number[];
  /** Axis i of the `.thd` tensor is Keras axis perm[i] (batch axis 0 included); undefined: Keras's order. */
  readonly perm?: readonly number[];
}

const isIdentity = (p: readonly number[]): boolean => p.every((a, i) => a === i);

/** [0, r-1, 1, ..., r-2]: channels-last Keras axes in channels-first order. */
export function channelsFirst(rank: number): number[] {
  return [0, rank - 1, ...Array.from({ length: rank - 2 }, (_, i) => i + 1)];
}

/** The axis of `v`'s `.thd` tensor that holds Keras axis `kerasAxis` (batch axis 0 included). */
export function physicalAxis(v: Value, kerasAxis: number): number {
  return v.perm ? v.perm.indexOf(kerasAxis) : kerasAxis;
}

/** An expression for `v` with its axes in the order `want` of Keras axes (undefined: Keras's order). */
export function inLayout(v: Value, want?: readonly number[]): string {
  const rank = v.shape.length + 1;
  const target = want ?? Array.from({ length: rank }, (_, i) => i);
  const have = v.perm ?? Array.from({ length: rank }, (_, i) => i);
  // out axis i must hold Keras axis target[i], which sits at axis have.indexOf(target[i]) of v
  const q = target.map((k) => have.indexOf(k));
  return isIdentity(q) ? v.name : `transpose(${v.name}, [${q.join(", ")}])`;
}

/** The same layout (both Keras order, or the same permutation). */
export const sameLayout = (a?: readonly number[], b?: readonly number[]): boolean => {
  const key = (p?: readonly number[]): string => (p && !isIdentity(p) ? p.join(",") : "");
  return key(a) === key(b);
};

/** data_format: Keras writes channels_last / channels_first, tfjs's own objects channelsLast / channelsFirst. */
export function dataFormat(c: LayerConfig): "channels_last" | "channels_first" {
  const raw = c.raw.data_format;
  if (raw === "channelsFirst") return "channels_first";
  if (raw === "channelsLast") return "channels_last";
  return c.choice("data_format", ["channels_last", "channels_first"], "channels_last");
}

export const showShape = (shape: readonly (number | string | null)[]): string => `[${shape.map((d) => (d === null ? "null" : d)).join(", ")}]`;
