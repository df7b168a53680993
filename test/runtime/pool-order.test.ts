/**
 * The worker's job loop (runtime/pool.ts workerMain) run in-process against a
 * scripted message port, to pin down one ordering: a job's `bind` message is
 * posted before its SEQ is written, and may reach the worker's queue just
 * after the worker last looked. The port here delivers the next job's bind
 * and writes its SEQ exactly when the worker finds the queue empty: a worker
 * that drains before it reads SEQ then runs the new job with the previous
 * call's arrays (the race behind "RangeError: offset is out of bounds" in a
 * split call); one that reads SEQ first and drains after cannot.
 */
import { expect, test } from "vitest";
import { SIG, workerMain, type WorkerMessage, type WorkerSide } from "../../runtime/pool.js";

/** A program copying each sample of input 0 into output 0: which arrays a job ran with shows in which output changed. */
const COPY = "(tables) => (B, lo, hi, data, out) => { for (let b = lo; b < hi; b++) out[0][b] = data[0][b]; }";

test("a job's bind message that arrives as the worker finds its queue empty is used by that job", () => {
  const sig = new Int32Array(new SharedArrayBuffer(4 * SIG.SIZE));
  const next = new Int32Array(new SharedArrayBuffer(4));
  const queue: WorkerMessage[] = [];
  let onEmpty: (() => void) | undefined; // the caller's next job, posted as the worker looks
  const replies: unknown[] = [];
  let deliver: ((m: WorkerMessage) => void) | undefined;
  const wt: WorkerSide = {
    parentPort: { postMessage() {}, close() {}, on(_e, f) { deliver = f; } },
    workerData: { replies: { postMessage: (m) => replies.push(m), close() {} }, sig, next },
    receiveMessageOnPort() {
      if (queue.length) return { message: queue.shift()! };
      const job = onEmpty;
      onEmpty = undefined;
      job?.();
      return undefined;
    },
  };
  workerMain(wt, { on() {} }, "exited", 0, 0, SIG);

  // the previous call: program 1 loaded, its arrays bound (no job run)
  const oldIn = new Float64Array([7]), oldOut = new Float64Array([0]);
  deliver!({ kind: "load", id: 1, source: COPY, tables: [] });
  deliver!({ kind: "bind", data: [oldIn], out: [oldOut], zero: [0] });

  // the new call, as runParallel writes it: bind posted, then the job's fields, then SEQ
  const newIn = new Float64Array([42]), newOut = new Float64Array([0]);
  onEmpty = () => {
    queue.push({ kind: "bind", data: [newIn], out: [newOut], zero: [0] });
    for (const [k, v] of [[SIG.PROG, 1], [SIG.B, 1], [SIG.LO, 0], [SIG.HI, 1], [SIG.STEP, 1]] as const) Atomics.store(sig, k, v);
    Atomics.store(sig, SIG.SEQ, 1);
  };
  deliver!({ kind: "poke" });

  expect(onEmpty, "the scripted job was posted").toBeUndefined();
  expect(Atomics.load(sig, SIG.FIN), "the job finished").toBe(1);
  expect(Atomics.load(sig, SIG.FAILED), `the job failed: ${replies.join("; ")}`).toBe(0);
  expect([...newOut], "the job wrote the output bound for it").toEqual([42]);
  expect([...oldOut], "and not the previous call's").toEqual([0]);
});
