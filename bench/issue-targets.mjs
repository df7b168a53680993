// The pass/miss rows of docs/bench.md's targets table that come from issue 11's
// "done means" (thoad against JAX, executed flops against the measured wasm SIMD
// peak, order 1 against PyTorch, no PyTorch ratio worse than the last committed
// run), and the number formats the report shares. Pure functions of the suite's
// rows (bench/suite.mjs), unit-tested in test/bench/issue-targets.test.ts.

export const fmt = (v) => v == null ? "—" : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toPrecision(2);
export const fmtMs = (ms) => ms == null ? "—" : ms >= 10000 ? `${(ms / 1000).toFixed(1)} s` : `${fmt(ms)} ms`;
export const fmtX = (r) => r == null ? "—" : r >= 100 ? `${r.toFixed(0)}×` : r >= 10 ? `${r.toFixed(1)}×` : `${r.toFixed(2)}×`;
export const fmtPct = (p) => p == null ? "—" : `${p >= 10 ? p.toFixed(0) : p.toFixed(1)}%`;

/** The median of a list of numbers (the mean of the middle two for an even count). */
export const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

const ok = (r) => r?.status === "ok";
const verdict = (pass) => pass ? "pass" : "**miss**";

/** Issue 11's done-means against JAX: thoad at least `need` times faster, B = 128, orders 1..k, medians. */
export const JAX_TARGETS = [
  { model: "mlp", order: 2, need: 1.5, label: "MLP order 2" },
  { model: "mlp", order: 3, need: 3, label: "MLP order 3" },
  { model: "mlp", order: 4, need: 10, label: "MLP order 4" },
  { model: "pinn", order: 4, need: 2, label: "PINN order 4" },
  { model: "softmax_classifier", order: 3, need: 5, label: "softmax classifier order 3" },
];

/** JAX median / thoad median, or null when either did not run. */
export const jaxRatio = (t, j) => ok(t) && ok(j) ? j.median_ms / t.median_ms : null;

/**
 * One row per JAX target: thoad(model, order) the best thoad row at B = 128 to
 * judge (the default target's planner choice, or the fastest target), jax(model,
 * order) JAX's row. Returns [case, target, measured, result].
 */
export function jaxTargetRows(thoad, jax, jaxMissing, peaks, note = "") {
  return JAX_TARGETS.map(({ model, order, need, label }) => {
    const t = thoad(model, order), j = jax(model, order);
    const head = [`${label}, B=128 (vs JAX${note})`, `≥ ${need}× JAX`];
    if (!ok(t)) return [...head, "thoad not measured", "—"];
    if (!j) return [...head, `thoad ${fmtMs(t.median_ms)}; JAX ${jaxMissing ?? "not run"}`, "n/a"];
    if (!ok(j)) return [...head, `thoad ${fmtMs(t.median_ms)}; JAX ${j.status}: ${(j.error ?? "").slice(0, 80)}`, "n/a"];
    const r = jaxRatio(t, j);
    // a miss says how far the kernel is from the peaks, and what its executed flops would take at the wasm SIMD peak
    const at = (peak) => fmtPct(pctOfPeak(t, peak));
    const why = r < need && peaks?.wasm_f64x2_gflops && t.executed_flops != null
      ? `. Executed ${fmt(t.executed_flops / t.median_ms / 1e6)} Gflop/s = ${at(peaks.js_chains_gflops)} of the JS chain peak, ${at(peaks.wasm_f64x2_gflops)} of the wasm f64x2 peak; at that peak its ${fmt(t.executed_flops / 1e6)} Mflop would take ${fmtMs(t.executed_flops / (peaks.wasm_f64x2_gflops * 1e6))}, the target needs ≤ ${fmtMs(j.median_ms / need)}`
      : "";
    return [...head, `thoad ${fmtMs(t.median_ms)}${t.target && t.target !== "default" ? ` (--target ${t.target})` : ""} vs JAX ${fmtMs(j.median_ms)}: **${fmtX(r)}**${why}`, verdict(r >= need)];
  });
}

/**
 * One row per JAX target as the issue measures it: `thoadc bench --baseline jax --json` at default
 * settings (threads auto), several interleaved rounds (bench/jax-runs.mjs jaxTargetRounds), judged
 * by the median over the rounds of each round's JAX / thoad; runs(model, order) is the rounds' JSON
 * lines (median_ms, jax_median_ms, threads_used), or undefined when they did not run (why: missing).
 */
export function jaxDefaultRows(runs, missing) {
  const lowHigh = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[0] === s[s.length - 1] ? fmtMs(s[0]) : `${fmt(s[0])}–${fmtMs(s[s.length - 1])}`; };
  return JAX_TARGETS.map(({ model, order, need, label }) => {
    const rs = runs(model, order);
    const head = [`${label}, B=128 (vs JAX, default settings)`, `≥ ${need}× JAX`];
    if (!rs?.length) return [...head, missing ?? "not run", "n/a"];
    const ratios = rs.map((j) => j.jax_median_ms / j.median_ms).sort((a, b) => a - b), mid = median(ratios);
    const used = [...new Set(rs.map((j) => j.threads_used))].join(", ");
    return [...head, `${rs.length} round${rs.length === 1 ? "" : "s"}, threads auto (${used} used): thoad ${lowHigh(rs.map((j) => j.median_ms))}, JAX ${lowHigh(rs.map((j) => j.jax_median_ms))}; ratio ${fmtX(ratios[0])} / **${fmtX(mid)}** / ${fmtX(ratios[ratios.length - 1])} (low / median / high), ${ratios.filter((r) => r >= need).length} of ${rs.length} at the factor`, verdict(mid >= need)];
  });
}

/** Executed Gflop/s of a thoad row, as a share (%) of a peak in Gflop/s. */
export const pctOfPeak = (t, peak) => ok(t) && t.executed_flops != null && peak ? t.executed_flops / t.median_ms / 1e6 / peak * 100 : null;

/** Executed flops on MLP order 3 at B = 1024 reach `need` (0.4) of the measured wasm f64x2 peak; rows: the case on each target. */
export function peakTargetRow(rows, peaks, need = 0.4) {
  const head = ["MLP order 3, B=1024: executed flops", `≥ ${need * 100}% of the wasm f64x2 peak`];
  if (!peaks?.wasm_f64x2_gflops) return [...head, `peaks not measured${peaks?.missing ? ` (${peaks.missing})` : ""}`, "n/a"];
  const counted = rows.filter((t) => pctOfPeak(t, peaks.wasm_f64x2_gflops) != null);
  if (!counted.length) return [...head, rows.some(ok) ? "executed flops not counted for this case" : "thoad not measured", "—"];
  const best = counted.reduce((a, b) => pctOfPeak(b, 1) > pctOfPeak(a, 1) ? b : a);
  const text = counted.map((t) => `${t.target && t.target !== "default" ? `--target ${t.target}` : "default target"}: ${fmt(t.executed_flops / t.median_ms / 1e6)} Gflop/s executed = **${fmtPct(pctOfPeak(t, peaks.wasm_f64x2_gflops))}**`).join("; ");
  return [...head, `wasm f64x2 peak ${peaks.wasm_f64x2_gflops} Gflop/s (JS chains ${peaks.js_chains_gflops}); ${text}`, verdict(pctOfPeak(best, peaks.wasm_f64x2_gflops) >= need * 100)];
}

/** Order 1 at B = 1024 at least as fast as PyTorch's reference method (functorch), per model. */
export function order1Rows(models, thoad, torch) {
  return models.map(({ id, title }) => {
    const t = thoad(id), p = torch(id);
    const head = [`${title.split(" (")[0]}, order 1, B=1024`, "≥ 1× PyTorch"];
    if (!ok(t)) return [...head, "thoad not measured", "—"];
    if (!ok(p)) return [...head, `thoad ${fmtMs(t.median_ms)}; PyTorch ${p ? p.status : "not run"}`, "n/a"];
    const r = p.median_ms / t.median_ms;
    return [...head, `thoad ${fmtMs(t.median_ms)} vs ${fmtMs(p.median_ms)}: **${fmtX(r)}**`, verdict(r >= 1)];
  });
}

/**
 * "No PyTorch ratio gets worse": each (model, order, B) with a PyTorch / thoad ratio in
 * both runs; worse means below the previous ratio by more than `noise` (a share,
 * 0.15: the run-to-run spread on this shared machine). prev, cur: [{ key, ratio, thoad_ms?,
 * torch_ms? }]. Each worse case says which side moved by more than `noise`: thoad's own time
 * up (thoadSlower) and/or PyTorch's down (torchFaster), where both runs have the times.
 */
export function torchRegressions(prev, cur, noise = 0.15) {
  const before = new Map(prev.map((p) => [p.key, p]));
  const both = cur.filter((c) => before.has(c.key) && c.ratio != null && before.get(c.key).ratio != null);
  const worse = both.filter((c) => c.ratio < before.get(c.key).ratio * (1 - noise)).map((c) => {
    const b = before.get(c.key);
    const timed = c.thoad_ms != null && b.thoad_ms != null && c.torch_ms != null && b.torch_ms != null; // null: a run without the times
    return { ...c, before: b.ratio, thoadSlower: timed ? c.thoad_ms > b.thoad_ms * (1 + noise) : null, torchFaster: timed ? c.torch_ms < b.torch_ms * (1 - noise) : null };
  });
  return { compared: both.length, worse };
}

/** note: appended to the measured text (the suite's canary readings: whether the machine moved). */
export function regressionRow(result, prevLabel, note = "") {
  const head = ["no PyTorch ratio worse", `each PyTorch / thoad ratio ≥ ${prevLabel}'s, within 15% (run-to-run spread)`];
  if (!result) return [...head, "no previous results to compare", "n/a"];
  if (!result.compared) return [...head, "no case in both runs", "n/a"];
  const w = result.worse;
  // which side moved: a ratio falls as much when PyTorch runs faster as when thoad runs slower
  const slower = w.filter((c) => c.thoadSlower), faster = w.filter((c) => c.torchFaster);
  const why = w.length && w.every((c) => c.thoadSlower !== null) ? `; thoad's own time over 15% slower in ${slower.length}${slower.length ? ` (${slower.slice(0, 4).map((c) => c.key).join(", ")}${slower.length > 4 ? ", …" : ""})` : ""}, PyTorch's over 15% faster in ${faster.length}` : "";
  return [...head, (w.length ? `${w.length} of ${result.compared} worse: ${w.slice(0, 6).map((c) => `${c.key} ${fmtX(c.before)} → ${fmtX(c.ratio)}`).join(", ")}${w.length > 6 ? ", …" : ""}${why}` : `all ${result.compared} at least as good`) + note, verdict(!w.length)];
}
