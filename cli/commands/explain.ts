/**
 * thoadc explain: the passes, the plan with per-step costs and the model line
 * each step comes from, a ranking of model lines by cost, and totals; --after
 * prints the state after one pass; --json the same facts as data.
 */
import { AUTO_MARGIN, costByLine, PASSES, planCost, printPlan, stepFlops, stepFn, stepLine, stepText, type TargetChoice } from "../../compiler/index.js";
import type { CommonFlags } from "../options.js";
import { CliExit, compileFile } from "../front.js";
import { Progress } from "../progress.js";

export interface ExplainFlags extends CommonFlags { after?: string; batch?: string; json?: boolean }

export function explainCommand(file: string, flags: ExplainFlags): string {
  const B = flags.batch === undefined ? 1 : Number(flags.batch);
  if (!Number.isInteger(B) || B < 1) throw new CliExit(1, `thoadc: error TH115: --batch must be a positive integer, got '${flags.batch}'`);
  const progress = new Progress();
  progress.update(`explain: compiling ${file} at order ${flags.order ?? 2}...`);
  try {
    if (flags.after !== undefined) {
      const pass = PASSES.find((p) => p.name === flags.after);
      if (!pass) throw new CliExit(1, `thoadc: error TH115: --after: no pass '${flags.after}' (passes: ${PASSES.map((p) => p.name).join(", ")})`);
      const emit = pass.name === "emit" ? { flavor: "ts", provenance: file, runtimeImport: "thoad/runtime" } as const : undefined;
      const { result } = compileFile(file, flags, 2, emit ? { emit } : {}, pass.name);
      const text = pass.print(result.state);
      return flags.json ? JSON.stringify({ after: pass.name, text }, null, 2) : `after pass '${pass.name}':\n${text}`;
    }
    const { result } = compileFile(file, flags, 2);
    const plan = result.state.plan!, choice = result.state.choice!, target = result.state.target!;
    if (flags.json) {
      const c = planCost(plan, B, target);
      return JSON.stringify({
        model: plan.model, target: target.name, mode: plan.mode,
        targetChoice: targetJson(result.state.targetChoice!), order: plan.order, wrt: plan.wrt.map((w) => w.name), batch: B,
        passes: PASSES.map((p) => ({ name: p.name, doc: p.doc })),
        choice: choice.explanation,
        steps: plan.steps.map((s, i) => { const l = stepLine(plan, s), f = stepFn(plan, s); return { index: i, text: stepText(plan, s), flops: stepFlops(plan, s, B), line: l ?? null, source: l === undefined ? null : plan.lines?.get(l) ?? null, ...(f ? { fn: f } : {}), ...(target.stepNote ? { runs: target.stepNote(plan, i) } : {}) }; }),
        lines: costByLine(plan, B).map((e) => ({ line: e.line ?? null, source: e.line === undefined ? null : e.text, flops: e.flops, share: c.flops ? e.flops / c.flops : 0, steps: e.steps })),
        totals: { flops: c.flops, peakBytes: c.peakBytes, liveBytes: c.liveBytes, largest: c.largest },
      }, null, 2);
    }
    const width = Math.max(...PASSES.map((p) => p.name.length));
    const lines = ["passes:", ...PASSES.map((p, i) => `  ${i + 1}. ${p.name.padEnd(width)} ${p.doc}`), ""];
    lines.push(`target: ${target.name} (${target.description})`, choice.explanation, result.state.targetChoice!.explanation, "");
    lines.push(printPlan(plan, B, target));
    if (target.stepNote) lines.push(`how the ${target.name} target runs each step:`, ...plan.steps.map((_, i) => `  ${String(i).padStart(3)}  ${target.stepNote!(plan, i)}`));
    return lines.join("\n");
  } finally {
    progress.done();
  }
}

/** The target choice as data: what was chosen, whether forced, each (mode, target) estimate in ms, the wasm share of the flops, the margin. */
const targetJson = (t: TargetChoice) => ({
  chosen: t.target, forced: t.forced, mode: t.mode, margin: AUTO_MARGIN,
  estimates: t.estimates.map((e) => ({
    mode: e.mode, tsMs: +(e.ts * 1e3).toPrecision(4), wasmMs: +(e.wasm * 1e3).toPrecision(4), sharedMs: +(e.sharedSeconds * 1e3).toPrecision(4),
    wasmGemmMs: +(e.gemmSeconds * 1e3).toPrecision(4), wasmStagingMs: +(e.stagingSeconds * 1e3).toPrecision(4),
    wasmSteps: e.wasmSteps, wasmFlopShare: e.flops ? +(e.wasmFlops / e.flops).toFixed(4) : 0,
  })),
  explanation: t.explanation,
});
