/**
 * Vectorised elementwise chains: out[i] = e(in0[i], in1[i], ...) for an
 * expression tree e of add, sub, mul over the inputs and constants.
 * Signature: (n, out, in0, in1, ...) -> (), addresses in bytes.
 *
 * The loop runs whole vectors (lanes elements a step) then the n mod lanes
 * tail in scalar code. Both evaluate the tree in the same order with the same
 * roundings, so a scalar JS evaluation of the tree (Math.fround after each
 * operation for f32) is bit-identical. Out may alias an input (each element is
 * read before it is written).
 */
import { F64, type Element } from "./element.js";
import type { FunctionBuilder, Local } from "./function-builder.js";
import { addTo, whileLoop } from "./loops.js";
import type { ModuleBuilder } from "./module-builder.js";

export type Expr =
  | { readonly kind: "input"; readonly index: number }
  | { readonly kind: "const"; readonly value: number }
  | { readonly kind: "add" | "sub" | "mul"; readonly a: Expr; readonly b: Expr };

export const input = (index: number): Expr => ({ kind: "input", index });
export const constant = (value: number): Expr => ({ kind: "const", value });
export const add = (a: Expr, b: Expr): Expr => ({ kind: "add", a, b });
export const sub = (a: Expr, b: Expr): Expr => ({ kind: "sub", a, b });
export const mul = (a: Expr, b: Expr): Expr => ({ kind: "mul", a, b });

/** Number of inputs the tree reads (1 + the largest input index). */
export function arity(e: Expr): number {
  return e.kind === "input" ? e.index + 1 : e.kind === "const" ? 0 : Math.max(arity(e.a), arity(e.b));
}

/** Adds the kernel for `e` to `mod`, exported as `name`; `inputs` defaults to the tree's arity. */
export function addElementwise(mod: ModuleBuilder, name: string, e: Expr, el: Element = F64, inputs = arity(e)): number {
  const type = { params: Array.from({ length: 2 + inputs }, () => "i32" as const), results: [] };
  return mod.addFunction(type, (f) => {
    const [n, out, ...ins] = f.params;
    const off = f.local("i32"); // byte offset of element i, shared by every array
    const end = f.local("i32"); // n in bytes
    f.get(n).i32Const(el.log2Bytes).op("i32.shl").set(end).i32Const(0).set(off);
    whileLoop(f, () => f.get(off).i32Const(16).op("i32.add").get(end).op("i32.le_s"), () => {
      f.get(out).get(off).op("i32.add");
      emitTree(f, e, el, ins, off, true);
      f.mem("v128.store");
      addTo(f, off, 16);
    });
    whileLoop(f, () => f.get(off).get(end).op("i32.lt_s"), () => {
      f.get(out).get(off).op("i32.add");
      emitTree(f, e, el, ins, off, false);
      f.mem(el.store);
      addTo(f, off, el.bytes);
    });
  }, name);
}

/** Pushes the tree's value at byte offset `off`: a vector of lanes elements, or one scalar. */
function emitTree(f: FunctionBuilder, e: Expr, el: Element, ins: readonly Local[], off: Local, vector: boolean): void {
  switch (e.kind) {
    case "input": {
      const base = ins[e.index];
      if (!base) throw new RangeError(`addElementwise: input ${e.index} but only ${ins.length} inputs`);
      f.get(base).get(off).op("i32.add").mem(vector ? "v128.load" : el.load);
      return;
    }
    case "const":
      if (vector) f.v128Splat(el.shape, e.value);
      else if (el.name === "f64") f.f64Const(e.value);
      else f.f32Const(e.value);
      return;
    case "add": case "sub": case "mul":
      emitTree(f, e.a, el, ins, off, vector);
      emitTree(f, e.b, el, ins, off, vector);
      if (vector) f.simd(e.kind === "add" ? el.vadd : e.kind === "sub" ? el.vsub : el.vmul);
      else f.op(e.kind === "add" ? el.add : e.kind === "sub" ? el.sub : el.mul);
      return;
  }
}

/** The reference: the tree evaluated on numbers, rounding to f32 after every operation when `el` is F32. */
export function evalExpr(e: Expr, inputs: readonly number[], el: Element = F64): number {
  const round = el.name === "f32" ? Math.fround : (x: number) => x;
  switch (e.kind) {
    case "input": return round(inputs[e.index]);
    case "const": return round(e.value);
    case "add": return round(evalExpr(e.a, inputs, el) + evalExpr(e.b, inputs, el));
    case "sub": return round(evalExpr(e.a, inputs, el) - evalExpr(e.b, inputs, el));
    case "mul": return round(evalExpr(e.a, inputs, el) * evalExpr(e.b, inputs, el));
  }
}
