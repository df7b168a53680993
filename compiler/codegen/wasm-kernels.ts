/**
 * The WebAssembly module of the wasm target: the register-blocked GEMM kernels
 * (compiler/wasm addGemm, f64x2 or f32x4) a plan's wasm steps need, and one
 * driver per wasm step, exported as s<step>, that runs the step's loops
 * (wasm-steps.ts GemmLoop) around its GEMM calls (a step through index
 * tables with a large body: around calls of its chunks' functions, not
 * exported). So JavaScript calls into wasm once per step per tile, not once
 * per sample.
 *
 * Driver signature: (bt, address of each buffer the step touches, scratch) ->
 * (), the addresses in bytes in the imported memory, in the order of the
 * step's JS kernel parameters (`ids`); bt is the tile's sample count (B
 * untiled); scratch (only when a term packs B) the packed-B block.
 */
import { addGemm, elementOf, ModuleBuilder, whileLoop, type Element, type FunctionBuilder, type Local } from "../wasm/index.js";
import type { Extent, GemmTerm, WasmStep } from "./wasm-steps.js";
import { emitTableStep } from "./wasm-table-step.js";
import { emitMapStep, fallbackImports } from "./wasm-map-step.js";

export interface WasmStepCall {
  readonly step: number;
  readonly ids: readonly number[];
  readonly gemm: WasmStep;
}

export function wasmKernels(dtype: "f64" | "f32", calls: readonly WasmStepCall[]): ModuleBuilder {
  const el = elementOf(dtype);
  const mod = new ModuleBuilder().importMemory(1);
  // the vector math's scalar fallback: imported before any function (imports take the first indices)
  const fallback = new Map(fallbackImports(calls.flatMap((c) => (c.gemm.map ? [c.gemm.map] : []))).map((fn) => [fn, mod.importFunction("Math", fn, { params: ["f64"], results: ["f64"] })] as const));
  const gemm = new Map<boolean, number>();
  for (const transA of [false, true]) {
    if (calls.some((c) => c.gemm.terms.some((t) => t.transA === transA))) gemm.set(transA, addGemm(mod, transA ? "gemmT" : "gemm", { element: el, transA }));
  }
  for (const c of calls) {
    const packs = c.gemm.terms.some((t) => t.packB);
    const type = { params: Array.from({ length: c.ids.length + 1 + (packs ? 1 : 0) }, () => "i32" as const), results: [] };
    mod.addFunction(type, (f) => {
      const [bt, ...addr] = f.params;
      const scratch = packs ? addr.pop() : undefined;
      const at = (id: number): Local => addr[c.ids.indexOf(id)]!;
      const out = at(c.ids[0]!);
      if (c.gemm.table) { emitTableStep(f, c.gemm.table, c.ids[0]!, bt!, at, el, (n, build) => mod.addFunction({ params: Array.from({ length: n }, () => "i32" as const), results: [] }, build)); return; }
      if (c.gemm.map) { emitMapStep(f, c.gemm.map, bt!, at, el, fallback); return; }
      for (const t of c.gemm.terms) {
        driveTerm(f, t, bt!, out, at(t.a), at(t.b), el, gemm.get(t.transA)!, scratch);
        if (t.scaleBy) scalePass(f, t.scaleBy, bt!, out, at(t.scaleBy.buf), el);
      }
    }, `s${c.step}`);
  }
  return mod;
}

function pushExtent(f: FunctionBuilder, e: Extent, bt: Local): void {
  if (e.batch) { f.get(bt); if (e.c !== 1) f.i32Const(e.c).op("i32.mul"); }
  else f.i32Const(e.c);
}

/** The term's loops, outermost first, each advancing the three addresses by its strides; the GEMM call innermost. */
function driveTerm(f: FunctionBuilder, t: GemmTerm, bt: Local, c0: Local, a0: Local, b0: Local, el: Element, gemm: number, scratch?: Local): void {
  const bytes = el.bytes;
  const nest = (j: number, c: Local, a: Local, b: Local): void => {
    if (j === t.loops.length) {
      if (t.packB) packB(f, t, b, scratch!, el);
      pushExtent(f, t.m, bt); pushExtent(f, t.n, bt); pushExtent(f, t.k, bt);
      f.get(a).i32Const(t.lda).get(t.packB ? scratch! : b).i32Const(t.ldb).get(c).i32Const(t.ldc).call(gemm);
      return;
    }
    const l = t.loops[j]!;
    const [i, n, cj, aj, bj] = [f.local("i32"), f.local("i32"), f.local("i32"), f.local("i32"), f.local("i32")];
    pushExtent(f, l.extent, bt); f.set(n);
    f.i32Const(0).set(i).get(c).set(cj).get(a).set(aj).get(b).set(bj);
    whileLoop(f, () => f.get(i).get(n).op("i32.lt_s"), () => {
      nest(j + 1, cj, aj, bj);
      for (const [p, s] of [[cj, l.out], [aj, l.a], [bj, l.b]] as const) if (s) f.get(p).i32Const(s * bytes).op("i32.add").set(p);
      f.get(i).i32Const(1).op("i32.add").set(i);
    });
  };
  nest(0, c0, a0, b0);
}

/** out[...] *= f[...] over every output element: one loop per output axis, scalar (a pass over the output, not a GEMM's k-fold work). */
function scalePass(f: FunctionBuilder, sc: NonNullable<GemmTerm["scaleBy"]>, bt: Local, c0: Local, f0: Local, el: Element): void {
  const nest = (j: number, c: Local, s: Local): void => {
    if (j === sc.axes.length) {
      f.get(c).get(c).mem(el.load).get(s).mem(el.load).op(el.mul).mem(el.store);
      return;
    }
    const ax = sc.axes[j]!;
    const [i, n, cj, sj] = [f.local("i32"), f.local("i32"), f.local("i32"), f.local("i32")];
    pushExtent(f, ax.extent, bt); f.set(n);
    f.i32Const(0).set(i).get(c).set(cj).get(s).set(sj);
    whileLoop(f, () => f.get(i).get(n).op("i32.lt_s"), () => {
      nest(j + 1, cj, sj);
      for (const [p, st] of [[cj, ax.out], [sj, ax.f]] as const) if (st) f.get(p).i32Const(st * el.bytes).op("i32.add").set(p);
      f.get(i).i32Const(1).op("i32.add").set(i);
    });
  };
  nest(0, c0, f0);
}

/** scratch[p, j] = B[p * pk + j * pn] for p < k, j < n: B as the row-major k x n block addGemm reads (C += A B^T). */
function packB(f: FunctionBuilder, t: GemmTerm, b: Local, scratch: Local, el: Element): void {
  const { k: pk, n: pn } = t.packB!;
  const [p, j, src, row, dst] = [f.local("i32"), f.local("i32"), f.local("i32"), f.local("i32"), f.local("i32")];
  f.get(scratch).set(dst).get(b).set(row).i32Const(0).set(p);
  whileLoop(f, () => f.get(p).i32Const(t.k.c).op("i32.lt_s"), () => {
    f.get(row).set(src).i32Const(0).set(j);
    whileLoop(f, () => f.get(j).i32Const(t.n.c).op("i32.lt_s"), () => {
      f.get(dst).get(src).mem(el.load).mem(el.store);
      f.get(dst).i32Const(el.bytes).op("i32.add").set(dst);
      f.get(src).i32Const(pn * el.bytes).op("i32.add").set(src);
      f.get(j).i32Const(1).op("i32.add").set(j);
    });
    f.get(row).i32Const(pk * el.bytes).op("i32.add").set(row);
    f.get(p).i32Const(1).op("i32.add").set(p);
  });
}
