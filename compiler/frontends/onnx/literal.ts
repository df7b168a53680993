/**
 * Numbers in the emitted text. ONNX stores scalar literals and float
 * attributes as float32, so an exporter's 0.1 arrives as 0.10000000149...;
 * thoad computes in float64, and the model that was exported meant 0.1. A
 * float32 literal is read back as the shortest decimal that rounds to it, or
 * as the float64 constant it is the rounding of (sqrt 2 in exported GELU).
 * Trained weights never go through this: they stay exact.
 */
const KNOWN = [Math.SQRT2, Math.SQRT1_2, Math.PI, Math.E, Math.LN2, Math.LN10, Math.sqrt(2 / Math.PI), 2 / Math.sqrt(Math.PI), 1 / Math.PI, Math.sqrt(Math.PI)];

export function float32Literal(v: number): number {
  if (!Number.isFinite(v) || Math.fround(v) !== v) return v;
  for (const k of KNOWN) if (Math.fround(k) === v) return k;
  for (let p = 1; p <= 9; p++) {
    const c = Number(v.toPrecision(p));
    if (Math.fround(c) === v) return c;
  }
  return v;
}

/** A number as .thd source: `2`, `0.5`, `1e-5`, `-0.25`. */
export const lit = (v: number): string => (v !== 0 && Math.abs(v) < 1e-3 ? v.toExponential() : String(v));

/** As an operand of a binary operator: negatives in parentheses. */
export const operandLit = (v: number): string => (v < 0 || Object.is(v, -0) ? `(${lit(v)})` : lit(v));
