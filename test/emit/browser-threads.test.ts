/**
 * Split calls in a real headless Chromium (test/helpers/browser.ts), in a page
 * served cross-origin isolated (COOP and COEP headers: SharedArrayBuffer), where
 * the pool's workers are Web Workers and the page's thread polls instead of
 * blocking in Atomics.wait (runtime/pool.ts):
 * - standalone modules of examples/mlp.thd, ts and wasm targets: every call with
 *   threads: 2 gives the one-thread numbers bit for bit (Object.is), before the
 *   workers have started (the first call: a Web Worker starts only once the page
 *   returns to its event loop) and after startWorkers();
 * - the runtime's Runner with a program whose calling thread is slow: the worker
 *   runs chunks (threadStats), and its failure is rethrown on the page's thread
 *   with its message, after which the pool still works;
 * - docs/threads.md's browser snippet, run as written in a page (with `inputs`
 *   defined before it): the call splits and gives the one-thread numbers.
 * Skips, saying why, when no Chromium is installed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../helpers/compile.js";
import { findChromium, launchChromium, pageResult, serveDirs, type Browser } from "../helpers/browser.js";

const chromium = findChromium("browser-threads.test.ts");
const ISOLATED = { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" };

/** The page: module `m` (mlp_ts or mlp_wasm) at B = 256, threads 2 against 1. */
const MODEL_PAGE = `<!doctype html><meta charset="utf-8"><script type="module">
const out = { isolated: crossOriginIsolated };
try {
  const m = await import("./" + new URLSearchParams(location.search).get("m") + ".js");
  const B = 256, ins = {};
  for (const [n, shape] of Object.entries(m.mlp.inputs)) {
    const s = shape.map((d) => (d < 0 ? B : d)), a = new Float64Array(s.reduce((x, y) => x * y, 1));
    for (let i = 0; i < a.length; i++) a[i] = Math.sin(0.37 * i + n.length);
    ins[n] = new m.Tensor(s, a);
  }
  const one = m.mlp(ins, { threads: 1 });
  const differ = (r) => {
    let bad = 0;
    for (const [a, b] of [[r.y.value.data, one.y.value.data], ...["x", "x,x"].map((k) => [r.y.packed(...k.split(",")).data, one.y.packed(...k.split(",")).data])]) {
      if (a.length !== b.length) return -1;
      for (let j = 0; j < a.length; j++) if (!Object.is(a[j], b[j])) bad++;
    }
    return bad;
  };
  out.firstDiffer = differ(m.mlp(ins, { threads: 2 }));
  out.started = await m.startWorkers(2);
  out.laterDiffer = 0;
  for (let i = 0; i < 30; i++) out.laterDiffer += differ(m.mlp(ins, { threads: 2 }));
  out.stats = m.threadStats();
} catch (e) { out.error = String(e && e.stack || e); }
window.result = out;
</script>`;

/** The page: the runtime's Runner, the calling thread spinning 100 ms in each chunk it runs. */
const RUNNER_PAGE = `<!doctype html><meta charset="utf-8"><script type="module">
import { closeWorkers, MIN_FLOPS_PER_THREAD, Runner, startWorkers, threadStats } from "/runtime/index.js";
const out = {};
try {
  out.started = await startWorkers(2);
  const slow = () => (B, lo, hi, data, out) => {
    if (typeof window !== "undefined") for (const end = performance.now() + 100; performance.now() < end;);
    for (let b = lo; b < hi; b++) out[0][b] = 3 * b;
  };
  const profile = { tile: 16, flopsPerSample: MIN_FLOPS_PER_THREAD };
  const before = threadStats();
  out.values = Array.from(new Runner("slow", slow, [], [{ size: 1, batched: true }], profile).run(64, [], { threads: 2 })[0]);
  const after = threadStats();
  out.split = after.splitCalls - before.splitCalls;
  out.chunks = after.chunks - before.chunks;
  out.workerChunks = after.workerChunks - before.workerChunks;
  const failing = () => (B, lo, hi, data, out) => {
    if (typeof window !== "undefined") for (const end = performance.now() + 100; performance.now() < end;);
    else throw new Error("boom on a worker");
    for (let b = lo; b < hi; b++) out[0][b] = b;
  };
  try { new Runner("failing", failing, [], [{ size: 1, batched: true }], profile).run(64, [], { threads: 2 }); out.failure = "none"; }
  catch (e) { out.failure = String(e.message); }
  out.afterFailure = Array.from(new Runner("slow", slow, [], [{ size: 1, batched: true }], profile).run(64, [], { threads: 2 })[0]);
  out.closed = await closeWorkers();
} catch (e) { out.error = String(e && e.stack || e); }
window.result = out;
</script>`;

/** docs/threads.md's fenced js block that calls startWorkers, run in a page after `inputs` (B = 256) is defined: its imports are hoisted. */
function docPage(): string {
  const doc = readFileSync(join(ROOT, "docs/threads.md"), "utf8");
  const snippet = [...doc.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!).find((b) => b.includes("startWorkers"));
  expect(snippet, "docs/threads.md has a js block calling startWorkers").toBeDefined();
  const inputs = `const inputs = Object.fromEntries(Object.entries(mlp.inputs).map(([n, shape]) => {
  const s = shape.map((d) => (d < 0 ? 256 : d)), data = new Float64Array(s.reduce((x, y) => x * y, 1));
  for (let i = 0; i < data.length; i++) data[i] = Math.cos(0.29 * i + n.length);
  return [n, { shape: s, data }];
}));`;
  const check = `const one = mlp(inputs, { threads: 1 });
window.result = { stats: threadStats(), same: r.y.packed("x", "x").data.every((v, i) => Object.is(v, one.y.packed("x", "x").data[i])) && r.y.value.data.every((v, i) => Object.is(v, one.y.value.data[i])) };`;
  return `<!doctype html><meta charset="utf-8"><script type="module">\n${inputs}\n${snippet}\n${check}\n</script>`;
}

describe.skipIf(!chromium)("split calls in Chromium (Web Workers)", () => {
  let browser: Browser, dir: string, server: Awaited<ReturnType<typeof serveDirs>>;
  beforeAll(async () => {
    mkdirSync(join(ROOT, "test/.tmp"), { recursive: true });
    dir = mkdtempSync(join(ROOT, "test/.tmp/browser-threads-"));
    for (const target of ["ts", "wasm"]) {
      const r = spawnSync(process.execPath, [join(ROOT, "dist/cli/main.js"), join(ROOT, "examples/mlp.thd"), "--order", "2", "--emit", "js", "--standalone", "--target", target, "-o", join(dir, `mlp_${target}.js`)], { encoding: "utf8" });
      expect(r.status, r.stderr).toBe(0);
    }
    writeFileSync(join(dir, "model.html"), MODEL_PAGE);
    writeFileSync(join(dir, "runner.html"), RUNNER_PAGE);
    writeFileSync(join(dir, "doc.html"), docPage());
    copyFileSync(join(dir, "mlp_wasm.js"), join(dir, "mlp.js"));
    server = await serveDirs({ "/": dir, "/runtime/": join(ROOT, "dist/runtime") }, ISOLATED);
    browser = await launchChromium(chromium!);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The page's result, and what its console said (errors, page errors and warnings). */
  async function run(path: string): Promise<{ result: Record<string, unknown>; console: string[] }> {
    const { result, errors, warnings } = await pageResult<Record<string, unknown>>(browser, `${server.base}/${path}`);
    return { result, console: [...errors, ...warnings] };
  }

  for (const target of ["ts", "wasm"]) {
    it(`--target ${target}, --standalone: threads: 2 gives the one-thread numbers bit for bit, before and after startWorkers`, async () => {
      const { result, console } = await run(`model.html?m=mlp_${target}`);
      expect(result.error).toBeUndefined();
      expect(console).toEqual([]);
      expect(result.isolated).toBe(true);
      expect(result.firstDiffer).toBe(0);
      expect(result.started).toBe(1);
      expect(result.laterDiffer).toBe(0);
      // every call split (B = 256 is large enough): 31 split calls of 8 chunks
      expect(result.stats).toMatchObject({ splitCalls: 31, chunks: 248 });
    }, 90_000);
  }

  it("docs/threads.md's browser snippet runs as written: after startWorkers() the default call splits and gives the one-thread numbers", async () => {
    const { result, console } = await run("doc.html");
    expect(console).toEqual([]);
    expect(result.same).toBe(true);
    expect(result.stats).toMatchObject({ splitCalls: 1, chunks: 8 });
  }, 90_000);

  it("the worker runs chunks while the page's thread is busy, and its failure is rethrown there with its message; the pool stays usable", async () => {
    const { result, console } = await run("runner.html");
    expect(result.error).toBeUndefined();
    expect(console).toEqual([]);
    expect(result.started).toBe(1);
    expect(result.values).toEqual(Array.from({ length: 64 }, (_, b) => 3 * b));
    expect(result).toMatchObject({ split: 1, chunks: 4 });
    expect(result.workerChunks).toBeGreaterThanOrEqual(1);
    expect(result.failure).toBe("a worker thread failed: Error: boom on a worker");
    expect(result.afterFailure).toEqual(Array.from({ length: 64 }, (_, b) => 3 * b));
    expect(result.closed).toBe(1);
  }, 90_000);
});
