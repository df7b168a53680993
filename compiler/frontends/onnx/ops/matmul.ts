/**
 * MatMul (NumPy matmul, as `@`) and Gemm. Gemm with transB=1, unit alpha and
 * beta and a 1-D bias is exactly `linear(A, W, bias)` (how PyTorch exports
 * nn.Linear); every other Gemm is written out with transposes and scalars.
 */
import type { OpContext, OpRule } from "../context.js";
import { lit } from "../literal.js";
import { broadcast, showShape, type Dim, type Value } from "../values.js";

/** NumPy matmul's result shape. */
function matmulShape(cx: OpContext, a: readonly Dim[], b: readonly Dim[], weight = false): Dim[] {
  const bad = (): never => cx.fail(weight ? "TH505" : "TH503", `operands of shapes ${showShape(a)} and ${showShape(b)} do not multiply`);
  if (a.length === 0 || b.length === 0) bad();
  const a2 = a.length === 1 ? [1, a[0]!] : a, b2 = b.length === 1 ? [b[0]!, 1] : b;
  const k1 = a2[a2.length - 1], k2 = b2[b2.length - 2];
  if (k1 !== k2 || k1 === "B") bad();
  const lead = broadcast(a2.slice(0, -2), b2.slice(0, -2)) ?? bad();
  return [...lead, ...(a.length === 1 ? [] : [a2[a2.length - 2]!]), ...(b.length === 1 ? [] : [b2[b2.length - 1]!])];
}

const matmul: OpRule = {
  emit: (cx) => {
    const a = cx.input(0, "A"), b = cx.input(1, "B");
    return [cx.emit(`${cx.em.ref(a)} @ ${cx.em.ref(b)}`, matmulShape(cx, a.shape, b.shape, a.kind === "const" || b.kind === "const"))];
  },
};

const gemm: OpRule = {
  emit: (cx) => {
    const A = cx.input(0, "A"), B = cx.input(1, "B"), C = cx.optional(2);
    const alpha = cx.float("alpha", 1), beta = cx.float("beta", 1), tA = cx.int("transA", 0), tB = cx.int("transB", 0);
    if (A.shape.length !== 2 || B.shape.length !== 2) cx.fail("TH503", `Gemm needs 2-D A and B, got ${showShape(A.shape)} and ${showShape(B.shape)}`);
    const t = (v: Value, on: number): readonly Dim[] => (on ? [v.shape[1]!, v.shape[0]!] : v.shape);
    const shape = matmulShape(cx, t(A, tA), t(B, tB), B.kind === "const");
    const N = shape[1];
    if (tB && !tA && alpha === 1 && (C === undefined || beta === 1) && (C === undefined || (C.shape.length === 1 && C.shape[0] === N))) {
      return [cx.emit(`linear(${cx.em.ref(A)}, ${cx.em.ref(B)}${C ? `, ${cx.em.ref(C)}` : ""})`, shape)];
    }
    const tr = (v: Value, on: number) => (on ? `transpose(${cx.em.ref(v)})` : cx.em.ref(v));
    let expr = `${tr(A, tA)} @ ${tr(B, tB)}`;
    if (alpha !== 1) expr = `${lit(alpha)} * (${expr})`;
    if (C && beta !== 0) {
      if (!broadcast(shape, C.shape)) cx.fail("TH503", `C of shape ${showShape(C.shape)} does not broadcast to ${showShape(shape)}`);
      const c = cx.em.operand(C, 2);
      expr = `${expr} + ${beta === 1 ? c : `${lit(beta)} * ${c}`}`;
    }
    return [cx.emit(expr, shape)];
  },
};

export const MATMUL_OPS: Record<string, OpRule> = { MatMul: matmul, Gemm: gemm };
