/**
 * d(y, x1, ..., xk) in a model body: the derivative tensor of y in thoad's layout,
 * [B]? ++ shape(y)\B ++ shape(x1)\B ++ ... ++ shape(xk)\B (docs/design.md section 1),
 * as ordinary IR nodes: the forward-mode transform (jvp.ts) applied k times, x1 first.
 * The result can be indexed, combined, reduced, and differentiated again by another
 * d(...) or by --order/--wrt: the planners see one IR (docs/design.md section 6).
 */
import type { Span } from "../diagnostics/diagnostic.js";
import type { Expr } from "../syntax/ast.js";
import type { Builder } from "./builders.js";
import { perSample, tangent, zerosLike } from "./jvp.js";
import { showShape, type Node, type NodeOf } from "./node.js";

type Call = Extract<Expr, { kind: "call" }>;

/** The operator's name: a call of it is lowered here, unless a user fn has the name (fns shadow functions). */
export const DERIVATIVE_OP = "d";

/** Lowers a call of d; `lower` lowers an argument in the caller's scope. */
export function lowerDerivative(b: Builder, e: Call, lower: (x: Expr) => Node | undefined): Node | undefined {
  if (e.kwargs.length) return b.error("TH104", `d() takes no keyword arguments (d(y, x1, ..., xk))`, e.kwargs[0]!.name.span);
  if (e.args.length < 2) return b.error("TH104", `d() needs a tensor and at least one variable: d(y, x1, ..., xk), got ${e.args.length} argument(s)`, e.span);
  const y = lower(e.args[0]!);
  const vars: NodeOf<"input">[] = [];
  let ok = y !== undefined;
  for (const a of e.args.slice(1)) {
    const what = a.kind === "name" ? `'${a.name}'` : "an expression";
    const v = a.kind === "name" ? lower(a) : undefined;
    if (a.kind === "name" && v === undefined) { ok = false; continue; } // reported by lowering
    if (!v || v.op !== "input") {
      const kind = !v ? "" : v.op === "const" ? " (a constant)" : ` (a computed ${showShape(v.shape)} value)`;
      b.error("TH119", `d() differentiates with respect to declared inputs and params; ${what} is not one${kind}`, a.span);
      ok = false;
      continue;
    }
    vars.push(v);
  }
  if (!ok || !y) return undefined;
  return derivative(b, y, vars, e.span);
}

/**
 * The derivative of y with respect to x1, ..., xk in the layout above; when y does not
 * depend on them, a zero tensor and a warning (TH123).
 */
export function derivative(b: Builder, y: Node, xs: readonly NodeOf<"input">[], span: Span): Node {
  let cur: Node | undefined = y;
  let i = 0;
  for (; i < xs.length && cur; i++) {
    const t: Node | undefined = tangent(b, cur, xs[i]!, { kind: "axes" }, span);
    cur = t && perSample(b, t, cur, span);
  }
  if (cur) return cur;
  const x = xs[i - 1]!;
  b.diagnostics.push({ code: "TH123", severity: "warning", message: `d(): ${i === 1 ? "the tensor" : `its derivative of order ${i - 1}`} does not depend on '${x.attrs.name}': the derivative is a zero tensor`, span });
  const E = xs.flatMap((v) => v.shape.filter((d) => d !== -1));
  return zerosLike(b, y, E, span);
}
