/**
 * Batch-parallel calls (`threads` option): threads = 2 and 3 (an uneven split,
 * a partial last tile) give exactly the numbers of threads = 1 -- every block
 * of every output, bit for bit -- over several models, both modes, with and
 * without --seed-output, batched and param (unbatched) wrt, and outputs with
 * and without the batch axis. The batch sizes are chosen so that the split
 * really happens (asserted through splitBatch, which the runtime uses).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { batchProfile, type CompileOptions } from "../../compiler/index.js";
import { randomInputs } from "../../compiler/tools/random-inputs.js";
import { availableCores, checkThreads, chunkStep, closeWorkers, MIN_FLOPS_PER_THREAD, Runner, setThreadLimit, splitBatch, startWorkers, threadStats, workerCount, type OutputResult, type ProgramRun } from "../../runtime/index.js";
import { compileOk, readRoot } from "../helpers/compile.js";

afterAll(() => closeWorkers());

/** Index of the first difference (Object.is: NaN equals NaN, -0 differs from 0), or -1. */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

function expectIdentical(got: Record<string, OutputResult>, want: Record<string, OutputResult>, label: string): void {
  expect(Object.keys(got)).toEqual(Object.keys(want));
  for (const [name, w] of Object.entries(want)) {
    const g = got[name]!;
    expect(g.value.shape, `${label} ${name}`).toEqual(w.value.shape);
    expect(firstDifference(g.value.data, w.value.data), `${label} ${name} value`).toBe(-1);
    for (const key of w.keys()) {
      const names = key.split(",");
      expect(firstDifference(g.packed(...names).data, w.packed(...names).data), `${label} ${name} d(${key})`).toBe(-1);
    }
  }
}

/** A batch size of the form 16k + 5 (a partial last tile) that splits over 3 threads. */
function splittingBatch(profile: { tile: number; flopsPerSample: number }): number {
  for (let tiles = 3; ; tiles *= 2) if (splitBatch(16 * tiles + 5, 3, profile).length === 3) return 16 * tiles + 5;
}

const MIXED = `model mixed {
  batch B
  input x : [B, 4]
  param W : [4, 4]
  param c : [4]
  y = tanh(x @ W + c)
  r = sum(sin(W) * c)      # no batch axis: params only
  output y, r
}`;

interface Case { readonly name: string; readonly src: string; readonly opts: CompileOptions; readonly split: boolean }
const mlp = readRoot("examples/mlp.thd");
const cases: Case[] = [
  { name: "mlp order 3 wrt x", src: mlp, opts: { order: 3 }, split: true },
  { name: "mlp order 2 wrt x, W3 (param blocks per sample)", src: mlp, opts: { order: 2, wrt: ["x", "W3"] }, split: true },
  { name: "mlp order 3 --seed-output", src: mlp, opts: { order: 3, seedOutput: true }, split: true },
  { name: "mlp order 2 wrt b2 --seed-output", src: mlp, opts: { order: 2, wrt: ["b2"], seedOutput: true }, split: true },
  { name: "cnn order 2 (gather tables)", src: readRoot("examples/cnn.thd"), opts: { order: 2 }, split: true },
  { name: "contractions order 2 (three outputs, one of shape [B])", src: readRoot("test/models/contractions.thd"), opts: { order: 2, model: "contractions" }, split: true },
  { name: "a param-only output next to a batched one, wrt x and W", src: MIXED, opts: { order: 2, wrt: ["x", "W"] }, split: true },
  { name: "mlp order 3 --dtype f32 (Float32Array buffers shared with the workers)", src: mlp, opts: { order: 3, dtype: "f32" }, split: true },
  { name: "mlp order 2 --no-batch: untiled (the diagonal reads every sample), one thread", src: mlp, opts: { order: 2, noBatch: 1 }, split: false },
  { name: "no batch axis (loss): one thread whatever is asked", src: readRoot("examples/loss.thd"), opts: { order: 2, wrt: ["W1"] }, split: false },
];

describe("threads: identical numbers to one thread", { timeout: 120_000 }, () => {
  // three threads even on a two-core machine (threads are capped at the cores by default)
  beforeAll(() => setThreadLimit(3));
  afterAll(() => setThreadLimit(undefined));
  for (const c of cases) for (const mode of ["forward", "reverse"] as const) {
    it(`${c.name} (${mode})`, () => {
      const { plan, fn } = compileOk(c.src, { ...c.opts, mode });
      const profile = batchProfile(plan);
      const B = c.split ? splittingBatch(profile) : 1;
      if (c.split) {
        expect(B % profile.tile).toBe(5);
        expect(splitBatch(B, 2, profile).length).toBe(2);
      } else expect(splitBatch(B, 3, profile)).toEqual([[0, B]]);
      const inputs = randomInputs(plan, B, 3);
      const one = fn(inputs);
      const two = fn(inputs, { threads: 2 });
      const three = fn(inputs, { threads: 3 });
      expectIdentical(two, one, "threads 2");
      expectIdentical(three, one, "threads 3");
      if (c.split) expect(workerCount()).toBeGreaterThanOrEqual(2);
      // again, with workers and programs warm, and new inputs
      const again = randomInputs(plan, B, 4);
      expectIdentical(fn(again, { threads: 3 }), fn(again), "threads 3, second call");
    });
  }
});

describe("threads: \"auto\" by default", { timeout: 60_000 }, () => {
  // two cores at least, whatever the machine has: the choice is under test, not the machine
  beforeAll(() => setThreadLimit(2));
  afterAll(() => setThreadLimit(undefined));
  const big = compileOk(mlp, { order: 2 });
  const profile = batchProfile(big.plan);
  // the smallest batch whose work is worth two threads, and the largest that is not
  const enough = Math.max(2 * profile.tile, Math.ceil((2 * MIN_FLOPS_PER_THREAD) / profile.flopsPerSample));
  // whether a call split its batch: a split call starts the worker that closeWorkers then ends (a one-thread call starts none)
  const split = async (call: () => Record<string, OutputResult>) => { await closeWorkers(); const r = call(); return { r, split: (await closeWorkers()) > 0 }; };

  it("no option, {} and \"auto\" may use every core; 1 forces one thread", () => {
    expect(checkThreads("mlp", undefined)).toBe(2);
    expect(checkThreads("mlp", {})).toBe(2);
    expect(checkThreads("mlp", { threads: "auto" })).toBe(2);
    expect(checkThreads("mlp", { threads: 1 })).toBe(1);
    setThreadLimit(5);
    try { expect(checkThreads("mlp", { threads: "auto" })).toBe(5); } finally { setThreadLimit(2); }
  });

  it("a call large enough by the plan's flops per sample splits; a small one, or threads: 1, runs on the calling thread; the numbers are identical", async () => {
    expect(splitBatch(enough, 2, profile).length).toBe(2);
    expect(splitBatch(enough - profile.tile, 2, profile).length).toBe(1);
    const x = randomInputs(big.plan, enough, 5);
    const one = await split(() => big.fn(x, { threads: 1 }));
    expect(one.split).toBe(false);
    const dflt = await split(() => big.fn(x)), auto = await split(() => big.fn(x, { threads: "auto" }));
    expect(dflt.split).toBe(true);
    expect(auto.split).toBe(true);
    expectIdentical(dflt.r, one.r, "default (auto) vs threads 1");
    expectIdentical(auto.r, one.r, "auto vs threads 1");
    const small = randomInputs(big.plan, enough - profile.tile, 6);
    expect((await split(() => big.fn(small))).split).toBe(false);
  });

  it("auto where threads cannot run: one thread, no warning (asked-for threads warn)", () => {
    const x = randomInputs(big.plan, enough, 7);
    const want = big.fn(x, { threads: 1 });
    const sab = globalThis.SharedArrayBuffer;
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    let calls: unknown[][];
    try {
      delete (globalThis as { SharedArrayBuffer?: unknown }).SharedArrayBuffer;
      expectIdentical(big.fn(x), want, "auto without SharedArrayBuffer");
    } finally {
      (globalThis as { SharedArrayBuffer?: unknown }).SharedArrayBuffer = sab;
      calls = [...warn.mock.calls];
      warn.mockRestore();
    }
    expect(calls).toHaveLength(0);
  });
});

describe("splitBatch", () => {
  const profile = { tile: 16, flopsPerSample: MIN_FLOPS_PER_THREAD / 16 }; // one tile is worth one thread
  it("whole tiles, as even as possible, covering [0, B)", () => {
    expect(splitBatch(100, 3, profile)).toEqual([[0, 32], [32, 64], [64, 100]]);
    expect(splitBatch(64, 2, profile)).toEqual([[0, 32], [32, 64]]);
    expect(splitBatch(64, 8, profile)).toEqual([[0, 16], [16, 32], [32, 48], [48, 64]]); // at most one thread per tile
  });
  it("small batches stay on one thread", () => {
    expect(splitBatch(31, 2, profile)).toEqual([[0, 31]]); // 31/16 of the minimum work: one thread
    expect(splitBatch(1000, 4, { tile: 16, flopsPerSample: 10 })).toEqual([[0, 1000]]);
    expect(splitBatch(1000, 4, { tile: 0, flopsPerSample: 1e9 })).toEqual([[0, 1000]]); // untiled plans do not split
  });
});

describe("threads option: errors and the pool", { timeout: 60_000 }, () => {
  const { plan, fn } = compileOk(mlp, { order: 1 });
  const inputs = randomInputs(plan, 4, 1);
  it("rejects a bad threads value with a clear message", () => {
    for (const [bad, shown] of [[0, "0"], [-2, "-2"], [1.5, "1.5"], [Number.NaN, "NaN"], ["2", '"2"'], [null, "null"]] as const) {
      expect(() => fn(inputs, { threads: bad as unknown as number })).toThrow(`mlp: option threads must be a positive integer or "auto", got ${shown}`);
    }
    expect(() => fn(inputs, 2 as unknown as object)).toThrow("mlp: options must be an object such as { threads: 2 }");
    expect(fn(inputs, {}).y!.value.data).toEqual(fn(inputs).y!.value.data);
  });

  it("threads above the cores are capped at the cores (64 started 63 workers); setThreadLimit moves the cap", async () => {
    const big = compileOk(mlp, { order: 2 });
    const x = randomInputs(big.plan, 4096, 2);
    await closeWorkers();
    expect(checkThreads("mlp", { threads: 64 })).toBe(availableCores());
    expectIdentical(big.fn(x, { threads: 64 }), big.fn(x), "threads 64");
    expect(workerCount()).toBeLessThanOrEqual(availableCores() - 1);
    setThreadLimit(1);
    try { expect(checkThreads("mlp", { threads: 2 })).toBe(1); } finally { setThreadLimit(undefined); }
    expect(() => setThreadLimit(0)).toThrow("setThreadLimit: expected a positive integer or undefined, got 0");
  });

  it("a split call's outputs are ordinary arrays the caller owns (the workers write into shared buffers kept across calls); closeWorkers ends the workers and says how many, a later call starts new ones", async () => {
    const big = compileOk(mlp, { order: 2 });
    const x = randomInputs(big.plan, 256, 2);
    const r = big.fn(x, { threads: 2 });
    expect(r.y!.packed("x", "x").data.buffer).not.toBeInstanceOf(SharedArrayBuffer);
    // a second split call gets new arrays: the first call's numbers stay as they were
    const before = Array.from(r.y!.packed("x", "x").data);
    const again = big.fn(randomInputs(big.plan, 256, 3), { threads: 2 });
    expect(again.y!.packed("x", "x").data).not.toBe(r.y!.packed("x", "x").data);
    expect(Array.from(r.y!.packed("x", "x").data)).toEqual(before);
    expect(workerCount()).toBeGreaterThan(0);
    expect(await closeWorkers()).toBe(1);
    expect(workerCount()).toBe(0);
    expect(await closeWorkers()).toBe(0);
    expectIdentical(big.fn(x, { threads: 2 }), big.fn(x), "after closeWorkers");
    expect(workerCount()).toBe(1);
  });

  it("workers kept across calls take each call's inputs, batch size and model (arrays sent once per model and size), parked or idle", async () => {
    await closeWorkers();
    const big = compileOk(mlp, { order: 2 }), o3 = compileOk(mlp, { order: 3 });
    const models = [big, o3, big];
    let seed = 10;
    for (const B of [256, 256, 160, 256]) {
      for (const m of models) {
        const x = randomInputs(m.plan, B, seed++);
        expect(splitBatch(B, 2, batchProfile(m.plan)).length).toBe(2);
        expectIdentical(m.fn(x, { threads: 2 }), m.fn(x, { threads: 1 }), `B=${B} seed ${seed - 1}`);
      }
    }
    expect(workerCount()).toBe(1);
    // past the park time the worker is back in its event loop: the job reaches it by message
    await new Promise((r) => setTimeout(r, 1200));
    const x = randomInputs(big.plan, 256, 99);
    expectIdentical(big.fn(x, { threads: 2 }), big.fn(x, { threads: 1 }), "after the worker left its park loop");
    expect(await closeWorkers()).toBe(1);
  });

  it("threads claim chunks of the batch: a worker that runs slow does fewer, the calling thread the rest, and a worker that never started is not waited for", () => {
    // B = 128 in tiles of 16 over 2 threads: chunks of one tile (chunkStep), 8 of them
    const profile = { tile: 16, flopsPerSample: MIN_FLOPS_PER_THREAD };
    expect(chunkStep(128, 2, profile)).toBe(16);
    expect(chunkStep(1024, 2, profile)).toBe(128);
    expect(chunkStep(100, 3, profile)).toBe(16);
    expect(chunkStep(100, 1, profile)).toBe(100);
    let here = 0; // chunks the calling thread ran (the workers' copy never reads it)
    const program = (): ProgramRun => (_B, lo, hi, _data, out) => {
      const onWorker = !(globalThis as unknown as { process: { getBuiltinModule(id: string): { isMainThread: boolean } } }).process.getBuiltinModule("node:worker_threads").isMainThread;
      if (onWorker) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
      else here++;
      for (let b = lo; b < hi; b++) out[0]![b] = 2 * b + 1;
    };
    const runner = new Runner("slow-worker", program, [], [{ size: 1, batched: true }], profile);
    for (let call = 0; call < 2; call++) {
      here = 0;
      expect(Array.from(runner.run(128, [], { threads: 2 })[0]!)).toEqual(Array.from({ length: 128 }, (_, b) => 2 * b + 1));
      // the worker sleeps through its first chunk while this thread runs the other seven (or all eight)
      expect(here).toBeGreaterThanOrEqual(7);
    }
  });

  it("many split calls in a row, with the batch size and so the chunks changing, give one thread's numbers every time (the claim counter, withdrawn jobs, polling and parking)", async () => {
    const big = compileOk(mlp, { order: 2 });
    const sizes = [256, 160, 37 * 16 + 5, 256, 96];
    for (const B of [256, 160, 37 * 16 + 5]) expect(splitBatch(B, 2, batchProfile(big.plan)).length).toBe(2);
    let seed = 200;
    for (let i = 0; i < 150; i++) {
      const B = sizes[i % sizes.length]!;
      const x = randomInputs(big.plan, B, seed++);
      expectIdentical(big.fn(x, { threads: 2 }), big.fn(x, { threads: 1 }), `call ${i} B=${B}`);
      // now and then an idle gap: the worker polls, then parks, then leaves its park loop
      if (i % 50 === 49) await new Promise((r) => setTimeout(r, i === 99 ? 1100 : 5));
    }
  });

  it("startWorkers starts the pool before a call and resolves once the workers run; threadStats counts split calls and the chunks workers ran", async () => {
    await closeWorkers();
    expect(await startWorkers(1)).toBe(0); // one thread: no worker to start
    expect(workerCount()).toBe(0);
    await expect(startWorkers(0)).rejects.toThrow('startWorkers: option threads must be a positive integer or "auto", got 0');
    setThreadLimit(2);
    try { expect(await startWorkers(2)).toBe(1); } finally { setThreadLimit(undefined); }
    expect(workerCount()).toBe(1);
    // the calling thread sleeps in each chunk it runs, so the started worker surely takes some of the 4
    const program = (): ProgramRun => (_B, lo, hi, _data, out) => {
      const onWorker = !(globalThis as unknown as { process: { getBuiltinModule(id: string): { isMainThread: boolean } } }).process.getBuiltinModule("node:worker_threads").isMainThread;
      if (!onWorker) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
      for (let b = lo; b < hi; b++) out[0]![b] = 3 * b;
    };
    const runner = new Runner("stats", program, [], [{ size: 1, batched: true }], { tile: 16, flopsPerSample: MIN_FLOPS_PER_THREAD });
    const before = threadStats();
    expect(Array.from(runner.run(64, [], { threads: 2 })[0]!)).toEqual(Array.from({ length: 64 }, (_, b) => 3 * b));
    runner.run(64, [], { threads: 1 });
    const after = threadStats();
    expect(after.splitCalls - before.splitCalls).toBe(1);
    expect(after.chunks - before.chunks).toBe(4);
    expect(after.workerChunks - before.workerChunks).toBeGreaterThanOrEqual(1);
    expect(after.workerChunks - before.workerChunks).toBeLessThanOrEqual(3); // chunk 0 is always the caller's
  });

  it("a worker's failure is rethrown on the calling thread", () => {
    // not closed: `offset` lives outside the program, so the workers' rebuilt copy cannot see it
    const offset = 7;
    const program = (): ProgramRun => (_B, lo, hi, _data, out) => {
      const onWorker = !(globalThis as unknown as { process: { getBuiltinModule(id: string): { isMainThread: boolean } } }).process.getBuiltinModule("node:worker_threads").isMainThread;
      if (!onWorker) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200); // leaves the other chunks to the worker
      for (let b = lo; b < hi; b++) out[0]![b] = b + offset;
    };
    const runner = new Runner("open", program, [], [{ size: 1, batched: true }], { tile: 16, flopsPerSample: MIN_FLOPS_PER_THREAD });
    expect(Array.from(runner.run(20, [], { threads: 1 })[0]!)).toEqual(Array.from({ length: 20 }, (_, b) => b + 7));
    expect(() => runner.run(64, [], { threads: 2 })).toThrow(/a worker thread failed: ReferenceError: offset is not defined/);
    // the pool is still usable
    expect(Array.from(fn(inputs, { threads: 2 }).y!.value.data)).toEqual(Array.from(fn(inputs).y!.value.data));
  });

  it("a worker that dies mid-call (its program calls process.exit) fails the call with an Error instead of hanging it; the pool replaces it", async () => {
    // a closed program that, on a worker, ends the worker's thread while the caller waits
    const program = (): ProgramRun => (_B, lo, hi, _data, out) => {
      const onWorker = !(globalThis as unknown as { process: { getBuiltinModule(id: string): { isMainThread: boolean } } }).process.getBuiltinModule("node:worker_threads").isMainThread;
      if (onWorker) (globalThis as unknown as { process: { exit(code: number): void } }).process.exit(3);
      if (!onWorker) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200); // leaves the other chunks to the worker
      for (let b = lo; b < hi; b++) out[0]![b] = b;
    };
    const runner = new Runner("poisoned", program, [], [{ size: 1, batched: true }], { tile: 16, flopsPerSample: MIN_FLOPS_PER_THREAD });
    const t0 = Date.now();
    expect(() => runner.run(64, [], { threads: 2 })).toThrow(/^a worker thread failed: the worker thread exited \(code 3\) during the call$/);
    expect(Date.now() - t0).toBeLessThan(20_000);
    await new Promise((ok) => setTimeout(ok, 100)); // the dead worker's exit event
    // the next split call runs on a new worker
    expect(Array.from(fn(inputs, { threads: 2 }).y!.value.data)).toEqual(Array.from(fn(inputs).y!.value.data));
    const big = compileOk(mlp, { order: 2 });
    const x = randomInputs(big.plan, 256, 2);
    expectIdentical(big.fn(x, { threads: 2 }), big.fn(x), "after a worker died");
  });

  it("a worker terminated mid-call (closeWorkers from the caller's own share: terminate()) fails the call with an Error instead of hanging it", async () => {
    // the worker's chunk never finishes; the caller's share, run on this thread with
    // its closure, ends every worker, and the caller then waits for them
    const program = (): ProgramRun => (_B, lo, hi, _data, out) => {
      const onWorker = !(globalThis as unknown as { process: { getBuiltinModule(id: string): { isMainThread: boolean } } }).process.getBuiltinModule("node:worker_threads").isMainThread;
      if (onWorker) for (;;) { /* until terminated */ }
      if (!onWorker) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200); // leaves the other chunks to the worker
      void closeWorkers();
      for (let b = lo; b < hi; b++) out[0]![b] = b;
    };
    const runner = new Runner("terminated", program, [], [{ size: 1, batched: true }], { tile: 16, flopsPerSample: MIN_FLOPS_PER_THREAD });
    const t0 = Date.now();
    expect(() => runner.run(64, [], { threads: 2 })).toThrow(/^a worker thread failed: closeWorkers\(\) ended the worker thread during the call$/);
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(workerCount()).toBe(0);
    const big = compileOk(mlp, { order: 2 });
    const x = randomInputs(big.plan, 256, 2);
    expectIdentical(big.fn(x, { threads: 2 }), big.fn(x), "after a worker was terminated");
  });

  it("a worker whose thread stops without a word mid-call (its exit handlers removed, as when its isolate is terminated) fails the call instead of hanging it", async () => {
    const program = (): ProgramRun => (B, lo, hi, _data, out) => {
      const proc = (globalThis as unknown as { process: { removeAllListeners(e: string): void; exit(code: number): void } }).process;
      const onWorker = !(globalThis as unknown as { process: { getBuiltinModule(id: string): { isMainThread: boolean } } }).process.getBuiltinModule("node:worker_threads").isMainThread;
      if (onWorker && B === 64) { proc.removeAllListeners("exit"); proc.exit(5); }
      if (B === 64 && !onWorker) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200); // leaves the other chunks to the worker
      for (let b = lo; b < hi; b++) out[0]![b] = b;
    };
    const runner = new Runner("silent", program, [], [{ size: 1, batched: true }], { tile: 16, flopsPerSample: MIN_FLOPS_PER_THREAD });
    await closeWorkers();
    // a started worker, seen running by this thread's event loop (see stopped() in runtime/pool.ts)
    expect(Array.from(runner.run(32, [], { threads: 2 })[0]!)).toEqual(Array.from({ length: 32 }, (_, b) => b));
    await new Promise((ok) => setTimeout(ok, 50));
    const t0 = Date.now();
    expect(() => runner.run(64, [], { threads: 2 })).toThrow(/^a worker thread failed: the worker thread was stopped from outside during the call$/);
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(workerCount()).toBe(0);
    expect(Array.from(runner.run(48, [], { threads: 2 })[0]!)).toEqual(Array.from({ length: 48 }, (_, b) => b));
  });

  it("without SharedArrayBuffer (a browser page that is not cross-origin isolated) threads: 2 runs on one thread with one console warning", () => {
    const big = compileOk(mlp, { order: 2 });
    const x = randomInputs(big.plan, 256, 2);
    const want = big.fn(x);
    const sab = globalThis.SharedArrayBuffer;
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    let calls: unknown[][];
    try {
      delete (globalThis as { SharedArrayBuffer?: unknown }).SharedArrayBuffer;
      expectIdentical(big.fn(x, { threads: 2 }), want, "no SharedArrayBuffer");
      expectIdentical(big.fn(x, { threads: 2 }), want, "no SharedArrayBuffer, again");
    } finally {
      (globalThis as { SharedArrayBuffer?: unknown }).SharedArrayBuffer = sab;
      calls = [...warn.mock.calls];
      warn.mockRestore();
    }
    expect(calls).toHaveLength(1);
    expect(String(calls[0]![0])).toMatch(/^thoad: threads: 2 runs on one thread here: splitting a batch needs SharedArrayBuffer/);
  });
});
