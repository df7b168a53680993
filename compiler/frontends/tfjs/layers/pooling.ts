/**
 * Max and average pooling (1-D through .thd's 2-D pooling on a size-1 row),
 * and the global poolings. TensorFlow's "same" average leaves the padding
 * out of each window's count, where avg_pool2d counts it: the result is
 * multiplied by a constant (window size / real elements) per output
 * position. "same" max pooling pads its odd row or column with -3e38, below
 * any input (a finite value, so that the padding's zero derivative stays 0
 * and float32 modules hold it).
 */
import { channelsFirst, dataFormat, inLayout, physicalAxis } from "../layout.js";
import { padOdd, windowArgs, windows, type Window } from "../windows.js";
import { expectInputs, type LayerRule } from "./context.js";

const BELOW_ANY_INPUT = "-3e38";

/** Per output position of one axis: how many of its window's elements are real (not padding). */
function counts(w: Window, size: number, pool: number, stride: number): number[] {
  return Array.from({ length: w.out }, (_, o) => {
    const start = o * stride - w.before;
    return Math.min(start + pool, size) - Math.max(start, 0);
  });
}

export function pool(kind: "max" | "avg", nd: 1 | 2): LayerRule {
  return (ctx, inputs) => {
    expectInputs(ctx, inputs, 1);
    const x = inputs[0]!, c = ctx.c, rank = nd + 2;
    if (x.shape.length !== nd + 1) c.fail("TH506", `needs a rank-${rank} input (batch, ${nd === 2 ? "rows, cols" : "steps"}, channels), got [batch, ${x.shape.join(", ")}]`);
    const size = c.tuple("pool_size", nd, Array<number>(nd).fill(2));
    const strides = c.tuple("strides", nd, size);
    const padding = c.choice("padding", ["valid", "same"], "valid");
    const first = dataFormat(c) === "channels_first";
    const spatial = first ? x.shape.slice(1) : x.shape.slice(0, nd);
    const w = windows(c, spatial, size, strides, size.map(() => 1), padding);
    const layout = first ? undefined : channelsFirst(rank);
    // 1-D pools as 2-D over a row of height 1
    const lift = <T>(v: readonly T[], one: T): T[] => (nd === 1 ? [one, ...v] : [...v]);
    const w2 = lift(w, { out: 1, before: 0, after: 0 }), size2 = lift(size, 1), strides2 = lift(strides, 1);
    let input = inLayout(x, layout);
    if (nd === 1) input = `unsqueeze(${input}, 2)`;
    input = padOdd(input, w2, kind === "max" ? BELOW_ANY_INPUT : undefined);
    const kernelArg = size2.every((s) => s === size2[0]) ? String(size2[0]) : `[${size2.join(", ")}]`;
    let expr = `${kind}_pool2d(${[input, kernelArg, ...windowArgs(w2, { stride: strides2, defaultStride: size2 })].join(", ")})`;
    if (nd === 1) expr = `squeeze(${expr}, axis=2)`;
    const out = w.map((a) => a.out);
    const padded = w.some((a) => a.before + a.after > 0);
    if (kind === "avg" && padded) {
      const per = w.map((a, i) => counts(a, spatial[i]!, size[i]!, strides[i]!));
      const window = size.reduce((p, q) => p * q, 1);
      const data = new Float64Array(out.reduce((p, q) => p * q, 1));
      data.forEach((_, i) => {
        let n = 1, rest = i;
        for (let a = nd - 1; a >= 0; a--) { n *= per[a]![rest % out[a]!]!; rest = Math.floor(rest / out[a]!); }
        data[i] = window / n;
      });
      expr = `${expr} * ${ctx.constant("count_correction", out, data, "pool size / real elements per window: TensorFlow's \"same\" average leaves padding out")}`;
    }
    return {
      expr,
      shape: first ? [x.shape[0]!, ...out] : [...out, x.shape[nd]!],
      perm: layout,
      note: `${size.join("x")}, strides ${strides.join("x")}, padding ${padding}`,
    };
  };
}

/** GlobalAveragePooling / GlobalMaxPooling: mean or max over the spatial axes, wherever the layout holds them. */
export function globalPool(kind: "mean" | "max", nd: 1 | 2): LayerRule {
  return (ctx, inputs) => {
    expectInputs(ctx, inputs, 1);
    const x = inputs[0]!, c = ctx.c, rank = nd + 2;
    if (x.shape.length !== nd + 1) c.fail("TH506", `needs a rank-${rank} input, got [batch, ${x.shape.join(", ")}]`);
    const first = dataFormat(c) === "channels_first";
    const keepdims = c.bool("keepdims", false);
    const spatial = Array.from({ length: nd }, (_, i) => (first ? i + 2 : i + 1));
    const axes = spatial.map((a) => physicalAxis(x, a)).sort((a, b) => a - b);
    const axisArg = axes.length === 1 ? String(axes[0]) : `[${axes.join(", ")}]`;
    const channels = first ? x.shape[0]! : x.shape[nd]!;
    const expr = `${kind}(${x.name}, axis=${axisArg}${keepdims ? ", keepdims=true" : ""})`;
    if (keepdims) return { expr, shape: x.shape.map((d, i) => (spatial.includes(i + 1) ? 1 : d)), perm: x.perm };
    return { expr, shape: [channels] };
  };
}
