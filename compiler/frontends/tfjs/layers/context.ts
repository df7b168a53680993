/**
 * What a layer rule sees and returns. A rule reads its config, asks for its
 * weights by Keras role ("kernel", "bias", "gamma", ...) with the shape the
 * layer implies, and returns one expression over its inputs' names: the
 * driver (translate.ts) writes it as the layer's one statement.
 */
import type { LayerConfig } from "../config.js";
import type { Value } from "../layout.js";

export interface LayerContext {
  readonly c: LayerConfig;
  /**
   * The weight `role` of this layer as a param name (declared on first use).
   * `keras` is the shape the layer implies (TH505 if the manifest's differs);
   * `permute` reorders its axes at import (the param's shape is keras[permute[i]]),
   * and `layout` then says how, for the param's comment.
   */
  weight(role: string, keras: readonly number[], permute?: readonly number[], layout?: string): string;
  /** The values of a weight, for constants folded at import (checked as `weight` does). */
  weightData(role: string, keras: readonly number[]): Float64Array;
  /** A param holding a constant the translation derives (folded BatchNormalization, pooling counts). */
  constant(suffix: string, shape: readonly number[], data: Float64Array, comment: string): string;
  /** Records a helper fn (activations.ts) the expression calls. */
  useFn(fn: string): void;
}

export interface LayerOutput {
  readonly expr: string;
  /** Keras shape without the batch axis. */
  readonly shape: readonly number[];
  /** As Value.perm: the layout of `expr`. */
  readonly perm?: readonly number[];
  /** Appended to the statement's comment (the class name is always there). */
  readonly note?: string;
}

export type LayerRule = (ctx: LayerContext, inputs: readonly Value[]) => LayerOutput;

/** Exactly `n` inputs, or TH506 naming the layer. */
export function expectInputs(ctx: LayerContext, inputs: readonly Value[], n: number): void {
  if (inputs.length !== n) ctx.c.fail("TH506", `takes ${n} input${n === 1 ? "" : "s"}, got ${inputs.length}`);
}

/** Keras's axis (batch axis 0 included) from a possibly negative one; the batch axis is TH506. */
export function kerasAxis(ctx: LayerContext, axis: number, rank: number, key = "axis"): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) return ctx.c.fail("TH506", `${key} ${axis} is out of range for a rank-${rank} input`);
  if (a === 0) return ctx.c.fail("TH506", `${key} ${axis} is the batch axis, which the translation keeps per sample`);
  return a;
}
