// Shared by the recipes: compile a .thd file in memory (thoad/compiler) into a
// callable model, and a seeded random stream (thoad/analysis). Run `npm run build`
// once first: the recipes import the built package by its own name.
import { readFileSync } from "node:fs";
import { compile, instantiate, renderDiagnostics } from "thoad/compiler";
import { Rng } from "thoad/analysis";

/** Compiles `file` (or source text) at `order` w.r.t. `wrt`; throws the rendered diagnostics on error. */
export function load(fileOrSource, { order, wrt, source = false } = {}) {
  const text = source ? fileOrSource : readFileSync(new URL(fileOrSource, import.meta.url), "utf8");
  const r = compile(text, { order, ...(wrt ? { wrt } : {}), dims: new Map() });
  if (!r.ok) throw new Error(renderDiagnostics(r.diagnostics, source ? "<source>" : fileOrSource, text));
  return instantiate(r.state.plan);
}

/** N samples uniform on the box [lo_i, hi_i], [N * d] row-major. */
export function uniformBox(N, lo, hi, seed) {
  const d = lo.length, rng = new Rng(seed, 100, 0), x = new Float64Array(N * d);
  for (let k = 0; k < N * d; k++) x[k] = lo[k % d] + (hi[k % d] - lo[k % d]) * rng.uniform();
  return x;
}

export const json = process.argv.includes("--json");
/** Prints a line unless --json (then only the final summary is printed). */
export const say = (...a) => { if (!json) console.log(...a); };
export const fmt = (v, p = 4) => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(p - 1) : v.toPrecision(p));
