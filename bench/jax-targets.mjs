// Issue 11's five JAX cases (issue-targets.mjs JAX_TARGETS), each measured the
// way the issue says (`thoadc bench bench/models/M.thd --order K --baseline jax
// --json`: default settings, B = 128, f64, orders 1..K, medians), over several
// interleaved rounds: JAX's time on this shared machine moved by up to 2.8x
// between two suite runs (MLP order 4: 274 and 98.7 ms), so one run's ratio
// says little. Prints a markdown table: each round's thoad and JAX medians and
// ratio, and the lowest, median and highest ratio against the target. The load
// average at start and end. thoad runs with `thoadc bench`'s default --threads
// auto (a model call's default: the batch split over the cores when the call
// is large enough), JAX with XLA's default threads (all cores); --threads 1
// gives thoad's one-core numbers.
//
//   npm run build && node bench/jax-targets.mjs [--rounds 3] [--reps 100] [--threads auto|N]
import os from "node:os";
import { flag, jaxTargetRounds, median, opt } from "./jax-runs.mjs";
import { JAX_TARGETS, fmtMs, fmtX } from "./issue-targets.mjs";

const rounds = Number(opt("--rounds", "3"));
const reps = opt("--reps", undefined);
const threads = opt("--threads", undefined);
if (!(rounds >= 1)) throw new Error("bench/jax-targets.mjs: --rounds must be at least 1");
if (flag("--help")) { console.log("node bench/jax-targets.mjs [--rounds 3] [--reps N] [--threads auto|N]"); process.exit(0); }

const load = () => os.loadavg().map((x) => x.toFixed(2)).join(" ");
const started = new Date().toISOString(), loadStart = load();
const runs = jaxTargetRounds(JAX_TARGETS, rounds, [...(reps ? ["--reps", reps] : []), ...(threads ? ["--threads", threads] : [])],
  (r, label, j) => process.stderr.write(`round ${r + 1} ${label}: thoad ${j.median_ms} ms (threads ${j.threads}, ${j.threads_used} used), JAX ${j.jax_median_ms} ms, ${j.jax_ratio}x\n`));
const sorted = (xs) => [...xs].sort((a, b) => a - b);
console.log(`${rounds} interleaved rounds, ${started} to ${new Date().toISOString()}; load average ${loadStart} at start, ${load()} at end; JAX ${runs[0][0]?.jax_version}, Node ${process.version}; thoad threads ${runs[0][0]?.threads} (used per case: ${runs.map((rs) => rs[0]?.threads_used).join(", ")}), JAX with XLA's default threads\n`);
console.log(`| case | need | ${Array.from({ length: rounds }, (_, r) => `round ${r + 1}: thoad / JAX (ratio)`).join(" | ")} | ratio low / median / high | rounds passing |`);
console.log(`| --- | ---: | ${"--- | ".repeat(rounds)}---: | ---: |`);
JAX_TARGETS.forEach(({ label, need }, i) => {
  const rs = runs[i].map((j) => j.jax_median_ms / j.median_ms);
  const cells = runs[i].map((j, r) => `${fmtMs(j.median_ms)} / ${fmtMs(j.jax_median_ms)} (${fmtX(rs[r])})`);
  const s = sorted(rs);
  console.log(`| ${label} | ${need}× | ${cells.join(" | ")} | ${fmtX(s[0])} / ${fmtX(median(rs))} / ${fmtX(s[s.length - 1])} | ${rs.filter((x) => x >= need).length} of ${rounds} |`);
});
