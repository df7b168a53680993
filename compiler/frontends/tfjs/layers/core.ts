/** Dense, Activation, the inference identities (Dropout and noise layers), Flatten, Reshape. */
import { activate, activationName } from "../activations.js";
import { dataFormat, inLayout, physicalAxis, showShape, type Value } from "../layout.js";
import { expectInputs, type LayerRule } from "./context.js";

/** The `.thd` axis softmax needs: Keras's last axis, wherever the layout put it. */
export function softmaxAxis(v: Value): number | "last" {
  const rank = v.shape.length + 1, p = physicalAxis(v, rank - 1);
  return p === rank - 1 ? "last" : p;
}

/** `act(x @ kernel + bias)` on the last Keras axis; a rank > 2 input broadcasts like Keras's Dense. */
export const dense: LayerRule = (ctx, inputs) => {
  expectInputs(ctx, inputs, 1);
  const x = inputs[0]!, c = ctx.c;
  if (x.shape.length < 1) c.fail("TH506", "needs an input with a feature axis, got a tensor of shape [batch]");
  const units = c.posInt("units"), act = activationName(c);
  const n = x.shape[x.shape.length - 1]!;
  const kernel = ctx.weight("kernel", [n, units]);
  const bias = c.bool("use_bias", true) ? ctx.weight("bias", [units]) : undefined;
  const affine = `${inLayout(x)} @ ${kernel}${bias ? ` + ${bias}` : ""}`;
  const shape = [...x.shape.slice(0, -1), units];
  return { expr: activate(act, affine, "last", ctx.useFn), shape, note: `${units} units${act === "linear" ? "" : `, ${act}`}` };
};

export const activation: LayerRule = (ctx, inputs) => {
  expectInputs(ctx, inputs, 1);
  const x = inputs[0]!, act = activationName(ctx.c);
  return { expr: activate(act, x.name, softmaxAxis(x), ctx.useFn), shape: x.shape, perm: x.perm, note: act };
};

/** Dropout and the noise layers do nothing at inference (Keras's `training=False`). */
export const identity: LayerRule = (ctx, inputs) => {
  expectInputs(ctx, inputs, 1);
  const x = inputs[0]!;
  return { expr: x.name, shape: x.shape, perm: x.perm, note: "identity at inference" };
};

/** Flatten in Keras's order (channels_first data_format: channels moved last first, as Keras does). */
export const flatten: LayerRule = (ctx, inputs) => {
  expectInputs(ctx, inputs, 1);
  const x = inputs[0]!, rank = x.shape.length + 1;
  const order = dataFormat(ctx.c) === "channels_first" && rank > 2 ? [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2), 1] : undefined;
  const n = x.shape.reduce((a, b) => a * b, 1);
  return { expr: `reshape(${inLayout(x, order)}, [B, ${n}])`, shape: [n] };
};

export const reshape: LayerRule = (ctx, inputs) => {
  expectInputs(ctx, inputs, 1);
  const x = inputs[0]!, c = ctx.c;
  const raw = c.raw.target_shape;
  if (!Array.isArray(raw) || !raw.every((d) => Number.isInteger(d) && ((d as number) > 0 || d === -1)) || raw.filter((d) => d === -1).length > 1) {
    return c.fail("TH506", `target_shape must be a list of positive sizes with at most one -1, got ${JSON.stringify(raw ?? null)}`);
  }
  const n = x.shape.reduce((a, b) => a * b, 1), known = (raw as number[]).filter((d) => d > 0).reduce((a, b) => a * b, 1);
  const shape = (raw as number[]).map((d) => (d === -1 ? n / known : d));
  if (shape.some((d) => !Number.isInteger(d)) || shape.reduce((a, b) => a * b, 1) !== n) {
    return c.fail("TH506", `target_shape ${showShape(raw as number[])} does not hold the ${n} values of an input of shape ${showShape(x.shape)}`);
  }
  return { expr: `reshape(${inLayout(x)}, [B, ${shape.join(", ")}])`, shape, note: `to ${showShape(shape)}` };
};
