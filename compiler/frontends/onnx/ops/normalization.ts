/**
 * LayerNormalization (opset 17) -> `layer_norm`, and BatchNormalization in
 * inference form, folded into a per-channel affine map x * scale + shift with
 * scale = gamma / sqrt(var + eps) and shift = beta - mean * scale (constants).
 */
import type { OpRule } from "../context.js";
import { lit } from "../literal.js";
import { makeConst, showShape, size, type Const, type Value } from "../values.js";
import { list } from "./padding.js";

const layerNorm: OpRule = {
  emit: (cx) => {
    cx.onlyFirstOutput();
    const x = cx.input(0, "X"), r = x.shape.length;
    const axis = cx.axis(cx.int("axis", -1), r);
    const eps = cx.float("epsilon", 1e-5);
    const normShape = x.shape.slice(axis);
    if (normShape.includes("B")) cx.fail("TH502", "normalising over the batch axis");
    const n = size(normShape as number[]);
    // a constant scale/bias stored with extra unit axes is reshaped to the normalised shape
    const fit = (v: Value | undefined): Value | undefined => {
      if (!v || v.shape.join() === normShape.join()) return v;
      if (v.kind === "const" && size(v.shape) === n) return makeConst(normShape as number[], v.data, v.elem, v.onnxName, { weight: v.weight });
      return undefined;
    };
    const scale = cx.input(1, "Scale"), bias = cx.optional(2);
    const s = fit(scale), b = bias && fit(bias);
    const axes = normShape.length === 1 ? "-1" : list(normShape.map((_, i) => i - normShape.length));
    const args = [cx.em.ref(x), `axis=${axes}`, `eps=${lit(eps)}`];
    if (s && (!bias || b)) {
      args.push(`weight=${cx.em.ref(s)}`);
      if (b) args.push(`bias=${cx.em.ref(b)}`);
      return [cx.emit(`layer_norm(${args.join(", ")})`, x.shape)];
    }
    // scale or bias broadcast differently: applied after the normalisation
    return [cx.emit(`layer_norm(${args.join(", ")}) * ${cx.em.ref(scale)}${bias ? ` + ${cx.em.ref(bias)}` : ""}`, x.shape)];
  },
};

const batchNorm: OpRule = {
  emit: (cx) => {
    cx.onlyFirstOutput();
    if (cx.int("training_mode", 0) !== 0) cx.fail("TH506", "training_mode=1 (batch statistics) is not supported; export the model in eval mode");
    const x = cx.input(0, "X");
    if (x.shape.length < 2) cx.fail("TH503", `the input ${showShape(x.shape)} has no channel axis`);
    const C = x.shape[1];
    if (typeof C !== "number") return cx.fail("TH502", "the channel axis is the batch axis");
    const eps = cx.float("epsilon", 1e-5);
    const p = ["scale", "B", "input_mean", "input_var"].map((what, k) => {
      const c: Const = cx.constant(k + 1, what);
      if (c.data.length !== C) cx.fail("TH505", `${what} has shape ${showShape(c.shape)}, the input has ${C} channels`);
      return c.data;
    });
    const [gamma, beta, mean, v] = p as [Float64Array, Float64Array, Float64Array, Float64Array];
    const a = gamma.map((g, i) => g / Math.sqrt(v[i]! + eps)), b = beta.map((bb, i) => bb - mean[i]! * a[i]!);
    const shape = [C, ...Array<number>(x.shape.length - 2).fill(1)];
    const base = cx.out(0);
    const sa = cx.em.newParam(`${base}_scale`, shape, a, "BatchNormalization folded: gamma / sqrt(var + eps)");
    const sb = cx.em.newParam(`${base}_shift`, shape, b, "BatchNormalization folded: beta - mean * scale");
    return [cx.emit(`${cx.em.ref(x)} * ${sa} + ${sb}`, x.shape, `BatchNormalization (inference), eps=${lit(eps)}`)];
  },
};

export const NORMALIZATION_OPS: Record<string, OpRule> = { LayerNormalization: layerNorm, BatchNormalization: batchNorm };
