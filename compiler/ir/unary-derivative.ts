/**
 * f^(m)(a) of a unary node f(a) as an IR node, for the IR-to-IR transforms
 * (vjp.ts, taylor.ts); undefined where it is identically zero. pow has its
 * closed form p (p-1) ... (p-m+1) a^(p-m) (zero past m = p for a natural p).
 */
import type { Span } from "../diagnostics/diagnostic.js";
import type { Builder } from "./builders.js";
import type { Node, NodeOf } from "./node.js";
import { must } from "./transform-shapes.js";

export function unaryDerivative(b: Builder, n: NodeOf<"unary">, m: number, span: Span): Node | undefined {
  const a = n.args[0]!;
  const { fn, exponent } = n.attrs;
  if (fn === "pow") {
    const p = exponent!;
    let c = 1;
    for (let i = 0; i < m; i++) c *= p - i;
    if (c === 0) return undefined;
    const rest = p - m;
    const base = rest === 0 ? b.const(1, span) : must(b.unary("pow", a, span, rest), "pow");
    return must(b.mul(b.const(c, span), base, span), "pow derivative");
  }
  if (fn === "exp") return n; // exp is its own derivative
  throw new Error(`internal: the ${m}-th derivative of ${fn} as an IR node needs the unary deriv attribute`);
}
