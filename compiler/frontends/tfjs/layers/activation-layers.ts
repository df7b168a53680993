/**
 * Keras's activation layers (tfjs-layers' advanced_activations): ReLU with
 * an optional max_value, LeakyReLU, ELU, Softmax over an axis,
 * ThresholdedReLU and PReLU (its alpha a weight shaped like the input, with
 * shared axes of size 1). Elementwise ones keep their input's layout.
 */
import { activate } from "../activations.js";
import { inLayout, physicalAxis, showShape } from "../layout.js";
import { num } from "../thd-writer.js";
import { expectInputs, kerasAxis, type LayerRule } from "./context.js";

export const relu: LayerRule = (ctx, inputs) => {
  expectInputs(ctx, inputs, 1);
  const x = inputs[0]!, c = ctx.c;
  if (c.number("negative_slope", 0) !== 0 || c.number("threshold", 0) !== 0) c.fail("TH506", "negative_slope and threshold other than 0 are not supported");
  // tfjs writes maxValue (camelCase) in some versions
  const max = c.has("max_value") ? c.number("max_value", 0) : c.has("maxValue") ? c.number("maxValue", 0) : undefined;
  const expr = max === undefined ? `relu(${x.name})` : `minimum(relu(${x.name}), ${num(max)})`;
  return { expr, shape: x.shape, perm: x.perm, note: max === undefined ? undefined : `max ${num(max)}` };
};

export const leakyRelu: LayerRule = (ctx, inputs) => {
  expectInputs(ctx, inputs, 1);
  const x = inputs[0]!, c = ctx.c;
  const alpha = c.has("negative_slope") ? c.number("negative_slope", 0.3) : c.number("alpha", 0.3);
  return { expr: `leaky_relu(${x.name}, negative_slope=${num(alpha)})`, shape: x.shape, perm: x.perm, note: `alpha ${num(alpha)}` };
};

export const elu: LayerRule = (ctx, inputs) => {
  expectInputs(ctx, inputs, 1);
  const x = inputs[0]!;
  // tfjs-layers' ELU layer ignores alpha (it computes elu with alpha 1), Keras's uses it: refuse the ambiguity
  const alpha = ctx.c.number("alpha", 1);
  if (alpha !== 1) ctx.c.fail("TH506", `alpha ${num(alpha)} is not supported (tfjs-layers computes alpha 1 whatever the config says)`);
  return { expr: `elu(${x.name})`, shape: x.shape, perm: x.perm };
};

export const softmax: LayerRule = (ctx, inputs) => {
  expectInputs(ctx, inputs, 1);
  const x = inputs[0]!, rank = x.shape.length + 1;
  const axes = ctx.c.intOrInts("axis", -1);
  if (axes.length !== 1) ctx.c.fail("TH506", `axis ${showShape(axes)}: only one axis is supported`);
  const axis = kerasAxis(ctx, axes[0]!, rank);
  const p = physicalAxis(x, axis);
  return { expr: activate("softmax", x.name, p === rank - 1 ? "last" : p, ctx.useFn), shape: x.shape, perm: x.perm, note: `axis ${axis}` };
};

export const thresholdedRelu: LayerRule = (ctx, inputs) => {
  expectInputs(ctx, inputs, 1);
  const x = inputs[0]!, theta = ctx.c.number("theta", 1);
  return { expr: `${x.name} * (${x.name} > ${num(theta)})`, shape: x.shape, perm: x.perm, note: `theta ${num(theta)}` };
};

/** x for x > 0, alpha * x otherwise (tfjs's prelu), as relu(x) - alpha * relu(-x). */
export const prelu: LayerRule = (ctx, inputs) => {
  expectInputs(ctx, inputs, 1);
  const x = inputs[0]!, rank = x.shape.length + 1;
  const raw = ctx.c.raw.shared_axes;
  const shared = raw === undefined || raw === null ? [] : ctx.c.intOrInts("shared_axes", 1).map((a) => kerasAxis(ctx, a, rank, "shared_axes"));
  const shape = x.shape.map((d, i) => (shared.includes(i + 1) ? 1 : d));
  const alpha = ctx.weight("alpha", shape);
  const v = inLayout(x);
  return { expr: `relu(${v}) - ${alpha} * relu(-${v})`, shape: x.shape, note: shared.length ? `shared axes ${showShape(shared)}` : undefined };
};
