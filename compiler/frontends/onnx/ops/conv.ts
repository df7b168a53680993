/**
 * Conv (1-D and 2-D, groups, strides, dilations, pads, auto_pad): `conv1d` /
 * `conv2d` with PyTorch's layout, which is ONNX's. Unequal padding before and
 * after an axis becomes an explicit `pad(...)` of the input first.
 */
import type { OpRule } from "../context.js";
import { hasBatch, showShape } from "../values.js";
import { list, padList, symmetric, windows } from "./padding.js";

const conv: OpRule = {
  emit: (cx) => {
    const X = cx.input(0, "X"), W = cx.input(1, "W"), bias = cx.optional(2);
    const d = X.shape.length - 2;
    if (d !== 1 && d !== 2) cx.fail("TH506", `only 1-D and 2-D convolutions are supported, the input is ${showShape(X.shape)}`);
    if (W.shape.length !== d + 2 || hasBatch(W.shape)) cx.fail("TH503", `the weight ${showShape(W.shape)} does not fit the input ${showShape(X.shape)}`);
    const spatial = X.shape.slice(2) as number[], kernel = W.shape.slice(2) as number[];
    const ks = cx.intList("kernel_shape");
    if (ks && ks.join() !== kernel.join()) cx.fail("TH503", `kernel_shape [${ks.join(", ")}] does not match the weight ${showShape(W.shape)}`);
    const group = cx.int("group", 1);
    const C = X.shape[1], O = W.shape[0] as number, Cg = W.shape[1] as number;
    const code = W.kind === "const" ? "TH505" : "TH503";
    if (!Number.isInteger(group) || group < 1 || O % group !== 0 || C !== Cg * group) cx.fail(code, `the weight ${showShape(W.shape)} with group=${group} does not fit the input ${showShape(X.shape)} (${C} channels)`);
    if (bias && (bias.shape.length !== 1 || bias.shape[0] !== O)) cx.fail(bias.kind === "const" ? "TH505" : "TH503", `the bias ${showShape(bias.shape)} does not fit ${O} output channels`);
    const w = windows(cx, spatial, kernel);
    const sym = symmetric(w);
    const x = sym || w.begin.every((b, i) => b + w.end[i]! === 0) ? cx.em.ref(X) : `pad(${cx.em.ref(X)}, ${list(padList(w))})`;
    const args = [x, cx.em.ref(W)];
    if (bias) args.push(cx.em.ref(bias));
    if (w.strides.some((s) => s !== 1)) args.push(`stride=${list(w.strides)}`);
    if (sym && w.begin.some((p) => p !== 0)) args.push(`padding=${list(w.begin)}`);
    if (w.dilations.some((s) => s !== 1)) args.push(`dilation=${list(w.dilations)}`);
    if (group !== 1) args.push(`groups=${group}`);
    const note = sym ? undefined : `pads before [${w.begin.join(", ")}], after [${w.end.join(", ")}]`;
    return [cx.emit(`conv${d}d(${args.join(", ")})`, [X.shape[0]!, W.shape[0]!, ...w.out], note)];
  },
};

export const CONV_OPS: Record<string, OpRule> = { Conv: conv };
