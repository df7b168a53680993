// runtime/wasm.ts: instantiation over a host memory and the arena that lays arrays out in it.
import { expect, test } from "vitest";
import { instantiateKernels, WasmArena } from "../../runtime/wasm.js";

// The smallest module importing env.memory (hand-written bytes, independent of compiler/wasm):
// header, import section with one memory (min 1 page), nothing else.
const MEMORY_ONLY = Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 2, 15, 1, 3, ..."env".split("").map((c) => c.charCodeAt(0)), 6, ..."memory".split("").map((c) => c.charCodeAt(0)), 2, 0, 1]);

test("a fresh memory is sized for minBytes; a given memory is used as is", () => {
  expect(WebAssembly.validate(MEMORY_ONLY)).toBe(true);
  expect(instantiateKernels(MEMORY_ONLY, undefined, 3 * 65536 + 1).memory.buffer.byteLength).toBe(4 * 65536);
  const mem = new WebAssembly.Memory({ initial: 2 });
  expect(instantiateKernels(MEMORY_ONLY, mem).memory).toBe(mem);
});

test("WasmArena: 16-byte aligned offsets, one grow on commit, views over the reserved bytes", () => {
  const mem = new WebAssembly.Memory({ initial: 1 });
  const arena = new WasmArena(mem, 4);
  const a = arena.reserve(3, 8); // 24 bytes
  const b = arena.reserve(5, 4); // 20 bytes
  const c = arena.reserve(20000, 8); // 160000 bytes: needs more than one page
  expect([a, b, c]).toEqual([16, 48, 80]);
  arena.commit();
  expect(mem.buffer.byteLength).toBe(Math.ceil((80 + 160000) / 65536) * 65536);
  arena.commit(); // nothing new reserved: no grow
  expect(mem.buffer.byteLength).toBe(3 * 65536);
  const v = arena.f64(c, 20000);
  v[19999] = 1.5;
  expect(new Float64Array(mem.buffer)[(c >> 3) + 19999]).toBe(1.5);
  expect(arena.f32(b, 5).length).toBe(5);
});
