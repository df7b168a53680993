/** Structured loops over a FunctionBuilder: the block/loop/br_if pattern written once. */
import type { FunctionBuilder, Local } from "./function-builder.js";

/**
 * `while (cond) body`: `cond` pushes an i32 (non-zero = go on). Emitted as
 * block { loop { cond; i32.eqz; br_if block; body; br loop } }, so a loop
 * that runs zero times (k = 0, an empty edge) is handled by the first test.
 */
export function whileLoop(f: FunctionBuilder, cond: () => void, body: () => void): void {
  const exit = f.block();
  const top = f.loop();
  cond();
  f.op("i32.eqz").brIf(exit);
  body();
  f.br(top).end(top).end(exit);
}

/** `x += step` for an i32 local. */
export function addTo(f: FunctionBuilder, x: Local, step: number | Local): void {
  f.get(x);
  if (typeof step === "number") f.i32Const(step);
  else f.get(step);
  f.op("i32.add").set(x);
}

/** Pushes `x + span <= limit` (signed): "a whole tile of `span` still fits". */
export function fits(f: FunctionBuilder, x: Local, span: number, limit: Local): void {
  f.get(x);
  if (span !== 0) f.i32Const(span).op("i32.add");
  f.get(limit).op("i32.le_s");
}
