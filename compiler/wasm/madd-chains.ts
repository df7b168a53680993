/**
 * The machine's multiply-add peak as WebAssembly sees it: `chains` independent
 * chains, each kept in locals (registers once V8 compiles it), `iters` steps,
 * one multiply and one add per chain and step. Two forms:
 * - "madd": acc = acc * x + c. The issue's reference form; the add waits for
 *   the mul, so a step costs both latencies and with 16 vector registers the
 *   chains cannot always hide them: it can read below the FP units' rate.
 * - "split": m = m * x and s = s + c as two chains. The same instruction mix
 *   with the mul off the add's path, as in a GEMM tile (acc += a * b): bound
 *   by throughput, the higher of the two on machines where "madd" is latency-bound.
 * Signature: (iters: i32, x: element) -> element (the sum of every lane, so
 * nothing is dead code). Flops per call: iters * unroll * chains * width * 2,
 * width = lanes (vector) or 1 (scalar).
 */
import { F64, type Element } from "./element.js";
import { whileLoop } from "./loops.js";
import type { ModuleBuilder } from "./module-builder.js";

export interface MaddOptions {
  readonly element?: Element;
  readonly chains?: number; // default 8
  readonly vector?: boolean; // v128 (default) or scalar
  readonly form?: "madd" | "split"; // default "madd"
  readonly unroll?: number; // steps per loop iteration (default 1): takes the loop's own cost out of the rate
}

/** Adds the kernel to `mod`, exported as `name`. x keeps the values normal: |x| < 1 for "madd" (acc tends to c / (1 - x)), |x| close to 1 for "split" (m = x^iters). */
export function addMaddChains(mod: ModuleBuilder, name: string, opts: MaddOptions = {}): number {
  const el = opts.element ?? F64;
  const chains = opts.chains ?? 8;
  const vector = opts.vector ?? true;
  const split = opts.form === "split";
  return mod.addFunction({ params: ["i32", el.name], results: [el.name] }, (f) => {
    const [iters, x] = f.params;
    const t = vector ? "v128" : el.name;
    const xv = f.local(t), cv = f.local(t);
    const acc = Array.from({ length: chains }, () => f.local(t)); // "split": the mul chains
    const sums = split ? Array.from({ length: chains }, () => f.local(t)) : [];
    const konst = (v: number) => (vector ? f.v128Splat(el.shape, v) : el.name === "f64" ? f.f64Const(v) : f.f32Const(v));
    f.get(x);
    if (vector) f.simd(el.splat);
    f.set(xv);
    konst(0.5).set(cv);
    acc.forEach((a, i) => konst(1 + i / 64).set(a)); // distinct starts: no two chains the same value
    sums.forEach((a, i) => konst(i / 64).set(a));
    whileLoop(f, () => f.get(iters).i32Const(0).op("i32.gt_s"), () => {
      for (let u = 0; u < (opts.unroll ?? 1); u++) acc.forEach((a, i) => {
        if (split) {
          f.get(a).get(xv).arith(vector ? el.vmul : el.mul).set(a);
          f.get(sums[i]).get(cv).arith(vector ? el.vadd : el.add).set(sums[i]);
          return;
        }
        f.get(a).get(xv).arith(vector ? el.vmul : el.mul).get(cv).arith(vector ? el.vadd : el.add).set(a);
      });
      f.get(iters).i32Const(-1).op("i32.add").set(iters);
    });
    if (el.name === "f64") f.f64Const(0);
    else f.f32Const(0);
    for (const a of [...acc, ...sums]) {
      if (!vector) { f.get(a).op(el.add); continue; }
      for (let l = 0; l < el.lanes; l++) f.get(a).lane(el.extract, l).op(el.add);
    }
  }, name);
}
