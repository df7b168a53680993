/**
 * f^(m) of a unary node as an IR node, for the IR-to-IR transforms (vjp.ts,
 * taylor.ts): for a node f^(k)(a) (attribute deriv k) it is f^(k+m)(a), a unary
 * node with deriv k + m; undefined where it is identically zero (relu'', the
 * (p+1)-th derivative of x^p). exp is its own derivative: the node itself.
 */
import type { Span } from "../diagnostics/diagnostic.js";
import { derivVanishes } from "../derive/elementwise.js";
import type { Builder } from "./builders.js";
import type { Node, NodeOf } from "./node.js";
import { must } from "./transform-shapes.js";

export function unaryDerivative(b: Builder, n: NodeOf<"unary">, m: number, span: Span): Node | undefined {
  const { fn, exponent } = n.attrs;
  if (fn === "exp") return n;
  const k = (n.attrs.deriv ?? 0) + m;
  return derivVanishes(fn, k, exponent) ? undefined : must(b.unary(fn, n.args[0]!, span, exponent, k), `${fn}^(${k})`);
}
