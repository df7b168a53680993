/**
 * The machine's multiply-add peak as WebAssembly sees it: `chains` independent
 * chains acc = acc * x + c, each kept in a local (a register once V8 compiles
 * it), repeated `iters` times. Independent chains hide the mul and add
 * latencies, so the rate is bound by the FP units' throughput, not by memory
 * or dependencies: the number the issue asks kernels to be measured against.
 * Signature: (iters: i32, x: element) -> element (the sum of every lane, so
 * nothing is dead code). Flops per call: iters * chains * width * 2, width =
 * lanes (vector) or 1 (scalar).
 */
import { F64, type Element } from "./element.js";
import { whileLoop } from "./loops.js";
import type { ModuleBuilder } from "./module-builder.js";

export interface MaddOptions {
  readonly element?: Element;
  readonly chains?: number; // default 8
  readonly vector?: boolean; // v128 (default) or scalar
}

/** Adds the kernel to `mod`, exported as `name`. x should keep acc bounded (|x| < 1: acc tends to c / (1 - x)). */
export function addMaddChains(mod: ModuleBuilder, name: string, opts: MaddOptions = {}): number {
  const el = opts.element ?? F64;
  const chains = opts.chains ?? 8;
  const vector = opts.vector ?? true;
  return mod.addFunction({ params: ["i32", el.name], results: [el.name] }, (f) => {
    const [iters, x] = f.params;
    const t = vector ? "v128" : el.name;
    const xv = f.local(t), cv = f.local(t);
    const acc = Array.from({ length: chains }, () => f.local(t));
    const konst = (v: number) => (vector ? f.v128Splat(el.shape, v) : el.name === "f64" ? f.f64Const(v) : f.f32Const(v));
    f.get(x);
    if (vector) f.simd(el.splat);
    f.set(xv);
    konst(0.5).set(cv);
    acc.forEach((a, i) => konst(1 + i / 64).set(a)); // distinct starts: no two chains the same value
    whileLoop(f, () => f.get(iters).i32Const(0).op("i32.gt_s"), () => {
      for (const a of acc) {
        f.get(a).get(xv);
        if (vector) f.simd(el.vmul).get(cv).simd(el.vadd);
        else f.op(el.mul).get(cv).op(el.add);
        f.set(a);
      }
      f.get(iters).i32Const(-1).op("i32.add").set(iters);
    });
    if (el.name === "f64") f.f64Const(0);
    else f.f32Const(0);
    for (const a of acc) {
      if (!vector) { f.get(a).op(el.add); continue; }
      for (let l = 0; l < el.lanes; l++) f.get(a).lane(el.extract, l).op(el.add);
    }
  }, name);
}
