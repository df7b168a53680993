// Hand-written SVG line charts for docs/bench.md (no dependency): small
// multiples, log or linear axes, failures drawn as labelled crosses.

const esc = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const num = (v) => +v.toFixed(1);

/** Tick values for an axis over [lo, hi]: 1-2-5 decades on a log axis, the given values otherwise. */
function logTicks(lo, hi) {
  const out = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of [1, 2, 5]) { const v = m * 10 ** e; if (v >= lo * 0.999 && v <= hi * 1.001) out.push(v); }
  }
  return out;
}
function tickLabel(v) {
  if (v >= 1e6) return `${v / 1e6}M`;
  if (v >= 1e3) return `${v / 1e3}k`;
  return v >= 1 ? String(v) : String(+v.toPrecision(2));
}

/**
 * One panel. series: [{name, color, dash?, points: [[x, y]], fails?: [[x, label]]}].
 * x: {log, values (ticks), label, format?}; y: {log: true, label, unit}.
 */
function panel({ title, x, y, series }, ox, oy, w, h) {
  const m = { l: 58, r: 12, t: 26, b: 40 };
  const pw = w - m.l - m.r, ph = h - m.t - m.b;
  const ys = series.flatMap((s) => s.points.map((p) => p[1])).filter((v) => v > 0);
  let ylo = ys.length ? Math.min(...ys) : 1, yhi = ys.length ? Math.max(...ys) : 10;
  ylo = 10 ** Math.floor(Math.log10(ylo)); yhi = 10 ** Math.ceil(Math.log10(yhi));
  if (yhi / ylo < 100) yhi = ylo * 100;
  const xs = x.values;
  const xlo = Math.min(...xs), xhi = Math.max(...xs);
  const pad = 0.06 * pw; // keep points and crosses off the frame
  const fx = (v) => ox + m.l + pad + (x.log ? Math.log(v / xlo) / Math.log(xhi / xlo) : (v - xlo) / (xhi - xlo || 1)) * (pw - 2 * pad);
  const fy = (v) => oy + m.t + ph - Math.log(v / ylo) / Math.log(yhi / ylo) * ph;
  const g = [];
  g.push(`<text x="${num(ox + m.l + pw / 2)}" y="${num(oy + 16)}" text-anchor="middle" font-weight="bold">${esc(title)}</text>`);
  g.push(`<rect x="${num(ox + m.l)}" y="${num(oy + m.t)}" width="${num(pw)}" height="${num(ph)}" fill="none" stroke="#999"/>`);
  for (const v of logTicks(ylo, yhi)) {
    const Y = num(fy(v)), major = Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9;
    g.push(`<line x1="${num(ox + m.l)}" x2="${num(ox + m.l + pw)}" y1="${Y}" y2="${Y}" stroke="${major ? "#ddd" : "#f0f0f0"}"/>`);
    if (major || yhi / ylo <= 1e4) g.push(`<text x="${num(ox + m.l - 4)}" y="${Y + 4}" text-anchor="end" font-size="10">${esc(tickLabel(v))}</text>`);
  }
  for (const v of xs) {
    const X = num(fx(v));
    g.push(`<line x1="${X}" x2="${X}" y1="${num(oy + m.t)}" y2="${num(oy + m.t + ph)}" stroke="#eee"/>`);
    g.push(`<text x="${X}" y="${num(oy + m.t + ph + 14)}" text-anchor="middle" font-size="10">${esc((x.format ?? tickLabel)(v))}</text>`);
  }
  g.push(`<text x="${num(ox + m.l + pw / 2)}" y="${num(oy + h - 8)}" text-anchor="middle" font-size="11">${esc(x.label)}</text>`);
  g.push(`<text transform="translate(${num(ox + 14)},${num(oy + m.t + ph / 2)}) rotate(-90)" text-anchor="middle" font-size="11">${esc(y.label)}</text>`);
  const stacked = new Map(); // failures drawn so far at each x
  for (const s of series) {
    const pts = s.points.filter((p) => p[1] > 0).sort((a, b) => a[0] - b[0]);
    const dash = s.dash ? ` stroke-dasharray="${s.dash}"` : "";
    if (pts.length > 1) g.push(`<polyline fill="none" stroke="${s.color}" stroke-width="1.8"${dash} points="${pts.map((p) => `${num(fx(p[0]))},${num(fy(p[1]))}`).join(" ")}"/>`);
    for (const p of pts) g.push(`<circle cx="${num(fx(p[0]))}" cy="${num(fy(p[1]))}" r="2.6" fill="${s.color}"><title>${esc(`${s.name}: ${p[1].toPrecision(3)} ${y.unit}`)}</title></circle>`);
    for (const [fxv, label] of s.fails ?? []) { // a failure: a cross at the top edge, stacked per x
      const n = stacked.get(fxv) ?? 0;
      stacked.set(fxv, n + 1);
      const X = fx(fxv), Y = oy + m.t + 8 + 12 * n;
      g.push(`<path d="M${num(X - 4)},${num(Y - 4)}L${num(X + 4)},${num(Y + 4)}M${num(X - 4)},${num(Y + 4)}L${num(X + 4)},${num(Y - 4)}" stroke="${s.color}" stroke-width="2"><title>${esc(`${s.name}: ${label}`)}</title></path>`);
      const right = X > ox + m.l + pw / 2; // label on the inner side
      g.push(`<text x="${num(right ? X - 6 : X + 6)}" y="${num(Y + 4)}" font-size="9" fill="${s.color}"${right ? ' text-anchor="end"' : ""}>${esc(label)}</text>`);
    }
  }
  return g.join("\n");
}

/** A grid of panels sharing one legend: [{name, color, dash?}]. */
export function chart({ title, panels, legend, cols = 2, w = 360, h = 250 }) {
  const rows = Math.ceil(panels.length / cols);
  const legendH = 22 * Math.ceil(legend.length / 3) + 8;
  const W = cols * w, H = 34 + rows * h + legendH;
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="14" font-weight="bold">${esc(title)}</text>`];
  panels.forEach((p, i) => parts.push(panel(p, (i % cols) * w, 34 + Math.floor(i / cols) * h, w, h)));
  legend.forEach((s, i) => {
    const x = 20 + (i % 3) * (W / 3), y = 34 + rows * h + 14 + 22 * Math.floor(i / 3);
    parts.push(`<line x1="${num(x)}" x2="${num(x + 26)}" y1="${y}" y2="${y}" stroke="${s.color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ""}/>`);
    parts.push(`<text x="${num(x + 32)}" y="${y + 4}" font-size="11">${esc(s.name)}</text>`);
  });
  parts.push("</svg>");
  return parts.join("\n") + "\n";
}
