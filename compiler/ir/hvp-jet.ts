/**
 * hvp and jet as language functions (entries of structured.ts's table). Both
 * lower to ordinary IR at lowering time, so --order/--wrt and d() differentiate
 * the result again.
 *
 *   hvp(y, x, v)     H v, H = d^2 y / dx^2, y a per-sample scalar   [B]? ++ shape(x)\B
 *                    forward over reverse: the Taylor coefficient c_1 along v of
 *                    the IR gradient (vjp.ts, taylor.ts); a few evaluations' cost.
 *   jet(y, x, v, k)  d^j/dt^j y(x + t v) at t = 0, j = 1..k         [B]? ++ [k] ++ shape(y)\B
 *                    JAX's jax.experimental.jet normalisation (derivatives, not
 *                    Taylor coefficients: entry j is j! c_j); O(k^2) nodes per
 *                    product and exp, O(k^3) per other elementwise function.
 *
 * The batch axis leads when y, x or v is per sample. x must be a declared
 * input or param and v must have x's per-sample shape (TH120); hvp's y must
 * have one element per sample (TH122); jet's k is a constant integer 1..10 (TH121).
 * A y that does not depend on x gives zeros with the warning TH123.
 */
import type { Span } from "../diagnostics/diagnostic.js";
import type { Builder } from "./builders.js";
import type { FnRule } from "./functions.js";
import { stack } from "./gathers.js";
import { innerSize, isBatched, showShape, topoOrder, type InputNode, type Node } from "./node.js";
import { taylorSeries } from "./taylor.js";
import { dependents, innerShape, lifted, must, zeros } from "./transform-shapes.js";
import { gradient } from "./vjp.js";

/** Highest jet order (as --order's limit). */
export const MAX_JET_ORDER = 10;

/** x a declared input or param, v with x's per-sample shape; else TH120. */
function variable(b: Builder, what: string, x: Node, v: Node, span: Span): InputNode | undefined {
  if (x.op !== "input") return b.error("TH120", `${what}: x must be a declared input or param (differentiation is with respect to a variable), got an expression`, span);
  if (innerShape(v.shape).join() !== innerShape(x.shape).join()) {
    return b.error("TH120", `${what}: the direction v has shape ${showShape(v.shape)}, but x ('${x.attrs.name}') has ${showShape(x.shape)}; v must have x's per-sample shape`, span);
  }
  return x;
}

/** Warns (TH123, as d() and laplacian) when y does not depend on x: the result is zeros. */
function warnIfConstant(b: Builder, what: string, y: Node, x: InputNode, span: Span): void {
  if (dependents(topoOrder([y]), x).has(y.id)) return;
  b.diagnostics.push({ code: "TH123", severity: "warning", message: `${what}(y, ${x.attrs.name}, ...): y does not depend on '${x.attrs.name}', so the result is zeros`, span });
}

/** The first batched node among these (the batch axis of zeros). */
const batchedOf = (...ns: Node[]): Node | undefined => ns.find((n) => isBatched(n.shape));

function hvp(b: Builder, y: Node, xArg: Node, v: Node, span: Span): Node | undefined {
  const x = variable(b, "hvp(y, x, v)", xArg, v, span);
  if (!x) return undefined;
  if (innerSize(y.shape) !== 1) {
    return b.error("TH122", `hvp(y, x, v): y must be one number per sample (a scalar loss), got shape ${showShape(y.shape)}; reduce it first (sum, mean) or take hvp of each element`, span);
  }
  warnIfConstant(b, "hvp", y, x, span);
  const g = gradient(b, y, x, span);
  const [c] = taylorSeries(b, [g], x, v, 1, span);
  const shape = lifted(g.shape, isBatched(v.shape) || isBatched(x.shape));
  return c![1] ?? zeros(b, shape, batchedOf(v, x, y, g), span);
}

function jet(b: Builder, y: Node, xArg: Node, v: Node, k: number, span: Span): Node | undefined {
  const x = variable(b, "jet(y, x, v, k)", xArg, v, span);
  if (!x) return undefined;
  if (!Number.isInteger(k) || k < 1 || k > MAX_JET_ORDER) return b.error("TH121", `jet(y, x, v, k): k must be an integer from 1 to ${MAX_JET_ORDER}, got ${k}`, span);
  warnIfConstant(b, "jet", y, x, span);
  const [c] = taylorSeries(b, [y], x, v, k, span);
  const shape = lifted(y.shape, isBatched(v.shape) || isBatched(x.shape));
  let fact = 1;
  const terms: Node[] = [];
  for (let j = 1; j <= k; j++) {
    fact *= j;
    const cj = c![j];
    terms.push(cj ? must(b.mul(b.const(fact, span), cj, span), "jet scaling") : zeros(b, shape, batchedOf(v, x, y), span));
  }
  return stack(b, terms, isBatched(shape) ? 1 : 0, span);
}

const T = (name: string) => ({ name, kind: "tensor" }) as const;

export const HVP_JET: Record<"hvp" | "jet", FnRule> = {
  hvp: {
    params: [T("y"), T("x"), T("v")],
    doc: "Hessian-vector product (d^2 y / dx^2) v of a per-sample scalar y with respect to the input x: [B]? ++ shape(x)\\B; forward over reverse, a few evaluations' cost",
    lower: (b, a, span) => hvp(b, a.y as Node, a.x as Node, a.v as Node, span),
  },
  jet: {
    params: [T("y"), T("x"), T("v"), { name: "k", kind: "number" }],
    doc: "directional derivatives d^j/dt^j y(x + t v), j = 1..k (JAX's jet): [B]? ++ [k] ++ shape(y)\\B; O(k^2) per product, O(k^3) per elementwise function",
    lower: (b, a, span) => jet(b, a.y as Node, a.x as Node, a.v as Node, a.k as number, span),
  },
};
