#!/usr/bin/env node
/**
 * The fuzz campaign (npm run fuzz): seeded cases from test/fuzz/cases.mjs, each
 * run as `node dist/cli/main.js ...` in a fresh folder (build first), and every
 * written module imported and called in a child process. A finding is
 *   crash         an internal error, a stack trace, or a signal
 *   hang          no exit within the timeout
 *   uncoded       exit 1 without "error THxxx"
 *   partial file  a file left behind by a run that failed
 *   bad module    a written module that fails to import or to run
 *   silent loss   an output or variable missing from eval's result
 * Counts are printed; each finding's files and command go to
 * test/.tmp/fuzz/run-PID/findings/. Exit 1 on any finding.
 *
 *   node test/fuzz/fuzz.mjs [--quick] [--seed N] [--seconds S] [--timeout S]
 */
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { inputsFor, nextCase, rng } from "./cases.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");
const MAIN = join(ROOT, "dist/cli/main.js");
const arg = (name, dflt) => { const i = process.argv.indexOf(name); return i < 0 ? dflt : Number(process.argv[i + 1]); };
const quick = process.argv.includes("--quick");
const seed = arg("--seed", 13), seconds = arg("--seconds", quick ? 30 : 180), timeout = arg("--timeout", quick ? 20 : 40) * 1000;
if (!existsSync(MAIN)) { console.error(`fuzz: ${relative(ROOT, MAIN)} is missing: npm run build first`); process.exit(2); }
const { runPipeline } = await import(pathToFileURL(join(ROOT, "dist/compiler/index.js")).href);

const corpus = ["examples", "test/models"].flatMap((d) => readdirSync(join(ROOT, d)).filter((f) => f.endsWith(".thd")).map((f) => {
  const text = readFileSync(join(ROOT, d, f), "utf8");
  return { path: `${d}/${f}`, text, models: [...text.matchAll(/^\s*model\s+(\w+)/gm)].map((m) => m[1]) };
}));
const WORK = join(ROOT, "test/.tmp/fuzz", `run-${process.pid}`); // runs side by side never share a folder
mkdirSync(join(WORK, "findings"), { recursive: true });

/** Imports a module in a child process and calls it on inputs of its declared shapes: every declared output must come back. */
const CALLER = `
const m = await import(process.argv[2]);
const f = Object.values(m).find((v) => typeof v === "function" && v.inputs && v.outputs);
if (!f) { console.error("no model function among the exports: " + Object.keys(m).join(", ")); process.exit(3); }
const inputs = Object.create(null);
for (const [k, shape] of Object.entries(f.inputs)) {
  const s = shape.map((d) => (d === -1 ? 3 : d)), n = s.reduce((a, b) => a * b, 1);
  inputs[k] = { shape: s, data: Float64Array.from({ length: n }, (_, i) => 0.6 + 0.3 * Math.sin(i + 1)) };
}
const r = f(inputs, { threads: Number(process.argv[3]) });
const got = Object.keys(r).sort(), want = [...f.outputs].sort();
if (JSON.stringify(got) !== JSON.stringify(want)) { console.error("outputs " + JSON.stringify(got) + ", declared " + JSON.stringify(want)); process.exit(4); }
for (const o of want) for (const k of r[o].keys()) r[o].packed(...k.split(","));
`;

const counts = { crash: 0, hang: 0, uncoded: 0, "partial file": 0, "bad module": 0, "silent loss": 0 };
const byKind = {};
const findings = [];
const r = rng(seed);
const t0 = Date.now();
let n = 0;

function finding(kind, c, dir, detail) {
  counts[kind]++;
  const to = join(WORK, "findings", `${String(findings.length + 1).padStart(3, "0")}-${kind.replace(" ", "-")}`);
  cpSync(dir, to, { recursive: true });
  writeFileSync(join(to, "COMMAND"), `# ${c.name}\nnode ${relative(to, MAIN)} ${c.args.map((a) => JSON.stringify(a)).join(" ")}\n\n${detail}\n`);
  findings.push(`${kind}: ${c.name}: ${detail.split("\n")[0].slice(0, 200)}`);
}

/** The plan a model file compiles to here, in memory (undefined if it does not compile). */
function plan(text, options) {
  try { const p = runPipeline(text, options); return p.ok ? p.state.plan : undefined; } catch { return undefined; }
}

while (Date.now() - t0 < seconds * 1000) {
  const c = nextCase(r, corpus);
  const dir = join(WORK, `case-${++n}`);
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(c.files)) { mkdirSync(dirname(join(dir, name)), { recursive: true }); writeFileSync(join(dir, name), text); }
  if (c.inputsFrom) {
    const p = plan(c.inputsFrom.text, { order: 1, ...(c.inputsFrom.model ? { model: c.inputsFrom.model } : {}) });
    const good = p ? inputsFor(p, r.int(1, 3), r) : { x: [1, 2, 3] };
    writeFileSync(join(dir, "in.json"), c.inputsFrom.corrupt ? c.inputsFrom.corrupt(r, good) : JSON.stringify(good));
  }
  if (c.prepare?.startsWith("readonly ")) chmodSync(join(dir, c.prepare.slice(9)), 0o444);
  if (c.prepare?.startsWith("symlink ")) { const f = c.prepare.slice(8); renameSync(join(dir, f), join(dir, "target")); symlinkSync("target", join(dir, f)); }
  const before = new Set(readdirSync(dir));
  byKind[c.kind] = (byKind[c.kind] ?? 0) + 1;
  const run = spawnSync(process.execPath, [MAIN, ...c.args], { cwd: dir, encoding: "utf8", timeout, maxBuffer: 1 << 28 });
  const err = run.stderr ?? "";
  const detail = `exit ${run.status}${run.signal ? ` signal ${run.signal}` : ""}\n--- stderr\n${err.slice(0, 4000)}`;
  if (run.error?.code === "ETIMEDOUT") finding("hang", c, dir, `no exit within ${timeout / 1000} s\n${detail}`);
  else if (run.signal || run.status === null || /internal error|^\s+at .*:\d+:\d+\)?$/m.test(err)) finding("crash", c, dir, detail);
  else if (run.status !== 0) {
    if (!/(^|: )error TH\d{3}: /m.test(err)) finding("uncoded", c, dir, detail);
    const left = readdirSync(dir).filter((f) => !before.has(f));
    if (left.length) finding("partial file", c, dir, `left ${left.join(", ")} after ${detail}`);
  } else if (c.out && existsSync(join(dir, c.out)) && (c.call || c.kind === "names" || c.kind === "deep" || r.chance(0.5))) {
    writeFileSync(join(dir, "call.mjs"), CALLER);
    const threads = r.chance(0.3) ? 2 : 1;
    const call = spawnSync(process.execPath, ["call.mjs", `./${c.out}`, String(threads)], { cwd: dir, encoding: "utf8", timeout });
    if (call.status !== 0) finding("bad module", c, dir, `${call.error?.code === "ETIMEDOUT" ? "no exit" : `exit ${call.status}`} importing or calling ${c.out} (threads ${threads})\n${(call.stderr ?? "").slice(0, 4000)}`);
  } else if (c.args[0] === "eval") {
    // every output and variable of the model is in eval's result
    const modelAt = c.args.indexOf("--model");
    const p = plan(c.files[c.args[1]], { order: 1, ...(modelAt >= 0 ? { model: c.args[modelAt + 1] } : {}) });
    let out;
    try { out = JSON.parse(run.stdout); } catch { finding("silent loss", c, dir, `eval exited 0 without JSON on stdout\n${run.stdout.slice(0, 500)}`); continue; }
    if (p) {
      const lost = [...p.outputs.map((o) => o.name).filter((o) => !Object.prototype.hasOwnProperty.call(out.outputs, o)), ...p.wrt.map((w) => w.name).filter((w) => !out.wrt.includes(w))];
      if (lost.length) finding("silent loss", c, dir, `eval's result lacks ${lost.join(", ")}`);
    }
  }
  if (!process.argv.includes("--keep")) rmSync(dir, { recursive: true, force: true });
}

const total = Object.values(counts).reduce((a, b) => a + b, 0);
console.log(`fuzz: seed ${seed}, ${n} cases in ${((Date.now() - t0) / 1000).toFixed(0)} s (${Object.entries(byKind).map(([k, v]) => `${v} ${k}`).join(", ")})`);
console.log(`findings: ${total} (${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(", ")})`);
for (const f of findings) console.log(`  ${f}`);
if (total) console.log(`details in ${relative(process.cwd(), join(WORK, "findings"))}/`);
else rmSync(WORK, { recursive: true, force: true });
process.exit(total ? 1 : 0);
