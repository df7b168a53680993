#!/usr/bin/env node
// Checks the default target's choice (--target auto, compiler/codegen/choose-target.ts)
// against measurements: for each bench model, order and batch size, `thoadc bench
// --target ts` and `--target wasm` (the planner's mode each; one thread; --reps
// medians), interleaved case by case over --rounds rounds, and `thoadc explain
// --batch B --json` for what auto picks and its estimates. Prints a markdown table:
// the median over rounds of each target's median, the ratio, the estimate, the pick,
// and whether the pick was the faster target (a case within --tie of 1 counts as a
// tie: either pick is right). Prints the load average at start and end.
//
//   npm run build && node bench/check-auto-target.mjs [--models mlp,softmax_classifier,pinn,trig] [--orders 1,2,3,4] [--batches 128,1024] [--rounds 2] [--reps 15] [--tie 0.05] [--cli PATH]
import { execFileSync } from "node:child_process";
import os from "node:os";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "./issue-targets.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const argv = process.argv.slice(2);
const opt = (name, def) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : def; };
const MODELS = opt("--models", "mlp,softmax_classifier,pinn,trig").split(",");
const ORDERS = opt("--orders", "1,2,3,4").split(",").map(Number);
const BATCHES = opt("--batches", "128,1024").split(",").map(Number);
const CLI = resolve(opt("--cli", resolve(ROOT, "dist/cli/main.js"))); // another build (a copy of dist/) to measure a fixed snapshot
const ROUNDS = Number(opt("--rounds", "2")), REPS = opt("--reps", "15"), TIE = Number(opt("--tie", "0.05"));
const thoadc = (...a) => {
  const out = execFileSync(process.execPath, [CLI, ...a], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 28 });
  return JSON.parse(a[0] === "bench" ? out.trim().split("\n").pop() : out); // bench --json: its text line, then the JSON
};
const load0 = os.loadavg()[0];
const start = new Date().toISOString();

const cases = [];
for (const m of MODELS) for (const order of ORDERS) for (const B of BATCHES) {
  const file = `bench/models/${m}.thd`;
  const e = thoadc("explain", file, "--order", String(order), "--batch", String(B), "--json");
  const est = e.targetChoice.estimates.find((x) => x.mode === e.targetChoice.mode);
  cases.push({ m, order, B, file, pick: e.targetChoice.chosen, mode: e.mode, est, ts: [], wasm: [] });
}
for (let r = 0; r < ROUNDS; r++) for (const c of cases) for (const t of r % 2 ? ["wasm", "ts"] : ["ts", "wasm"]) {
  const j = thoadc("bench", c.file, "--order", String(c.order), "--batch", String(c.B), "--target", t, "--reps", REPS, "--threads", "1", "--json");
  c[t].push(j.median_ms);
  c[`${t}Mode`] = j.mode;
}
const load1 = os.loadavg()[0];
console.log(`check-auto-target: ${start} to ${new Date().toISOString()}, Node ${process.version}, ${os.cpus().length} cores, load average ${load0.toFixed(2)} at start, ${load1.toFixed(2)} at end; ${ROUNDS} rounds of thoadc bench --reps ${REPS}, one thread\n`);
console.log("| model | order | B | ts ms | wasm ms | ts / wasm measured | estimated | auto picks | right? |");
console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |");
let right = 0, ties = 0;
for (const c of cases) {
  const ts = median(c.ts), wasm = median(c.wasm), ratio = ts / wasm;
  const tie = Math.abs(ratio - 1) <= TIE;
  const ok = tie || (ratio > 1) === (c.pick === "wasm");
  if (tie) ties++; else if (ok) right++;
  const modes = c.tsMode === c.wasmMode ? "" : ` (ts ${c.tsMode}, wasm ${c.wasmMode})`;
  console.log(`| ${c.m} | ${c.order} | ${c.B} | ${ts.toFixed(3)} | ${wasm.toFixed(3)} | ${ratio.toFixed(2)} | ${(c.est.tsMs / c.est.wasmMs).toFixed(2)} | ${c.pick}${modes} | ${tie ? "tie" : ok ? "yes" : "**no**"} |`);
}
console.log(`\nauto picked the faster target in ${right} of ${cases.length - ties} cases outside ties (|ratio - 1| <= ${TIE}); ${ties} ties`);
