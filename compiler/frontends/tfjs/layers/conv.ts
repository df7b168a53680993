/**
 * Conv1D and Conv2D. Keras kernels are [k..., in/groups, out]; .thd's
 * conv1d/conv2d take PyTorch's [out, in/groups, k...], so the kernel is
 * permuted at import and the input taken channels-first (a transpose, unless
 * the layout already is). The output stays channels-first for the next
 * convolution or pooling. "same" padding: see windows.ts.
 */
import { activate, activationName } from "../activations.js";
import { channelsFirst, dataFormat, inLayout, showShape } from "../layout.js";
import { padOdd, windowArgs, windows } from "../windows.js";
import { expectInputs, type LayerRule } from "./context.js";

export function conv(nd: 1 | 2): LayerRule {
  return (ctx, inputs) => {
    expectInputs(ctx, inputs, 1);
    const x = inputs[0]!, c = ctx.c, rank = nd + 2;
    if (x.shape.length !== nd + 1) c.fail("TH506", `needs a rank-${rank} input (batch, ${nd === 2 ? "rows, cols" : "steps"}, channels), got [batch, ${x.shape.join(", ")}]`);
    const filters = c.posInt("filters");
    const kernel = c.tuple("kernel_size", nd);
    const strides = c.tuple("strides", nd, Array<number>(nd).fill(1));
    const dilation = c.tuple("dilation_rate", nd, Array<number>(nd).fill(1));
    const padding = c.choice("padding", ["valid", "same"], "valid");
    const groups = c.posInt("groups", 1);
    const act = activationName(c);
    if (strides.some((s) => s > 1) && dilation.some((d) => d > 1)) {
      c.fail("TH506", `dilation_rate ${showShape(dilation)} with strides ${showShape(strides)} is not supported (TensorFlow needs one of them to be 1)`);
    }
    const first = dataFormat(c) === "channels_first";
    const channels = first ? x.shape[0]! : x.shape[nd]!;
    const spatial = first ? x.shape.slice(1) : x.shape.slice(0, nd);
    if (channels % groups !== 0 || filters % groups !== 0) c.fail("TH506", `groups ${groups} divides neither the ${channels} input channels nor the ${filters} filters`);
    const w = windows(c, spatial, kernel, strides, dilation, padding);
    // Keras [k..., in/groups, out] -> [out, in/groups, k...]
    const keras = [...kernel, channels / groups, filters];
    const k = ctx.weight("kernel", keras, [nd + 1, nd, ...kernel.map((_, i) => i)], "PyTorch's [out, in, k...]");
    const bias = c.bool("use_bias", true) ? ctx.weight("bias", [filters]) : undefined;
    const layout = first ? undefined : channelsFirst(rank);
    const args = [padOdd(inLayout(x, layout), w), k, ...(bias ? [bias] : []), ...windowArgs(w, { stride: strides, dilation })];
    if (groups > 1) args.push(`groups=${groups}`);
    const out = w.map((a) => a.out);
    return {
      expr: activate(act, `conv${nd}d(${args.join(", ")})`, 1, ctx.useFn),
      shape: first ? [filters, ...out] : [...out, filters],
      perm: layout,
      note: `${filters} filters ${kernel.join("x")}, padding ${padding}${act === "linear" ? "" : `, ${act}`}`,
    };
  };
}
