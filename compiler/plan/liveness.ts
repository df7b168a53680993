/** Which buffers a step reads and writes, and where each buffer is last read. */
import type { Plan, Step } from "./plan.js";
import { assertNever } from "../assert-never.js";

/** Buffer ids a step reads. */
export function reads(s: Step): number[] {
  switch (s.kind) {
    case "contract": return s.terms.flatMap((t) => t.factors.map((f) => f.buf));
    case "map": case "amax": case "alias": return [s.input];
    case "seed": return [];
    case "compare": return s.args.flatMap((a) => ("buf" in a ? [a.buf] : []));
    default: return assertNever(s, "plan step kind");
  }
}

/** Index of the last step reading each buffer (outputs live to the end). */
export function lastUses(plan: Plan): Map<number, number> {
  const last = new Map<number, number>();
  plan.steps.forEach((s, i) => { for (const r of reads(s)) last.set(r, i); });
  for (const o of plan.outputs) { last.set(o.value, Infinity); for (const b of o.blocks.values()) last.set(b, Infinity); }
  return last;
}

export const stepOutputs = (s: Step): number[] => (s.kind === "map" ? s.outs.filter((o): o is number => o !== undefined) : [s.out]);
