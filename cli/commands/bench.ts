/** thoadc bench: random inputs, warm-up, then times the kernel alone; medians over --reps. */
import { batchProfile, fmtBytes, instantiate, planCost } from "../../compiler/index.js";
import { randomInputs } from "../../compiler/tools/random-inputs.js";
import { checkThreads, splitBatch, Tensor } from "../../runtime/index.js";
import type { CommonFlags } from "../options.js";
import { CliExit, compileFile, randomInputsFit } from "../front.js";
import { weightTensors } from "../model-file.js";
import { executedFlops } from "../../compiler/tools/executed-flops.js";
import { jaxMismatch, runJax } from "./bench-jax.js";

/**
 * Default warm-up: at most this many untimed calls, and no more once they have taken WARMUP_MS.
 * V8 keeps getting faster over the first hundreds of calls of a small module: MLP order 2 at
 * B = 128 (wasm) ran at a median of 0.58 ms over calls 1-200, 0.47-0.50 over 200-1000 and 0.46
 * over 1500-2000 (medians of 100-call windows, 2026-12-06); `--reps 200` medians after 25
 * warm-up calls read 0.55-0.57 ms, after 1000 0.46. A slow plan stops at WARMUP_MS instead.
 */
const WARMUP_CALLS = 1000, WARMUP_MS = 1000;

export interface BenchFlags extends CommonFlags { batch?: string; reps?: string; warmup?: string; threads?: string; json?: boolean; dense?: boolean; baseline?: string }

export function benchCommand(file: string, flags: BenchFlags): string {
  const { result, model, options: compiled } = compileFile(file, flags, 2, flags.batch === undefined ? { batchHint: 128 } : {});
  const plan = result.state.plan!;
  // --threads: what a model call does by default ("auto": split over the cores when the call is large
  // enough), as the peers' baselines use theirs (XLA's and PyTorch's default threads); 1 for per-core numbers
  const threads: number | "auto" = (flags.threads ?? "auto") === "auto" ? "auto" : Number(flags.threads);
  const B = Number(flags.batch ?? 128), reps = Number(flags.reps ?? 20);
  if (![B, reps, threads === "auto" ? 1 : threads].every((n) => Number.isInteger(n) && n >= 1)) throw new CliExit(1, "thoadc: error TH115: bench: --batch and --reps must be positive integers, --threads a positive integer or auto");
  // --warmup N: exactly N untimed calls; by default up to WARMUP_CALLS, cut short once they have taken
  // WARMUP_MS (a slow plan is warm after a few calls), at least 3
  const fixedWarmup = flags.warmup === undefined ? undefined : Number(flags.warmup);
  if (fixedWarmup !== undefined && !(Number.isInteger(fixedWarmup) && fixedWarmup >= 0)) throw new CliExit(1, "thoadc: error TH115: bench: --warmup must be a non-negative integer");
  if (flags.baseline !== undefined && flags.baseline !== "jax") throw new CliExit(1, `thoadc: error TH115: bench: --baseline must be jax, got '${flags.baseline}'`);
  const noJax = flags.baseline === "jax" ? jaxMismatch(plan) : undefined;
  if (noJax) throw new CliExit(1, `thoadc: error TH603: bench --baseline jax: ${noJax}`);
  randomInputsFit(file, plan, B, compiled, model.weights);
  const target = result.state.target!;
  // in the module's element type, so that the timed calls do not convert them
  const inputs = Object.fromEntries(Object.entries({ ...randomInputs(plan, B, 1, undefined, model.weights), ...weightTensors(model.weights) }).map(([k, t]) => [k, plan.dtype === "f32" ? new Tensor(t.shape, Float32Array.from(t.data)) : t]));
  // the arithmetic the emitted kernels perform in one call at this B (an instrumented run; compiler/tools/executed-flops.ts),
  // before the timed module exists so that the two never hold their buffers at once. Another target's kernels are not
  // instrumented: the ts kernels of the same plan perform the same arithmetic up to their schedule (said in the note)
  // (skipped over 1 GiB: the instrumented module's buffers may not be collected before the timed one allocates its own)
  const planned = planCost(plan, B, target);
  const exec = planned.peakBytes > 2 ** 30 ? { unsupported: `not counted: the plan allocates ${fmtBytes(planned.peakBytes)}, over 1 GiB, and counting runs a second copy of the module` } : executedFlops(plan, inputs, "ts");
  const fn = instantiate(plan, result.state.targetChoice!.target);
  const options = { threads };
  // threads the runtime actually uses: small batches run on fewer (runtime/runner.ts splitBatch)
  const cap = checkThreads(plan.model, options); // at most one per core
  const used = cap === 1 ? 1 : splitBatch(B, cap, batchProfile(plan, target)).length;
  // --dense: the call and then every derivative block expanded to the dense tensor the peers return (d(...) of every key),
  // timed in the same loop as the plain calls (one after every third), so that both see the same warm-up and load
  const expand = (): void => { for (const r of Object.values(fn(inputs, options))) for (const k of r.keys()) { const names = k.split(","); if (!r.isZero(...names)) r.d(...names); } };
  // warm-up: V8 optimises a kernel only after tens of calls (here the first ~15 calls of the MLP ran up to 2x
  // slower than the rest), and the first split call starts the workers
  let warmup = 0;
  const w0 = process.hrtime.bigint();
  const warming = () => (fixedWarmup !== undefined ? warmup < fixedWarmup : warmup < WARMUP_CALLS && (warmup < 3 || Number(process.hrtime.bigint() - w0) / 1e6 < WARMUP_MS));
  for (; warming(); warmup++) { fn(inputs, options); if (flags.dense && warmup % 3 === 0) expand(); }
  const times: number[] = [], dt: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = process.hrtime.bigint();
    fn(inputs, options);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (flags.dense && i % 3 === 0) { const t1 = process.hrtime.bigint(); expand(); dt.push(Number(process.hrtime.bigint() - t1) / 1e6); }
  }
  times.sort((a, b) => a - b);
  const median = medianOf(times);
  const dense = flags.dense ? medianOf(dt) : undefined;
  const cost = planned;
  const executed = "flops" in exec ? exec.flops : null;
  const execNote = "unsupported" in exec ? exec.unsupported : target.name !== "ts" ? `counted on the ts target's kernels of the same plan (${target.name} kernels are not instrumented)` : undefined;
  const jax = flags.baseline === "jax" ? runJax(plan, inputs, B, reps, warmup) : undefined;
  const summary = { median_ms: +median.toFixed(4), min_ms: +times[0]!.toFixed(4), max_ms: +times[reps - 1]!.toFixed(4), reps, warmup, mode: plan.mode, dtype: plan.dtype ?? "f64", order: plan.order, batch: B, threads, threads_used: used, flops: cost.flops,
    executed_flops: executed, executed_gflops: executed === null ? null : +(executed / median / 1e6).toFixed(4), math_calls: "flops" in exec ? exec.mathCalls : null, ...(execNote ? { executed_flops_note: execNote } : {}), target: target.name,
    ...(dense !== undefined ? { dense_median_ms: +dense.toFixed(4) } : {}),
    ...(jax ? { jax_median_ms: jax.median_ms, jax_min_ms: jax.min_ms, jax_reps: jax.reps, jax_compile_ms: jax.compile_ms, jax_version: jax.version, jax_ratio: +(jax.median_ms / median).toFixed(4) } : {}),
    peak_bytes: cost.peakBytes };
  const text = `bench ${plan.model}: mode ${plan.mode}${plan.dtype === "f32" ? ", dtype f32" : ""}, order ${plan.order}, wrt [${plan.wrt.map((w) => w.name).join(", ")}], B=${B}${threadsText(threads, used, cap)}: median ${median.toFixed(3)} ms, min ${times[0]!.toFixed(3)} ms over ${reps} reps; ${cost.flops} flops planned (${(cost.flops / median / 1e6).toFixed(2)} Gflop/s), ${executed === null ? `executed flops not counted (${execNote})` : `${executed} executed (${(executed / median / 1e6).toFixed(2)} Gflop/s)`}, peak ${cost.peakBytes} bytes` +
    (dense !== undefined ? `; with the dense expansion of every block: median ${dense.toFixed(3)} ms` : "") +
    (jax ? `; JAX ${jax.version} (jit, vmap, float64, orders 1..${plan.order} in one function): median ${jax.median_ms.toFixed(3)} ms over ${jax.reps} reps, JAX / thoad ${(jax.median_ms / median).toFixed(2)}` : "");
  return flags.json ? `${text}\n${JSON.stringify(summary)}` : text;
}

function medianOf(xs: number[]): number {
  const t = [...xs].sort((a, b) => a - b), n = t.length;
  return n % 2 ? t[(n - 1) / 2]! : (t[n / 2 - 1]! + t[n / 2]!) / 2;
}

/** ", threads N" (and how many ran, when fewer): nothing for one thread asked. */
function threadsText(threads: number | "auto", used: number, cap: number): string {
  if (threads === "auto") return `, threads auto (${used} used${used < cap ? ": small batch" : ""})`;
  if (threads === 1) return "";
  return `, threads ${threads}${used < threads ? ` (${used} used: ${used < cap ? "small batch" : "one per core"})` : ""}`;
}
