/** Plan verifier: every buffer is defined before use, once; indices have extents. Throws on an internal fault. */
import { printPlan } from "./print.js";
import type { Plan } from "./plan.js";
import { reads, stepOutputs } from "./liveness.js";

export function verifyPlan(plan: Plan): void {
  const defined = new Set(plan.buffers.filter((b) => b.role === "input").map((b) => b.id));
  const fault = (i: number, what: string): never => {
    throw new Error(`internal: plan verifier: step ${i}: ${what}\n${printPlan(plan)}`);
  };
  plan.steps.forEach((s, i) => {
    for (const r of reads(s)) if (!defined.has(r)) fault(i, `reads t${r} before it is defined`);
    if (s.kind === "contract") {
      const known = (x: string) => x in s.sizes;
      for (const o of s.outIdx) if (o !== null && !known(o)) fault(i, `output index ${o} has no extent`);
      for (const t of s.terms) for (const o of t.out ?? []) {
        if (typeof o === "string" && !known(o)) fault(i, `term output index ${o} has no extent`);
        if (o !== null && typeof o === "object" && (!plan.tables[o.table] || !known(o.row))) fault(i, `term output table T${o.table} or its row ${o.row} is unknown`);
      }
      for (const t of s.terms) for (const f of t.factors) for (const r of f.idx) {
        if (typeof r === "string" && !known(r)) fault(i, `index ${r} has no extent`);
        if (r !== null && typeof r === "object" && !plan.tables[r.table]) fault(i, `unknown table T${r.table}`);
      }
    }
    for (const o of stepOutputs(s)) {
      if (defined.has(o)) fault(i, `t${o} is defined twice`);
      defined.add(o);
    }
  });
  for (const o of plan.outputs) for (const b of [o.value, ...o.blocks.values()]) if (!defined.has(b)) throw new Error(`internal: output ${o.name} uses undefined t${b}`);
}
