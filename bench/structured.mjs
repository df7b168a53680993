#!/usr/bin/env node
// Structured derivatives against input dimension: the Laplacian and the Hessian's
// diagonal of an MLP N-64-64-1 tanh (bench/models/mlp_n.thd) at B=256 for
// N = 8..512, thoad (`thoadc bench --want laplacian|hessian-diag`, and the dense
// order-2 Hessian `--order 2` for comparison) next to JAX in the same run
// (bench/jax_baseline.py: jnp.trace / jnp.diagonal of jax.hessian, vmapped and
// jitted, float64). Before timing, thoad's and JAX's values are compared on the
// same weights at one N. Writes docs/bench-structured.md and its JSON.
//
//   npm run bench:structured                 N = 8,16,32,64,128,256,512
//   options: --ns 8,128 --batch 256 --reps 5 --no-dense --out DIR
//            JAX: $THOAD_JAX_PYTHON (default /work/jaxenv/bin/python); absent: a note, thoad alone;
//            --jax-threads 1 (single-threaded XLA; default: XLA's own, every core)
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const argv = process.argv.slice(2);
const opt = (name, def) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : def; };
const log = (s) => process.stderr.write(s + "\n");
const NS = opt("--ns", "8,16,32,64,128,256,512").split(",").map(Number);
const B = Number(opt("--batch", "256"));
const REPS = Number(opt("--reps", "5"));
const DENSE = !argv.includes("--no-dense");
const OUT = resolve(opt("--out", join(ROOT, "docs")));
const JAX = process.env.THOAD_JAX_PYTHON ?? "/work/jaxenv/bin/python";
const JAX_THREADS = opt("--jax-threads", "0");
const MODEL = "bench/models/mlp_n.thd";
const H = 64;

const thoadc = (args) => spawnSync(process.execPath, ["dist/cli/main.js", ...args], { cwd: ROOT, encoding: "utf8", timeout: 1800e3, maxBuffer: 1 << 28 });
const lastJson = (text) => { const l = text.trim().split("\n").filter((s) => s.startsWith("{")); return l.length ? JSON.parse(l[l.length - 1]) : undefined; };
const jax = (args) => spawnSync(JAX, [join(ROOT, "bench/jax_baseline.py"), ...args, "--threads", JAX_THREADS], { cwd: ROOT, encoding: "utf8", timeout: 1800e3, maxBuffer: 1 << 28 });

function hasJax() {
  if (!existsSync(JAX)) return `JAX not run: no Python at ${JAX} (set THOAD_JAX_PYTHON; python3 -m venv /work/jaxenv && /work/jaxenv/bin/pip install jax jaxlib)`;
  const r = spawnSync(JAX, ["-c", "import jax"], { encoding: "utf8" });
  return r.status === 0 ? undefined : `JAX not run: ${JAX} cannot import jax (${(r.stderr ?? "").trim().split("\n").pop()})`;
}

/** thoad's and JAX's values on the same weights and x: the max relative difference per quantity. */
function agreement(n) {
  const dir = mkdtempSync(join(os.tmpdir(), "thoad-structured-"));
  try {
    let s = 1;
    const rnd = () => { s = (s * 16807) % 2147483647; return s / 2147483647 * 2 - 1; };
    const t = (shape, scale) => ({ shape, data: Array.from({ length: shape.reduce((a, d) => a * d, 1) }, () => rnd() * scale) });
    const inputs = { x: t([4, n], 1), W1: t([n, H], 1 / Math.sqrt(n)), b1: t([H], 0.1), W2: t([H, H], 1 / Math.sqrt(H)), b2: t([H], 0.1), w3: t([H], 1 / Math.sqrt(H)) };
    writeFileSync(join(dir, "in.json"), JSON.stringify(inputs));
    const r = jax(["--sizes", `${n},${H},${H},1`, "--batch", "4", "--what", "laplacian,hessian_diag", "--reps", "1", "--warmup", "0", "--inputs", join(dir, "in.json"), "--dump", join(dir, "jax.json")]);
    if (r.status !== 0) return { error: r.stderr.trim().split("\n").pop() };
    const want = JSON.parse(readFileSync(join(dir, "jax.json"), "utf8"));
    const out = {};
    for (const [kind, key] of [["laplacian", "laplacian"], ["hessian-diag", "hessian_diag"]]) {
      const e = thoadc(["eval", MODEL, "--dim", `N=${n}`, "--want", kind, "--inputs", join(dir, "in.json")]);
      if (e.status !== 0) return { error: e.stderr.trim() };
      const got = JSON.parse(e.stdout).outputs.u.value;
      const ref = want[key];
      if (got.shape.join() !== ref.shape.join()) return { error: `${kind}: shapes ${got.shape} vs ${ref.shape}` };
      const scale = Math.max(...ref.data.map(Math.abs));
      out[key] = Math.max(...got.data.map((v, i) => Math.abs(v - ref.data[i]))) / scale;
    }
    return out;
  } finally { rmSync(dir, { recursive: true, force: true }); }
}

function main() {
  spawnSync("npm", ["run", "build"], { cwd: ROOT, stdio: "ignore" });
  const noJax = hasJax();
  if (noJax) log(noJax);
  const load0 = os.loadavg()[0];
  const rows = [];
  const check = noJax ? undefined : agreement(16);
  if (check) log(`agreement at N=16, B=4: ${JSON.stringify(check)}`);
  for (const n of NS) {
    const row = { n };
    for (const [kind, key] of [["laplacian", "laplacian"], ["hessian-diag", "hessian_diag"]]) {
      const r = thoadc(["bench", MODEL, "--dim", `N=${n}`, "--want", kind, "--batch", String(B), "--reps", String(REPS), "--json"]);
      const j = r.status === 0 ? lastJson(r.stdout) : undefined;
      row[`thoad_${key}`] = j ? j.median_ms : null;
      if (j) row[`thoad_${key}_flops`] = j.flops;
      log(`thoad N=${n} ${kind}: ${j ? `${j.median_ms} ms (${j.mode}, ${(j.flops / 1e6).toFixed(0)} Mflop)` : `failed: ${r.stderr.trim().slice(0, 300)}`}`);
    }
    if (DENSE && n <= 64) {
      // the full Hessian (packed symmetric) the structured operators avoid
      const r = thoadc(["bench", MODEL, "--dim", `N=${n}`, "--order", "2", "--batch", String(B), "--reps", String(REPS), "--json", "--max-memory", "8G"]);
      const j = r.status === 0 ? lastJson(r.stdout) : undefined;
      row.thoad_dense = j ? j.median_ms : null;
      log(`thoad N=${n} dense order 2: ${j ? `${j.median_ms} ms` : `failed: ${r.stderr.trim().slice(0, 200)}`}`);
    }
    if (!noJax) {
      const r = jax(["--sizes", `${n},${H},${H},1`, "--batch", String(B), "--what", "laplacian,hessian_diag", "--reps", String(REPS)]);
      const lines = r.stdout.trim().split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
      if (r.status !== 0) log(`jax N=${n}: failed: ${r.stderr.trim().split("\n").pop()}`);
      for (const l of lines.filter((l) => l.what)) { row[`jax_${l.what}`] = l.median_ms; row[`jax_${l.what}_compile`] = l.compile_ms; }
      if (lines[0]?.jax) row.jax_version = lines[0].jax;
      log(`jax N=${n}: laplacian ${row.jax_laplacian} ms, hessian_diag ${row.jax_hessian_diag} ms`);
    }
    rows.push(row);
  }
  const env = { date: new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC", git: spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).stdout.trim(), cpu: os.cpus()[0]?.model, cores: os.cpus().length, node: process.version, load_start: +load0.toFixed(2), load_end: +os.loadavg()[0].toFixed(2), batch: B, reps: REPS, jax: noJax ?? rows.find((r) => r.jax_version)?.jax_version, jax_threads: JAX_THREADS === "1" ? 1 : "XLA default (all cores)" };
  mkdirSync(join(OUT, "bench"), { recursive: true });
  writeFileSync(join(OUT, "bench", "structured.json"), JSON.stringify({ env, check, rows }, null, 1) + "\n");
  writeFileSync(join(OUT, "bench-structured.md"), render(env, check, rows));
  log(`wrote ${join(OUT, "bench-structured.md")}`);
}

const ms = (v) => (v == null ? "—" : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const ratio = (a, b) => (a == null || b == null ? "—" : `${(a / b).toFixed(2)}×`);

function render(env, check, rows) {
  const first = rows[0];
  const growth = (key) => rows.map((r) => (r[key] == null || first[key] == null ? "—" : (r[key] / first[key]).toFixed(1))).join(" / ");
  return `# Structured derivatives against input dimension

Generated by \`npm run bench:structured\` (bench/structured.mjs); do not edit by hand.

The Laplacian \`laplacian(u, x)\` and the Hessian's diagonal \`hessian_diag(u, x)\` of a
tanh perceptron N-64-64-1 (\`bench/models/mlp_n.thd\`, one scalar per sample) at
B = ${env.batch}, float64, single-threaded thoad kernels (\`thoadc bench --want ...\`,
median of ${env.reps} calls after 3 warm-up calls), next to JAX in the same run:
\`jnp.trace\` and \`jnp.diagonal\` of \`jax.hessian(f)\`, vmapped over the batch and
jitted (\`bench/jax_baseline.py\`, median of ${env.reps} calls after compiling; JAX threads:
${env.jax_threads}). "dense" is thoad's full order-2 derivative (\`--order 2\`, packed
symmetric Hessian), which the structured operators avoid. Ratio: JAX time / thoad time
(above 1: thoad is faster).

Machine: ${env.cpu}, ${env.cores} cores, Node ${env.node}; JAX ${env.jax}; ${env.date}, commit ${env.git};
load average ${env.load_start} at the start, ${env.load_end} at the end (the machine is shared:
timings are noisy, compare within a run).

${check ? `Agreement before timing (N = 16, B = 4, the same weights and x): max |thoad - JAX| / max |JAX| = ${check.error ? `not measured: ${check.error}` : `${check.laplacian.toExponential(1)} (Laplacian), ${check.hessian_diag.toExponential(1)} (diagonal)`}.` : "JAX was not run: no agreement check."}

| N | thoad laplacian (ms) | JAX trace(hessian) (ms) | ratio | thoad hessian_diag (ms) | JAX diag(hessian) (ms) | ratio | thoad dense order 2 (ms) |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${rows.map((r) => `| ${r.n} | ${ms(r.thoad_laplacian)} | ${ms(r.jax_laplacian)} | ${ratio(r.jax_laplacian, r.thoad_laplacian)} | ${ms(r.thoad_hessian_diag)} | ${ms(r.jax_hessian_diag)} | ${ratio(r.jax_hessian_diag, r.thoad_hessian_diag)} | ${ms(r.thoad_dense)} |`).join("\n")}

Growth from N = ${first.n} (time at N / time at N = ${first.n}; N grows ${rows.map((r) => r.n / first.n).join(" / ")}):

- thoad laplacian: ${growth("thoad_laplacian")}
- thoad hessian_diag: ${growth("thoad_hessian_diag")}
- JAX trace(hessian): ${growth("jax_laplacian")}

thoad's planned flops (the plan's cost model) for the Laplacian: ${rows.map((r) => (r.thoad_laplacian_flops == null ? "—" : `${(r.thoad_laplacian_flops / 1e6).toFixed(0)}M`)).join(" / ")}.
`;
}

main();
