/**
 * MaxPool, AveragePool (1-D through the 2-D functions on an inserted axis),
 * GlobalAveragePool and GlobalMaxPool. `.thd`'s avg_pool2d counts padding;
 * ONNX's default (count_include_pad=0) does not: the result is multiplied by
 * a constant tensor kernel_size / (cells inside the input), exact. Unequal or
 * large padding is an explicit zero `pad(...)` for averages; for max pooling
 * the padding must be one the function takes (it pads with -inf).
 */
import type { OpContext, OpRule } from "../context.js";
import { showShape, size, type Dim } from "../values.js";
import { checkCeilMode, list, padList, symmetric, windows, type Windows } from "./padding.js";

/** Cells of each window inside the input, over the output grid (row-major). */
function validCounts(spatial: readonly number[], w: Windows): Float64Array {
  const perAxis = spatial.map((n, i) => Array.from({ length: w.out[i]! }, (_, o) => {
    let c = 0;
    for (let t = 0; t < w.kernel[i]!; t++) { const at = o * w.strides[i]! - w.begin[i]! + t; if (at >= 0 && at < n) c++; }
    return c;
  }));
  const n = size(w.out), out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let rem = i, c = 1;
    for (let ax = w.out.length - 1; ax >= 0; ax--) { const o = rem % w.out[ax]!; rem = (rem - o) / w.out[ax]!; c *= perAxis[ax]![o]!; }
    out[i] = c;
  }
  return out;
}

function pool(isMax: boolean): OpRule {
  return {
    emit: (cx: OpContext) => {
      cx.onlyFirstOutput();
      const X = cx.input(0, "X");
      const d = X.shape.length - 2;
      if (d !== 1 && d !== 2) cx.fail("TH506", `only 1-D and 2-D pooling is supported, the input is ${showShape(X.shape)}`);
      const spatial = X.shape.slice(2) as number[];
      const kernel = cx.intList("kernel_shape") ?? cx.fail("TH503", "kernel_shape is missing");
      if (kernel.length !== d || kernel.some((k) => !Number.isInteger(k) || k < 1)) cx.fail("TH506", `kernel_shape [${kernel.join(", ")}] is not valid for ${d} spatial axes`);
      const w = windows(cx, spatial, kernel);
      if (w.dilations.some((x) => x !== 1)) cx.fail("TH506", `dilations [${w.dilations.join(", ")}] are not supported in pooling`);
      checkCeilMode(cx, spatial, w);
      const direct = symmetric(w) && w.begin.every((p, i) => 2 * p <= kernel[i]!);
      if (isMax && !direct) cx.fail("TH506", `pads before [${w.begin.join(", ")}] and after [${w.end.join(", ")}] are not supported for max pooling (equal padding of at most half the kernel only)`);
      let x = cx.em.ref(X);
      if (!direct) x = `pad(${x}, ${list(padList(w))})`;
      const pad = direct ? w.begin : w.begin.map(() => 0);
      const two = (v: readonly number[], one: number) => (d === 2 ? v : [one, v[0]!]);
      const args = [d === 2 ? x : `unsqueeze(${x}, 2)`, list(two(kernel, 1)), `stride=${list(two(w.strides, 1))}`];
      if (pad.some((p) => p > 0)) args.push(`padding=${list(two(pad, 0))}`);
      let expr = `${isMax ? "max" : "avg"}_pool2d(${args.join(", ")})`;
      if (d === 1) expr = `squeeze(${expr}, axis=2)`;
      let note = direct ? undefined : `pads before [${w.begin.join(", ")}], after [${w.end.join(", ")}]`;
      if (!isMax && cx.int("count_include_pad", 0) === 0) {
        const valid = validCounts(spatial, w), k = size(kernel);
        if (valid.some((c) => c !== k)) {
          const corr = cx.em.newParam(`${cx.out(0)}_count`, w.out, valid.map((c) => k / c), "kernel size / cells inside the input (count_include_pad=0)");
          expr = `${expr} * ${corr}`;
          note = `${note ? `${note}; ` : ""}padding not counted`;
        }
      }
      return [cx.emit(expr, [X.shape[0]!, X.shape[1]!, ...w.out], note)];
    },
  };
}

function globalPool(fn: "mean" | "max"): OpRule {
  return {
    emit: (cx) => {
      const X = cx.input(0, "X");
      if (X.shape.length < 3) cx.fail("TH503", `the input ${showShape(X.shape)} has no spatial axes`);
      const axes = X.shape.map((_, i) => i).slice(2);
      return [cx.emit(`${fn}(${cx.em.ref(X)}, axis=${list(axes)}, keepdims=true)`, X.shape.map((s, i): Dim => (i < 2 ? s : 1)))];
    },
  };
}

export const POOL_OPS: Record<string, OpRule> = {
  MaxPool: pool(true),
  AveragePool: pool(false),
  GlobalAveragePool: globalPool("mean"),
  GlobalMaxPool: globalPool("max"),
};
