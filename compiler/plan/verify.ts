/** Plan verifier: every buffer is defined before use, once; indices have extents. Throws on an internal fault. */
import { printPlan } from "./print.js";
import { isGroupRef, type IndexRef, type Plan } from "./plan.js";
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
      const check = (r: IndexRef, what: string): void => {
        if (r === null) return;
        if (typeof r === "string") { if (!known(r)) fault(i, `${what} index ${r} has no extent`); return; }
        if (!plan.tables[r.table]) fault(i, `${what} table T${r.table} is unknown`);
        if (isGroupRef(r)) {
          const t = plan.tables[r.table]!;
          if (t.kind !== "rank" && t.kind !== "sorted") fault(i, `${what} group read through T${r.table}, not a rank table`);
          for (const x of r.of) check(x, what);
        } else if (!known(r.row)) fault(i, `${what} table T${r.table}: its row ${r.row} is unknown`);
      };
      for (const t of s.terms) for (const o of t.out ?? []) check(o, "term output");
      for (const t of s.terms) for (const f of t.factors) for (const r of f.idx) check(r, "factor");
    }
    for (const o of stepOutputs(s)) {
      if (defined.has(o)) fault(i, `t${o} is defined twice`);
      defined.add(o);
    }
  });
  for (const o of plan.outputs) for (const b of [o.value, ...o.blocks.values()]) if (!defined.has(b)) throw new Error(`internal: output ${o.name} uses undefined t${b}`);
}
