/**
 * The HTML report: one self-contained page (no script, no network: inline CSS
 * and SVG) with the result's JSON embedded in <script type="application/json"
 * id="sensitivity-data">, importance bars with bootstrap intervals, interaction
 * heatmaps, Taylor error against radius, predicted against Monte Carlo moments,
 * the curvature and the written reading. Large outputs show their first
 * components and inputs (the JSON has all of them).
 */
import { barChart, dotChart, esc, fmt, heatmap, logLogChart, type Bar } from "./charts.js";
import { elementLabels } from "./labels.js";
import { reading } from "./reading.js";
import type { OutputSensitivity, SensitivityResult } from "./result.js";

export interface ReportOptions {
  readonly title?: string;
  /** Components of each output drawn (default 8). */
  readonly maxComponents?: number;
  /** Input elements drawn in bars and heatmaps (default 64). */
  readonly maxInputs?: number;
}

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:980px;color:#222;padding:0 12px}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd}h3{font-size:15px}
.meta td{padding:1px 10px 1px 0}.chart{display:block;margin:10px 0}.ctitle{font-weight:600;font-size:13px}
.label,.tick,.value{font-size:11px;fill:#333}.grid{stroke:#e6e6e6}.bar{fill:#4a78b5}.ci{stroke:#111;stroke-width:1.5}
.reference{stroke:#888}.se{stroke-width:2}table.num td,table.num th{padding:2px 10px;text-align:right}
.reading li{margin:4px 0}.note{color:#666;font-size:12px}`;

/** JSON safe inside <script>: `<` escaped (so no `</script>` or `<!--` can appear); still valid JSON. */
export const embedJson = (value: unknown): string => JSON.stringify(value).replace(/</g, "\\u003c");

function outputSection(res: SensitivityResult, name: string, out: OutputSensitivity, o: Required<Omit<ReportOptions, "title">>): string {
  const inputs = elementLabels(res.meta.wrt, res.meta.wrt_shape);
  const comps = elementLabels(name, out.shape);
  const nc = Math.min(out.m, o.maxComponents), ni = Math.min(res.meta.d, o.maxInputs);
  const parts: string[] = [`<section class="output" data-output="${esc(name)}"><h2>Output ${esc(name)}${out.shape.length ? ` [${out.shape.join(", ")}]` : ""}</h2>`];
  parts.push(`<ul class="reading">${reading(res, name, out).map((l) => `<li>${esc(l)}</li>`).join("")}</ul>`);
  if (out.m > nc || res.meta.d > ni) parts.push(`<p class="note">Showing ${nc} of ${out.m} components and ${ni} of ${res.meta.d} inputs; the embedded JSON has all.</p>`);
  for (let c = 0; c < nc; c++) {
    parts.push(`<h3>${esc(comps[c]!)}</h3>`);
    const data = (i: number) => ({ "data-output": name, "data-component": c, "data-input": i });
    const bars = (values: readonly number[], ci?: { lo: number[][]; hi: number[][] }): Bar[] =>
      values.slice(0, ni).map((v, i) => ({ label: inputs[i]!, value: v, ...(ci ? { lo: ci.lo[c]![i]!, hi: ci.hi[c]![i]! } : {}), data: data(i) }));
    const level = res.meta.bootstrap?.level ?? 0.95, pct = `${+(100 * level).toFixed(6)}%`;
    parts.push(barChart(`DGSM nu = mean (d${comps[c]}/dx_i)^2${out.dgsm_ci ? `, bootstrap ${pct} intervals` : ""}`, "dgsm", bars(out.dgsm[c]!, out.dgsm_ci), level));
    parts.push(barChart(`Mean |d${comps[c]}/dx_i|${out.gradient.mean_abs_ci ? `, bootstrap ${pct} intervals` : ""}`, "mean_abs_gradient", bars(out.gradient.mean_abs[c]!, out.gradient.mean_abs_ci), level));
    if (out.dgsm_bound) parts.push(barChart(`Upper bound on the total Sobol index (${out.dgsm_bound.input_dist} inputs)`, "total_sobol_upper", out.dgsm_bound.total_sobol_upper[c]!.slice(0, ni).map((v, i) => ({ label: inputs[i]!, value: v ?? NaN, data: data(i) }))));
    if (out.interactions && ni > 1) {
      const sub = (M: number[][]) => M.slice(0, ni).map((row) => row.slice(0, ni));
      parts.push(heatmap(`Interactions: mean |d2${comps[c]}/dx_i dx_j|`, inputs.slice(0, ni), sub(out.interactions.mean_abs[c]!), sub(out.interactions.mean[c]!), { "data-output": name, "data-component": c }));
    }
  }
  if (out.taylor) {
    const t = out.taylor;
    parts.push(logLogChart(`Taylor prediction error against radius (relative to the true change, mean over samples)`, "radius (x data spread)", "relative error",
      t.orders.map((k, r) => ({ label: `order ${k}`, points: t.radii.map((x, j) => ({ x, y: t.error[r]![j]! })), data: { "data-output": name, "data-order": k } })), 0.01));
  }
  if (out.moments) {
    const mo = out.moments, mc = mo.monte_carlo;
    const rows = Array.from({ length: nc }, (_, c) => [
      { label: `${comps[c]} mean`, estimates: [
        { label: `Taylor order ${mo.taylor_order}`, value: mo.mean[c]!, data: { "data-output": name, "data-component": c, "data-moment": "mean", "data-source": "taylor" } },
        { label: "Monte Carlo", value: mc.mean[c]!, se: mc.mean_se[c]!, data: { "data-output": name, "data-component": c, "data-moment": "mean", "data-source": "monte_carlo" } }] },
      { label: `${comps[c]} variance`, estimates: [
        { label: `Taylor order ${mo.taylor_order}`, value: mo.variance[c]!, data: { "data-output": name, "data-component": c, "data-moment": "variance", "data-source": "taylor" } },
        { label: "Monte Carlo", value: mc.variance[c]!, se: mc.variance_se[c]!, data: { "data-output": name, "data-component": c, "data-moment": "variance", "data-source": "monte_carlo" } }] },
    ]).flat();
    parts.push(dotChart(`Moments under x + N(0, ${fmt(mo.sigma)}^2 I): Taylor (blue) and Monte Carlo (red, +-2 se; ${mc.draws_per_sample} draws per sample, ${mc.samples} in all)`, rows));
  }
  if (out.curvature) {
    const cv = out.curvature;
    parts.push(`<table class="num curvature"><tr><th>component</th><th>min lambda_min</th><th>mean lambda_min</th><th>mean lambda_max</th><th>max lambda_max</th></tr>${Array.from({ length: nc }, (_, c) =>
      `<tr data-component="${c}"><td>${esc(comps[c]!)}</td>${[cv.lambda_min.min[c]!, cv.lambda_min.mean[c]!, cv.lambda_max.mean[c]!, cv.lambda_max.max[c]!].map((v) => `<td data-value="${String(v)}">${esc(fmt(v))}</td>`).join("")}</tr>`).join("")}</table>`);
  }
  if (out.third && out.third.top_mixed.length) {
    parts.push(`<h3>Largest mixed third derivatives (mean |d3y/dx_i dx_j dx_k|)</h3><table class="num third"><tr><th>component</th><th>i</th><th>j</th><th>k</th><th>mean abs</th></tr>${out.third.top_mixed.map((e) =>
      `<tr><td>${esc(comps[e.component]!)}</td><td>${esc(inputs[e.i]!)}</td><td>${esc(inputs[e.j]!)}</td><td>${esc(inputs[e.k]!)}</td><td data-value="${String(e.mean_abs)}">${esc(fmt(e.mean_abs))}</td></tr>`).join("")}</table>`);
  }
  parts.push("</section>");
  return parts.join("\n");
}

/** The report page for a result. */
export function renderReport(res: SensitivityResult, options: ReportOptions = {}): string {
  const o = { maxComponents: options.maxComponents ?? 8, maxInputs: options.maxInputs ?? 64 };
  const m = res.meta;
  const title = options.title ?? `Sensitivity of ${m.model ?? "the model"} to ${m.wrt}`;
  const meta: [string, string][] = [["model", m.model ?? "(unnamed)"], ["order", String(m.order)], ["analysed input", `${m.wrt} [${m.wrt_shape.join(", ")}] (d = ${m.d})`], ["samples N", String(m.N)], ["seed", String(m.seed)],
    ["input distribution", m.input_dist ?? "not given (no Sobol bounds)"], ["noise sigma", m.sigma === null ? "not given (no moments)" : String(m.sigma)],
    ["bootstrap", m.bootstrap ? `${m.bootstrap.resamples} resamples of ${m.bootstrap.blocks} blocks of ${m.bootstrap.block_size} samples, ${m.bootstrap.level * 100}% percentile intervals` : "none"]];
  if (m.outputs_skipped.length) meta.push(["not analysed", `${m.outputs_skipped.join(", ")} (no batch axis)`]);
  for (const note of m.notes) meta.push(["note", note]);
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title><style>${CSS}</style></head>
<body><h1>${esc(title)}</h1>
<table class="meta">${meta.map(([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(v)}</td></tr>`).join("")}</table>
<p class="note">Generated by thoadc sensitivity; every statistic is a mean over the N samples (docs/sensitivity.md defines each). Hover a mark for its value.</p>
${Object.entries(res.outputs).map(([name, out]) => outputSection(res, name, out, o)).join("\n")}
<script type="application/json" id="sensitivity-data">${embedJson(res)}</script>
</body></html>
`;
}
