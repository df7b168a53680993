/**
 * thoadc sensitivity: compile a model, stream the samples of a data file
 * through it in chunks and write the statistics of thoad/analysis as JSON
 * (--json, else stdout) and an HTML report (--report). docs/sensitivity.md.
 */
import { readFileSync } from "node:fs";
import { instantiate, runPipeline, type Diagnostic } from "../../compiler/index.js";
import { DataError, chooseWrt, renderReport, sensitivity, type InputDistribution } from "../../analysis/index.js";
import type { CommonFlags } from "../options.js";
import { compileFile, fail, writeOutputs } from "../front.js";
import { weightTensors } from "../model-file.js";
import { parseInputs } from "./eval.js";

export interface SensitivityFlags extends CommonFlags {
  data?: string; sigma?: string; inputDist?: string; range?: string; json?: string; report?: string;
  seed?: string; chunk?: string; mcDraws?: string; bootstrap?: string; threads?: string; progress?: boolean;
}

const error = (code: Diagnostic["code"], message: string): Diagnostic => ({ code, severity: "error", message, span: undefined });

/**
 * The first bare NaN, Infinity or -Infinity token outside strings (Python's
 * json.dump writes them; JSON has no such numbers), with its line and column.
 */
export function bareNonFinite(text: string): { token: string; line: number; column: number } | undefined {
  const re = /"(?:[^"\\]|\\.)*"|-?Infinity|NaN/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0].startsWith("\"")) continue;
    const before = text.slice(0, m.index);
    return { token: m[0], line: before.split("\n").length, column: m.index - before.lastIndexOf("\n") };
  }
  return undefined;
}

export function sensitivityCommand(file: string, flags: SensitivityFlags): string {
  const bad = (message: string): never => fail(file, [error("TH115", message)]);
  const int = (v: string | undefined, name: string, def: number, min: number): number => {
    if (v === undefined) return def;
    if (!/^\d+$/.test(v) || Number(v) < min) return bad(`--${name} must be an integer of at least ${min}, got '${v}'`);
    return Number(v);
  };
  const positive = (v: string | undefined, name: string): number | undefined => {
    if (v === undefined) return undefined;
    const x = Number(v);
    return v.trim() !== "" && Number.isFinite(x) && x > 0 ? x : bad(`--${name} must be a positive number, got '${v}'`);
  };
  const sigma = positive(flags.sigma, "sigma");
  const dist = flags.inputDist;
  if (dist !== undefined && dist !== "uniform" && dist !== "normal") bad(`--input-dist must be uniform or normal, got '${dist}'`);
  let range: [number, number] | undefined;
  if (flags.range !== undefined) {
    const parts = flags.range.split(",").map((s) => Number(s));
    if (parts.length !== 2 || !parts.every(Number.isFinite) || !(parts[0]! < parts[1]!)) bad(`--range must be LO,HI with LO < HI, got '${flags.range}'`);
    if (dist !== "uniform") bad("--range gives the bounds of --input-dist uniform");
    range = [parts[0]!, parts[1]!];
  }
  const seed = int(flags.seed, "seed", 1, 0), chunk = int(flags.chunk, "chunk", 256, 1);
  const draws = int(flags.mcDraws, "mc-draws", 32, 2), resamples = int(flags.bootstrap, "bootstrap", 1000, 0);
  const threads = flags.threads === undefined ? undefined : int(flags.threads, "threads", 1, 1);
  if (flags.seedOutput) bad("sensitivity analyses the outputs themselves: --seed-output does not apply");
  if (flags.order !== undefined && /^\d+$/.test(flags.order) && Number(flags.order) < 1) bad(`sensitivity needs derivatives: --order must be at least 1, got '${flags.order}'`);
  if (flags.wrt !== undefined && flags.wrt.split(",").filter((s) => s.trim()).length > 1) fail(file, [error("TH111", `sensitivity analyses one input at a time: --wrt names ${flags.wrt.split(",").length} (${flags.wrt})`)]);
  if (!flags.data) return fail(file, [error("TH302", "sensitivity needs --data FILE.json (the eval input format; the analysed input's batch axis holds the samples)")]);

  const { result, model, source, options } = compileFile(file, flags, 2);
  const plan = result.state.plan!;
  const fn = instantiate(plan, result.state.targetChoice!.target);
  let wrt: string;
  try { wrt = chooseWrt(fn, flags.wrt); } catch (e) { return fail(file, [error("TH111", (e as Error).message)]); }
  if (fn.inputs[wrt]![0] !== -1 && Object.values(fn.inputs).some((s) => s[0] === -1)) fail(file, [error("TH111", `'${wrt}' has no batch axis, so it cannot hold the samples: analyse an input that carries the batch axis`)]);
  // values only (Monte Carlo, Taylor truth): the same model at order 0
  const v = runPipeline(source, { ...options, order: 0 });
  if (!v.ok) fail(model.label, v.diagnostics, source);
  const valueModel = instantiate(v.state.plan!, v.state.targetChoice!.target);

  let text: string;
  try { text = readFileSync(flags.data, "utf8"); } catch (e) { return fail(flags.data, [error("TH301", `cannot read '${flags.data}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`)]); }
  const nf = bareNonFinite(text);
  if (nf) fail(flags.data, [error("TH302", `${nf.token} at line ${nf.line}, column ${nf.column}: the data must be finite numbers`)]);
  const data = { ...weightTensors(model.weights), ...parseInputs(flags.data, text) };

  const tty = flags.progress !== false && process.stderr.isTTY === true;
  let last = -1;
  const progress = (done: number, total: number): void => {
    const pct = Math.floor((100 * done) / total);
    if (pct === last && done < total) return;
    last = pct;
    const w = 30, full = Math.round((w * done) / total);
    process.stderr.write(`\r\x1b[Ksensitivity [${"#".repeat(full)}${".".repeat(w - full)}] ${done}/${total} samples`);
    if (done === total) process.stderr.write("\r\x1b[K");
  };
  let res;
  try {
    res = sensitivity(fn, data, {
      wrt, order: plan.order, seed, chunk, mcDraws: draws, bootstrap: resamples, valueModel, name: plan.model,
      ...(sigma !== undefined ? { sigma } : {}), ...(dist ? { inputDist: dist as InputDistribution } : {}), ...(range ? { range } : {}),
      ...(threads !== undefined ? { threads } : {}), ...(tty ? { onProgress: progress } : {}),
    });
  } catch (e) {
    if (tty) process.stderr.write("\r\x1b[K");
    if (e instanceof DataError) return fail(flags.data, [error("TH302", e.message)]);
    throw e;
  }
  const json = JSON.stringify(res);
  const files: [string, string][] = [];
  if (flags.json) files.push([flags.json, json + "\n"]);
  if (flags.report) files.push([flags.report, renderReport(res, { title: `${plan.model}: sensitivity to ${wrt}` })]);
  if (!files.length) return json;
  writeOutputs(files);
  return files.map(([f]) => `wrote ${f}`).join("\n");
}
