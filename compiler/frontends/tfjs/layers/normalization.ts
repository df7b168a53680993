/**
 * BatchNormalization at inference is an affine map per feature of its axis:
 * (x - moving_mean) / sqrt(moving_variance + epsilon) * gamma + beta, folded
 * at import into x * scale + shift (shaped to broadcast along that axis in
 * the value's layout). LayerNormalization over trailing axes is .thd's
 * layer_norm (biased variance, as tfjs's moments).
 */
import { inLayout, physicalAxis, showShape } from "../layout.js";
import { num } from "../thd-writer.js";
import { expectInputs, kerasAxis, type LayerRule } from "./context.js";

export const batchNormalization: LayerRule = (ctx, inputs) => {
  expectInputs(ctx, inputs, 1);
  const x = inputs[0]!, c = ctx.c, rank = x.shape.length + 1;
  const axes = c.intOrInts("axis", -1);
  if (axes.length !== 1) c.fail("TH506", `axis ${showShape(axes)}: only one feature axis is supported`);
  const axis = kerasAxis(ctx, axes[0]!, rank);
  const eps = c.number("epsilon", 1e-3);
  const n = x.shape[axis - 1]!;
  const mean = ctx.weightData("moving_mean", [n]), variance = ctx.weightData("moving_variance", [n]);
  const gamma = c.bool("scale", true) ? ctx.weightData("gamma", [n]) : undefined;
  const beta = c.bool("center", true) ? ctx.weightData("beta", [n]) : undefined;
  const scale = new Float64Array(n), shift = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    scale[i] = (gamma ? gamma[i]! : 1) / Math.sqrt(variance[i]! + eps);
    shift[i] = (beta ? beta[i]! : 0) - mean[i]! * scale[i]!;
  }
  // [n, 1, ..., 1]: broadcasts along the axis wherever the layout holds it
  const p = physicalAxis(x, axis);
  const shape = [n, ...Array<number>(rank - 1 - p).fill(1)];
  const s = ctx.constant("scale", shape, scale, `gamma / sqrt(moving_variance + ${num(eps)})`);
  const t = ctx.constant("shift", shape, shift, "beta - moving_mean * scale");
  return { expr: `${x.name} * ${s} + ${t}`, shape: x.shape, perm: x.perm, note: `inference, axis ${axis}, epsilon ${num(eps)}` };
};

export const layerNormalization: LayerRule = (ctx, inputs) => {
  expectInputs(ctx, inputs, 1);
  const x = inputs[0]!, c = ctx.c, rank = x.shape.length + 1;
  const given = c.intOrInts("axis", -1).map((a) => kerasAxis(ctx, a, rank));
  // layer_norm normalises trailing axes, its weight shaped like them
  const trailing = given.every((a, i) => a === rank - given.length + i);
  if (!trailing) c.fail("TH506", `axis ${showShape(c.intOrInts("axis", -1))}: only the last axes, in increasing order, are supported`);
  const eps = c.number("epsilon", 1e-3);
  const shape = given.map((a) => x.shape[a - 1]!);
  const gamma = c.bool("scale", true) ? ctx.weight("gamma", shape) : undefined;
  const beta = c.bool("center", true) ? ctx.weight("beta", shape) : undefined;
  const axisArg = given.length === 1 ? "-1" : `[${given.map((a) => a - rank).join(", ")}]`;
  const args = [inLayout(x), `axis=${axisArg}`, `eps=${num(eps)}`, ...(gamma ? [`weight=${gamma}`] : []), ...(beta ? [`bias=${beta}`] : [])];
  return { expr: `layer_norm(${args.join(", ")})`, shape: x.shape, note: `axis ${showShape(given)}, epsilon ${num(eps)}` };
};
