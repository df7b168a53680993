/**
 * The worker threads that batch-parallel model calls share. Created lazily by
 * the first call that needs them, kept for later calls, unref'd so that idle
 * workers never keep a process alive; `closeWorkers()` ends them.
 *
 * A worker runs one script (workerMain's source text): it rebuilds a model's
 * kernels from the source text of the model's closed program function, then
 * runs the sample ranges it is sent. The calling thread runs its own range
 * meanwhile and blocks in Atomics.wait until every worker has signalled, so a
 * model call stays synchronous. A worker ended from outside signals nothing, so
 * its job is failed for it: by closeWorkers (the one way to terminate() a pool
 * worker), or by the waiting caller, which looks for stopped threads every
 * PROBE_MS. Node only: worker_threads comes from
 * process.getBuiltinModule, so this file loads (and threads = 1 runs) anywhere.
 */

import type { FloatArray } from "./tensor.js";

/** A model's program as workers receive it. */
export interface ProgramSource {
  readonly id: number;
  /** Source text of a closed function (tables) => run, e.g. the emitted $program. */
  readonly source: string;
  readonly tables: readonly Int32Array[];
}

/** One worker's share of a call: samples [lo, hi) of every batched step. */
export interface Job {
  readonly B: number;
  readonly lo: number;
  readonly hi: number;
  /** Inputs and outputs; batched arrays live in SharedArrayBuffers. */
  readonly data: readonly FloatArray[];
  readonly out: readonly FloatArray[];
}

// The few parts of node:worker_threads used here: the runtime compiles without @types/node.
interface Port { postMessage(message: unknown): void; close(): void; unref?(): void }
interface NodeWorker {
  postMessage(message: unknown): void; unref(): void; terminate(): Promise<number>; on(event: "error" | "exit", f: () => void): void;
  readonly performance?: { eventLoopUtilization(): { idle: number } };
}
interface WorkerThreads {
  readonly Worker: new (script: string, options: { eval: true; workerData: unknown; transferList: unknown[] }) => NodeWorker;
  readonly MessageChannel: new () => { port1: Port; port2: Port };
  receiveMessageOnPort(port: Port): { message: unknown } | undefined;
}
interface WorkerSide { readonly parentPort: { on(event: "message", f: (m: WorkerMessage) => void): void }; readonly workerData: { replies: Port } }
interface WorkerProcess { on(event: "exit", f: (code: number) => void): void }
type WorkerMessage =
  | { kind: "load"; id: number; source: string; tables: Int32Array[] }
  | { kind: "drop"; id: number }
  | { kind: "run"; id: number; job: Job; done: Int32Array; slot: number };
type RunFn = (B: number, lo: number, hi: number, data: readonly FloatArray[], out: readonly FloatArray[]) => void;

/**
 * A worker's whole script (shipped as source text, so it reads nothing from
 * this module). done[0] counts finished jobs, done[1] flags a failure whose
 * text went to the replies port (or that the calling thread recorded),
 * done[slot] is set by whoever finishes the job first: its worker, or the
 * calling thread failing it for a worker ended from outside (so a job counts
 * once). A worker that exits during a job (its program called process.exit, or
 * threw where nothing catches) still counts the job, as failed: the calling
 * thread would otherwise wait for it forever.
 */
function workerMain(wt: WorkerSide, proc: WorkerProcess, EXITED: string): void {
  const programs = new Map<number, RunFn | Error>();
  const replies = wt.workerData.replies;
  let running: { done: Int32Array; slot: number } | undefined;
  const finish = (done: Int32Array, slot: number, failure: string | undefined): void => {
    if (Atomics.compareExchange(done, slot, 0, 1) !== 0) return;
    if (failure !== undefined) { replies.postMessage(failure); Atomics.store(done, 1, 1); }
    Atomics.add(done, 0, 1);
    Atomics.notify(done, 0);
  };
  proc.on("exit", (code) => { if (running) finish(running.done, running.slot, `${EXITED} (code ${code}) during the call`); });
  wt.parentPort.on("message", (m) => {
    if (m.kind === "load") {
      try { programs.set(m.id, (new Function(`return (${m.source});`) as () => (t: Int32Array[]) => RunFn)()(m.tables)); }
      catch (e) { programs.set(m.id, e instanceof Error ? e : new Error(String(e))); }
      return;
    }
    if (m.kind === "drop") { programs.delete(m.id); return; }
    running = { done: m.done, slot: m.slot };
    let failure: string | undefined;
    try {
      const run = programs.get(m.id);
      if (typeof run !== "function") throw run ?? new Error(`program ${m.id} was never loaded`);
      const { B, lo, hi, data, out } = m.job;
      run(B, lo, hi, data, out);
    } catch (e) {
      failure = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    }
    running = undefined;
    finish(m.done, m.slot, failure);
  });
}

interface PoolWorker {
  readonly worker: NodeWorker; readonly replies: Port; readonly loaded: Set<number>;
  /** The job it holds during a call, and why the calling thread failed it, if it did. */
  running?: { readonly done: Int32Array; readonly slot: number } | undefined;
  lost?: string;
}

const workers: PoolWorker[] = [];

function workerThreadsOrUndefined(): WorkerThreads | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return proc?.getBuiltinModule?.("node:worker_threads") as WorkerThreads | undefined;
}

function workerThreads(): WorkerThreads {
  const wt = workerThreadsOrUndefined();
  if (!wt) throw new Error("threads > 1 needs Node.js worker threads (Node >= 20.16, process.getBuiltinModule); use threads: 1 here");
  return wt;
}

function ensureWorkers(n: number): void {
  if (workers.length >= n) return;
  const wt = workerThreads();
  while (workers.length < n) {
    const { port1, port2 } = new wt.MessageChannel();
    const script = `(${workerMain.toString()})(process.getBuiltinModule("node:worker_threads"), process, ${JSON.stringify(EXITED)});`;
    const worker = new wt.Worker(script, { eval: true, workerData: { replies: port2 }, transferList: [port2] });
    worker.unref();
    port1.unref?.();
    const entry: PoolWorker = { worker, replies: port1, loaded: new Set() };
    // a worker that died is left out of the pool (the next call starts another); its error
    // event is the failed call's, already thrown there, not the process's
    worker.on("error", () => {});
    worker.on("exit", () => { const i = workers.indexOf(entry); if (i >= 0) workers.splice(i, 1); });
    workers.push(entry);
  }
}

/**
 * Runs jobs[i] on worker i and `local` on the calling thread, and returns when
 * all have finished; a worker's failure is rethrown here with its message.
 */
export function runParallel(program: ProgramSource, jobs: readonly Job[], local: () => void): void {
  ensureWorkers(jobs.length);
  const used = workers.slice(0, jobs.length);
  // a counter per call: a worker of an earlier, failed call can never count for this one; done[2 + i]: job i finished
  const done = new Int32Array(new SharedArrayBuffer(4 * (2 + jobs.length)));
  jobs.forEach((job, i) => {
    const w = used[i]!;
    if (!w.loaded.has(program.id)) {
      w.worker.postMessage({ kind: "load", id: program.id, source: program.source, tables: program.tables });
      w.loaded.add(program.id);
    }
    w.worker.performance?.eventLoopUtilization(); // read while the thread runs: see stopped()
    w.running = { done, slot: 2 + i };
    w.worker.postMessage({ kind: "run", id: program.id, job, done, slot: 2 + i });
  });
  try {
    local();
  } finally {
    // wait even if the local share threw: workers are still writing into this call's buffers
    for (let seen = Atomics.load(done, 0); seen < jobs.length; seen = Atomics.load(done, 0)) {
      if (Atomics.wait(done, 0, seen, PROBE_MS) === "timed-out") for (const w of used) if (stopped(w)) failJob(w, `${STOPPED} during the call`);
    }
    for (const w of used) w.running = undefined;
  }
  if (Atomics.load(done, 1) !== 0) {
    const wt = workerThreads();
    const dead = used.filter((w) => w.lost !== undefined);
    const messages = dead.map((w) => w.lost!);
    for (const w of workers) {
      for (let r = wt.receiveMessageOnPort(w.replies); r; r = wt.receiveMessageOnPort(w.replies)) {
        messages.push(String(r.message));
        if (String(r.message).startsWith(EXITED)) dead.push(w);
      }
    }
    // gone now, though its exit event comes later: never send it another job
    for (const w of dead) if (workers.includes(w)) workers.splice(workers.indexOf(w), 1);
    throw new Error(`a worker thread failed: ${messages.join("; ")}`);
  }
}

/** How a worker that exits during a job says so (a constant of the worker's script too). */
const EXITED = "the worker thread exited";
/** How the calling thread reports a worker it found stopped without a word (its isolate terminated). */
const STOPPED = "the worker thread was stopped from outside";
/** How often a waiting caller looks for stopped workers (a call that ends sooner never looks). */
const PROBE_MS = 50;

/** Counts w's job as failed, unless it has finished (the worker and the calling thread race for its slot). */
function failJob(w: PoolWorker, why: string): void {
  const r = w.running;
  if (!r || Atomics.compareExchange(r.done, r.slot, 0, 1) !== 0) return;
  w.lost = why;
  Atomics.store(r.done, 1, 1);
  Atomics.add(r.done, 0, 1);
}

/**
 * Whether a worker's thread has ended without its exit event (which cannot reach
 * a caller blocked in Atomics.wait). Node's event-loop metrics read the thread's
 * state synchronously: a stopped thread's loop idle time is -1. They count only
 * once the calling thread's event loop has seen the worker start and read while
 * it ran (runParallel reads them before each job), so a worker stopped during
 * the very first call after its start, before any turn of that loop, stays unseen.
 */
function stopped(w: PoolWorker): boolean {
  const elu = w.worker.performance?.eventLoopUtilization();
  return elu !== undefined && elu.idle < 0;
}

/**
 * Whether `threads > 1` can run here: it needs SharedArrayBuffer (a browser
 * page has it only when cross-origin isolated) and Node's worker threads.
 */
export function threadsAvailable(): boolean {
  return typeof SharedArrayBuffer === "function" && workerThreadsOrUndefined() !== undefined;
}

/** Workers no longer need a program (its model was garbage-collected). */
export function dropProgram(id: number): void {
  for (const w of workers) if (w.loaded.delete(id)) w.worker.postMessage({ kind: "drop", id });
}

/** Number of live worker threads (0 until a call with threads > 1). */
export function workerCount(): number {
  return workers.length;
}

/**
 * Ends every worker thread. Not needed for a process to exit (idle workers are
 * unref'd); frees their memory. A later call with threads > 1 starts new ones.
 * Resolves to how many it ended (0: no call since the last one split a batch).
 */
export async function closeWorkers(): Promise<number> {
  const ending = workers.splice(0, workers.length);
  // called during a split call (from the caller's own share): the ended workers' jobs fail it
  for (const w of ending) failJob(w, "closeWorkers() ended the worker thread during the call");
  for (const w of ending) w.replies.close();
  await Promise.all(ending.map((w) => w.worker.terminate()));
  return ending.length;
}
