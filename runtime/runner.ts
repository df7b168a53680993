/**
 * Runs an emitted model's program on one thread or splits the batch across
 * worker threads (pool.ts): by default ("auto") when the call is large enough
 * by the plan's flops per sample, up to the cores; `threads: 1` forces one. Samples are independent
 * (batch unification), so a thread running samples [lo, hi) computes exactly
 * what a one-thread call computes for them: the split is at tile boundaries,
 * every tile is the same tile a one-thread call runs, and the kernels are the
 * same source text. Outputs without the batch axis depend on params only (the
 * batch axis is never reduced) and are kept from the calling thread's run.
 */
import { dropProgram, runParallel, readyWorkers, threadsAvailable, type ProgramSource } from "./pool.js";
import type { FloatArray } from "./tensor.js";

/** Per-call options of an emitted model. */
export interface RunOptions {
  /**
   * Threads to split the batch over: "auto" (the default) up to the cores there
   * are, N at most N, 1 the calling thread only. Either way a batch too small to
   * pay for the hand-off (by the plan's flops per sample) runs on fewer threads
   * (see splitBatch); the numbers are the same bit for bit.
   */
  readonly threads?: number | "auto";
}

/** run(B, lo, hi, data, out): every param-only step, then the batched steps on samples [lo, hi). */
export type ProgramRun<D extends FloatArray = Float64Array> = (B: number, lo: number, hi: number, data: readonly D[], out: readonly D[]) => void;

/** Float64Array or Float32Array, the class: a module's element type. */
export interface ArrayClass<D extends FloatArray> { new (length: number): D; readonly BYTES_PER_ELEMENT: number }

/** A buffer handed to the caller: `size` values, per sample when `batched`. */
export interface OutputSpec { readonly size: number; readonly batched: boolean }

/** Static facts the thread split needs. */
export interface BatchProfile {
  /** Samples per tile (0: the program runs untiled and cannot be split). */
  readonly tile: number;
  /** Estimated flops per sample of the batched steps. */
  readonly flopsPerSample: number;
}

/**
 * Below this many flops per thread (about 0.4 ms of the ts target's kernels, 60 us of the wasm target's) a thread is not worth its
 * hand-off: 25 to 60 us measured (input copy, message, wake-up), more when the worker waits for a core.
 */
export const MIN_FLOPS_PER_THREAD = 1e6;

/**
 * The sample ranges of a call, one per thread used: whole tiles, as even as
 * possible. Fewer threads than asked when the batch has fewer tiles, or less
 * than MIN_FLOPS_PER_THREAD of work per thread.
 */
export function splitBatch(B: number, threads: number, profile: BatchProfile): [number, number][] {
  const tiles = profile.tile > 0 ? Math.ceil(B / profile.tile) : 1;
  const byWork = Math.floor((B * profile.flopsPerSample) / MIN_FLOPS_PER_THREAD);
  const n = Math.max(1, Math.min(threads, tiles, byWork));
  const ranges: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    const t0 = Math.floor((i * tiles) / n), t1 = Math.floor(((i + 1) * tiles) / n);
    ranges.push([t0 * profile.tile, Math.min(B, t1 * profile.tile)]);
  }
  if (n === 1) ranges[0] = [0, B];
  return ranges;
}

/**
 * Chunks per thread of a split call: the threads claim chunks one at a time (pool.ts Job), so
 * a thread whose core runs slower does fewer. Each chunk repeats the program's param-only steps
 * (a few us for the benchmark models), so not many more than the imbalance needs: a core
 * running half as fast as the other (common on this project's shared VMs) leaves a quarter chunk
 * idle at worst instead of half the call.
 */
export const CHUNKS_PER_THREAD = 4;

/** Samples per chunk of a call split over `threads` (splitBatch's count): whole tiles. */
export function chunkStep(B: number, threads: number, profile: BatchProfile): number {
  if (threads <= 1 || profile.tile <= 0) return B;
  const tiles = Math.ceil(B / profile.tile);
  return profile.tile * Math.max(1, Math.floor(tiles / (threads * CHUNKS_PER_THREAD)));
}

/**
 * The most threads a call may use for `threads`: checked, and capped at the cores there are
 * (more only wait for one); "auto" or no option: the cores. splitBatch then uses fewer for a
 * small batch.
 */
export function checkThreads(model: string, options: RunOptions | undefined): number {
  const cores = threadLimit ?? (coresSeen ??= availableCores());
  if (options === undefined) return cores;
  if (options === null || typeof options !== "object") throw new Error(`${model}: options must be an object such as { threads: 2 }`);
  const t = options.threads;
  if (t === undefined || t === "auto") return cores;
  if (typeof t !== "number" || !Number.isInteger(t) || t < 1) throw new Error(`${model}: option threads must be a positive integer or "auto", got ${typeof t === "number" ? t : JSON.stringify(t) ?? String(t)}`);
  return Math.min(t, cores);
}

/** Whether a call's options leave the thread count to the runtime ("auto", the default). */
const autoThreads = (options: RunOptions | undefined): boolean => options?.threads === undefined || options.threads === "auto";

let threadLimit: number | undefined;
/** availableCores() once per process: it costs a system call (about 2 us), and "auto" (the default) asks on every call. */
let coresSeen: number | undefined;

/**
 * Caps `threads` for every model of this runtime at `n` (undefined: back to the
 * default, the cores there are). Above the cores threads only wait for one,
 * so this is for tests of wider splits, or for a lower cap on a shared machine.
 */
export function setThreadLimit(n: number | undefined): void {
  if (n !== undefined && (!Number.isInteger(n) || n < 1)) throw new Error(`setThreadLimit: expected a positive integer or undefined, got ${n}`);
  threadLimit = n;
}

/** Cores this process may use: os.availableParallelism() in Node, navigator.hardwareConcurrency in a browser, else 1. */
export function availableCores(): number {
  const g = globalThis as { process?: { getBuiltinModule?: (id: string) => unknown }; navigator?: { hardwareConcurrency?: number } };
  const os = g.process?.getBuiltinModule?.("node:os") as { availableParallelism?: () => number } | undefined;
  const n = os?.availableParallelism?.() ?? g.navigator?.hardwareConcurrency;
  return typeof n === "number" && Number.isInteger(n) && n >= 1 ? n : 1;
}

let warned = false;

/** Once per runtime: where threads cannot run (a browser page that is not cross-origin isolated has no SharedArrayBuffer), calls run on one thread. */
function warnOneThread(threads: number): void {
  if (warned) return;
  warned = true;
  const c = (globalThis as { console?: { warn(...a: unknown[]): void } }).console;
  c?.warn(`thoad: threads: ${threads} runs on one thread here: splitting a batch needs SharedArrayBuffer (in a browser, a cross-origin isolated page: Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp) and worker threads (Node's worker_threads, or a browser's Web Workers); the numbers are the same`);
}

/**
 * Starts the worker threads that split calls use, `threads - 1` of them (default: as many
 * as "auto" may use, by the cores), and resolves to how many run once each has started; 0
 * where threads cannot run. Optional in Node, where the first split call starts them. In a
 * browser a Web Worker starts only once the page's thread returns to its event loop, so
 * the calls made before then run on one thread: await this first.
 */
export async function startWorkers(threads?: number | "auto"): Promise<number> {
  const n = checkThreads("startWorkers", threads === undefined ? undefined : { threads });
  if (n <= 1 || !threadsAvailable()) return 0;
  return readyWorkers(n - 1);
}

/** What split calls did since this runtime loaded (threadStats). */
export interface ThreadStats {
  /** Calls whose batch was split. */
  readonly splitCalls: number;
  /** Their chunks (whole tiles of samples), and how many of those worker threads ran: the rest ran on the calling thread. */
  readonly chunks: number;
  readonly workerChunks: number;
}
const stats = { splitCalls: 0, chunks: 0, workerChunks: 0 };

/** Counts of the split calls so far: whether, and how much, worker threads took part. */
export function threadStats(): ThreadStats {
  return { ...stats };
}

let nextId = 1;
// workers forget a program once its model is garbage-collected (read through globalThis: lib ES2021 is not assumed)
type Registry = new (drop: (id: number) => void) => { register(target: object, id: number): void };
const Finalization = (globalThis as { FinalizationRegistry?: Registry }).FinalizationRegistry;
const unused = Finalization ? new Finalization(dropProgram) : undefined;

export class Runner<D extends FloatArray = Float64Array> {
  private readonly id = nextId++;
  private built?: { readonly local: ProgramRun<D>; readonly shipped: ProgramSource };
  private inputStore: D;
  private outStore: D[] = [];
  private outStoreB = -1;
  /** Per output, values per sample a worker zeroes in its range of the shared buffer before it writes (0: unbatched). */
  private readonly zero: readonly number[];

  /**
   * program: a closed function (reads only its argument and globals), so workers can rebuild it from its source text.
   * tables: the index tables, or a function building them, called on the first run: a high-order
   * module's tables take seconds to build, and importing it should not.
   */
  constructor(
    private readonly model: string,
    private readonly program: (tables: readonly Int32Array[]) => ProgramRun<D>,
    private readonly tables: readonly Int32Array[] | (() => readonly Int32Array[]),
    private readonly outputs: readonly OutputSpec[],
    private readonly profile: BatchProfile,
    /** The module's element type (--dtype): every buffer handed to the caller, and the shared inputs. */
    private readonly Arr: ArrayClass<D> = Float64Array as unknown as ArrayClass<D>,
  ) {
    this.inputStore = new Arr(0);
    this.zero = outputs.map((o) => (o.batched ? o.size : 0));
    unused?.register(this, this.id);
  }

  /** The program instantiated on this thread, and as workers receive it: made on the first run. */
  private build(): { readonly local: ProgramRun<D>; readonly shipped: ProgramSource } {
    if (!this.built) {
      const tables = typeof this.tables === "function" ? this.tables() : this.tables;
      this.built = { local: this.program(tables), shipped: { id: this.id, source: this.program.toString(), tables } };
    }
    return this.built;
  }

  /** Runs the model on checked inputs; returns the buffers handed to the caller, in OutputSpec order. */
  run(B: number, data: readonly D[], options?: RunOptions): D[] {
    let threads = checkThreads(this.model, options);
    // threads asked for but impossible here: said once; "auto" quietly runs on one thread
    if (threads > 1 && !threadsAvailable()) { if (!autoThreads(options)) warnOneThread(threads); threads = 1; }
    const ranges = splitBatch(B, threads, this.profile);
    const { local, shipped } = this.build();
    // The caller's buffers are fresh ordinary arrays, split or not: the allocator hands back memory
    // freed by earlier calls, where a new SharedArrayBuffer is always fresh pages, and first-touch page
    // faults cost about 2.5 us a page on this project's VMs (55 ms for MLP order 3's 21.6 MB at B=4096:
    // more than the split saved). In a split call the workers write their samples into shared buffers
    // kept across calls (faulted once), which each worker zeroes in its own range (pool.ts), copied into the caller's buffers after.
    const allocate = (): D[] => this.outputs.map((o) => new this.Arr(o.batched ? B * o.size : o.size));
    if (ranges.length === 1) {
      const out = allocate();
      local(B, 0, B, data, out);
      return out;
    }
    const store = this.outputStore(B);
    const shared = this.share(data);
    const step = chunkStep(B, ranges.length, this.profile), chunks = Math.ceil(B / step);
    // This thread's chunks (`mine`) go into the caller's buffers, the workers' are copied from the shared
    // ones after. The caller's buffers are allocated once the workers have their jobs: zeroing them (45 us
    // for MLP order 3's 675 KB at B=128) then overlaps the workers' first chunks. Outputs without the batch
    // axis are accumulated by every run: kept from chunk 0, later chunks write them into the workers'
    // scratch (each worker has its own copy of it).
    const mine = new Uint8Array(chunks);
    let out: D[] = [];
    runParallel(shipped, { B, lo: 0, hi: B, step, data: shared, out: store, zero: this.zero }, ranges.length - 1, (claim) => {
      out = allocate();
      const later = out.map((a, j) => (this.outputs[j]!.batched ? a : store[j]!));
      for (let c = 0; c < chunks; c = claim()) {
        mine[c] = 1;
        local(B, c * step, Math.min(B, (c + 1) * step), data, c === 0 ? out : later);
      }
    });
    stats.splitCalls++;
    stats.chunks += chunks;
    for (let c = 0; c < chunks; c++) {
      if (mine[c]) continue;
      stats.workerChunks++;
      const lo = c * step, hi = Math.min(B, lo + step);
      this.outputs.forEach((o, j) => { if (o.batched) out[j]!.set(store[j]!.subarray(lo * o.size, hi * o.size), lo * o.size); });
    }
    return out;
  }

  /**
   * Per batched output, a shared buffer of B samples kept across calls (made again when B changes); per
   * unbatched one, scratch for the workers (the calling thread's copy is kept). The same arrays every
   * call, so workers receive them once (pool.ts bind).
   */
  private outputStore(B: number): D[] {
    if (this.outStoreB !== B) {
      this.outStore = this.outputs.map((o) => (o.batched ? this.shared(B * o.size) : new this.Arr(o.size)));
      this.outStoreB = B;
    }
    return this.outStore;
  }

  /** n elements of the module's type in a SharedArrayBuffer. */
  private shared(n: number): D {
    const sab = new SharedArrayBuffer(this.Arr.BYTES_PER_ELEMENT * n);
    return (this.Arr.BYTES_PER_ELEMENT === 4 ? new Float32Array(sab) : new Float64Array(sab)) as D;
  }

  /** The inputs as views of one SharedArrayBuffer, reused across calls (copied every call: the caller may change them). */
  private share(data: readonly D[]): D[] {
    let total = 0;
    for (const d of data) total += d.length;
    if (this.inputStore.length !== total) this.inputStore = this.shared(total);
    let at = 0;
    return data.map((d) => {
      if (d.buffer instanceof SharedArrayBuffer) return d;
      const v = this.inputStore.subarray(at, at + d.length) as D;
      v.set(d);
      at += d.length;
      return v;
    });
  }
}
