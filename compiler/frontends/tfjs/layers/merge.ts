/**
 * Merge layers. Keras requires equal ranks (a size-1 axis broadcasts); the
 * inputs are combined in the layout they share, or in Keras's order when
 * their layouts differ.
 */
import { inLayout, physicalAxis, sameLayout, showShape, type Value } from "../layout.js";
import { kerasAxis, type LayerContext, type LayerRule } from "./context.js";

/** The inputs' expressions in one layout, and that layout. */
function aligned(inputs: readonly Value[]): { exprs: string[]; perm?: readonly number[] } {
  const perm = inputs[0]!.perm;
  if (inputs.every((v) => sameLayout(v.perm, perm))) return { exprs: inputs.map((v) => v.name), perm };
  return { exprs: inputs.map((v) => inLayout(v)) };
}

function broadcastShape(ctx: LayerContext, inputs: readonly Value[]): number[] {
  const rank = inputs[0]!.shape.length;
  if (inputs.some((v) => v.shape.length !== rank)) ctx.c.fail("TH506", `inputs of different ranks are not supported: ${inputs.map((v) => showShape(["batch", ...v.shape])).join(", ")}`);
  return inputs[0]!.shape.map((_, a) => {
    const sizes = new Set(inputs.map((v) => v.shape[a]!).filter((d) => d !== 1));
    if (sizes.size > 1) ctx.c.fail("TH506", `input shapes ${inputs.map((v) => showShape(["batch", ...v.shape])).join(", ")} do not broadcast`);
    return sizes.size === 0 ? 1 : [...sizes][0]!;
  });
}

function elementwise(combine: (exprs: string[]) => string, arity?: number): LayerRule {
  return (ctx, inputs) => {
    if (arity !== undefined ? inputs.length !== arity : inputs.length < 1) ctx.c.fail("TH506", `takes ${arity ?? "at least 1"} inputs, got ${inputs.length}`);
    const shape = broadcastShape(ctx, inputs);
    const { exprs, perm } = aligned(inputs);
    return { expr: combine(exprs), shape, perm };
  };
}

const nested = (f: string) => (e: string[]): string => e.slice(1).reduce((acc, x) => `${f}(${acc}, ${x})`, e[0]!);

export const add = elementwise((e) => e.join(" + "));
export const subtract = elementwise((e) => `${e[0]} - ${e[1]}`, 2);
export const multiply = elementwise((e) => e.join(" * "));
export const average = elementwise((e) => `(${e.join(" + ")}) / ${e.length}`);
export const maximum = elementwise(nested("maximum"));
export const minimum = elementwise(nested("minimum"));

export const concatenate: LayerRule = (ctx, inputs) => {
  if (inputs.length < 1) ctx.c.fail("TH506", "takes at least 1 input");
  const rank = inputs[0]!.shape.length + 1;
  if (inputs.some((v) => v.shape.length + 1 !== rank)) ctx.c.fail("TH506", `inputs of different ranks: ${inputs.map((v) => showShape(["batch", ...v.shape])).join(", ")}`);
  const axis = kerasAxis(ctx, ctx.c.int("axis", -1), rank);
  const first = inputs[0]!.shape;
  for (const v of inputs) {
    if (v.shape.some((d, a) => a !== axis - 1 && d !== first[a])) ctx.c.fail("TH506", `input shapes ${inputs.map((u) => showShape(["batch", ...u.shape])).join(", ")} differ outside axis ${axis}`);
  }
  const { exprs, perm } = aligned(inputs);
  const p = physicalAxis({ name: "", shape: first, perm }, axis);
  const shape = first.map((d, a) => (a === axis - 1 ? inputs.reduce((s, v) => s + v.shape[a]!, 0) : d));
  return { expr: `concat([${exprs.join(", ")}], axis=${p === rank - 1 ? -1 : p})`, shape, perm, note: `axis ${axis}` };
};
