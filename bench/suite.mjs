#!/usr/bin/env node
// The benchmark suite: thoad (`thoadc bench --json`) over the bench models x
// orders x batch sizes x modes (and x codegen targets), the JAX, PyTorch and tfjs
// baselines in the same run, the machine's peaks measured in the same run
// (bench/peaks.mjs: JS and wasm f64x2 register-resident multiply-add chains)
// against the executed flops, thoad's dense expansion, compile times,
// batch-parallel speedups (MLP, threads 1 vs 2), issue 11's targets (its JAX
// cases also at default settings, threads auto, in interleaved rounds); writes
// docs/bench.md, docs/bench/{order,batch}.svg and docs/bench/results.json.
//
//   npm run bench                    the full matrix (orders 1..4, B 16/128/1024): tens of minutes
//   npm run bench -- --quick         orders 1..3, B 16/128, fewer reps, the planner's mode only, slow cases skipped
//                                    (threads: MLP order 3 at B 128/1024):
//                                    under 2 minutes; writes to $TMPDIR/thoad-bench-quick/
//   options: --out DIR (where bench.md goes; default docs/, or the temp dir with --quick)
//            --models mlp,pinn  --no-torch  --no-tfjs  --no-jax
//            --targets ts,wasm    codegen targets to time thoad on (default: the default
//                                 target, plus wasm when `thoadc bench --target wasm` works)
//            --render FILE.json [--prev OLD.json]   only rewrite the Markdown and charts from saved
//                                 results (--prev: compare PyTorch ratios with OLD.json's run)
//            --rerun-threads FILE.json   run the batch-parallel phase again into saved results, then rewrite
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chart } from "./svg.mjs";
import { fmt, fmtMs, fmtPct, fmtX, JAX_TARGETS, jaxDefaultRows, jaxTargetRows, order1Rows, pctOfPeak, peakTargetRow, regressionRow, torchRegressions } from "./issue-targets.mjs";
import { hasJax, JAX, jaxTargetRounds } from "./jax-runs.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const opt = (name, def) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : def; };
const log = (s) => process.stderr.write(s + "\n");

const MODELS = [
  { id: "mlp", title: "MLP 8-32-32-4 tanh" },
  { id: "softmax_classifier", title: "softmax classifier 8-32-5" },
  { id: "pinn", title: "PINN 2-32-32-1 tanh" },
  { id: "trig", title: "trig (sin, log, pow: tfjs can nest it), per-sample scalar" },
];
const PYTHON = "/usr/bin/python3";

const quick = flag("--quick");
const CFG = quick
  ? { orders: [1, 2, 3], batches: [16, 128], firstReps: 100, minReps: 3, maxReps: 400, budgetMs: 300, callCapMs: 400, forcedCapMs: 400, caseTimeoutMs: 30e3, jax: { budgetMs: 300, reps: 3, maxReps: 200, slowMs: 400, timeoutMs: 300e3 }, peaks: ["--reps", "3", "--ms", "30", "--sizes", "64"], memCapBytes: 2 * 2 ** 30, compileReps: 1, threads: { orders: [3], batches: [128, 1024], rounds: 2, reps: 10 }, torch: ["--reps", "3", "--budget-s", "0.2", "--max-reps", "30", "--timeout", "30", "--shared-worker", "--skip", "softmax_classifier:3:fwd-over-rev"], tfjsReps: 3, tfjsBudgetS: 10 }
  : { orders: [1, 2, 3, 4], batches: [16, 128, 1024], firstReps: 300, minReps: 3, maxReps: 1000, budgetMs: 2500, callCapMs: 20e3, forcedCapMs: 1500, caseTimeoutMs: 600e3, jax: { budgetMs: 1000, reps: 3, maxReps: 500, slowMs: 2000, timeoutMs: 900e3 }, peaks: ["--reps", "7", "--ms", "50", "--sizes", "64,128"], memCapBytes: 4 * 2 ** 30, compileReps: 3, threads: { orders: [3, 4], batches: [128, 1024], rounds: 3, reps: 20 }, torch: ["--reps", "3", "--budget-s", "1", "--max-reps", "100", "--timeout", "60", "--mem-gb", "12"], tfjsReps: 3, tfjsBudgetS: 30 };
const QUICK_SKIPS = quick ? ["softmax classifier, order 3, functorch: skipped in --quick (about 12 s a rep at B=128); the full run measures it"] : [];

// ------------------------------------------------------------------ running
function machine() {
  const cpuinfo = existsSync("/proc/cpuinfo") ? readFileSync("/proc/cpuinfo", "utf8") : "";
  const cpu = (cpuinfo.match(/^model name\s*:\s*(.*)$/m) ?? [])[1] ?? os.cpus()[0]?.model ?? "unknown";
  const git = spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).stdout.trim();
  const dirty = spawnSync("git", ["status", "--porcelain", "--untracked-files=no", "compiler", "runtime", "cli"], { cwd: ROOT, encoding: "utf8" }).stdout.trim() !== "";
  return { date: new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC", git: git + (dirty ? " (compiler/runtime/cli modified)" : ""), quick, cpu, cores: os.cpus().length, ram_gb: +(os.totalmem() / 2 ** 30).toFixed(1), node: process.version, load_start: +os.loadavg()[0].toFixed(2) };
}

/**
 * The machine's peaks in this run (bench/peaks.mjs, elapsed-time medians): independent
 * register-resident multiply-add chains in JS and in wasm f64x2, the wasm GEMM tile
 * ceiling and GEMM rates. Executed flops are reported against the two chain peaks.
 */
function runPeaks() {
  const r = spawnSync(process.execPath, ["bench/peaks.mjs", "--json", ...CFG.peaks], { cwd: ROOT, encoding: "utf8", timeout: 600e3, maxBuffer: 1 << 24 });
  const line = (r.stdout ?? "").trim().split("\n").filter((l) => l.startsWith("{")).pop();
  if (r.status !== 0 || !line) return { missing: `bench/peaks.mjs failed: ${(r.stderr ?? String(r.error)).trim().split("\n").pop()}` };
  const j = JSON.parse(line), w = j.wall;
  return { js_chains_gflops: w.js_chains_gflops, js_chains_case: w.js_chains_case, wasm_f64x2_gflops: w.wasm_f64x2_gflops, wasm_f64x2_case: w.wasm_f64x2_case, tile_gflops: w.tile_gflops, gemm: w.gemm, cpu: { js_chains_gflops: j.cpu.js_chains_gflops, wasm_f64x2_gflops: j.cpu.wasm_f64x2_gflops }, reps: j.reps, rep_ms: j.rep_ms, load: j.loadavg_start[0] };
}

/**
 * The codegen targets to time thoad on: --targets a,b (each passed as --target), else
 * the default target ("default": no --target) plus wasm when `thoadc bench --target wasm`
 * runs; TH306 (no such target yet) or another failure skips it with a note.
 */
function pickTargets() {
  const asked = opt("--targets");
  if (asked) return { targets: asked.split(","), notes: [] };
  const r = thoadc(["bench", "bench/models/pinn.thd", "--order", "1", "--batch", "16", "--reps", "1", "--warmup", "0", "--target", "wasm", "--json"], 120e3);
  if (r.status === 0) return { targets: ["default", "wasm"], notes: [] };
  const why = /TH306/.test(r.stderr ?? "") ? "`thoadc bench --target wasm` is TH306 (no wasm target in this build)" : `\`thoadc bench --target wasm\` failed: ${(r.stderr ?? "").trim().split("\n")[0]}`;
  log(`targets: the default only; ${why}`);
  return { targets: ["default"], notes: [`wasm target not timed: ${why}`] };
}

// The child's peak RSS, printed at exit (no change to the CLI needed).
const RSS_HOOK = "data:text/javascript," + encodeURIComponent('process.on("exit",()=>process.stderr.write("\\n@@maxrss "+process.resourceUsage().maxRSS*1024+"\\n"))');

function thoadc(args, timeoutMs = 900e3) {
  return spawnSync(process.execPath, ["--import", RSS_HOOK, "dist/cli/main.js", ...args], { cwd: ROOT, encoding: "utf8", timeout: timeoutMs, maxBuffer: 1 << 26 });
}

/**
 * The canary: one fixed thoad call (MLP order 2, B=128, one thread, the median of
 * CANARY_REPS calls) timed before each phase and at the end. Its kernel is the same
 * all run long, so on a steady machine it reads the same each time; a spread is the
 * machine's speed moving (another tenant on the host), which a register-bound peak
 * does not show: in the run of 2026-12-07 00:31 the peaks read 9% low while thoad's
 * own MLP order 2 call ran 1.75x slower than in the runs before with the same kernels.
 */
const CANARY = ["bench", "bench/models/mlp.thd", "--order", "2", "--batch", "128", "--threads", "1", "--json"];
const CANARY_REPS = 300;
function canaryMs() {
  const r = thoadc([...CANARY, "--reps", String(CANARY_REPS)], 120e3);
  const last = (r.stdout ?? "").trim().split("\n").pop();
  return r.status === 0 && last?.startsWith("{") ? JSON.parse(last).median_ms : null;
}

/**
 * Per model: for each order and B, the planner's choice (no --mode: "auto"),
 * then, when `thoadc bench` has --mode (and not in --quick), the other mode forced. Cases expected
 * to take longer than CFG.callCapMs a call (extrapolated from the smaller cases
 * of the same mode) are skipped and say so; a timeout or a refusal skips the
 * larger cases of that mode. The reps come from a time budget: V8 optimises a
 * kernel only after tens of calls, so small kernels get hundreds of reps (and
 * warm-up calls, where `--warmup` exists) and their median is the steady state.
 */
function runThoad(models, cli, target = "default", main = true) {
  const rows = [];
  const onTarget = target === "default" ? [] : ["--target", target];
  const bFirst = CFG.batches[0];
  for (const m of models) {
    const state = new Map(); // label -> { done: Map("K|B" -> median ms), failed: [[K, B, why]] }
    const st = (label) => state.get(label) ?? state.set(label, { done: new Map(), failed: [] }).get(label);
    /** Expected ms a call: same order at the largest smaller B, else the growth over the orders below at the smallest B. */
    const expect = (s, K, B) => {
      const b = CFG.batches.filter((x) => x < B && s.done.has(`${K}|${x}`)).at(-1);
      if (b) return { ms: s.done.get(`${K}|${b}`) * B / b, from: `order ${K} at B=${b}` };
      const a = s.done.get(`${K - 1}|${bFirst}`), z = s.done.get(`${K - 2}|${bFirst}`);
      if (a) return { ms: a * (z ? Math.max(2, a / z) : 4) * B / bFirst, from: `order ${K - 1}${z ? ` and ${K - 2}` : ""} at B=${bFirst}` };
      return null;
    };
    const run = (K, B, mode) => {
      const label = mode ?? "auto", s = st(label);
      const base = { model: m.id, order: K, batch: B, mode: label, target };
      const dom = s.failed.find(([k, b]) => k <= K && b <= B);
      if (dom) return { ...base, status: "skipped", error: `order ${dom[0]} at B=${dom[1]} already ${dom[2]}` };
      const e = expect(s, K, B);
      // the mode the planner did not choose gets a lower cap and half the budget: its slow cases are context, and the run must fit in about 20 minutes
      const cap = mode ? CFG.forcedCapMs : CFG.callCapMs, budget = mode ? CFG.budgetMs / 2 : CFG.budgetMs;
      if (e && e.ms > cap) return { ...base, status: "skipped", error: `about ${fmtMs(e.ms)} a call expected (from ${e.from}); the ${quick ? "quick" : "full"} run skips ${mode ? "forced-mode " : ""}calls over ${fmtMs(cap)}` };
      const reps = e ? Math.max(CFG.minReps, Math.min(CFG.maxReps, Math.floor(budget / e.ms))) : CFG.firstReps;
      const warm = !cli.warmup ? [] : ["--warmup", String(e && e.ms > 1000 ? 1 : Math.max(3, Math.min(100, Math.round(reps / 3))))];
      // one thread: per-core numbers, set against the one-core peaks (the threads section splits; bench/jax-targets.mjs measures the defaults)
      const args = ["bench", `bench/models/${m.id}.thd`, "--order", String(K), "--batch", String(B), "--reps", String(reps), ...warm, "--json", ...(cli.threads ? ["--threads", "1"] : []),
        ...(mode ? ["--mode", mode] : []), ...(cli.maxMemory ? ["--max-memory", String(CFG.memCapBytes)] : []), ...onTarget,
        ...(cli.dense && !mode && main ? ["--dense"] : [])];
      const r = thoadc(args, CFG.caseTimeoutMs);
      const rss = Number((r.stderr?.match(/@@maxrss (\d+)/) ?? [])[1]) || null;
      const last = (r.stdout ?? "").trim().split("\n").pop();
      if (r.status !== 0 || !last?.startsWith("{")) {
        const timedOut = r.error?.code === "ETIMEDOUT" || r.signal === "SIGTERM";
        const msg = (r.stderr ?? "").replace(/@@maxrss \d+/, "").trim().split("\n").find((l) => /error|Error/.test(l)) ?? (r.stderr ?? "").trim().split("\n")[0] ?? "";
        const refused = /TH402/.test(msg);
        s.failed.push([K, B, timedOut ? `timed out (${fmtMs(CFG.caseTimeoutMs)})` : refused ? `refused over the memory limit` : "failed"]);
        return { ...base, status: timedOut ? "timeout" : refused ? "refused" : "error", error: timedOut ? `killed after ${fmtMs(CFG.caseTimeoutMs)}` : msg.slice(0, 240) };
      }
      const j = JSON.parse(last);
      s.done.set(`${K}|${B}`, j.median_ms);
      if (mode == null) st(j.mode).done.set(`${K}|${B}`, j.median_ms); // auto's numbers count for its mode too
      return { ...j, ...base, status: "ok", plan_mode: j.mode, target_name: j.target, rss_bytes: rss };
    };
    for (const K of CFG.orders) {
      for (const B of CFG.batches) {
        const auto = run(K, B, null);
        rows.push(auto);
        const others = cli.mode && !quick && main ? ["forward", "reverse"].filter((x) => x !== auto.plan_mode) : [];
        for (const row of [auto, ...others.map((mode) => { const r = run(K, B, mode); rows.push(r); return r; })]) {
          log(`thoad${target === "default" ? "" : ` [${target}]`} ${m.id} order ${K} B=${B} ${row.mode}${row.plan_mode && row.mode === "auto" ? ` (${row.plan_mode})` : ""}: ${row.status === "ok" ? `median ${row.median_ms} ms over ${row.reps} reps` : `${row.status}: ${row.error.slice(0, 140)}`}`);
        }
      }
    }
  }
  return rows;
}

/**
 * The ablations (issue 3): the MLP at B = 16 in both modes, as built, with
 * --no-symmetry (dense blocks) and with --no-batch (no batch unification: the
 * full cross-batch tensor, then its diagonal), each with `thoadc bench --json`;
 * the ratios to the build as is are what each optimisation gains. Fixed reps:
 * an ablated call at order 2 takes up to seconds. --quick: order 2 only; the
 * full run adds order 3, where --no-batch is refused over the memory cap.
 */
function runAblations(cli) {
  if (!cli.noBatch) return { missing: "`thoadc bench` has no --no-batch", rows: [] };
  const B = 16, rows = [];
  for (const K of quick ? [2] : [2, 3]) for (const mode of ["forward", "reverse"]) for (const [variant, flags, reps, warm] of [["as built", [], 200, 50], ["--no-symmetry", ["--no-symmetry"], 20, 5], ["--no-batch", ["--no-batch"], 3, 1]]) {
    const r = thoadc(["bench", "bench/models/mlp.thd", "--order", String(K), "--batch", String(B), "--mode", mode, "--reps", String(reps), "--warmup", String(warm), "--json", "--threads", "1", "--max-memory", String(CFG.memCapBytes), ...flags], CFG.caseTimeoutMs);
    const last = (r.stdout ?? "").trim().split("\n").pop();
    const base = { model: "mlp", order: K, batch: B, mode, variant };
    if (r.status !== 0 || !last?.startsWith("{")) {
      const msg = (r.stderr ?? "").replace(/@@maxrss \d+/, "").trim().split("\n").find((l) => /error|Error/.test(l)) ?? "failed";
      rows.push({ ...base, status: /TH402/.test(msg) ? "refused" : r.error?.code === "ETIMEDOUT" ? "timeout" : "error", error: msg.slice(0, 240) });
    } else rows.push({ ...JSON.parse(last), ...base, status: "ok" });
    const row = rows.at(-1);
    log(`ablation mlp order ${K} B=${B} ${mode} ${variant}: ${row.status === "ok" ? `median ${row.median_ms} ms` : `${row.status}: ${row.error.slice(0, 120)}`}`);
  }
  return { rows };
}

/**
 * Batch-parallel speedup: MLP at each order and B with --threads 1 and 2, the
 * runs interleaved (1, 2, 1, 2, ...) so that a change in the machine's load hits
 * both; each run's median, then the median over the rounds.
 */
function runThreads(cli) {
  if (!cli.threads) return { missing: "`thoadc bench` has no --threads", rows: [] };
  const { orders, batches, rounds, reps } = CFG.threads;
  const rows = [];
  for (const K of orders) for (const B of batches) {
    const runs = { 1: [], 2: [] };
    let used = 1, error;
    for (let r = 0; r < rounds && !error; r++) for (const n of [1, 2]) {
      // thoadc bench's default warm-up (up to 1000 calls or 1 s): with 3 calls the split runs were
      // timed while the worker still compiled its kernels (order 3 at B=128 read 0.93x, 2026-12-06)
      const res = thoadc(["bench", "bench/models/mlp.thd", "--order", String(K), "--batch", String(B), "--reps", String(reps), "--threads", String(n), "--json"], CFG.caseTimeoutMs);
      const last = (res.stdout ?? "").trim().split("\n").pop();
      if (res.status !== 0 || !last?.startsWith("{")) { error = (res.stderr ?? "").trim().split("\n")[0] ?? "failed"; break; }
      const j = JSON.parse(last);
      runs[n].push(j.median_ms);
      if (n === 2) used = j.threads_used;
    }
    const med = (a) => { const x = [...a].sort((p, q) => p - q); return x.length ? (x.length % 2 ? x[(x.length - 1) / 2] : (x[x.length / 2 - 1] + x[x.length / 2]) / 2) : null; };
    const row = { model: "mlp", order: K, batch: B, rounds, reps, ms1: med(runs[1]), ms2: med(runs[2]), runs1: runs[1], runs2: runs[2], threads_used: used, load: +os.loadavg()[0].toFixed(2), error };
    rows.push(row);
    log(`threads mlp order ${K} B=${B}: ${error ? `error: ${error}` : `1 thread ${fmtMs(row.ms1)}, 2 threads ${fmtMs(row.ms2)} (${used} used): ${fmtX(row.ms1 / row.ms2)}; load ${row.load}`}`);
  }
  return { rows };
}

/** Runs a command, hands each stdout line that is a JSON object to onJson; resolves with the exit status (killed after timeoutMs, if given). */
function runJsonLines(cmd, args, onJson, timeoutMs) {
  return new Promise((res) => {
    const p = spawn(cmd, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    const timer = timeoutMs ? setTimeout(() => p.kill("SIGKILL"), timeoutMs) : null;
    p.on("close", () => timer && clearTimeout(timer));
    let buf = "", err = "";
    p.stdout.setEncoding("utf8");
    p.stdout.on("data", (d) => {
      buf += d;
      let i;
      while ((i = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, i).trim(); buf = buf.slice(i + 1);
        if (line.startsWith("{")) { try { onJson(JSON.parse(line)); } catch { /* not ours */ } }
      }
    });
    p.stderr.on("data", (d) => { err = (err + d).slice(-4000); });
    p.on("error", (e) => res({ status: -1, err: String(e) }));
    p.on("close", (status) => res({ status, err }));
  });
}

async function runTorch(models) {
  const probe = existsSync(PYTHON) ? spawnSync(PYTHON, ["-c", "import torch, functorch"], { encoding: "utf8" }) : null;
  if (!probe || probe.status !== 0) {
    const why = !probe ? `${PYTHON} not found` : `\`${PYTHON} -c "import torch, functorch"\` failed: ${probe.stderr.trim().split("\n").pop()}`;
    log(`PyTorch baseline SKIPPED: ${why}. Every ratio vs PyTorch is missing from this run.`);
    return { missing: why, rows: [] };
  }
  const rows = [];
  let header = null;
  const args = ["bench/torch_baseline.py", "--models", models.map((m) => m.id).join(","), "--orders", CFG.orders.join(","), "--batches", CFG.batches.join(","), ...CFG.torch];
  const { status, err } = await runJsonLines(PYTHON, args, (o) => {
    if (o.torch) { header = o; return; }
    rows.push(o);
    log(`torch ${o.model} order ${o.order} B=${o.batch} ${o.method}: ${o.status === "ok" ? `median ${o.median_ms} ms (${o.reps} reps)` : `${o.status}: ${(o.error ?? "").slice(0, 100)}`}`);
  });
  if (status !== 0) log(`torch baseline exited with status ${status}: ${err.trim().split("\n").slice(-2).join(" | ")}`);
  return { header, rows, exit: status };
}

/**
 * JAX (bench/jax_baseline.py, $THOAD_JAX_PYTHON): per model and B, one process timing
 * `orders:1` .. `orders:K` (every order 1..k in one jitted, vmapped float64 function:
 * what thoad's modules return), reps from a time budget; first bench/check_jax.mjs (the
 * same tensors as thoad on seeded inputs, 1e-10). Without JAX: a note, no columns.
 */
/**
 * Issue 11's JAX cases at default settings (threads auto), as the issue measures them, in
 * interleaved rounds (bench/jax-runs.mjs jaxTargetRounds); the main tables run one thread.
 */
function runJaxTargets() {
  const noJax = hasJax();
  if (noJax) return { missing: noJax, rows: [] };
  const rounds = quick ? 1 : 3, reps = quick ? 20 : 100;
  try {
    const runs = jaxTargetRounds(JAX_TARGETS, rounds, ["--reps", String(reps)], (r, label, j) => log(`jax targets round ${r + 1} ${label}: thoad ${fmtMs(j.median_ms)} (${j.threads_used} threads), JAX ${fmtMs(j.jax_median_ms)}: ${fmtX(j.jax_median_ms / j.median_ms)}`));
    return { rounds, reps, load: +os.loadavg()[0].toFixed(2), rows: JAX_TARGETS.map(({ model, order }, i) => ({ model, order, runs: runs[i].map(({ median_ms, jax_median_ms, threads, threads_used }) => ({ median_ms, jax_median_ms, threads, threads_used })) })) };
  } catch (e) {
    return { missing: `not measured: ${e.message}`, rows: [] };
  }
}

async function runJax(models) {
  const no = hasJax();
  if (no) { log(`JAX baseline SKIPPED: ${no}. The JAX columns and targets are missing from this run.`); return { missing: no, rows: [] }; }
  const { JAX_MODELS } = await import(join(ROOT, "dist/cli/commands/bench-jax.js"));
  const check = [];
  await runJsonLines(process.execPath, ["bench/check_jax.mjs", "--json", String(quick ? 2 : 3)], (o) => check.push(o), 600e3);
  const summary = check.find((o) => o.summary);
  log(`jax check: ${summary ? `worst relative difference to thoad ${summary.worst.toExponential(1)} at orders 1..${summary.order} (${summary.ok ? "ok" : "FAILED"})` : "did not finish"}`);
  const rows = [];
  let header = null;
  for (const m of models.filter((x) => JAX_MODELS[x.id])) for (const B of CFG.batches) {
    const got = new Set();
    const args = [join(ROOT, "bench/jax_baseline.py"), ...JAX_MODELS[m.id].args, "--batch", String(B), "--what", CFG.orders.map((k) => `orders:${k}`).join(","), "--reps", String(CFG.jax.reps), "--warmup", "2", "--budget-ms", String(CFG.jax.budgetMs), "--max-reps", String(CFG.jax.maxReps), "--slow-ms", String(CFG.jax.slowMs), "--slow-reps", "1"];
    const { status, err } = await runJsonLines(JAX, args, (o) => {
      if (o.jax) { header = o; return; }
      const order = Number(String(o.what).split(":")[1]);
      got.add(order);
      rows.push({ model: m.id, order, batch: B, status: o.status, median_ms: o.median_ms, min_ms: o.min_ms, reps: o.reps, compile_ms: o.compile_ms });
      log(`jax ${m.id} order ${order} B=${B}: median ${o.median_ms} ms (${o.reps} reps, compile ${o.compile_ms} ms)`);
    }, CFG.jax.timeoutMs);
    for (const K of CFG.orders.filter((k) => !got.has(k))) rows.push({ model: m.id, order: K, batch: B, status: status === null ? "timeout" : "error", error: status === null ? `killed after ${fmtMs(CFG.jax.timeoutMs)} (this B, orders ${K}..)` : err.trim().split("\n").pop() ?? "failed" });
  }
  return { header, rows, check: { rows: check.filter((o) => !o.summary), summary } };
}

async function runTfjs(models) {
  const rows = [], ops = [];
  let header = null;
  const args = ["bench/tfjs_baseline.mjs", "--ops", "--models", models.map((m) => m.id).join(","), "--orders", CFG.orders.join(","), "--batches", CFG.batches.join(","), "--reps", String(CFG.tfjsReps), "--budget-s", String(CFG.tfjsBudgetS)];
  const { status, err } = await runJsonLines(process.execPath, args, (o) => {
    if (o.tfjs) header = o;
    else if (o.op) ops.push(o);
    else { rows.push(o); log(`tfjs ${o.model} order ${o.order} B=${o.batch}: ${o.status === "ok" ? `median ${o.median_ms} ms` : `${o.status}: ${o.error.slice(0, 80)}`}`); }
  });
  if (status !== 0) { log(`tfjs baseline failed (status ${status}): ${err.trim().split("\n").slice(-2).join(" | ")}`); return { missing: err.trim().split("\n").pop() ?? "failed", rows, ops }; }
  return { header, rows, ops };
}

function compileTimes() {
  const dir = mkdtempSync(join(os.tmpdir(), "thoad-bench-"));
  const best = (args) => {
    let b = Infinity, r;
    for (let i = 0; i < CFG.compileReps; i++) {
      const t0 = performance.now();
      r = spawnSync(process.execPath, ["dist/cli/main.js", ...args], { cwd: ROOT, encoding: "utf8", timeout: 300e3 });
      b = Math.min(b, performance.now() - t0);
      if (r.status !== 0) return { error: (r.stderr || String(r.error)).trim().split("\n")[0] };
    }
    return { ms: +b.toFixed(1), out: r.stdout.trim() };
  };
  const startup = best(["--version"]);
  const rows = [];
  for (const [id, K] of [["mlp", 4], ["pinn", 8]]) {
    const c = best([`bench/models/${id}.thd`, "--order", String(K), "-o", join(dir, `${id}.ts`)]);
    const e = best(["explain", `bench/models/${id}.thd`, "--order", String(K)]);
    rows.push({ model: id, order: K, compile_ms: c.ms ?? null, explain_ms: e.ms ?? null, startup_ms: startup.ms ?? null, error: c.error ?? e.error, note: (c.out?.split("\n").pop()?.match(/\((model .*)\)$/) ?? [])[1] });
    log(`compile ${id} order ${K}: ${c.ms ?? c.error} ms (CLI startup ${startup.ms} ms)`);
  }
  rmSync(dir, { recursive: true, force: true });
  return rows;
}

// ------------------------------------------------------------------ rendering
const fmtBytes = (b) => b == null ? "—" : b >= 2 ** 30 ? `${(b / 2 ** 30).toFixed(2)} GiB` : b >= 2 ** 20 ? `${(b / 2 ** 20).toFixed(1)} MiB` : `${(b / 1024).toFixed(0)} KiB`;
const fmtFlops = (f) => f >= 1e9 ? `${(f / 1e9).toFixed(2)} G` : f >= 1e6 ? `${(f / 1e6).toFixed(1)} M` : `${(f / 1e3).toFixed(0)} k`;

function failText(r) {
  if (!r) return "not run";
  const e = (r.error ?? "").replace(/\|/g, "/");
  switch (r.status) {
    case "oom": return `out of memory${r.asked_bytes ? ` (asked ${(r.asked_bytes / 1e9).toFixed(1)} GB)` : ""}`;
    case "timeout": return `timeout (${e})`;
    case "not_implemented": return `NotImplementedError`;
    case "skipped": return `skipped: ${e}`;
    default: return `${r.status}: ${e.slice(0, 90)}`;
  }
}

/** A thoad failure in a few words (the per-model tables give the whole message). */
function shortFail(r) {
  const expected = /about (.+?) a call expected/.exec(r.error ?? ""), asked = /allocates about (.+?) per call/.exec(r.error ?? "");
  if (r.status === "skipped" && expected) return `skipped (≈ ${expected[1]} a call)`;
  if (r.status === "refused" && asked) return `refused: plan ≈ ${asked[1]}`;
  return r.status === "skipped" ? "skipped" : r.status;
}

function analyse(R) {
  const thoad = R.thoad.filter((r) => r.status === "ok");
  const key = (m, k, b) => `${m}|${k}|${b}`;
  const autoRows = new Map(), byMode = new Map(), byTarget = new Map();
  const main = R.targets?.[0] ?? "default"; // the first target timed: the default one unless --targets says otherwise
  const isDefault = (r) => (r.target ?? "default") === main;
  for (const r of R.thoad) {
    const k = key(r.model, r.order, r.batch);
    if (r.mode === "auto") byTarget.set(`${k}|${r.target ?? "default"}`, r);
    if (!isDefault(r)) continue;
    const isAuto = r.mode === "auto" || !R.cli?.mode; // results from before --mode: every row is the planner's choice
    if (isAuto) autoRows.set(k, r);
    if (r.status === "ok") byMode.set(`${k}|${r.plan_mode}`, r);
    else if (!isAuto && !byMode.has(`${k}|${r.mode}`)) byMode.set(`${k}|${r.mode}`, r);
  }
  const torch = new Map();
  for (const r of R.torch.rows) torch.set(`${key(r.model, r.order, r.batch)}|${r.method}`, r);
  /** The reference method (functorch fwd-over-rev; jacrev^k where that is not implemented). */
  const torchRef = (m, k, b) => {
    const a = torch.get(`${key(m, k, b)}|fwd-over-rev`), rev = torch.get(`${key(m, k, b)}|rev`);
    return a && a.status !== "not_implemented" ? a : rev ?? a;
  };
  const torchAg = (m, k, b) => torch.get(`${key(m, k, b)}|autograd`);
  const tfjs = new Map(R.tfjs.rows.map((r) => [key(r.model, r.order, r.batch), r]));
  /** The planner's choice (what a user gets), when it ran. */
  const auto = (m, k, b) => { const r = autoRows.get(key(m, k, b)); return ok(r) ? r : undefined; };
  /** The row of a plan mode, measured (auto or forced) or the forced run's failure. */
  const inMode = (m, k, b, mode) => byMode.get(`${key(m, k, b)}|${mode}`);
  /** The mode the planner did not choose. */
  const other = (m, k, b) => { const a = auto(m, k, b); return a ? inMode(m, k, b, a.plan_mode === "forward" ? "reverse" : "forward") : undefined; };
  const jax = new Map((R.jax?.rows ?? []).map((r) => [key(r.model, r.order, r.batch), r]));
  /** The planner's choice on a codegen target ("default": no --target), measured or not. */
  const onTarget = (m, k, b, t) => byTarget.get(`${key(m, k, b)}|${t}`);
  return { thoad: thoad.filter(isDefault), auto, inMode, other, onTarget, torchRef, torchAg, tfjsRow: (m, k, b) => tfjs.get(key(m, k, b)), jaxRow: (m, k, b) => jax.get(key(m, k, b)) };
}

const ok = (r) => r?.status === "ok";
const ratio = (base, t) => ok(base) && ok(t) ? base.median_ms / t.median_ms : null;

/** PyTorch / thoad for every (model, order, B) of a run: what "no PyTorch ratio gets worse" compares. */
function torchRatios(R) {
  const A = analyse(R), out = [];
  for (const m of MODELS) for (const K of R.config.orders) for (const B of R.config.batches) {
    const ref = A.torchRef(m.id, K, B), t = A.auto(m.id, K, B);
    out.push({ key: `${m.id} o${K} B=${B}`, ratio: ratio(ref, t), thoad_ms: ok(t) ? t.median_ms : null, torch_ms: ok(ref) ? ref.median_ms : null });
  }
  return out;
}

/** Issue 11's done-means, measured in this run: JAX ratios, executed flops against the wasm SIMD peak, order 1 against PyTorch, no PyTorch ratio worse. */
function issueTargets(R, A) {
  const peak = R.peaks?.js_chains_gflops ? R.peaks : undefined;
  return [
    ...(R.jaxTargets ? jaxDefaultRows((m, k) => R.jaxTargets.rows.find((r) => r.model === m && r.order === k)?.runs, R.jaxTargets.missing) : []),
    ...jaxTargetRows((m, k) => A.auto(m, k, 128), (m, k) => A.jaxRow(m, k, 128), R.jax?.missing, peak, R.jaxTargets ? ", one thread" : ""),
    peakTargetRow((R.targets ?? ["default"]).map((t) => A.onTarget("mlp", 3, 1024, t)).filter(Boolean), peak ?? R.peaks),
    ...order1Rows(MODELS, (id) => A.auto(id, 1, 1024), (id) => A.torchRef(id, 1, 1024)),
    regressionRow(R.prev ? torchRegressions(R.prev.ratios, torchRatios(R)) : undefined, R.prev?.label ?? "the previous run", canaryNote(R)),
  ];
}

/** What a run keeps of the run it is compared with: its label, PyTorch ratios and canary readings. */
const comparedRun = (P) => ({ label: `the committed run of ${P.meta.date} (${P.meta.git})`, ratios: torchRatios(P), canary: P.meta.canary_ms });

/** The canary before the thoad and PyTorch phases, this run and the compared one: whether the machine or the code moved. */
function canaryNote(R) {
  const c = R.meta.canary_ms, p = R.prev?.canary;
  if (!c?.thoad) return "";
  const at = (x) => `${fmtMs(x.thoad)} before the thoad phase, ${x.torch ? fmtMs(x.torch) : "not timed"} before PyTorch's`;
  return `; the canary (\`thoadc ${CANARY.join(" ")}\`) read ${at(c)}${p?.thoad ? `, against ${at(p)} in the compared run` : ""}`;
}

function targets(R, A) {
  const rows = [];
  const peak = R.peaks?.js_chains_gflops;
  const flopsOf = (t) => t.executed_flops ?? t.flops;
  const limit = (t, need, base) => { // what the kernel would need: at the JS chain peak its executed flops would take flops/peak
    if (!peak) return "";
    const ideal = flopsOf(t) / (peak * 1e6);
    return `kernel at ${fmtPct(pctOfPeak(t, peak))} of the JS chain peak; at 100% its ${t.executed_flops != null ? "executed" : "planned"} flops would take ${fmtMs(ideal)} (${fmtX(base.median_ms / ideal)}), target needs ≤ ${fmtMs(base.median_ms / need)}`;
  };
  const speed = (label, model, K, need, baseRow, baseName) => {
    const t = A.auto(model, K, 128);
    if (!t) return rows.push([label, `≥ ${need}× ${baseName}`, "thoad not measured", "—"]);
    if (!baseRow) return rows.push([label, `≥ ${need}× ${baseName}`, `thoad ${fmtMs(t.median_ms)}; ${baseName} not run`, "n/a"]);
    if (!ok(baseRow)) return rows.push([label, `≥ ${need}× ${baseName}`, `thoad ${fmtMs(t.median_ms)}; ${baseName} ${failText(baseRow)}`, "n/a"]);
    const r = baseRow.median_ms / t.median_ms;
    const ag = A.torchAg(model, K, 128);
    const extra = baseName.startsWith("PyTorch") && ok(ag) ? `; vs nested autograd.grad (${fmtMs(ag.median_ms)}): ${fmtX(ag.median_ms / t.median_ms)}` : "";
    rows.push([label, `≥ ${need}× ${baseName}`, `thoad ${fmtMs(t.median_ms)} vs ${fmtMs(baseRow.median_ms)}${baseRow.method === "rev" ? " (jacrev^k: fwd-over-rev not implemented)" : ""}: **${fmtX(r)}**${extra}${r < need && peak ? `. ${limit(t, need, baseRow)}` : ""}`, r >= need ? "pass" : "**miss**"]);
  };
  for (const [K, need] of [[2, 2], [3, 10], [4, 30]]) speed(`MLP, B=128, order ${K}`, "mlp", K, need, A.torchRef("mlp", K, 128), "PyTorch");
  speed("softmax classifier, B=128, order 3", "softmax_classifier", 3, 300, A.torchRef("softmax_classifier", 3, 128), "PyTorch");
  {
    const t = A.auto("softmax_classifier", 4, 128), ref = A.torchRef("softmax_classifier", 4, 128);
    const torchText = ok(ref) ? fmtMs(ref.median_ms) : failText(ref);
    rows.push(["softmax classifier, B=128, order 4", "completes in < 1 s", t ? `thoad ${fmtMs(t.median_ms)}; PyTorch: ${torchText}` : "not measured (order 4 not in this run)", t ? (t.median_ms < 1000 ? "pass" : "**miss**") : "—"]);
  }
  speed("PINN, B=128, order 4", "pinn", 4, 10, A.torchRef("pinn", 4, 128), "PyTorch");
  speed("trig (tfjs can nest it), B=128, order 3", "trig", 3, 20, A.tfjsRow("trig", 3, 128), "nested tf.grad");
  if (peak) { // kernel efficiency, for the record: each model's largest measured case, executed flops against both peaks
    const big = MODELS.map((m) => A.thoad.filter((r) => r.model === m.id && r.mode === "auto" && r.status === "ok").sort((a, b) => b.order - a.order || b.batch - a.batch)[0]).filter(Boolean);
    rows.push(["kernel efficiency (no target of its own)", "executed flops / time, against the JS and wasm f64x2 chain peaks", `JS chains ${peak} Gflop/s, wasm f64x2 ${R.peaks.wasm_f64x2_gflops} Gflop/s; largest case per model: ${big.map((t) => `${t.model} o${t.order} B=${t.batch} ${fmtPct(pctOfPeak(t, peak))} / ${fmtPct(pctOfPeak(t, R.peaks.wasm_f64x2_gflops))}`).join(", ")}`, "—"]);
  }
  { // scaling in B
    const lo = R.config.batches[0], hi = R.config.batches.at(-1);
    let worstT = null, worstM = null;
    for (const m of MODELS) for (const K of R.config.orders) {
      const a = A.auto(m.id, K, lo), b = A.auto(m.id, K, hi);
      if (!a || !b) continue;
      const t = (b.median_ms / hi) / (a.median_ms / lo), mem = (b.peak_bytes / a.peak_bytes) / (hi / lo);
      if (!worstT || t > worstT[0]) worstT = [t, `${m.id} o${K}`];
      if (!worstM || mem > worstM[0]) worstM = [mem, `${m.id} o${K}`];
    }
    rows.push([`scaling in B (${lo} to ${hi})`, "time within 1.3× of linear; memory linear", worstT ? `worst time per sample ratio ${worstT[0].toFixed(2)} (${worstT[1]}); worst plan peak bytes ratio / linear ${worstM[0].toFixed(2)} (${worstM[1]}); table below` : "—", worstT ? (worstT[0] <= 1.3 && worstM[0] <= 1.3 ? "pass" : "**miss**") + (hi < 1024 ? " (quick run: to 128 only)" : "") : "—"]);
  }
  { // batch-parallel: 2 threads at B=1024
    const t = (R.threads?.rows ?? []).filter((r) => r.batch === 1024 && !r.error && r.ms1 && r.ms2);
    const worst = t.reduce((w, r) => (!w || r.ms1 / r.ms2 < w.ms1 / w.ms2 ? r : w), null);
    rows.push(["batch-parallel, MLP, B=1024, 2 threads", "≥ 1.7× one thread, identical numbers (test/runtime/threads.test.ts)", worst ? `${t.map((r) => `order ${r.order}: ${fmtMs(r.ms1)} → ${fmtMs(r.ms2)}, **${fmtX(r.ms1 / r.ms2)}**`).join("; ")} (${R.meta.cores} cores visible; load ${t.map((r) => r.load).join(", ")})` : R.threads?.missing ?? "not measured", worst ? (worst.ms1 / worst.ms2 >= 1.7 ? "pass" : "**miss**") : "—"]);
  }
  for (const c of R.compile) {
    const lim = c.model === "mlp" ? 1000 : 10000;
    rows.push([`compile time, ${c.model} order ${c.order}`, `< ${lim / 1000} s`, c.compile_ms != null ? `${fmtMs(c.compile_ms)} wall for \`thoadc ${c.model}.thd --order ${c.order}\`, the whole process (\`thoadc --version\` alone: ${fmtMs(c.startup_ms)}); \`explain\` ${fmtMs(c.explain_ms)}` : c.error, c.compile_ms != null ? (c.compile_ms < lim ? "pass" : "**miss**") : "—"]);
  }
  return rows;
}

function table(head, rows) {
  return [`| ${head.join(" | ")} |`, `| ${head.map(() => "---").join(" | ")} |`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
}

function render(R, outDir) {
  mkdirSync(outDir, { recursive: true });
  const A = analyse(R);
  const L = [];
  const modes = [...new Set(A.thoad.map((r) => r.plan_mode))];
  const tfh = R.tfjs.header;
  L.push("# Benchmarks", "");
  L.push(`Generated by \`npm run bench${R.meta.quick ? " -- --quick" : ""}\` (\`bench/suite.mjs\`) on ${R.meta.date} at commit ${R.meta.git}. Do not edit: rerun the suite; the raw results are in \`bench/results.json\` next to this file (\`node bench/suite.mjs --render FILE.json\` redraws from them).`);
  if (R.meta.quick) L.push("", "**Quick run** (`--quick`): orders 1..3, B ∈ {16, 128}, fewer reps; not the committed figures.");
  L.push("", "## Machine", "");
  L.push(`* CPU: ${R.meta.cpu}, ${R.meta.cores} cores visible, ${R.meta.ram_gb} GiB RAM; 1-minute load average ${R.meta.load_start} at the start, ${R.meta.load_end} at the end (the machine is shared: other work adds noise); the whole run took ${Math.round(R.meta.seconds / 60)} min`);
  L.push(`* Node ${R.meta.node}; thoad kernels: float64, one thread (but the batch-parallel section), mode${modes.length > 1 ? "s" : ""} ${modes.join(", ")}${R.modesNote ? ` (${R.modesNote})` : ""}`);
  L.push(R.torch.header ? `* PyTorch ${R.torch.header.torch} (functorch), Python ${R.torch.header.python}, ${R.torch.header.threads} intra-op thread(s), float64; each case in a worker limited to ${R.torch.header.mem_gb} GB of address space and ${R.torch.header.timeout_s} s` : `* **PyTorch: not measured** — ${R.torch.missing}`);
  L.push(tfh ? `* tfjs ${tfh.tfjs} (\`${tfh.package}\`, backend \`${tfh.backend}\`${tfh.package === "@tensorflow/tfjs" ? "; `@tensorflow/tfjs-node` did not load" : ""}), **float32** (its only float dtype)` : `* **tfjs: not measured** — ${R.tfjs.missing}`);
  L.push(R.jax?.header ? `* JAX ${R.jax.header.jax} (jit, vmap, \`jax_enable_x64\`: float64; backend ${R.jax.header.backend}, XLA's default threads), \`bench/jax_baseline.py\` run by \`${R.jax.python ?? "$THOAD_JAX_PYTHON"}\`` : `* **JAX: not measured** — ${R.jax?.missing ?? "not in this run"}`);
  const can = R.meta.canary_ms;
  if (can && Object.values(can).some((x) => x != null)) {
    const vals = Object.values(can).filter((x) => x != null);
    L.push(`* Canary: the same thoad call (\`thoadc ${CANARY.join(" ")} --reps ${CANARY_REPS}\`, its median) before each phase: ${Object.entries(can).map(([k, v]) => `${k === "end" ? "at the end" : k} ${v == null ? "failed" : fmtMs(v)}`).join(", ")}; highest / lowest ${fmt(Math.max(...vals) / Math.min(...vals))}. Its kernel does not change during the run: a spread is the machine's speed moving.`);
  }
  L.push(R.peaks?.js_chains_gflops ? `* Peaks measured in the same run (\`bench/peaks.mjs\`, ${R.peaks.reps} interleaved reps of ~${R.peaks.rep_ms} ms, elapsed-time medians; load ${R.peaks.load}): independent register-resident multiply-add chains in JS **${R.peaks.js_chains_gflops} Gflop/s** (${R.peaks.js_chains_case}) and in wasm f64x2 SIMD **${R.peaks.wasm_f64x2_gflops} Gflop/s** (${R.peaks.wasm_f64x2_case}); the wasm GEMM tile ceiling ${R.peaks.tile_gflops} Gflop/s${R.peaks.gemm?.length ? `, wasm GEMM f64 ${R.peaks.gemm.map((g) => `n=${g.n} ${g.wasm_f64} Gflop/s`).join(", ")}` : ""}. "% JS peak" and "% SIMD peak" below are executed flops / time against these. (The latency-bound multiply-add loop earlier runs used as the reference is gone: plan flops against it read above 100% and hid the gap.)` : `* **Peaks: not measured** — ${R.peaks?.missing ?? "not in this run"}`);
  L.push(`* Codegen targets timed: ${(R.targets ?? ["default"]).map((t) => t === "default" ? "the default target (no \`--target\`)" : `\`--target ${t}\``).join(", ")}${(R.targetNotes ?? []).length ? `; ${R.targetNotes.join("; ")}` : ""}.`);
  L.push("", "## What is measured", "");
  L.push("* Every measurement computes **all derivative orders 1..k** of the model output w.r.t. the input `x`, per sample (samples are independent; thoad's batch-unified layout).");
  L.push(`* **thoad**: \`thoadc bench --json${R.cli?.threads ? " --threads 1" : ""}\` (${R.cli?.threads ? "one thread: per-core numbers, set against the one-core peaks; the default, \`--threads auto\`, splits a large enough call over the cores, see Batch-parallel and \`bench/jax-targets.mjs\`; " : ""}${R.cli?.warmup ? "untimed warm-up calls (\`--warmup\`: a third of the reps, 3 to 100; 1 for calls over 1 s)" : "3 warm-up calls"}, then the kernel alone on ready inputs; the median and min–max of the reps). V8 optimises a kernel only after tens of calls, so the suite picks the reps from a time budget (${R.config.budget_ms} ms a case, ${R.config.min_reps} to ${R.config.max_reps} reps): small kernels get hundreds and their median is the steady state.${R.config.call_cap_ms ? ` Cases expected to take over ${fmtMs(R.config.call_cap_ms)} a call (extrapolated from the smaller cases of the same mode) are skipped, and a case gets ${fmtMs(R.config.case_timeout_ms)}${R.cli?.maxMemory ? ` and \`--max-memory ${fmtBytes(R.config.mem_cap_bytes)}\`` : ""}; a timeout or a refusal skips the larger cases of that mode.` : ""} Plan flops and peak bytes are the planner's estimates; RSS is the peak resident memory of the whole \`thoadc bench\` process (Node, compiler and kernel).`);
  L.push("* **PyTorch, fwd-over-rev** (the reference of the performance issue): `vmap(jacfwd^(j-1)(jacrev(f)))` for j = 1..k, float64. Where forward AD is not implemented (softmax in torch 1.13: `_softmax_backward_data`) it falls back to `vmap(jacrev^j(f))`, marked *jacrev^k*. **autograd**: nested `torch.autograd.grad(create_graph=True)` on the batched model, one call per output component and per component of the order below (no symmetry used). Best of up to 3 reps; the median is used for ratios. Both methods compute the same tensors as thoad (relative difference about 1e-15: `/usr/bin/python3 bench/check_baselines.py`).");
  L.push("* **JAX** (the strongest CPU peer; issue 11's reference): `jax.jit(jax.vmap(f_k))` with f_k(x) = the tuple of `jacfwd^(j-1)(jacrev(f))(x)` for j = 1..k, every order 1..k in one jitted function, float64 (`bench/jax_baseline.py --what orders:k`, the models written again in jax.numpy; softmax as exp(z)/sum(exp(z)), its fastest form in JAX). Timed after compilation (`compile_ms` in the JSON), reps from a time budget, at least 3; the median. " + (R.jax?.check?.summary ? `Same tensors as thoad on seeded inputs: worst relative difference ${R.jax.check.summary.worst.toExponential(1)} at orders 1..${R.jax.check.summary.order} (\`node bench/check_jax.mjs\`, must be below 1e-10), checked in this run.` : "Same tensors as thoad: `node bench/check_jax.mjs` (1e-10)."));
  L.push("* **What is timed, packed vs dense**: thoad returns each derivative block **packed** (symmetric: one entry per multiset of input indices, the rest never computed or stored; `OutputResult.packed`), the peers return **dense** tensors (n^k entries a block). The thoad column times the packed result; **thoad + dense** times the call plus `OutputResult.d(...)` of every block (the dense tensor the peers return), so the comparison is fair both ways (`thoadc bench --dense`, `dense_median_ms`).");
  L.push("* **Executed flops**: the float additions, subtractions, multiplications and divisions the emitted kernels perform in one call, counted by an instrumented run of the module (`compiler/tools/executed-flops.ts`: a counter after each kernel statement; Math calls such as tanh counted apart, not as flops); `thoadc bench --json` `executed_flops`. Plan flops are the planner's estimate before code generation. A non-default target's kernels are not instrumented: its count is that of the ts kernels of the same plan.");
  L.push("* **tfjs**: nested `tf.grad` of the per-sample sum s[b] = Σᵢ y[b, i]: j nested `tf.grad` calls and a loop over the components of the order below (tfjs has no vmap and no create_graph). For *trig* s is the model's output, the same tensors thoad computes; for the other models it is 1/m of the work, and order ≥ 2 fails anyway (table below).");
  L.push("* **×**: baseline median / thoad median (above 1: thoad is faster).");
  if (R.config.forced_cap_ms) L.push(`* Trimmed to fit about 20 minutes: the mode the planner did not choose gets half the time budget and is skipped where a call is expected to take over ${fmtMs(R.config.forced_cap_ms)} (the planner's mode: over ${fmtMs(R.config.call_cap_ms)}); the wasm target runs the planner's mode only; the dense expansion is timed for the planner's mode on the default target.`);
  for (const s of R.skips ?? []) L.push(`* Note: ${s}`);

  // summary at B=128
  L.push("", "## thoad vs JAX and PyTorch at B = 128", "");
  const sumRows = [];
  const forced = R.thoad.some((r) => r.mode === "forward" || r.mode === "reverse"); // the other mode was run too
  const extra = (R.targets ?? ["default"]).slice(1);
  const dense = A.thoad.some((r) => r.dense_median_ms != null), hasJax = (R.jax?.rows ?? []).length > 0;
  for (const m of MODELS) for (const K of R.config.orders) {
    const t = A.auto(m.id, K, 128); if (!t) continue;
    const ref = A.torchRef(m.id, K, 128), ag = A.torchAg(m.id, K, 128), tj = A.tfjsRow(m.id, K, 128), jx = A.jaxRow(m.id, K, 128);
    const o = A.other(m.id, K, 128);
    sumRows.push([m.title, K, `${fmtMs(t.median_ms)} (${t.plan_mode}${extra.length && t.target_name ? `, ${t.target_name}` : ""})`, ...(dense ? [fmtMs(t.dense_median_ms)] : []), ...extra.map((x) => { const w = A.onTarget(m.id, K, 128, x); return ok(w) ? fmtMs(w.median_ms) : w ? shortFail(w) : "—"; }), ...(forced ? [!o ? "—" : ok(o) ? `${fmtMs(o.median_ms)} (${o.plan_mode})` : shortFail(o)] : []),
      ...(hasJax ? [ok(jx) ? fmtMs(jx.median_ms) : failText(jx), fmtX(ratio(jx, t)), dense ? fmtX(ok(jx) && t.dense_median_ms ? jx.median_ms / t.dense_median_ms : null) : null].filter((c) => c !== null) : []),
      ok(ref) ? `${fmtMs(ref.median_ms)}${ref.method === "rev" ? " (jacrev^k)" : ""}` : failText(ref), fmtX(ratio(ref, t)), ok(ag) ? fmtMs(ag.median_ms) : failText(ag), fmtX(ratio(ag, t)), m.id === "trig" ? (ok(tj) ? `${fmtMs(tj.median_ms)} (${fmtX(ratio(tj, t))})` : failText(tj)) : (ok(tj) ? `${fmtMs(tj.median_ms)} (sum only)` : tj ? "fails" : "—")]);
  }
  L.push(table(["model", "order", `thoad (planner's mode${extra.length ? ", the target the default picked" : ""})`, ...(dense ? ["thoad + dense"] : []), ...extra.map((x) => `thoad --target ${x}`), ...(forced ? ["thoad, other mode"] : []), ...(hasJax ? ["JAX orders 1..k", "× JAX", ...(dense ? ["× JAX (thoad + dense)"] : [])] : []), "PyTorch fwd-over-rev", "×", "PyTorch autograd", "×", "tfjs nested tf.grad (×)"], sumRows));

  L.push("", "## Targets: issue 11 (done means)", "");
  L.push(R.jaxTargets
    ? `Measured as the issue states it: \`thoadc bench bench/models/MODEL.thd --order K --baseline jax --json --reps ${R.jaxTargets.reps ?? "N"}\` at default settings (the default target, the planner's mode, \`--threads auto\`: the batch split over the cores when the call is large enough, as a model call does by default; f64, packed results) against JAX (XLA's default threads) on the same inputs in the same command, B = 128, all orders 1..k, medians; ${R.jaxTargets.rounds === 1 ? "one round" : `${R.jaxTargets.rounds ?? "several"} interleaved rounds`} (1-minute load ${R.jaxTargets.load ?? "?"} at their end), judged by the median round. The rows marked "one thread" are the main table's per-core runs (\`--threads 1\`, reps from the suite's time budget, JAX in its own process), for comparison.`
    : "Measured as the issue states it: `thoadc bench --json` at default settings (the default target, the planner's mode, one thread, f64, packed results; reps from the suite's time budget, JAX's too) against JAX in the same run, B = 128, all orders 1..k, medians. One command per case: `thoadc bench bench/models/MODEL.thd --order K --baseline jax --json` (JAX on the same inputs; `jax_ratio`).", "");
  L.push(table(["case", "target", "measured", "result"], issueTargets(R, A)));
  L.push("", "## Targets: earlier issues (PyTorch)", "");
  L.push("Where a speed target is missed, the row gives the kernel's executed rate as a share of the JS chain peak and the time its executed flops would take at that peak: if even that misses the target, the flop count limits, not only the loop code.", "");
  L.push(table(["case", "target", "measured", "result"], targets(R, A)));

  L.push("", "## Charts", "", "![time vs order at B=128](bench/order.svg)", "", "![time vs batch size](bench/batch.svg)");

  for (const m of MODELS) {
    const rows = R.thoad.filter((r) => r.model === m.id && (r.target ?? "default") === (R.targets?.[0] ?? "default"));
    if (!rows.length) continue;
    L.push("", `## ${m.title}`, "", `\`bench/models/${m.id}.thd\``, "");
    const out = rows.map((t) => {
      const ref = A.torchRef(t.model, t.order, t.batch), ag = A.torchAg(t.model, t.order, t.batch), tj = A.tfjsRow(t.model, t.order, t.batch);
      const mode = t.mode === "auto" ? `${t.plan_mode ?? "auto"}${t.plan_mode ? " (auto)" : ""}` : t.plan_mode ?? t.mode;
      const base = [ok(ref) ? `${fmtMs(ref.median_ms)}${ref.method === "rev" ? "ᴿ" : ""} (${fmt(ref.best_ms)})` : failText(ref), fmtX(ratio(ref, t)),
        ok(ag) ? `${fmtMs(ag.median_ms)} (${fmt(ag.best_ms)})` : failText(ag), fmtX(ratio(ag, t)),
        ok(tj) ? `${fmtMs(tj.median_ms)}${m.id === "trig" ? "" : " (sum)"}` : (tj ? "fails" : "—"), m.id === "trig" ? fmtX(ratio(tj, t)) : "—"];
      const jx = A.jaxRow(t.model, t.order, t.batch), jaxCells = [ok(jx) ? fmtMs(jx.median_ms) : jx ? failText(jx) : "—", fmtX(ratio(jx, t))];
      if (t.status !== "ok") return [t.order, t.batch, mode, failText(t), "", "", "", "", "", "", "", "", "", ...jaxCells, ...base];
      const gf = t.executed_flops != null ? t.executed_flops / t.median_ms / 1e6 : null;
      return [t.order, t.batch, mode, fmtMs(t.median_ms), `${fmt(t.min_ms)}–${fmt(t.max_ms)}`, fmtMs(t.dense_median_ms), fmtFlops(t.flops), t.executed_flops != null ? fmtFlops(t.executed_flops) : "—", gf != null ? gf.toFixed(2) : "—", fmtPct(pctOfPeak(t, R.peaks?.js_chains_gflops)), fmtPct(pctOfPeak(t, R.peaks?.wasm_f64x2_gflops)), fmtBytes(t.peak_bytes), fmtBytes(t.rss_bytes), ...jaxCells, ...base];
    });
    L.push(table(["order", "B", "mode", "thoad median", "min–max ms", "thoad + dense", "plan flops", "executed flops", "executed Gflop/s", "% JS peak", "% SIMD peak", "plan peak", "process RSS", "JAX median", "× JAX", "PyTorch fwd-over-rev median (best)", "×", "PyTorch autograd median (best)", "×", "tfjs", "×"], out));
    for (const x of extra) {
      const wr = R.thoad.filter((r) => r.model === m.id && r.target === x);
      if (!wr.length) continue;
      L.push("", `With \`--target ${x}\` (the planner's mode; executed flops counted on the ts kernels of the same plan):`, "");
      L.push(table(["order", "B", "mode", "median", "min–max ms", "× default target", "× JAX", "executed Gflop/s", "% SIMD peak"], wr.map((w) => {
        const d = A.auto(w.model, w.order, w.batch), jx = A.jaxRow(w.model, w.order, w.batch);
        if (!ok(w)) return [w.order, w.batch, "—", failText(w), "", "", "", "", ""];
        return [w.order, w.batch, w.plan_mode, fmtMs(w.median_ms), `${fmt(w.min_ms)}–${fmt(w.max_ms)}`, fmtX(ok(d) ? d.median_ms / w.median_ms : null), fmtX(ratio(jx, w)), w.executed_flops != null ? (w.executed_flops / w.median_ms / 1e6).toFixed(2) : "—", fmtPct(pctOfPeak(w, R.peaks?.wasm_f64x2_gflops))];
      })));
    }
  }
  if (R.torch.rows.some((r) => r.method === "rev")) L.push("", "ᴿ: `vmap(jacrev^k)`; `jacfwd` over `jacrev` raises NotImplementedError for softmax in torch 1.13.");

  // scaling
  const lo = R.config.batches[0], hi = R.config.batches.at(-1);
  L.push("", `## Scaling in B (${lo} to ${hi})`, "", `Time per sample at each B (the planner's mode), the ratio of time per sample at B=${hi} to B=${lo} (linear scaling: 1, target ≤ 1.3), and plan peak bytes and process RSS at B=${hi} over B=${lo}, divided by ${hi / lo} (linear memory: 1).`, "");
  const sc = [];
  for (const m of MODELS) for (const K of R.config.orders) {
    const per = R.config.batches.map((B) => A.auto(m.id, K, B));
    if (!per[0] || !per.at(-1)) continue;
    const a = per[0], b = per.at(-1);
    sc.push([m.id, K, ...per.map((t, i) => t ? `${fmt(t.median_ms / R.config.batches[i] * 1000)} µs` : "—"), ((b.median_ms / hi) / (a.median_ms / lo)).toFixed(2), ((b.peak_bytes / a.peak_bytes) / (hi / lo)).toFixed(2), a.rss_bytes && b.rss_bytes ? ((b.rss_bytes / a.rss_bytes) / (hi / lo)).toFixed(3) : "—"]);
  }
  L.push(table(["model", "order", ...R.config.batches.map((B) => `per sample, B=${B}`), `time/sample ${hi} vs ${lo}`, "plan peak / linear", "RSS / linear"], sc));

  // memory vs torch
  const mem = [];
  for (const m of MODELS) for (const K of R.config.orders) {
    const t = A.auto(m.id, K, hi), ref = A.torchRef(m.id, K, hi), ag = A.torchAg(m.id, K, hi);
    if (!t) continue;
    const rss = (r) => r?.peak_rss_bytes && !R.torchSharedWorker ? `${fmtBytes(r.peak_rss_bytes)}${ok(r) ? "" : ` (${r.status})`}` : ok(r) || !r ? "—" : failText(r);
    mem.push([m.id, K, fmtBytes(t.peak_bytes), fmtBytes(t.rss_bytes), rss(ref), rss(ag)]);
  }
  if (R.torch.rows.length) {
    L.push("", `## Memory at B = ${hi}`, "", R.torchSharedWorker ? "PyTorch ran in one shared worker (`--quick`), so its per-case peak RSS is not known." : "Peak RSS of the process that ran the case (thoad: the `thoadc bench` process; PyTorch: a fresh worker per case, torch import included, about 0.28 GB).", "");
    L.push(table(["model", "order", "thoad plan peak", "thoad process RSS", "PyTorch fwd-over-rev RSS", "PyTorch autograd RSS"], mem));
  }

  if (R.ablation?.rows.length) {
    const asBuilt = (r) => R.ablation.rows.find((x) => x.order === r.order && x.mode === r.mode && x.variant === "as built" && x.status === "ok");
    L.push("", "## Ablations: what symmetry and batch unification gain", "", `\`bench/models/mlp.thd\` at B = ${R.ablation.rows[0].batch}, each mode forced, with \`thoadc bench --json\` (200 reps for the build as is, 20 with \`--no-symmetry\`, 3 with \`--no-batch\`). \`--no-symmetry\`: dense derivative blocks instead of packed symmetric ones (in reverse mode also one frontier block per ordered key instead of one per multiset). \`--no-batch --batch 16\`: no batch unification: the batch fixed at 16 and treated as data, the full cross-batch derivative tensor over 16 × 8 input variables planned and computed (mostly structural zeros the planner does not know), then its diagonal taken; same results (\`test/derive/no-batch.test.ts\`). Ratios are to the build as is.`, "");
    L.push(table(["order", "mode", "variant", "median", "× time", "plan flops", "× flops", "plan peak", "× bytes"], R.ablation.rows.map((r) => {
      const b = asBuilt(r);
      if (r.status !== "ok") return [r.order, r.mode, r.variant, r.status, "—", "—", "—", "—", r.error.replace(/\|/g, "/").slice(0, 160)];
      return [r.order, r.mode, r.variant, fmtMs(r.median_ms), b ? fmtX(r.median_ms / b.median_ms) : "—", fmtFlops(r.flops), b ? fmtX(r.flops / b.flops) : "—", fmtBytes(r.peak_bytes), b ? fmtX(r.peak_bytes / b.peak_bytes) : "—"];
    })));
  }

  if (R.threads?.rows?.length) {
    L.push("", "## Batch-parallel (threads)", "", `\`thoadc bench bench/models/mlp.thd --threads N\` (the model's \`threads\` option): the batch cut into chunks of whole tiles that the threads claim one at a time, the numbers identical to one thread. Runs with 1 and 2 threads interleaved, ${R.threads.rows[0].rounds} rounds of ${R.threads.rows[0].reps} reps${R.meta.threads_rerun ? ` (this phase run again at ${R.meta.threads_rerun}: \`--rerun-threads\`)` : ""}; the median of each run, then the median over the rounds. ${R.meta.cores} cores visible; other work on the machine (the load average column) takes cores from the second thread.`, "");
    L.push(table(["model", "order", "B", "1 thread", "2 threads", "speedup", "threads used", "1-min load"], R.threads.rows.map((r) => [r.model, r.order, r.batch, r.error ? r.error : fmtMs(r.ms1), fmtMs(r.ms2), r.error ? "—" : fmtX(r.ms1 / r.ms2), r.threads_used, r.load])));
  }

  L.push("", "## Compile time", "", table(["model", "order", "`thoadc FILE --order K -o …` wall", "`thoadc explain` wall", "CLI start-up (`--version`)", "output"],
    R.compile.map((c) => [c.model, c.order, c.compile_ms != null ? fmtMs(c.compile_ms) : c.error, fmtMs(c.explain_ms), fmtMs(c.startup_ms), c.note ?? ""])), "", `Best of ${R.config.compile_reps ?? 3} wall-clock times of the whole CLI process.`);

  if (R.tfjs.ops.length) {
    const cell = (r) => r.status === "ok" ? "ok" : r.status === "wrong" ? `**wrong values**: ${r.error}` : `fails${r.zero_exact ? " (the exact value is 0)" : ""}: ${r.error.split(". ")[0].replace(/\|/g, "/")}`;
    L.push("", "## tfjs: which ops nested `tf.grad` fails on", "", `tfjs ${tfh?.tfjs ?? "?"} (${tfh?.backend ?? "?"} backend, float32). Each op on a [2, 4] input: \`sum(w * op(x))\` with fixed weights w, differentiated by nested \`tf.grad\`; "in a chain" is \`sum(w * sin(op(x)))\`. Every value that comes back is checked against central differences of the order below (h = 1e-2, 2% of the largest entry). *fails*: \`tf.grad\` throws; *wrong*: it returns a value that is off. The gradients of tanh, sigmoid, exp, softmax and logSoftmax use the op's saved output, which the outer \`tf.grad\` does not see as depending on x: alone the second derivative throws, inside a chain the missing term is silently dropped.`, "");
    L.push(table(["op", "order 2", "order 2 in a chain", "order 3"], R.tfjs.ops.map((o) => [`\`${o.op}\``, cell(o.order2), cell(o.order2_in_chain), cell(o.order3)])));
  }

  const fails = [...R.torch.rows, ...R.tfjs.rows].filter((r) => r.status !== "ok" && r.status !== "not_implemented");
  if (fails.length) {
    L.push("", "## Baseline failures", "", table(["baseline", "model", "order", "B", "method", "what happened"],
      fails.map((r) => [r.dtype ? "tfjs" : "PyTorch", r.model, r.order, r.batch, r.method, failText(r).slice(0, 200)])));
  }
  writeFileSync(join(outDir, "bench.md"), L.join("\n") + "\n");
  charts(R, A, join(outDir, "bench"));
}

function charts(R, A, dir) {
  mkdirSync(dir, { recursive: true });
  const C = { thoad: "#1b6ac9", rev: "#15aabf", ref: "#d9480f", ag: "#2b8a3e", tfjs: "#862e9c", jax: "#e8590c", wasm: "#5f3dc4" };
  const extra = (R.targets ?? ["default"]).slice(1);
  const short = (r) => !r ? "not run" : r.status === "oom" ? "OOM" : r.status === "timeout" ? "timeout" : r.status === "skipped" ? "not run" : r.status === "error" ? "fails" : r.status;
  const series = (name, color, dash, get, xs) => {
    const points = [], fails = [];
    for (const x of xs) { const r = get(x); if (ok(r)) points.push([x, r.median_ms]); else if (r) fails.push([x, short(r)]); }
    return { name, color, dash, points, fails };
  };
  const orders = R.config.orders;
  const panelsO = MODELS.filter((m) => A.auto(m.id, orders[0], 128)).map((m) => ({
    title: m.title.split(" (")[0].replace(", per-sample scalar", ""), x: { log: false, values: orders, label: "highest order k (all orders 1..k)" }, y: { label: "time (ms), log", unit: "ms" },
    series: [
      series("thoad forward", C.thoad, null, (k) => A.inMode(m.id, k, 128, "forward"), orders),
      series("thoad reverse", C.rev, "1 0", (k) => A.inMode(m.id, k, 128, "reverse"), orders),
      ...extra.map((x) => series(`thoad --target ${x}`, C.wasm, "4 2", (k) => A.onTarget(m.id, k, 128, x), orders)),
      series("JAX orders 1..k", C.jax, "10 3", (k) => A.jaxRow(m.id, k, 128), orders),
      series("PyTorch fwd-over-rev", "#c92a2a", "6 3", (k) => A.torchRef(m.id, k, 128), orders),
      series("PyTorch autograd", C.ag, "2 3", (k) => A.torchAg(m.id, k, 128), orders),
      ...(m.id === "trig" ? [series("tfjs", C.tfjs, "8 3 2 3", (k) => A.tfjsRow(m.id, k, 128), orders)] : []),
    ],
  }));
  writeFileSync(join(dir, "order.svg"), chart({ title: "Time vs derivative order, B = 128 (log scale; × = failed or not run: see the tables)", panels: panelsO,
    legend: [{ name: "thoad forward mode", color: C.thoad }, ...(A.thoad.some((r) => r.plan_mode === "reverse") ? [{ name: "thoad reverse mode", color: C.rev }] : []), ...extra.map((x) => ({ name: `thoad --target ${x}`, color: C.wasm, dash: "4 2" })), { name: "JAX jit(vmap), orders 1..k", color: C.jax, dash: "10 3" }, { name: "PyTorch fwd-over-rev (functorch)", color: "#c92a2a", dash: "6 3" }, { name: "PyTorch nested autograd.grad", color: C.ag, dash: "2 3" }, { name: "tfjs nested tf.grad (trig)", color: C.tfjs, dash: "8 3 2 3" }] }));
  const batches = R.config.batches;
  // slope 1 through thoad's highest order at the smallest B: linear scaling
  const linear = (t) => ({ name: "linear", color: "#888", dash: "1 4", points: t ? batches.map((B) => [B, t.median_ms * B / batches[0]]) : [] });
  const shades = ["#74a9e8", "#3d7fd1", "#1b5bb0", "#0b3572"], tshades = ["#f4a582", "#e8743b", "#c1440e", "#7f2704"], jshades = ["#b2f2bb", "#69db7c", "#2f9e44", "#1b5e20"];
  const panelsB = MODELS.filter((m) => A.auto(m.id, orders[0], batches[0])).map((m) => ({
    title: m.title.split(" (")[0].replace(", per-sample scalar", ""), x: { log: true, values: batches, label: "batch size B (log)", format: String }, y: { label: "time (ms), log", unit: "ms" },
    series: [...orders.flatMap((k, i) => [
      series(`thoad order ${k}`, shades[i], null, (B) => A.auto(m.id, k, B), batches),
      series(`PyTorch order ${k}`, tshades[i], "6 3", (B) => A.torchRef(m.id, k, B), batches),
      series(`JAX order ${k}`, jshades[i], "2 2", (B) => A.jaxRow(m.id, k, B), batches),
    ]), linear(A.auto(m.id, orders.at(-1), batches[0]))],
  }));
  writeFileSync(join(dir, "batch.svg"), chart({ title: "Time vs batch size (log-log): thoad solid, PyTorch fwd-over-rev dashed, JAX dotted", panels: panelsB,
    legend: [...orders.flatMap((k, i) => [{ name: `thoad, order ${k}`, color: shades[i] }, { name: `PyTorch, order ${k}`, color: tshades[i], dash: "6 3" }, { name: `JAX, orders 1..${k}`, color: jshades[i], dash: "2 2" }]), { name: "linear in B (from thoad, top order)", color: "#888", dash: "1 4" }] }));
}

// ------------------------------------------------------------------ main
async function main() {
  const outDir = resolve(opt("--out", quick ? join(os.tmpdir(), "thoad-bench-quick") : join(ROOT, "docs")));
  if (opt("--render")) {
    const R = JSON.parse(readFileSync(opt("--render"), "utf8"));
    // --prev FILE.json: "no PyTorch ratio worse" against that run instead of the one saved with these results
    if (opt("--prev")) { const P = JSON.parse(readFileSync(opt("--prev"), "utf8")); R.prev = comparedRun(P); writeFileSync(opt("--render"), JSON.stringify(R, null, 1) + "\n"); }
    render(R, outDir);
    log(`wrote ${relative(process.cwd(), join(outDir, "bench.md"))} from ${opt("--render")}`);
    return;
  }
  if (!existsSync(join(ROOT, "dist/cli/main.js"))) { log("bench: dist/cli/main.js is missing: run `npm run build` (npm ci does it) first"); process.exit(1); }
  if (opt("--rerun-threads")) {
    // the batch-parallel phase again into a saved run (its other phases kept), then the report
    const file = opt("--rerun-threads"), R = JSON.parse(readFileSync(file, "utf8"));
    const help = thoadc(["bench", "--help"]).stdout ?? "";
    const t = performance.now();
    R.threads = runThreads({ threads: /--threads\b/.test(help) });
    R.meta.phase_s = { ...R.meta.phase_s, threads: Math.round((performance.now() - t) / 1000) };
    R.meta.threads_rerun = new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC";
    writeFileSync(file, JSON.stringify(R, null, 1) + "\n");
    render(R, outDir);
    log(`reran the threads phase into ${file}; wrote ${relative(process.cwd(), join(outDir, "bench.md"))}`);
    return;
  }
  const only = opt("--models");
  const models = only ? MODELS.filter((m) => only.split(",").includes(m.id)) : MODELS;
  const t0 = performance.now();
  const help = thoadc(["bench", "--help"]).stdout ?? "";
  const cli = { mode: /--mode\b/.test(help), warmup: /--warmup\b/.test(help), maxMemory: /--max-memory\b/.test(help), threads: /--threads\b/.test(help), noBatch: /--no-batch\b/.test(help), dense: /--dense\b/.test(help) };
  // the committed run's PyTorch ratios, before this run overwrites them: "no PyTorch ratio gets worse"
  let prev;
  try { const P = JSON.parse(readFileSync(join(ROOT, "docs/bench/results.json"), "utf8")); prev = comparedRun(P); } catch { prev = undefined; }
  const R = { meta: machine(), config: { orders: CFG.orders, batches: CFG.batches, budget_ms: CFG.budgetMs, min_reps: CFG.minReps, max_reps: CFG.maxReps, compile_reps: CFG.compileReps, call_cap_ms: CFG.callCapMs, forced_cap_ms: CFG.forcedCapMs, case_timeout_ms: CFG.caseTimeoutMs, mem_cap_bytes: CFG.memCapBytes, jax: CFG.jax }, prev, skips: [...QUICK_SKIPS], torchSharedWorker: CFG.torch.includes("--shared-worker"),
    cli, modesNote: !cli.mode ? "`thoadc bench` has no --mode: the planner's choice" : quick ? "--quick: only the planner's choice" : "the planner's choice (auto), and the other mode forced with --mode" };
  log(`bench: ${quick ? "quick" : "full"} run; ${R.meta.cpu}, ${R.meta.cores} cores, Node ${R.meta.node}`);
  R.meta.phase_s = {};
  R.meta.canary_ms = {};
  const phase = async (name, f) => { R.meta.canary_ms[name] = canaryMs(); const t = performance.now(); const r = await f(); R.meta.phase_s[name] = Math.round((performance.now() - t) / 1000); return r; };
  R.peaks = await phase("peaks", runPeaks);
  log(R.peaks.missing ? `peaks: ${R.peaks.missing}` : `peaks: JS chains ${R.peaks.js_chains_gflops} Gflop/s, wasm f64x2 chains ${R.peaks.wasm_f64x2_gflops} Gflop/s`);
  const picked = pickTargets();
  R.targets = picked.targets; R.targetNotes = picked.notes;
  R.thoad = [];
  for (const t of R.targets) R.thoad.push(...await phase(`thoad${t === "default" ? "" : ` ${t}`}`, () => runThoad(models, cli, t, t === R.targets[0])));
  R.threads = await phase("threads", () => runThreads(cli));
  R.compile = await phase("compile", compileTimes);
  R.ablation = only && !only.split(",").includes("mlp") ? { missing: "mlp not in --models", rows: [] } : await phase("ablation", () => runAblations(cli));
  R.jax = flag("--no-jax") ? { missing: "not run (--no-jax)", rows: [] } : await phase("jax", () => runJax(models));
  R.jax.python = JAX;
  R.jaxTargets = flag("--no-jax") ? { missing: "not run (--no-jax)", rows: [] } : await phase("jax targets", runJaxTargets);
  R.torch = flag("--no-torch") ? { missing: "not run (--no-torch)", rows: [] } : await phase("torch", () => runTorch(models));
  R.tfjs = flag("--no-tfjs") ? { missing: "not run (--no-tfjs)", rows: [], ops: [] } : await phase("tfjs", () => runTfjs(models));
  R.meta.canary_ms.end = canaryMs();
  R.meta.seconds = Math.round((performance.now() - t0) / 1000);
  R.meta.load_end = +os.loadavg()[0].toFixed(2);
  mkdirSync(join(outDir, "bench"), { recursive: true });
  writeFileSync(join(outDir, "bench", "results.json"), JSON.stringify(R, null, 1) + "\n");
  render(R, outDir);
  const md = readFileSync(join(outDir, "bench.md"), "utf8");
  console.log(md.slice(md.indexOf("## thoad vs JAX"), md.indexOf("## Charts")).trim());
  if (R.torch.missing) log(`\nNOTE: PyTorch baseline missing: ${R.torch.missing}`);
  log(`\nwrote ${join(outDir, "bench.md")}, ${join(outDir, "bench")}/{order,batch}.svg and results.json in ${R.meta.seconds} s (${Object.entries(R.meta.phase_s).map(([k, v]) => `${k} ${v} s`).join(", ")}; 1-minute load average ${R.meta.load_start} at the start)`);
}

await main();
