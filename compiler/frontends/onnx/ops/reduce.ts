/**
 * ReduceSum/Mean/Max/Min/Prod -> sum/mean/max/min/prod over the given axes
 * (an input for ReduceSum from opset 13, an attribute otherwise up to opset
 * 17), keepdims as given; Softmax and LogSoftmax with opset 13 semantics (one
 * axis, default -1).
 */
import type { OpContext, OpRule } from "../context.js";
import type { Dim } from "../values.js";
import { list } from "./padding.js";

function reduce(fn: string, axesInput: boolean): OpRule {
  return {
    emit: (cx: OpContext) => {
      const x = cx.input(0, "data"), r = x.shape.length;
      const given = axesInput && cx.opset >= 13 ? (cx.optional(1) ? cx.ints(1, "axes") : undefined) : cx.intList("axes");
      const keep = cx.int("keepdims", 1) !== 0;
      if ((!given || given.length === 0) && cx.int("noop_with_empty_axes", 0) !== 0) return [x];
      const axes = given && given.length > 0 ? [...new Set(given.map((a) => cx.axis(a, r)))].sort((a, b) => a - b) : x.shape.map((_, i) => i);
      const shape: Dim[] = keep ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !axes.includes(i));
      const args = [cx.em.ref(x)];
      if (axes.length < r) args.push(`axis=${axes.length === 1 ? axes[0] : list(axes)}`);
      if (keep) args.push("keepdims=true");
      return [cx.emit(`${fn}(${args.join(", ")})`, shape)];
    },
  };
}

function softmax(fn: string): OpRule {
  return {
    emit: (cx) => {
      const x = cx.input(0, "input");
      if (cx.opset < 13) cx.fail("TH506", "Softmax before opset 13 (coerced to 2-D) is not supported");
      const axis = cx.int("axis", -1);
      cx.axis(axis, x.shape.length);
      return [cx.emit(`${fn}(${cx.em.ref(x)}${axis === -1 ? "" : `, axis=${axis}`})`, x.shape)];
    },
  };
}

export const REDUCE_OPS: Record<string, OpRule> = {
  ReduceSum: reduce("sum", true),
  ReduceMean: reduce("mean", false),
  ReduceMax: reduce("max", false),
  ReduceMin: reduce("min", false),
  ReduceProd: reduce("prod", false),
  Softmax: softmax("softmax"),
  LogSoftmax: softmax("log_softmax"),
};
