// The path worker threads would take with wasm kernels: the module compiled once
// and posted to workers (WebAssembly.Module is structured-cloneable), one shared
// memory (a SharedArrayBuffer) holding A, B and C, each worker running the GEMM
// on its own block of rows. Rows are independent in C += A B, so the result is
// bit-identical to the one-thread reference whatever the split.
import { afterAll, expect, test } from "vitest";
import { Worker } from "node:worker_threads";
import { addGemm, ModuleBuilder } from "../../compiler/wasm/index.js";
import { WasmArena } from "../../runtime/wasm.js";
import { rng } from "./run.js";

const WORKER = `
const { parentPort } = require("node:worker_threads");
parentPort.on("message", ({ module, memory, args }) => {
  const { exports } = new WebAssembly.Instance(module, { env: { memory } });
  exports.gemm(...args);
  parentPort.postMessage("done");
});`;

const workers: Worker[] = [];
afterAll(async () => { await Promise.all(workers.map((w) => w.terminate())); });

test("a shared memory: two workers, one module, disjoint row blocks, bit-identical C", async () => {
  const mod = new ModuleBuilder().importMemory(1, { maxPages: 16, shared: true });
  addGemm(mod, "gemm");
  const bytes = mod.encode();
  expect(WebAssembly.validate(bytes as BufferSource)).toBe(true);
  const module = new WebAssembly.Module(bytes as BufferSource);
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 16, shared: true });
  expect(memory.buffer).toBeInstanceOf(SharedArrayBuffer);
  // a module importing a shared memory rejects an unshared one
  expect(() => new WebAssembly.Instance(module, { env: { memory: new WebAssembly.Memory({ initial: 1, maximum: 16 }) } })).toThrow(WebAssembly.LinkError);

  const [m, n, k] = [37, 29, 23];
  const arena = new WasmArena(memory);
  const [pa, pb, pc] = [arena.reserve(m * k, 8), arena.reserve(k * n, 8), arena.reserve(m * n, 8)];
  arena.commit();
  const [A, B, C] = [arena.f64(pa, m * k), arena.f64(pb, k * n), arena.f64(pc, m * n)];
  const r = rng(3);
  for (const X of [A, B, C]) for (let i = 0; i < X.length; i++) X[i] = r() * 2 - 1;
  const want = C.slice();
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = want[i * n + j];
    for (let p = 0; p < k; p++) s += A[i * k + p] * B[p * n + j];
    want[i * n + j] = s;
  }

  const split = 18; // rows 0..17 and 18..36: a block boundary that is not a multiple of the 4-row tile
  const blocks = [[0, split], [split, m]];
  await Promise.all(blocks.map(([r0, r1]) => new Promise<void>((ok, fail) => {
    const w = new Worker(WORKER, { eval: true });
    workers.push(w);
    w.once("message", () => ok());
    w.once("error", fail);
    w.postMessage({ module, memory, args: [r1 - r0, n, k, pa + r0 * k * 8, k, pb, n, pc + r0 * n * 8, n] });
  })));
  expect([...C]).toEqual([...want]);
});

test("a shared memory import needs a maximum", () => {
  expect(() => new ModuleBuilder().importMemory(1, { shared: true })).toThrow(/maxPages/);
});
