/**
 * Instantiating thoad's generated WebAssembly kernels (compiler/wasm/): they
 * import one linear memory as `env.memory` and take byte addresses into it;
 * vector sin, cos and log import `Math.<fn>` for rare arguments.
 * Imports nothing from compiler/; ES2019 library only, no node types.
 */

export interface WasmKernels {
  readonly memory: WebAssembly.Memory;
  /** Kernels take i32 addresses/sizes and f64/f32 scalars (all JS numbers) and return a number or nothing. */
  readonly exports: Record<string, (...args: number[]) => number | undefined>;
}

const PAGE = 65536;

/** The host functions the vector math falls back to (compiler/wasm/vector-math.ts SCALAR_FALLBACK). */
const HOST_MATH = { sin: Math.sin, cos: Math.cos, log: Math.log };

/**
 * Compiles and instantiates synchronously (Node, workers; browsers allow
 * synchronous compilation of small modules only on the main thread: use
 * instantiateKernelsAsync there). `memory` defaults to a fresh one of `minBytes`.
 */
export function instantiateKernels(bytes: Uint8Array, memory?: WebAssembly.Memory, minBytes = PAGE): WasmKernels {
  const mem = memory ?? new WebAssembly.Memory({ initial: pagesFor(minBytes) });
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes as BufferSource), { env: { memory: mem }, Math: HOST_MATH });
  return { memory: mem, exports: instance.exports as WasmKernels["exports"] };
}

export async function instantiateKernelsAsync(bytes: Uint8Array, memory?: WebAssembly.Memory, minBytes = PAGE): Promise<WasmKernels> {
  const mem = memory ?? new WebAssembly.Memory({ initial: pagesFor(minBytes) });
  const { instance } = await WebAssembly.instantiate(bytes as BufferSource, { env: { memory: mem }, Math: HOST_MATH });
  return { memory: mem, exports: instance.exports as WasmKernels["exports"] };
}

function pagesFor(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / PAGE));
}

/**
 * Places arrays in a kernel memory: `reserve` hands out 16-byte aligned byte
 * offsets (v128 loads on aligned rows), `commit` grows the memory once to fit
 * them all, then `f64`/`f32` give views. Growing detaches earlier views, so
 * views are taken only after the last commit.
 */
export class WasmArena {
  private top: number;

  constructor(readonly memory: WebAssembly.Memory, start = 0) {
    this.top = align16(start);
  }

  /** A byte offset for `count` elements of `bytesPer` bytes. */
  reserve(count: number, bytesPer: 8 | 4): number {
    const at = this.top;
    this.top = align16(at + count * bytesPer);
    return at;
  }

  /** Grows the memory (if needed) to hold everything reserved so far. */
  commit(): void {
    const have = this.memory.buffer.byteLength;
    if (this.top > have) this.memory.grow(pagesFor(this.top - have));
  }

  f64(offset: number, count: number): Float64Array {
    return new Float64Array(this.memory.buffer, offset, count);
  }

  f32(offset: number, count: number): Float32Array {
    return new Float32Array(this.memory.buffer, offset, count);
  }
}

function align16(x: number): number {
  return Math.ceil(x / 16) * 16;
}
