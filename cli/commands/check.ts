/** thoadc check: random inputs, every order against central differences of the order below. */
import { instantiate, renderDiagnostics, type ModelFn } from "../../compiler/index.js";
import { finiteDifferenceCheck } from "../../compiler/tools/finite-differences.js";
import { randomInputs } from "../../compiler/tools/random-inputs.js";
import type { CommonFlags } from "../options.js";
import { CliExit, compileFile, fail, randomInputsFit } from "../front.js";
import { weightTensors } from "../model-file.js";
import type { CommandResult } from "../output.js";
import { Progress } from "../progress.js";

export interface CheckFlags extends CommonFlags { batch?: string; seed?: string; tol?: string; range?: string; json?: boolean }

export function checkCommand(file: string, flags: CheckFlags): CommandResult {
  const progress = new Progress();
  progress.update(`check: compiling ${file} at order ${flags.order ?? 2}...`);
  const hint = flags.batch === undefined ? { batchHint: 2 } : {};
  let compiled;
  try { compiled = compileFile(file, flags, 2, hint); } finally { progress.done(); }
  const { result, model, options } = compiled;
  const plan = result.state.plan!;
  const B = Number(flags.batch ?? 2), seed = Number(flags.seed ?? 1), tol = Number(flags.tol ?? 1e-6);
  const range = (flags.range ?? "-1,1").split(",").map(Number) as [number, number];
  if (!Number.isInteger(B) || B < 1 || !(tol > 0) || range.length !== 2 || range.some((x) => !Number.isFinite(x))) throw new CliExit(1, "thoadc: error TH115: check: --batch must be a positive integer, --tol positive, --range LO,HI");
  if (plan.order < 1) throw new CliExit(1, "thoadc: error TH115: check needs --order 1 or more (order 0 has no derivative to check)");
  // central differences of order-(k-1) results in float32 carry rounding noise of about
  // eps32 * |f| / h = 6e-8 / 1e-5, far above any useful tolerance: check the f64 module (same plan)
  if (plan.dtype === "f32") throw new CliExit(1, "thoadc: error TH115: check differences in float64 only: in float32 the rounding noise of a central difference (about 6e-8 / h = 6e-3 of the derivative's scale) hides any error; check without --dtype (an f32 module runs the same plan), and compare f32 with f64 with bench/dtype-accuracy.mjs");
  if (plan.outputs.some((o) => o.seeded)) throw new CliExit(1, "thoadc: error TH115: check does not take --seed-output (it differences the outputs themselves); check without it");
  randomInputsFit(file, plan, B, options, model.weights);
  const fn = instantiate(plan, result.state.targetChoice!.target); // the target compile resolved (auto: the cost model's)
  const inputs = { ...randomInputs(plan, B, seed, range, model.weights), ...weightTensors(model.weights) };
  const values = fn(inputs);
  for (const [name, r] of Object.entries(values)) {
    if (!r.value.data.every(Number.isFinite)) fail(file, [{ code: "TH601", severity: "error", message: `output '${name}' is not finite at the random point (seed ${seed}, range ${range.join(",")}); try a --range inside the functions' domains (e.g. --range 0.5,1.5 for log or sqrt of inputs, --range -0.5,0.5 for asin or atanh)`, span: undefined }]);
  }
  // order k against central differences of a module of order k-1 (same flags otherwise): its
  // calls are cheaper than the full module's, and the orders are checked one after the other
  const lower = (m: number): ModelFn => {
    progress.update(`check ${plan.model}: compiling ${file} at order ${m}, to difference for order ${m + 1} of ${plan.order}...`);
    const c = compileFile(file, { ...flags, order: String(m) }, 2, hint);
    return instantiate(c.result.state.plan!, c.result.state.targetChoice!.target);
  };
  const step = (done: number, total: number, orders: readonly number[]): void =>
    progress.update(`check ${plan.model}: order ${orders[0]} of ${plan.order} against central differences of order ${orders[0]! - 1}, ${done}/${total} wrt elements`);
  let rows;
  try { rows = finiteDifferenceCheck(plan, fn, inputs, 1e-5, step, tol, lower); } finally { progress.done(); }
  const lines = [`check ${plan.model}: order ${plan.order}, wrt [${plan.wrt.map((w) => w.name).join(", ")}], B=${B}, seed ${seed}, central differences h=1e-5, tolerance ${tol}`];
  let bad = false;
  for (const r of rows) {
    const ok = r.maxRelError <= tol;
    bad ||= !ok;
    lines.push(`  order ${r.order}: max relative error ${r.maxRelError.toExponential(2)}${r.where ? ` (${r.where})` : ""}  ${ok ? "ok" : "FAIL"}`);
  }
  // a failed order is an error like any other: coded, on stderr, after the table
  const failed = rows.filter((r) => !(r.maxRelError <= tol));
  const coded = failed.length ? renderDiagnostics(failed.map((r) => ({ code: "TH602" as const, severity: "error" as const, message: `order ${r.order} differs from central differences: max relative error ${r.maxRelError.toExponential(2)}${r.where ? ` at ${r.where}` : ""}, over the tolerance ${tol}`, span: undefined })), file, undefined) : "";
  if (flags.json) {
    const json = { model: plan.model, order: plan.order, wrt: plan.wrt.map((w) => w.name), batch: B, seed, range, h: 1e-5, tolerance: tol, ok: !bad, orders: rows.map((r) => ({ order: r.order, maxRelError: Number.isFinite(r.maxRelError) ? r.maxRelError : String(r.maxRelError), where: r.where, ok: r.maxRelError <= tol })) };
    return { stdout: JSON.stringify(json, null, 2), ...(bad ? { stderr: coded } : {}), status: bad ? 1 : 0 };
  }
  if (bad) return { stdout: lines.join("\n"), stderr: coded, status: 1 };
  return lines.join("\n");
}
