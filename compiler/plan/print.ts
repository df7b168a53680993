/** The plan as text: one step per line (buffer, size, terms), then totals. */
import { stepOutputs } from "./liveness.js";
import { isGroupRef, type IndexRef, type Plan, type Step } from "./plan.js";
import { planCost, stepFlops } from "./cost.js";
import type { CostTarget } from "../codegen/target.js";
import { assertNever } from "../assert-never.js";

const idxText = (r: IndexRef): string => (r === null ? "0" : typeof r === "string" ? r : isGroupRef(r) ? `T${r.table}<${r.of.map(idxText).join(",")}>` : `T${r.table}[${r.row},${r.member}]`);

export function stepText(plan: Plan, s: Step): string {
  const n = (id: number) => plan.buffers[id]!.name;
  switch (s.kind) {
    case "contract": {
      const terms = s.terms.map((t) => {
        const fs = t.factors.map((f) => `${n(f.buf)}[${f.idx.map(idxText).join(",")}]`);
        const c = t.coef === 1 && fs.length ? "" : t.coef === -1 && fs.length ? "-" : `${t.coef}${fs.length ? "*" : ""}`;
        return c + fs.join("*") + (t.out ? ` ->[${t.out.map(idxText).join(",")}]` : "");
      });
      return `${n(s.out)}[${s.outIdx.map(idxText).join(",")}] = ${terms.join(" + ")}`;
    }
    case "map": return `${s.outs.map((o) => (o === undefined ? "_" : n(o))).join(",")} = ${s.fn}${s.exponent !== undefined ? `^${s.exponent}` : ""}^(${s.deriv ?? 0}..${(s.deriv ?? 0) + s.outs.length - 1})(${n(s.input)})`;
    case "seed": return `${n(s.out)} = identity seed (${s.n} x ${s.n})`;
    case "amax": return `${n(s.out)} = max(${n(s.input)}, axes=[${s.axes.join(",")}])  (constant for derivatives)`;
    case "alias": return `${n(s.out)} = ${n(s.input)}  (same data)`;
    case "compare": {
      const arg = (a: (typeof s.args)[number]) => ("buf" in a ? n(a.buf) : String(a.c));
      if (s.op === "select") return `${n(s.out)} = ${arg(s.args[0]!)} != 0 ? ${arg(s.args[1]!)} : ${arg(s.args[2]!)}  (where's value; its derivatives are the blend's)`;
      return `${n(s.out)} = ${s.op}(${s.args.map(arg).join(", ")}${s.axes ? `, axes=[${s.axes.join(",")}]` : ""})  (mask, constant for derivatives)`;
    }
    default: return assertNever(s, "plan step kind");
  }
}

const sizeText = (size: number, batched: boolean): string => (batched ? `B*${size}` : String(size));

/** The model line a step comes from: its (first) output's. */
export const stepLine = (plan: Plan, s: Step): number | undefined => plan.buffers[stepOutputs(s)[0]!]?.line;

/** The inlined fn a step comes from, with its body line (stepLine is then the call's line). */
export const stepFn = (plan: Plan, s: Step): { readonly name: string; readonly line: number } | undefined => plan.buffers[stepOutputs(s)[0]!]?.fn;

/** A step's origin as plans and module comments show it: "@30", or "@30 (fn f, line 12)" for a step of an inlined fn body. */
export function stepOrigin(plan: Plan, s: Step): string | undefined {
  const l = stepLine(plan, s), f = stepFn(plan, s);
  return l === undefined ? undefined : `@${l}${f ? ` (fn ${f.name}, line ${f.line})` : ""}`;
}

export interface LineCost { readonly line: number | undefined; readonly text: string; readonly flops: number; readonly steps: number }

/** Flops per model line at batch size B, most first (then by line); steps with no line are one entry, line undefined. */
export function costByLine(plan: Plan, B = 1): LineCost[] {
  const by = new Map<number | undefined, { flops: number; steps: number }>();
  for (const s of plan.steps) {
    const l = stepLine(plan, s), e = by.get(l) ?? { flops: 0, steps: 0 };
    by.set(l, { flops: e.flops + stepFlops(plan, s, B), steps: e.steps + 1 });
  }
  return [...by].map(([line, e]) => ({ line, text: line === undefined ? "" : plan.lines?.get(line) ?? "", ...e }))
    .sort((a, b) => b.flops - a.flops || (a.line ?? Infinity) - (b.line ?? Infinity));
}

export function printPlan(plan: Plan, B = 1, target?: CostTarget): string {
  const lines: string[] = [];
  lines.push(`plan ${plan.model}: mode ${plan.mode}, order ${plan.order}, wrt [${plan.wrt.map((w) => w.name).join(", ")}]${plan.dtype === "f32" ? ", dtype f32" : ""}${plan.staticBatch !== undefined ? `, --no-batch at B=${plan.staticBatch} (full cross-batch blocks, then their diagonals)` : ""}`);
  if (plan.tables.length) {
    lines.push("tables:");
    for (const t of plan.tables) lines.push(t.diagonal ? `  T${t.id}: batch diagonal of key sizes [${t.ns.join(",")}] counts [${t.ms.join(",")}] batched [${t.diagonal.batched.join(",")}], ${t.rows} rows x ${t.diagonal.samples} samples` : t.gather ? `  T${t.id}: gather ${t.gather.coord ? `out coordinates (offset / ${t.gather.coord.stride} % ${t.gather.extent})` : `${t.gather.side} offsets`} (view [${t.gather.spec.view.join(",")}] of src [${t.gather.spec.src.join(",")}]), ${t.rows} rows` : t.kind === "rank" || t.kind === "sorted" ? `  T${t.id}: ${t.kind === "rank" ? "rank" : "sorted-only rank"} of ${t.ms[0]} positions over ${t.ns[0]}, ${t.ms[0]} x ${t.ns[0]} terms` : t.kind === "dense" ? `  T${t.id}: dense offsets of key sizes [${t.ns.join(",")}] counts [${t.ms.join(",")}], ${t.rows} rows` : `  T${t.id}: key sizes [${t.ns.join(",")}] counts [${t.ms.join(",")}], ${t.masks.length} member(s) x ${t.rows} rows`);
  }
  lines.push("buffers:");
  const defined = new Set(plan.steps.flatMap(stepOutputs)); // a rewrite may leave a buffer no step defines
  for (const b of plan.buffers) if (b.role !== "input" && defined.has(b.id)) lines.push(`  ${b.name.padEnd(5)} ${sizeText(b.size, b.batched).padStart(9)}  ${b.role.padEnd(5)}  ${b.label}`);
  lines.push("steps:");
  plan.steps.forEach((s, i) => {
    const f = stepFlops(plan, s, B), o = stepOrigin(plan, s);
    lines.push(`  ${String(i).padStart(3)}  ${stepText(plan, s)}${f ? `   {${f} flops}` : ""}${o !== undefined ? `   ${o}` : ""}`);
  });
  lines.push("outputs:");
  for (const o of plan.outputs) lines.push(`  ${o.name} = ${plan.buffers[o.value]!.name}; ${[...o.blocks].map(([k, b]) => `d[${k}] = ${plan.buffers[b]!.name}`).join(", ") || "no nonzero derivative"}`);
  const c = planCost(plan, B, target);
  const byLine = plan.lines?.size ? costByLine(plan, B).filter((e) => e.flops > 0) : [];
  if (byLine.length) {
    lines.push(`cost by model line (flops at B=${B}):`);
    for (const e of byLine) lines.push(`  ${(e.line === undefined ? "-" : `@${e.line}`).padEnd(5)} ${`${((100 * e.flops) / c.flops).toFixed(1)}%`.padStart(6)} ${String(e.flops).padStart(12)}  ${e.steps} step${e.steps === 1 ? "" : "s"}${e.text ? `  ${e.text}` : ""}`);
  }
  lines.push(`estimate at B=${B}: ${c.flops} flops; ${c.peakBytes} bytes allocated per call (live peak ${c.liveBytes}); largest buffer ${c.largest.name} (${c.largest.bytes} bytes)`);
  return lines.join("\n");
}
