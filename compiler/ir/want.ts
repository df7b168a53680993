/**
 * `--want laplacian|hessian-diag|hvp|jet`: every output y of the model becomes
 * the structured derivative of y, as if the model had written
 * `y = laplacian(y, x)` (same name), by the same rule (ir/structured.ts); so
 * --order/--wrt then differentiate it again. x is `--at` (default: the model's
 * only input that is not a param), v `--v` (hvp, jet), k `--jet-order` (jet).
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { FUNCTIONS, type BoundValue } from "./functions.js";
import type { ModelIR } from "./lower.js";
import type { NodeOf } from "./node.js";
import { STRUCTURED_NAMES } from "./structured.js";

/** The CLI's spelling of each structured operator: hessian_diag is hessian-diag. */
export const WANT_KINDS = STRUCTURED_NAMES.map((n) => n.replace(/_/g, "-"));

export interface Want {
  /** laplacian, hessian-diag, hvp or jet (WANT_KINDS). */
  readonly kind: string;
  /** x: an input or param; default the only input that is not a param. */
  readonly at?: string;
  /** hvp and jet: the direction, an input or param. */
  readonly v?: string;
  /** jet: the number of Taylor coefficients. */
  readonly k?: number;
}

const err = (message: string, span: Diagnostic["span"]): Diagnostic => ({ code: "TH120", severity: "error", message, span });

/** The IR with each output replaced by want(output, x, ...); diagnostics (TH120, and the rule's own). */
export function applyWant(ir: ModelIR, want: Want): { ir: ModelIR; diagnostics: Diagnostic[] } {
  const name = want.kind.replace(/-/g, "_");
  const span = ir.outputs[0]?.span;
  if (!(STRUCTURED_NAMES as readonly string[]).includes(name)) return { ir, diagnostics: [err(`--want must be one of ${WANT_KINDS.join(", ")}, got '${want.kind}'`, undefined)] };
  const rule = FUNCTIONS[name as (typeof STRUCTURED_NAMES)[number]];
  const byName = new Map(ir.inputs.map((i) => [i.attrs.name, i] as const));
  const variable = (flag: string, n: string): NodeOf<"input"> | Diagnostic =>
    byName.get(n) ?? err(`${flag} '${n}' is not an input or param of model '${ir.name}' (they are: ${[...byName.keys()].join(", ")})`, undefined);
  const free = ir.inputs.filter((i) => !i.attrs.isParam);
  const x: NodeOf<"input"> | Diagnostic = want.at !== undefined ? variable("--at", want.at)
    : free.length === 1 ? free[0]!
    : err(`--want ${want.kind}: model '${ir.name}' has ${free.length} inputs (${free.map((i) => i.attrs.name).join(", ") || "none"}); name the variable with --at`, undefined);
  if ("code" in x) return { ir, diagnostics: [x] };
  const args: Record<string, BoundValue> = { x };
  for (const p of rule.params) {
    if (p.name === "y" || p.name === "x") continue;
    if (p.name === "v") {
      if (want.v === undefined) return { ir, diagnostics: [err(`--want ${want.kind} needs the direction: --v NAME (an input or param with the shape of '${x.attrs.name}')`, undefined)] };
      const v = variable("--v", want.v);
      if ("code" in v) return { ir, diagnostics: [v] };
      args.v = v;
    } else if (p.name === "k") {
      if (want.k === undefined) return { ir, diagnostics: [err(`--want ${want.kind} needs the number of coefficients: --jet-order K`, undefined)] };
      args.k = want.k;
    } else if (p.default === undefined && !p.optional) throw new Error(`internal: --want ${want.kind}: no flag gives '${p.name}'`);
  }
  const b = ir.builder;
  const before = b.diagnostics.length;
  const outputs = ir.outputs.map((o) => ({ ...o, node: rule.lower(b, { ...args, y: o.node }, o.span) }));
  const diagnostics = b.diagnostics.slice(before);
  if (outputs.some((o) => !o.node)) return { ir, diagnostics: diagnostics.length ? diagnostics : [err(`--want ${want.kind} failed`, span)] };
  return { ir: { ...ir, outputs: outputs.map((o) => ({ ...o, node: o.node! })) }, diagnostics };
}
