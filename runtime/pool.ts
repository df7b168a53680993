/**
 * The worker threads that batch-parallel model calls share. Created lazily by
 * the first call that needs them, kept for later calls, unref'd so that idle
 * workers never keep a process alive; `closeWorkers()` ends them.
 *
 * A worker runs one script (workerMain's source text): it rebuilds a model's
 * kernels from the source text of the model's closed program function, then
 * runs the chunks of the batch it claims (Job). A job does not travel as a message: the
 * calling thread writes it into the worker's control block (a few Int32s in a
 * SharedArrayBuffer, `sig`) and wakes the worker, which after each job parks in
 * Atomics.wait for the next (PARK_MS). Structured-cloning a job's dozen shared
 * arrays and an event-loop wake-up cost 30 to 40 us a call, about a tenth of a
 * split Hessian call; the arrays go by message only when they change (`bind`,
 * once per model and batch size). The calling thread runs chunks too
 * meanwhile and blocks in Atomics.wait until every worker has signalled, so a
 * model call stays synchronous. A worker ended from outside signals nothing, so
 * its job is failed for it: by closeWorkers (the one way to terminate() a pool
 * worker), or by the waiting caller, which looks for stopped threads every
 * PROBE_MS. In Node the workers are worker_threads (from process.getBuiltinModule,
 * so this file loads, and threads = 1 runs, anywhere); in a browser page that is
 * cross-origin isolated (SharedArrayBuffer) they are Web Workers from a Blob URL of
 * the same script (webWorkerMain adapts it). A browser's main thread may not
 * block in Atomics.wait, so there the calling thread polls instead (waitFor);
 * and a Web Worker starts only once that thread returns to its event loop, so
 * the calls made before then run alone (startWorkers() awaits the start).
 */

import type { FloatArray } from "./tensor.js";

/** A model's program as workers receive it. */
export interface ProgramSource {
  readonly id: number;
  /** Source text of a closed function (tables) => run, e.g. the emitted $program. */
  readonly source: string;
  readonly tables: readonly Int32Array[];
}

/**
 * A split call as the workers see it: samples [lo, hi) of every batched step in chunks of
 * `step` samples, which the calling thread and the workers claim one at a time from a shared
 * counter (chunk 0 is the caller's), so a thread that runs slower (its core shared with
 * another process, a late wake-up) does fewer chunks instead of holding up the call.
 */
export interface Job {
  readonly B: number;
  readonly lo: number;
  readonly hi: number;
  readonly step: number;
  /** Inputs and outputs; batched arrays live in SharedArrayBuffers. */
  readonly data: readonly FloatArray[];
  readonly out: readonly FloatArray[];
  /** Per output, the values per sample the worker zeroes in [lo, hi) before it runs (0: none): in parallel, not on the calling thread. */
  readonly zero: readonly number[];
}

// The few parts of node:worker_threads used here: the runtime compiles without @types/node.
interface Port { postMessage(message: unknown): void; close(): void; unref?(): void }
interface NodeWorker {
  postMessage(message: unknown): void; unref(): void; terminate(): Promise<number>; on(event: "error" | "exit", f: () => void): void;
  readonly performance?: { eventLoopUtilization(): { idle: number } };
}
/** The parts of a browser's Worker, Blob and URL used here (lib "dom" is not assumed). */
interface WebWorker { postMessage(message: unknown): void; terminate(): void }
interface WebGlobals {
  readonly Worker: new (url: string) => WebWorker;
  readonly Blob: new (parts: string[], options: { type: string }) => object;
  readonly URL: { createObjectURL(blob: object): string };
}
interface WorkerThreads {
  readonly Worker: new (script: string, options: { eval: true; workerData: unknown; transferList: unknown[] }) => NodeWorker;
  readonly MessageChannel: new () => { port1: Port; port2: Port };
  receiveMessageOnPort(port: Port): { message: unknown } | undefined;
}
export interface WorkerSide {
  readonly parentPort: Port & { on(event: "message", f: (m: WorkerMessage) => void): void };
  readonly workerData: { replies: Port; sig: Int32Array; next: Int32Array };
  receiveMessageOnPort(port: Port): { message: WorkerMessage } | undefined;
}
export interface WorkerProcess { on(event: "exit", f: (code: number) => void): void }
export type WorkerMessage =
  | { kind: "load"; id: number; source: string; tables: readonly Int32Array[] }
  | { kind: "drop"; id: number }
  | { kind: "bind"; data: readonly FloatArray[]; out: readonly FloatArray[]; zero: readonly number[] }
  | { kind: "poke" };
/** A browser worker's first message (webWorkerMain): its control block, the chunk counter, and where it writes failures. */
interface WebInit { readonly sig: Int32Array; readonly next: Int32Array; readonly text: Int32Array }
type RunFn = (B: number, lo: number, hi: number, data: readonly FloatArray[], out: readonly FloatArray[]) => void;

/**
 * The slots of a worker's control block. The calling thread writes a job's
 * PROG, B, LO and HI, then SEQ (the job's number), then bumps WAKE; the worker
 * runs a job when SEQ differs from the last it ran. Whoever finishes job n
 * first (the worker, or the calling thread failing it for a worker ended from
 * outside) moves CLAIM from n - 1 to n, so a job counts once, sets FAILED if it
 * failed (the text on the replies port, or in PoolWorker.lost), then sets FIN
 * to n. PARKED: the worker is in its park loop (else a job needs a message to
 * wake its event loop). SPIN: the worker is polling SEQ (for SPIN_MS after a
 * job), so a job needs no Atomics.notify. START: moved from n - 1 to n by
 * the worker taking job n, or by the calling thread withdrawing it once every
 * chunk is taken (a late worker then skips it, and the call does not wait for it).
 * POSTED: how many messages the calling thread has posted to the worker, written
 * before SEQ; a worker that has received fewer when it sees a new job returns to
 * its event loop for them first (a browser's worker cannot read its queue
 * synchronously; Node's drains it and never falls behind). READY: set once the
 * worker's script runs (startWorkers).
 */
export const SIG = { WAKE: 0, SEQ: 1, CLAIM: 2, FIN: 3, FAILED: 4, PARKED: 5, PROG: 6, B: 7, LO: 8, HI: 9, SPIN: 10, STEP: 11, START: 12, POSTED: 13, READY: 14, SIZE: 15 } as const;

/**
 * A worker's whole script (shipped as source text, so it reads nothing from
 * this module). A worker that exits during a job (its program called
 * process.exit, or threw where nothing catches) still finishes the job, as
 * failed: the calling thread would otherwise wait for it forever. Exported
 * for test/runtime/pool-order.test.ts, which runs it in-process against a
 * scripted message port.
 */
export function workerMain(wt: WorkerSide, proc: WorkerProcess, EXITED: string, PARK_MS: number, SPIN_MS: number, S: typeof SIG): void {
  const programs = new Map<number, RunFn | Error>();
  const { replies, sig, next } = wt.workerData;
  let bound: { data: readonly FloatArray[]; out: readonly FloatArray[]; zero: readonly number[] } = { data: [], out: [], zero: [] };
  let last = 0;
  let received = 0;
  let running: number | undefined;
  const finish = (seq: number, failure: string | undefined): void => {
    if (Atomics.compareExchange(sig, S.CLAIM, seq - 1, seq) !== seq - 1) return;
    if (failure !== undefined) { replies.postMessage(failure); Atomics.store(sig, S.FAILED, 1); }
    Atomics.store(sig, S.FIN, seq);
    Atomics.notify(sig, S.FIN);
  };
  proc.on("exit", (code) => { if (running !== undefined) finish(running, `${EXITED} (code ${code}) during the call`); });
  const handle = (m: WorkerMessage): void => {
    received++;
    if (m.kind === "load") {
      try { programs.set(m.id, (new Function(`return (${m.source});`) as () => (t: readonly Int32Array[]) => RunFn)()(m.tables)); }
      catch (e) { programs.set(m.id, e instanceof Error ? e : new Error(String(e))); }
    } else if (m.kind === "drop") programs.delete(m.id);
    else if (m.kind === "bind") bound = { data: m.data, out: m.out, zero: m.zero };
  };
  const drain = (): void => { for (let r = wt.receiveMessageOnPort(wt.parentPort); r; r = wt.receiveMessageOnPort(wt.parentPort)) handle(r.message); };
  /**
   * Runs the job in the control block if it is new; whether there was one, or "behind" when its
   * messages have not been received yet. A job's load and bind messages are posted (enqueued
   * synchronously) before its SEQ is written, so they are all in the queue once the new SEQ is seen:
   * drained after that read, not only before it. Draining only before it let a job whose messages
   * arrived between the drain and the read run with the previous call's arrays (a split call failed
   * with "RangeError: offset is out of bounds" when the last call's shared outputs were for a
   * smaller batch). A browser's worker cannot drain (no receiveMessageOnPort): it counts what it
   * received against POSTED and, behind, returns to its event loop, which delivers the messages.
   */
  const runJob = (): boolean | "behind" => {
    const seq = Atomics.load(sig, S.SEQ);
    const posted = Atomics.load(sig, S.POSTED);
    drain();
    if (seq === last) return false;
    if (received < posted) return "behind";
    last = seq;
    if (Atomics.compareExchange(sig, S.START, seq - 1, seq) !== seq - 1) return true; // withdrawn: the call is done without it
    running = seq;
    let failure: string | undefined;
    try {
      const id = Atomics.load(sig, S.PROG), run = programs.get(id);
      if (typeof run !== "function") throw run ?? new Error(`program ${id} was never loaded`);
      const B = Atomics.load(sig, S.B), from = Atomics.load(sig, S.LO), to = Atomics.load(sig, S.HI), step = Atomics.load(sig, S.STEP);
      for (let lo = from + Atomics.add(next, 0, 1) * step; lo < to; lo = from + Atomics.add(next, 0, 1) * step) {
        const hi = Math.min(to, lo + step);
        bound.zero.forEach((n, j) => { if (n > 0) bound.out[j]!.fill(0, lo * n, hi * n); });
        run(B, lo, hi, bound.data, bound.out);
      }
    } catch (e) {
      failure = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    }
    running = undefined;
    finish(seq, failure);
    return true;
  };
  // After a job the worker waits in Atomics.wait on WAKE for up to PARK_MS (a futex: no CPU):
  // calls in a loop then reach it in about 5 us instead of an event-loop wake-up's 20 to 60 us.
  // Leaving, it clears PARKED and looks once more: a job written while it left is run, not missed
  // (the caller writes SEQ before it reads PARKED; both sequentially consistent).
  // Right after a job it first polls SEQ for SPIN_MS: the next call of a loop comes within tens of us,
  // and a futex wake-up takes 15 to 35 us of it (SPIN tells the caller to skip the notify; cleared before
  // SEQ is looked at once more, so a job written meanwhile is seen either way).
  const spin = (): void => {
    Atomics.store(sig, S.SPIN, 1);
    for (const end = performance.now() + SPIN_MS; Atomics.load(sig, S.SEQ) === last && performance.now() < end;);
    Atomics.store(sig, S.SPIN, 0);
  };
  // A worker behind on its messages leaves the park loop for its event loop, whose next message parks it again.
  const park = (): void => {
    let r: boolean | "behind" = false;
    do {
      Atomics.store(sig, S.PARKED, 1);
      for (let end = Date.now() + PARK_MS; ;) {
        const seen = Atomics.load(sig, S.WAKE);
        r = runJob();
        if (r === "behind") break;
        if (r) { spin(); end = Date.now() + PARK_MS; continue; }
        const left = end - Date.now();
        if (left <= 0 || Atomics.wait(sig, S.WAKE, seen, left) === "timed-out") break;
      }
      Atomics.store(sig, S.PARKED, 0);
    } while (r !== "behind" && (r = runJob()) === true);
  };
  wt.parentPort.on("message", (m) => { handle(m); park(); });
  Atomics.store(sig, S.READY, 1);
}

/**
 * A browser worker's script around workerMain (both shipped as source text): the first message
 * brings the control block; failures go into a shared text buffer the calling thread reads
 * synchronously (a browser has no receiveMessageOnPort), as UTF-16 code units after a length
 * word, each message ended by a NUL; a message that does not fit is cut short.
 */
export function webWorkerMain(main: typeof workerMain, EXITED: string, PARK_MS: number, SPIN_MS: number, S: typeof SIG): void {
  const scope = globalThis as unknown as { onmessage: ((e: { data: unknown }) => void) | null };
  scope.onmessage = (first) => {
    const { sig, next, text } = first.data as WebInit;
    let deliver: (m: WorkerMessage) => void = () => {};
    scope.onmessage = (e) => deliver(e.data as WorkerMessage);
    const replies = {
      postMessage(message: unknown): void {
        const m = `${String(message)}\0`;
        let n = Atomics.load(text, 0);
        for (let i = 0; i < m.length && n < text.length - 1; i++) text[1 + n++] = m.charCodeAt(i);
        Atomics.store(text, 0, n);
      },
      close(): void {},
    };
    const parentPort = { postMessage(): void {}, close(): void {}, on(_event: "message", f: (m: WorkerMessage) => void): void { deliver = f; } };
    main({ parentPort, workerData: { replies, sig, next }, receiveMessageOnPort: () => undefined }, { on(): void {} }, EXITED, PARK_MS, SPIN_MS, S);
  };
}

/** Code units of a browser worker's failure text (webWorkerMain). */
const TEXT_UNITS = 4096;

/** The failure texts a browser worker wrote since the last read (webWorkerMain), emptied. */
function readText(text: Int32Array): string[] {
  const n = Atomics.load(text, 0);
  let s = "";
  for (let i = 0; i < n; i++) s += String.fromCharCode(text[1 + i]!);
  Atomics.store(text, 0, 0);
  return s.split("\0").filter((m) => m.length > 0);
}

/** A pool worker as the calling thread sees it, in Node or in a browser. */
interface Handle {
  postMessage(message: unknown): void;
  terminate(): unknown;
  /** Node's event-loop metrics of the thread (stopped()); absent in a browser. */
  readonly performance?: { eventLoopUtilization(): { idle: number } };
}

interface PoolWorker {
  readonly worker: Handle; readonly loaded: Set<number>;
  /** The failure texts the worker sent since the last read. */
  readonly replies: () => string[];
  /** Ends the worker's replies channel (closeWorkers). */
  readonly close: () => void;
  /** Messages posted to it (SIG.POSTED). */
  posted: number;
  /** The control block (SIG) shared with the worker. */
  readonly sig: Int32Array;
  /** The number of its latest job (SEQ), and the arrays it last received (bind). */
  seq: number;
  bound?: Job;
  /** Set while it holds a job of a call; why the calling thread failed it, if it did. */
  running?: boolean;
  lost?: string;
}

const workers: PoolWorker[] = [];
/** The chunk counter of the current split call (Job), shared by every worker: made with the first. */
let next: Int32Array | undefined;

function workerThreadsOrUndefined(): WorkerThreads | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return proc?.getBuiltinModule?.("node:worker_threads") as WorkerThreads | undefined;
}

/** A browser's Web Workers (a Worker constructor, Blob and object URLs), else undefined. */
function webGlobals(): WebGlobals | undefined {
  const g = globalThis as Partial<WebGlobals>;
  return typeof g.Worker === "function" && typeof g.Blob === "function" && typeof g.URL?.createObjectURL === "function" ? (g as WebGlobals) : undefined;
}

/** The Blob URL of the browser workers' script: made once. */
let webScript: string | undefined;

/** A new worker and its channels: Node's worker_threads, else a browser's Web Worker. */
function spawn(sig: Int32Array, next: Int32Array): Pick<PoolWorker, "worker" | "replies" | "close"> & { node?: NodeWorker } {
  const wt = workerThreadsOrUndefined();
  if (wt) {
    const { port1, port2 } = new wt.MessageChannel();
    const script = `(${workerMain.toString()})(process.getBuiltinModule("node:worker_threads"), process, ${JSON.stringify(EXITED)}, ${PARK_MS}, ${SPIN_MS}, ${JSON.stringify(SIG)});`;
    const worker = new wt.Worker(script, { eval: true, workerData: { replies: port2, sig, next }, transferList: [port2] });
    worker.unref();
    port1.unref?.();
    const replies = (): string[] => {
      const texts: string[] = [];
      for (let r = wt.receiveMessageOnPort(port1); r; r = wt.receiveMessageOnPort(port1)) texts.push(String(r.message));
      return texts;
    };
    return { worker, replies, close: () => port1.close(), node: worker };
  }
  const web = webGlobals();
  if (!web) throw new Error("threads > 1 needs worker threads: Node.js >= 20.16 (process.getBuiltinModule), or Web Workers in a cross-origin isolated page; use threads: 1 here");
  webScript ??= web.URL.createObjectURL(new web.Blob([`(${webWorkerMain.toString()})(${workerMain.toString()}, ${JSON.stringify(EXITED)}, ${PARK_MS}, ${SPIN_MS}, ${JSON.stringify(SIG)});`], { type: "text/javascript" }));
  const worker = new web.Worker(webScript);
  const text = new Int32Array(new SharedArrayBuffer(4 * (1 + TEXT_UNITS)));
  const init: WebInit = { sig, next, text };
  worker.postMessage(init);
  return { worker, replies: () => readText(text), close: () => {} };
}

function ensureWorkers(n: number): void {
  while (workers.length < n) {
    const sig = new Int32Array(new SharedArrayBuffer(4 * SIG.SIZE));
    next ??= new Int32Array(new SharedArrayBuffer(4));
    const { node, ...made } = spawn(sig, next);
    const entry: PoolWorker = { ...made, loaded: new Set(), sig, seq: 0, posted: 0 };
    // a worker that died is left out of the pool (the next call starts another); its error
    // event is the failed call's, already thrown there, not the process's
    node?.on("error", () => {});
    node?.on("exit", () => { const i = workers.indexOf(entry); if (i >= 0) workers.splice(i, 1); });
    workers.push(entry);
  }
}

/**
 * Runs `job` on `count` workers and the calling thread together, and returns when
 * every chunk is done and no worker still runs; a worker's failure is rethrown here
 * with its message. `local(claim)` is the calling thread's part: it runs chunk 0,
 * then the chunks claim() returns while they are below the chunk count (Job).
 */
export function runParallel(program: ProgramSource, job: Job, count: number, local: (claim: () => number) => void): void {
  ensureWorkers(count);
  const used = workers.slice(0, count), counter = next!;
  Atomics.store(counter, 0, 1); // chunk 0 is the caller's: it always runs one (outputs without the batch axis come from it)
  for (const w of used) {
    if (!w.loaded.has(program.id)) {
      send(w, { kind: "load", id: program.id, source: program.source, tables: program.tables });
      w.loaded.add(program.id);
    }
    if (!w.bound || !sameArrays(w.bound.data, job.data) || !sameArrays(w.bound.out, job.out) || w.bound.zero.join() !== job.zero.join()) {
      send(w, { kind: "bind", data: job.data, out: job.out, zero: job.zero });
      w.bound = job;
    }
    w.worker.performance?.eventLoopUtilization(); // read while the thread runs: see stopped()
    const { sig } = w;
    Atomics.store(sig, SIG.FAILED, 0);
    Atomics.store(sig, SIG.PROG, program.id);
    Atomics.store(sig, SIG.B, job.B);
    Atomics.store(sig, SIG.LO, job.lo);
    Atomics.store(sig, SIG.HI, job.hi);
    Atomics.store(sig, SIG.STEP, job.step);
    w.running = true;
    Atomics.store(sig, SIG.SEQ, ++w.seq);
    if (Atomics.load(sig, SIG.SPIN) === 0) wake(w); // a polling worker sees SEQ without it
    // not parked: its event loop needs a message (a parked worker takes the job without one; workerMain's park)
    if (Atomics.load(sig, SIG.PARKED) === 0) post(w, POKE);
  }
  try {
    local(() => Atomics.add(counter, 0, 1));
  } finally {
    // Every chunk is taken now (or the caller's part threw): a worker that has not started
    // yet is withdrawn (START), one that has is waited for -- it is still writing this
    // call's buffers. Polled for SPIN_MS first (a worker usually ends within tens of us
    // of this thread: a futex wake-up would add 15 to 35 us), then waited for.
    for (const w of used) if (Atomics.compareExchange(w.sig, SIG.START, w.seq - 1, w.seq) === w.seq - 1) withdraw(w);
    for (const end = performance.now() + SPIN_MS; performance.now() < end && used.some((w) => Atomics.load(w.sig, SIG.FIN) !== w.seq););
    for (const w of used) {
      for (let fin = Atomics.load(w.sig, SIG.FIN); fin !== w.seq; fin = Atomics.load(w.sig, SIG.FIN)) {
        if (waitFor(w.sig, SIG.FIN, fin, PROBE_MS) === "timed-out") for (const v of used) if (stopped(v)) failJob(v, `${STOPPED} during the call`);
      }
    }
    for (const w of used) w.running = false;
  }
  if (used.some((w) => Atomics.load(w.sig, SIG.FAILED) !== 0)) {
    const dead = used.filter((w) => w.lost !== undefined);
    const messages = dead.map((w) => w.lost!);
    for (const w of workers) {
      for (const text of w.replies()) {
        messages.push(text);
        if (text.startsWith(EXITED)) dead.push(w);
      }
    }
    // gone now, though its exit event comes later: never send it another job
    for (const w of dead) if (workers.includes(w)) workers.splice(workers.indexOf(w), 1);
    throw new Error(`a worker thread failed: ${messages.join("; ")}`);
  }
}

const POKE: WorkerMessage = { kind: "poke" };

/** The same memory, array for array (the runner's views of its shared buffers are new objects every call). */
function sameArrays(a: readonly FloatArray[], b: readonly FloatArray[]): boolean {
  return a.length === b.length && a.every((x, i) => x.buffer === b[i]!.buffer && x.byteOffset === b[i]!.byteOffset && x.length === b[i]!.length);
}

/** Posts to a worker, counted in its control block (SIG.POSTED) before any SEQ written after it. */
function post(w: PoolWorker, m: WorkerMessage): void {
  w.worker.postMessage(m);
  Atomics.store(w.sig, SIG.POSTED, ++w.posted);
}

/** Posts to a worker and wakes it if it is parked (workerMain). */
function send(w: PoolWorker, m: WorkerMessage): void {
  post(w, m);
  wake(w);
}

/** Whether this thread may block in Atomics.wait (a browser's main thread may not): asked once. */
let mayBlock: boolean | undefined;

/**
 * Atomics.wait where this thread may block; else polls a[i] for up to `ms`
 * (the call is synchronous either way: the thread would otherwise sit in the wait).
 */
function waitFor(a: Int32Array, i: number, value: number, ms: number): "ok" | "not-equal" | "timed-out" {
  if (mayBlock === undefined) {
    try { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0); mayBlock = true; } catch { mayBlock = false; }
  }
  if (mayBlock) return Atomics.wait(a, i, value, ms);
  for (const end = performance.now() + ms; performance.now() < end;) if (Atomics.load(a, i) !== value) return "ok";
  return "timed-out";
}

function wake(w: PoolWorker): void {
  Atomics.add(w.sig, SIG.WAKE, 1);
  Atomics.notify(w.sig, SIG.WAKE);
}

/**
 * How long a worker stays parked after a job, waiting for the next without its event loop
 * (a futex wait: no CPU). Calls in a loop keep it parked; terminate() interrupts the wait.
 */
const PARK_MS = 1000;

/**
 * How long a worker polls for its next job after one, and the calling thread for the workers'
 * ends, before either sleeps in Atomics.wait (thread pools' usual spin-then-block: OpenMP's
 * KMP_BLOCKTIME, Eigen's). About the gap between calls in a loop; at most this much CPU a call.
 */
const SPIN_MS = 0.2;

/** How a worker that exits during a job says so (a constant of the worker's script too). */
const EXITED = "the worker thread exited";
/** How the calling thread reports a worker it found stopped without a word (its isolate terminated). */
const STOPPED = "the worker thread was stopped from outside";
/** How often a waiting caller looks for stopped workers (a call that ends sooner never looks). */
const PROBE_MS = 50;

/** Counts w's withdrawn job as finished (it never ran, and will not: START), unless closeWorkers failed it first. */
function withdraw(w: PoolWorker): void {
  if (Atomics.compareExchange(w.sig, SIG.CLAIM, w.seq - 1, w.seq) !== w.seq - 1) return;
  Atomics.store(w.sig, SIG.FIN, w.seq);
}

/** Counts w's job as failed, unless it has finished (the worker and the calling thread race for it: CLAIM). */
function failJob(w: PoolWorker, why: string): void {
  if (!w.running || Atomics.compareExchange(w.sig, SIG.CLAIM, w.seq - 1, w.seq) !== w.seq - 1) return;
  w.lost = why;
  Atomics.store(w.sig, SIG.FAILED, 1);
  Atomics.store(w.sig, SIG.FIN, w.seq);
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
  return typeof SharedArrayBuffer === "function" && (workerThreadsOrUndefined() !== undefined || webGlobals() !== undefined);
}

/**
 * Starts `n` pool workers (if fewer run) and resolves, to how many run, once each one's script
 * runs: a browser starts a Web Worker only after the calling thread returns to its event loop,
 * so the calls made before then run alone. Rejects after `timeoutMs` without a start.
 */
export async function readyWorkers(n: number, timeoutMs = 10_000): Promise<number> {
  ensureWorkers(n);
  const waiting = workers.slice(0, n);
  for (const end = Date.now() + timeoutMs; waiting.some((w) => Atomics.load(w.sig, SIG.READY) === 0);) {
    if (Date.now() > end) throw new Error(`thoad: ${waiting.filter((w) => Atomics.load(w.sig, SIG.READY) === 0).length} of ${n} worker threads did not start within ${timeoutMs} ms`);
    await new Promise((ok) => setTimeout(ok, 1));
  }
  return workers.length;
}

/** Workers no longer need a program (its model was garbage-collected). */
export function dropProgram(id: number): void {
  for (const w of workers) if (w.loaded.delete(id)) send(w, { kind: "drop", id });
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
  for (const w of ending) w.close();
  await Promise.all(ending.map((w) => w.worker.terminate()));
  return ending.length;
}
