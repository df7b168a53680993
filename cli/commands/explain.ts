/** thoadc explain: the passes, the plan with per-step costs, and totals; --after prints the state after one pass. */
import { PASSES, printPlan } from "../../compiler/index.js";
import type { CommonFlags } from "../options.js";
import { CliExit, compileFile } from "../front.js";

export interface ExplainFlags extends CommonFlags { after?: string; batch?: string }

export function explainCommand(file: string, flags: ExplainFlags): string {
  const B = flags.batch === undefined ? 1 : Number(flags.batch);
  if (!Number.isInteger(B) || B < 1) throw new CliExit(1, `thoadc: error TH115: --batch must be a positive integer, got '${flags.batch}'`);
  if (flags.after !== undefined) {
    const pass = PASSES.find((p) => p.name === flags.after);
    if (!pass) throw new CliExit(1, `thoadc: error TH115: --after: no pass '${flags.after}' (passes: ${PASSES.map((p) => p.name).join(", ")})`);
    const emit = pass.name === "emit" ? { flavor: "ts", provenance: file, runtimeImport: "thoad/runtime" } as const : undefined;
    const { result } = compileFile(file, flags, 2, emit ? { emit } : {}, pass.name);
    return `after pass '${pass.name}':\n${pass.print(result.state)}`;
  }
  const { result } = compileFile(file, flags, 2);
  const width = Math.max(...PASSES.map((p) => p.name.length));
  const lines = ["passes:", ...PASSES.map((p, i) => `  ${i + 1}. ${p.name.padEnd(width)} ${p.doc}`), ""];
  lines.push(result.state.choice!.explanation, "");
  lines.push(printPlan(result.state.plan!, B));
  return lines.join("\n");
}
