/**
 * Structured derivatives as language functions: each lowers, at lowering
 * time, to ordinary IR (an IR-to-IR transform of y's graph), so a model can
 * use the result like any tensor and --order/--wrt or d() differentiate it
 * again. The same rules serve `thoadc --want` (compiler/pipeline.ts, pass "want").
 *
 *   laplacian(y, x)     sum_i d^2 y / dx_i^2       [B]? ++ shape(y)\B               (forward-laplacian.ts)
 *   hessian_diag(y, x)  d^2 y / dx_i^2 for each i  [B]? ++ shape(y)\B ++ shape(x)\B (forward-laplacian.ts)
 *
 * x must be a declared input or param (TH120); a y that does not depend on x
 * gives zeros with a warning (TH123, as d()).
 */
import type { Span } from "../diagnostics/diagnostic.js";
import type { Builder } from "./builders.js";
import type { FnRule } from "./functions.js";
import { forwardLaplacian, type SecondOrder } from "./forward-laplacian.js";
import { HVP_JET } from "./hvp-jet.js";
import type { Node, NodeOf } from "./node.js";

export const STRUCTURED_NAMES = ["laplacian", "hessian_diag", "hvp", "jet"] as const;
export type StructuredName = (typeof STRUCTURED_NAMES)[number];

/** x as the variable of a structured derivative: a declared input or param, else TH120. */
export function structuredVariable(b: Builder, what: string, x: Node, span: Span): NodeOf<"input"> | undefined {
  if (x.op === "input") return x;
  return b.error("TH120", `${what}(y, x): x must be a declared input or param (differentiation is with respect to a variable), got an expression`, span);
}

/** Zeros-with-a-warning when y does not depend on x: the derivative is exactly 0. */
function secondOrder(b: Builder, what: StructuredName, mode: SecondOrder, y: Node, xArg: Node, span: Span): Node | undefined {
  const x = structuredVariable(b, what, xArg, span);
  if (!x) return undefined;
  const r = forwardLaplacian(b, y, x, mode, span);
  if (!r.dependsOnX) b.diagnostics.push({ code: "TH123", severity: "warning", message: `${what}(y, ${x.attrs.name}): y does not depend on '${x.attrs.name}', so the result is zeros`, span });
  return r.value;
}

const Y = { name: "y", kind: "tensor" } as const, X = { name: "x", kind: "tensor" } as const;

export const STRUCTURED: Record<StructuredName, FnRule> = {
  laplacian: {
    params: [Y, X],
    doc: "trace of the Hessian of y with respect to the input x, per element of y: [B]? ++ shape(y)\\B; cost linear in size(x) (forward-Laplacian propagation, the Hessian never formed)",
    lower: (b, a, span) => secondOrder(b, "laplacian", "trace", a.y as Node, a.x as Node, span),
  },
  hessian_diag: {
    params: [Y, X],
    doc: "diagonal of the Hessian of y with respect to the input x: [B]? ++ shape(y)\\B ++ shape(x)\\B; cost linear in size(x)",
    lower: (b, a, span) => secondOrder(b, "hessian_diag", "diag", a.y as Node, a.x as Node, span),
  },
  ...HVP_JET,
};
