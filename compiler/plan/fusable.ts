/**
 * Whether a contraction step is elementwise in its output: every index a factor
 * uses is an output index or a member index of a table read, and no term has an
 * output view of its own. Such a step is emitted as one assigning loop nest
 * (codegen/fused-nest.ts), and plan rewrites (sink-linear) rely on it.
 */
import { isGroupRef, type ContractStep } from "./plan.js";

/** Largest member count unrolled; steps with more members keep one nest per term. */
const MAX_MEMBERS = 16;

/** Whether the step can be emitted as one assigning nest (see codegen/fused-nest.ts). */
export function fusable(step: ContractStep): boolean {
  const outNames = step.outIdx.filter((r): r is string => typeof r === "string");
  if (outNames.length !== step.outIdx.filter((r) => r !== null).length || new Set(outNames).size !== outNames.length) return false;
  const outs = new Set(outNames);
  for (const t of step.terms) {
    if (t.out) return false;
    for (const f of t.factors) for (const r of f.idx) {
      if (r === null) continue;
      if (typeof r === "string") { if (!outs.has(r)) return false; continue; }
      if (isGroupRef(r)) return false; // packed groups (reverse mode) take the general path
      if (!outs.has(r.row)) return false;
      if (r.member in step.sizes) {
        const M = step.sizes[r.member];
        if (outs.has(r.member) || typeof M !== "number" || M > MAX_MEMBERS) return false;
      } else if (!/^\d+$/.test(r.member)) return false;
    }
  }
  return true;
}

