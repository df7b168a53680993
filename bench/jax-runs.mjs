// What the benchmarks against JAX share (structured.mjs, hvp-jet.mjs): options,
// running the built thoadc and bench/jax_baseline.py, the run's environment,
// seeded weights for agreement checks, and number formatting for the reports.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const argv = process.argv.slice(2);
export const flag = (name) => argv.includes(name);
export const opt = (name, def) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : def; };
export const log = (s) => process.stderr.write(s + "\n");
export const JAX = process.env.THOAD_JAX_PYTHON ?? "/work/jaxenv/bin/python";
export const JAX_THREADS = opt("--jax-threads", "0");

export const thoadc = (args) => spawnSync(process.execPath, ["dist/cli/main.js", ...args], { cwd: ROOT, encoding: "utf8", timeout: 1800e3, maxBuffer: 1 << 28 });
export { median } from "./issue-targets.mjs";
export const lastJson = (text) => { const l = text.trim().split("\n").filter((s) => s.startsWith("{")); return l.length ? JSON.parse(l[l.length - 1]) : undefined; };
export const jax = (args) => spawnSync(JAX, [join(ROOT, "bench/jax_baseline.py"), ...args, "--threads", JAX_THREADS], { cwd: ROOT, encoding: "utf8", timeout: 1800e3, maxBuffer: 1 << 28 });

/**
 * `thoadc bench ARGS --json` with reps sized from a 3-call probe: about budgetMs of timed calls, at
 * least minReps, at most 300, and a quarter as many warm-up calls (3..50): V8 optimises a kernel only
 * after tens of calls, so small kernels get many. Returns the run and its JSON line (undefined: failed).
 */
export function thoadBench(args, minReps, budgetMs) {
  const probe = lastJson(thoadc(["bench", ...args, "--reps", "3", "--warmup", "1", "--json"]).stdout ?? "");
  const reps = probe ? Math.max(minReps, Math.min(300, Math.round(budgetMs / Math.max(probe.median_ms, 1e-3)))) : minReps;
  const r = thoadc(["bench", ...args, "--reps", String(reps), "--warmup", String(Math.max(3, Math.min(50, Math.round(reps / 4)))), "--json"]);
  return { r, j: r.status === 0 ? lastJson(r.stdout) : undefined };
}

/**
 * Issue 11's JAX cases (issue-targets.mjs JAX_TARGETS) as the issue measures them: `thoadc bench
 * bench/models/M.thd --order K --baseline jax --json` at default settings, `rounds` interleaved
 * rounds (JAX's time on this shared machine moves by up to 2.8x between runs: one run says little).
 * Returns per target the rounds' JSON lines; throws when a run gives no JAX time.
 */
export function jaxTargetRounds(targets, rounds, extra = [], onRun = () => {}) {
  const runs = targets.map(() => []);
  for (let r = 0; r < rounds; r++) {
    targets.forEach(({ model, order, label }, i) => {
      const res = thoadc(["bench", `bench/models/${model}.thd`, "--order", String(order), "--baseline", "jax", "--json", ...extra]);
      const j = lastJson(res.stdout ?? "");
      if (!j || j.jax_median_ms == null) throw new Error(`${label}: ${(res.stderr ?? "").trim().split("\n").pop() || "no JSON with a JAX time"}`);
      runs[i].push(j);
      onRun(r, label, j);
    });
  }
  return runs;
}

/** Why JAX cannot run (undefined: it can). */
export function hasJax() {
  if (!existsSync(JAX)) return `JAX not run: no Python at ${JAX} (set THOAD_JAX_PYTHON; python3 -m venv /work/jaxenv && /work/jaxenv/bin/pip install jax jaxlib)`;
  const r = spawnSync(JAX, ["-c", "import jax"], { encoding: "utf8" });
  return r.status === 0 ? undefined : `JAX not run: ${JAX} cannot import jax (${(r.stderr ?? "").trim().split("\n").pop()})`;
}

/** A seeded tensor maker {shape, data} (Park-Miller), for the same weights on both sides. */
export function tensors(seed) {
  let s = seed;
  const rnd = () => { s = (s * 16807) % 2147483647; return s / 2147483647 * 2 - 1; };
  return (shape, scale) => ({ shape, data: Array.from({ length: shape.reduce((a, d) => a * d, 1) }, () => rnd() * scale) });
}

/** The run's machine, commit and load (load0: the load average when the run started). */
export const runEnv = (load0, extra) => ({ date: new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC", git: spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).stdout.trim(), cpu: os.cpus()[0]?.model, cores: os.cpus().length, node: process.version, load_start: +load0.toFixed(2), load_end: +os.loadavg()[0].toFixed(2), ...extra, jax_threads: JAX_THREADS === "1" ? 1 : "XLA default (all cores)" });

export const ms = (v) => (v == null ? "—" : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
export const ratio = (a, b) => (a == null || b == null ? "—" : `${(a / b).toFixed(2)}×`);

/** thoadc eval with these arguments: output u's value against a JAX --dump entry, as max |thoad - JAX| / max |JAX|, or { error }. */
export function evalDiff(args, ref, what) {
  const e = thoadc(["eval", ...args]);
  if (e.status !== 0) return { error: e.stderr.trim() };
  const got = JSON.parse(e.stdout).outputs.u.value;
  if (got.shape.join() !== ref.shape.join()) return { error: `${what}: shapes ${got.shape} vs ${ref.shape}` };
  const scale = Math.max(...ref.data.map(Math.abs));
  return Math.max(...got.data.map((v, i) => Math.abs(v - ref.data[i]))) / scale;
}

/** Builds thoadc and says whether JAX runs; the load average at the start. */
export function startRun() {
  spawnSync("npm", ["run", "build"], { cwd: ROOT, stdio: "ignore" });
  const noJax = hasJax();
  if (noJax) log(noJax);
  return { noJax, load0: os.loadavg()[0] };
}

/** JAX's timings of one jax_baseline.py run into row: jax_<what> (ms), jax_<what>_compile, jax_version; a failure is logged. */
export function jaxRow(row, r, n) {
  const lines = r.stdout.trim().split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
  if (r.status !== 0) log(`jax N=${n}: failed: ${r.stderr.trim().split("\n").pop()}`);
  for (const l of lines.filter((l) => l.what)) { row[`jax_${l.what}`] = l.median_ms; row[`jax_${l.what}_compile`] = l.compile_ms; }
  if (lines[0]?.jax) row.jax_version = lines[0].jax;
}

/** Writes <out>/bench-<name>.md (render(env, check, rows)) and <out>/bench/<name>.json. */
export function writeReport(out, name, load0, noJax, opts, check, rows, render) {
  const env = runEnv(load0, { ...opts, jax: noJax ?? rows.find((r) => r.jax_version)?.jax_version });
  mkdirSync(join(out, "bench"), { recursive: true });
  writeFileSync(join(out, "bench", `${name}.json`), JSON.stringify({ env, check, rows }, null, 1) + "\n");
  writeFileSync(join(out, `bench-${name}.md`), render(env, check, rows));
  log(`wrote ${join(out, `bench-${name}.md`)}`);
}

/**
 * thoad against JAX on the same weights and x of the N-H-H-1 perceptron (seeded, B = 4):
 * jax_baseline.py --what `what` dumps its values, then each [thoadc eval args, key] is
 * compared with the dump's key; `extra` adds thoad-only inputs (a direction v).
 * Returns { key: max |thoad - JAX| / max |JAX| } or { error }.
 */
export function agreement(n, H, seed, what, evals, extra = {}) {
  const dir = mkdtempSync(join(os.tmpdir(), "thoad-agreement-"));
  try {
    const t = tensors(seed);
    const inputs = { x: t([4, n], 1), W1: t([n, H], 1 / Math.sqrt(n)), b1: t([H], 0.1), W2: t([H, H], 1 / Math.sqrt(H)), b2: t([H], 0.1), w3: t([H], 1 / Math.sqrt(H)) };
    writeFileSync(join(dir, "jax-in.json"), JSON.stringify(inputs));
    writeFileSync(join(dir, "in.json"), JSON.stringify({ ...inputs, ...extra }));
    const r = jax(["--sizes", `${n},${H},${H},1`, "--batch", "4", "--what", what, "--reps", "1", "--warmup", "0", "--inputs", join(dir, "jax-in.json"), "--dump", join(dir, "jax.json")]);
    if (r.status !== 0) return { error: r.stderr.trim().split("\n").pop() };
    const want = JSON.parse(readFileSync(join(dir, "jax.json"), "utf8"));
    const out = {};
    for (const [args, key] of evals) {
      const d = evalDiff([...args, "--inputs", join(dir, "in.json")], want[key], key);
      if (typeof d !== "number") return d;
      out[key] = d;
    }
    return out;
  } finally { rmSync(dir, { recursive: true, force: true }); }
}
