/**
 * The worker threads that batch-parallel model calls share. Created lazily by
 * the first call that needs them, kept for later calls, unref'd so that idle
 * workers never keep a process alive; `closeWorkers()` ends them.
 *
 * A worker runs one script (workerMain's source text): it rebuilds a model's
 * kernels from the source text of the model's closed program function, then
 * runs the sample ranges it is sent. The calling thread runs its own range
 * meanwhile and blocks in Atomics.wait until every worker has signalled, so a
 * model call stays synchronous. Node only: worker_threads comes from
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
interface NodeWorker { postMessage(message: unknown): void; unref(): void; terminate(): Promise<number>; on(event: "error" | "exit", f: () => void): void }
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
  | { kind: "run"; id: number; job: Job; done: Int32Array };
type RunFn = (B: number, lo: number, hi: number, data: readonly FloatArray[], out: readonly FloatArray[]) => void;

/**
 * A worker's whole script (shipped as source text, so it reads nothing from
 * this module). done[0] counts finished jobs, done[1] flags a failure whose
 * text went to the replies port. A worker that exits during a job (its program
 * called process.exit, or threw where nothing catches) still counts the job,
 * as failed: the calling thread would otherwise wait for it forever.
 */
function workerMain(wt: WorkerSide, proc: WorkerProcess, EXITED: string): void {
  const programs = new Map<number, RunFn | Error>();
  const replies = wt.workerData.replies;
  let running: Int32Array | undefined;
  proc.on("exit", (code) => {
    if (!running) return;
    replies.postMessage(`${EXITED} (code ${code}) during the call`);
    Atomics.store(running, 1, 1);
    Atomics.add(running, 0, 1);
    Atomics.notify(running, 0);
  });
  wt.parentPort.on("message", (m) => {
    if (m.kind === "load") {
      try { programs.set(m.id, (new Function(`return (${m.source});`) as () => (t: Int32Array[]) => RunFn)()(m.tables)); }
      catch (e) { programs.set(m.id, e instanceof Error ? e : new Error(String(e))); }
      return;
    }
    if (m.kind === "drop") { programs.delete(m.id); return; }
    running = m.done;
    try {
      const run = programs.get(m.id);
      if (typeof run !== "function") throw run ?? new Error(`program ${m.id} was never loaded`);
      const { B, lo, hi, data, out } = m.job;
      run(B, lo, hi, data, out);
    } catch (e) {
      replies.postMessage(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
      Atomics.store(m.done, 1, 1);
    }
    running = undefined;
    Atomics.add(m.done, 0, 1);
    Atomics.notify(m.done, 0);
  });
}

interface PoolWorker { readonly worker: NodeWorker; readonly replies: Port; readonly loaded: Set<number> }

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
  // a counter per call: a worker of an earlier, failed call can never count for this one
  const done = new Int32Array(new SharedArrayBuffer(8));
  jobs.forEach((job, i) => {
    const w = workers[i]!;
    if (!w.loaded.has(program.id)) {
      w.worker.postMessage({ kind: "load", id: program.id, source: program.source, tables: program.tables });
      w.loaded.add(program.id);
    }
    w.worker.postMessage({ kind: "run", id: program.id, job, done });
  });
  try {
    local();
  } finally {
    // wait even if the local share threw: workers are still writing into this call's buffers
    for (let seen = Atomics.load(done, 0); seen < jobs.length; seen = Atomics.load(done, 0)) Atomics.wait(done, 0, seen);
  }
  if (Atomics.load(done, 1) !== 0) {
    const wt = workerThreads();
    const messages: string[] = [];
    const dead: PoolWorker[] = [];
    for (const w of workers) {
      for (let r = wt.receiveMessageOnPort(w.replies); r; r = wt.receiveMessageOnPort(w.replies)) {
        messages.push(String(r.message));
        if (String(r.message).startsWith(EXITED)) dead.push(w);
      }
    }
    // gone now, though its exit event comes later: never send it another job
    for (const w of dead) workers.splice(workers.indexOf(w), 1);
    throw new Error(`a worker thread failed: ${messages.join("; ")}`);
  }
}

/** How a worker that exits during a job says so (a constant of the worker's script too). */
const EXITED = "the worker thread exited";

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
 */
export async function closeWorkers(): Promise<void> {
  const ending = workers.splice(0, workers.length);
  for (const w of ending) w.replies.close();
  await Promise.all(ending.map((w) => w.worker.terminate()));
}
