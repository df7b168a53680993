/**
 * Inline SVG charts for the HTML report. Every mark that shows a number carries
 * it exactly as the result's JSON has it (data-value, data-lo, data-hi, ...: the
 * shortest round-trip decimal, as JSON.stringify writes it) and in a <title>
 * tooltip, so the page can be checked against its embedded JSON.
 */

export const esc = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
/** A number as JSON writes it (null for a non-finite one). */
export const jnum = (v: number | null | undefined): string => (v === null || v === undefined || !Number.isFinite(v) ? "null" : String(v));
/** A short human-readable number. */
export const fmt = (v: number | null | undefined): string => (v === null || v === undefined || !Number.isFinite(v) ? "n/a" : v === 0 ? "0" : Math.abs(v) >= 1e4 || Math.abs(v) < 1e-3 ? v.toExponential(3).replace(/\.?0+e/, "e") : Number(v.toPrecision(4)).toString());
const attrs = (a: Record<string, string | number>): string => Object.entries(a).map(([k, v]) => ` ${k}="${esc(String(v))}"`).join("");

/** A linear or log10 axis mapping [lo, hi] to [a, b] pixels. */
interface Scale { (v: number): number; readonly log: boolean; readonly lo: number; readonly hi: number; ticks(): number[] }

function scale(lo: number, hi: number, a: number, b: number, log: boolean): Scale {
  const f = log ? Math.log10 : (v: number) => v;
  const L = f(lo), H = f(hi) === f(lo) ? f(lo) + 1 : f(hi);
  const s = ((v: number) => a + ((f(Math.max(v, log ? lo : -Infinity)) - L) / (H - L)) * (b - a)) as Scale;
  return Object.assign(s, {
    log, lo, hi,
    ticks: () => {
      if (log) {
        // at most about 8 labelled decades
        const first = Math.ceil(L - 1e-9), step = Math.max(1, Math.ceil((H - first) / 8));
        const out: number[] = [];
        for (let e = first; e <= H + 1e-9; e += step) out.push(10 ** e);
        return out;
      }
      const step = 10 ** Math.floor(Math.log10((hi - lo) / 4 || 1)), k = Math.ceil((hi - lo) / step / 5);
      const out: number[] = [];
      for (let v = Math.ceil(lo / (step * k)) * step * k; v <= hi + 1e-12 * Math.abs(hi); v += step * k) out.push(v);
      return out;
    },
  });
}

export interface Bar { readonly label: string; readonly value: number; readonly lo?: number; readonly hi?: number; readonly data: Record<string, string | number> }

/** Horizontal bars, log scale when the positive values span more than two decades. */
export function barChart(title: string, series: string, bars: readonly Bar[], level = 0.95): string {
  const rowH = 18, left = 110, plotW = 420, top = 28, W = Math.max(left + plotW + 110, 8 * title.length + 10), H = top + rowH * bars.length + 30;
  const vals = bars.flatMap((b) => [b.value, b.hi ?? b.value]).filter((v) => Number.isFinite(v));
  const pos = vals.filter((v) => v > 0);
  const max = pos.length ? Math.max(...pos) : 1, min = pos.length ? Math.min(...pos) : 1;
  const log = max / min > 100;
  const sc = log ? scale(10 ** Math.floor(Math.log10(min)), 10 ** Math.ceil(Math.log10(max)), left, left + plotW, true) : scale(0, max, left, left + plotW, false);
  const out: string[] = [`<svg class="chart bars" data-series="${esc(series)}" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img"><title>${esc(title)}</title>`,
    `<text x="4" y="16" class="ctitle">${esc(title)}${log ? " (log scale)" : ""}</text>`];
  for (const t of sc.ticks()) out.push(`<line x1="${sc(t)}" x2="${sc(t)}" y1="${top - 4}" y2="${H - 26}" class="grid"/><text x="${sc(t)}" y="${H - 12}" class="tick" text-anchor="middle">${esc(fmt(t))}</text>`);
  bars.forEach((b, k) => {
    const y = top + k * rowH, base = log ? left : sc(0);
    const w = Number.isFinite(b.value) && b.value > 0 ? Math.max(0, sc(b.value) - base) : 0;
    if (!Number.isFinite(w)) throw new Error(`barChart: no width for ${b.value}`);
    const ci = b.lo !== undefined && b.hi !== undefined ? ` (${+(100 * level).toFixed(6)}% CI ${fmt(b.lo)} to ${fmt(b.hi)})` : "";
    out.push(`<text x="${left - 6}" y="${y + 12}" class="label" text-anchor="end">${esc(b.label)}</text>`);
    out.push(`<rect class="bar"${attrs({ ...b.data, "data-series": series, "data-value": jnum(b.value), ...(b.lo !== undefined ? { "data-lo": jnum(b.lo), "data-hi": jnum(b.hi) } : {}) })} x="${base}" y="${y + 2}" width="${w}" height="${rowH - 5}"><title>${esc(`${b.label}: ${series} ${fmt(b.value)}${ci}`)}</title></rect>`);
    if (b.lo !== undefined && b.hi !== undefined && Number.isFinite(b.lo) && Number.isFinite(b.hi)) {
      const x1 = log && b.lo <= 0 ? left : sc(b.lo), x2 = sc(b.hi), yc = y + 2 + (rowH - 5) / 2;
      out.push(`<line class="ci"${attrs({ ...b.data, "data-series": series, "data-lo": jnum(b.lo), "data-hi": jnum(b.hi) })} x1="${x1}" x2="${x2}" y1="${yc}" y2="${yc}"><title>${esc(`${b.label}: ${series} CI ${fmt(b.lo)} to ${fmt(b.hi)}`)}</title></line>`);
    }
    out.push(`<text x="${left + plotW + 6}" y="${y + 12}" class="value">${esc(fmt(b.value))}</text>`);
  });
  out.push("</svg>");
  return out.join("\n");
}

/** A d x d heatmap of `values` (nonnegative), darker for larger. */
export function heatmap(title: string, labels: readonly string[], values: readonly (readonly number[])[], signed: readonly (readonly number[])[], data: Record<string, string | number>): string {
  const d = labels.length, cell = Math.max(8, Math.min(28, Math.floor(420 / Math.max(d, 1)))), left = 90, top = 28;
  const W = Math.max(left + cell * d + 20, 8 * title.length + 10), H = top + cell * d + 70;
  let max = 0;
  for (const row of values) for (const v of row) if (Number.isFinite(v) && v > max) max = v;
  const out: string[] = [`<svg class="chart heatmap" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img"><title>${esc(title)}</title>`, `<text x="4" y="16" class="ctitle">${esc(title)}</text>`];
  for (let i = 0; i < d; i++) {
    out.push(`<text x="${left - 4}" y="${top + i * cell + cell / 2 + 4}" class="label" text-anchor="end">${esc(labels[i]!)}</text>`);
    out.push(`<text class="label" text-anchor="end" transform="translate(${left + i * cell + cell / 2 + 4}, ${top + d * cell + 6}) rotate(-60)">${esc(labels[i]!)}</text>`);
    for (let j = 0; j < d; j++) {
      const v = values[i]![j]!, t = max > 0 ? v / max : 0;
      const light = Math.round(97 - 62 * Math.sqrt(Math.max(0, t)));
      out.push(`<rect class="cell"${attrs({ ...data, "data-i": i, "data-j": j, "data-value": jnum(v), "data-mean": jnum(signed[i]![j]!) })} x="${left + j * cell}" y="${top + i * cell}" width="${cell - 1}" height="${cell - 1}" fill="hsl(215, 70%, ${light}%)"><title>${esc(`${labels[i]} x ${labels[j]}: mean |d2y| ${fmt(v)}, mean d2y ${fmt(signed[i]![j]!)}`)}</title></rect>`);
    }
  }
  out.push("</svg>");
  return out.join("\n");
}

export interface Curve { readonly label: string; readonly points: readonly { x: number; y: number | null }[]; readonly data: Record<string, string | number> }

/** Log-log curves with a dashed reference level. */
export function logLogChart(title: string, xLabel: string, yLabel: string, curves: readonly Curve[], reference?: number): string {
  const left = 70, top = 28, pw = 440, ph = 240, W = Math.max(left + pw + 120, 8 * title.length + 10), H = top + ph + 50;
  const xs = curves.flatMap((c) => c.points.map((p) => p.x)).filter((v) => Number.isFinite(v) && v > 0);
  const ys = curves.flatMap((c) => c.points.map((p) => p.y)).filter((v): v is number => v !== null && Number.isFinite(v) && v > 0);
  if (!xs.length || !ys.length) return `<p class="note">${esc(title)}: no positive value to plot (an exact expansion gives errors of 0).</p>`;
  if (reference !== undefined) ys.push(reference);
  const sx = scale(10 ** Math.floor(Math.log10(Math.min(...xs))), 10 ** Math.ceil(Math.log10(Math.max(...xs))), left, left + pw, true);
  const sy = scale(10 ** Math.floor(Math.log10(Math.min(...ys))), 10 ** Math.ceil(Math.log10(Math.max(...ys))), top + ph, top, true);
  const colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"];
  const out: string[] = [`<svg class="chart loglog" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img"><title>${esc(title)}</title>`, `<text x="4" y="16" class="ctitle">${esc(title)}</text>`];
  for (const t of sx.ticks()) out.push(`<line x1="${sx(t)}" x2="${sx(t)}" y1="${top}" y2="${top + ph}" class="grid"/><text x="${sx(t)}" y="${top + ph + 16}" class="tick" text-anchor="middle">${esc(fmt(t))}</text>`);
  for (const t of sy.ticks()) out.push(`<line x1="${left}" x2="${left + pw}" y1="${sy(t)}" y2="${sy(t)}" class="grid"/><text x="${left - 4}" y="${sy(t) + 4}" class="tick" text-anchor="end">${esc(fmt(t))}</text>`);
  out.push(`<text x="${left + pw / 2}" y="${H - 6}" class="tick" text-anchor="middle">${esc(xLabel)}</text><text x="12" y="${top + ph / 2}" class="tick" transform="rotate(-90 12 ${top + ph / 2})" text-anchor="middle">${esc(yLabel)}</text>`);
  if (reference !== undefined) out.push(`<line class="reference" x1="${left}" x2="${left + pw}" y1="${sy(reference)}" y2="${sy(reference)}" stroke-dasharray="4 3"/><text x="${left + pw + 4}" y="${sy(reference) + 4}" class="tick">${esc(fmt(reference))}</text>`);
  curves.forEach((c, k) => {
    const color = colors[k % colors.length]!;
    const pts = c.points.filter((p) => p.y !== null && Number.isFinite(p.y) && p.y > 0);
    out.push(`<polyline class="curve" fill="none" stroke="${color}" stroke-width="1.5"${attrs(c.data)} points="${pts.map((p) => `${sx(p.x)},${sy(p.y!)}`).join(" ")}"/>`);
    for (const p of c.points) {
      if (p.y === null || !Number.isFinite(p.y) || !(p.y > 0)) continue;
      out.push(`<circle class="point" r="3" fill="${color}" cx="${sx(p.x)}" cy="${sy(p.y)}"${attrs({ ...c.data, "data-x": jnum(p.x), "data-value": jnum(p.y) })}><title>${esc(`${c.label}, radius ${fmt(p.x)}: ${fmt(p.y)}`)}</title></circle>`);
    }
    out.push(`<text x="${left + pw + 8}" y="${top + 14 + 16 * k}" fill="${color}" class="label">${esc(c.label)}</text>`);
  });
  out.push("</svg>");
  return out.join("\n");
}

export interface Estimate { readonly label: string; readonly value: number; readonly se?: number; readonly data: Record<string, string | number> }

/** One row per quantity: its estimates as dots on a shared linear axis, with +-2 se bars. */
export function dotChart(title: string, rows: readonly { label: string; estimates: readonly Estimate[] }[]): string {
  const left = 150, top = 28, pw = 380, rowH = 44, W = Math.max(left + pw + 40, 8 * title.length + 10), H = top + rows.length * rowH + 10;
  const out: string[] = [`<svg class="chart dots" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img"><title>${esc(title)}</title>`, `<text x="4" y="16" class="ctitle">${esc(title)}</text>`];
  const colors = ["#1f77b4", "#d62728"];
  rows.forEach((row, r) => {
    const span = row.estimates.flatMap((e) => [e.value - 2 * (e.se ?? 0), e.value + 2 * (e.se ?? 0)]).filter(Number.isFinite);
    let lo = span.length ? Math.min(...span) : 0, hi = span.length ? Math.max(...span) : 1;
    const pad = (hi - lo) * 0.15 || Math.abs(hi) * 0.01 || 1;
    lo -= pad; hi += pad;
    const sc = scale(lo, hi, left, left + pw, false), y0 = top + r * rowH;
    out.push(`<text x="${left - 6}" y="${y0 + 20}" class="label" text-anchor="end">${esc(row.label)}</text><line x1="${left}" x2="${left + pw}" y1="${y0 + 34}" y2="${y0 + 34}" class="grid"/>`);
    out.push(`<text x="${left}" y="${y0 + 44}" class="tick">${esc(fmt(lo))}</text><text x="${left + pw}" y="${y0 + 44}" class="tick" text-anchor="end">${esc(fmt(hi))}</text>`);
    row.estimates.forEach((e, k) => {
      const y = y0 + 12 + 12 * k, color = colors[k % colors.length]!;
      if (!Number.isFinite(e.value)) return;
      if (e.se !== undefined && Number.isFinite(e.se)) out.push(`<line class="se" stroke="${color}" x1="${sc(e.value - 2 * e.se)}" x2="${sc(e.value + 2 * e.se)}" y1="${y}" y2="${y}"${attrs({ ...e.data, "data-se": jnum(e.se) })}/>`);
      out.push(`<circle class="estimate" r="4" fill="${color}" cx="${sc(e.value)}" cy="${y}"${attrs({ ...e.data, "data-value": jnum(e.value), ...(e.se !== undefined ? { "data-se": jnum(e.se) } : {}) })}><title>${esc(`${row.label}, ${e.label}: ${fmt(e.value)}${e.se !== undefined ? ` +- ${fmt(e.se)} (se)` : ""}`)}</title></circle>`);
    });
  });
  out.push("</svg>");
  return out.join("\n");
}
