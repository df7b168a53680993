/**
 * Contraction steps read through index tables (the products of packed
 * symmetric derivative blocks of Faa di Bruno's formula, e.g.
 * `t28[b,i1,p] = t24[b,i1]*t18[b,i1,T5[p,m1]]*t19[b,i1,T6[p,m1]] + ...`) as
 * unrolled wasm: the tables are static (runtime subIndexTable and
 * denseIndexTable of the plan's TableDecl), so every index a table reads (p,
 * m1) and every summed index is unrolled at compile time, and each output
 * element of one iteration of the remaining loops (b, i1) becomes straight-line
 * code whose loads have constant offsets from one pointer per factor. The
 * JavaScript kernel instead reads the tables and computes the offsets at run
 * time, element by element. An outer product or a scaling (two or more
 * factors, no summed index, no table: `t15[b,i1,p] = t12[b,i1]*t36[i1,p]`),
 * and a sum of single reads (a bias add: `t9[b,i1] = t7[b,i1] + t2[i1]`), are
 * unrolled the same way along their innermost output index.
 *
 * Per output element: sum over terms of coef * (factors not reading a summed
 * index) * sum over the summed indices of (the other factors), left to right,
 * in f64 (f32 buffers are widened on load and rounded once on store, as the
 * JavaScript kernel does).
 */
import { denseIndexTable, subIndexTable } from "../../runtime/packed.js";
import type { AxisRef, ContractStep, Factor, IndexRef, Plan, TableDecl, Term } from "../plan/plan.js";
import { isGroupRef, isTableRef } from "../plan/plan.js";
import { access, tableMembers } from "./loops.js";
import { elementOf, whileLoop, type Element, type FunctionBuilder, type Local } from "../wasm/index.js";
import type { Extent } from "./wasm-steps.js";
import { emitLanes, laneCosts, pushF64Pair } from "./wasm-table-lanes.js";

/** A load of factor `f` (its pointer) at constant element offset `off`. */
export interface Load { readonly f: number; readonly off: number }
/** coef * prod(outer) * sum over inner of prod(inner[j]). */
export interface Product { readonly coef: number; readonly outer: readonly Load[]; readonly inner: readonly (readonly Load[])[] }

export interface TableStep {
  /** The factor pointers: buffer id and element stride along each loop. */
  readonly ptrs: readonly { readonly buf: number; readonly strides: readonly number[] }[];
  /** Loops around the unrolled body, outermost first: extent and output stride. */
  readonly loops: readonly { readonly extent: Extent; readonly out: number }[];
  /** One entry per output element of a loop iteration: its offset from the output pointer, and its value. */
  readonly body: readonly { readonly off: number; readonly sum: readonly Product[] }[];
  /** Two iterations of the innermost loop a pass, in the lanes of f64x2, each repeated subexpression once (wasm-table-lanes.ts); else two adjacent output elements in the lanes. */
  readonly lanes: boolean;
}

/** Most loads one step's unrolled body may hold (code size: about 4 bytes each). */
const MAX_LOADS = 16384;

const tableCache = new WeakMap<TableDecl, Int32Array>();
function contents(t: TableDecl): Int32Array | undefined {
  if (t.kind !== "sub" && t.kind !== "dense") return undefined;
  let c = tableCache.get(t);
  if (!c) tableCache.set(t, (c = t.kind === "sub" ? subIndexTable(t.ns, t.ms, t.masks) : denseIndexTable(t.ns, t.ms)));
  return c;
}

/** Every assignment of values to `names` (sizes static), first name outermost. */
function assignments(names: readonly string[], sizes: ContractStep["sizes"]): Map<string, number>[] {
  let out: Map<string, number>[] = [new Map()];
  for (const n of names) {
    const next: Map<string, number>[] = [];
    for (const a of out) for (let v = 0; v < (sizes[n] as number); v++) next.push(new Map([...a, [n, v]]));
    out = next;
  }
  return out;
}

/**
 * Matches already made, per step: the target choice costs a plan's steps and
 * the emission matches them again (and explain once more), and a step's match
 * depends only on the step, the plan's tables and its dtype.
 */
const matched = new WeakMap<ContractStep, { tables: Plan["tables"]; dtype: Plan["dtype"]; result: TableStep | string }[]>();

/** The step as unrolled wasm, or why not. */
export function matchTableStep(s: ContractStep, plan: Plan): TableStep | string {
  const seen = matched.get(s) ?? (matched.set(s, []), matched.get(s)!);
  const hit = seen.find((m) => m.tables === plan.tables && m.dtype === plan.dtype);
  if (hit) return hit.result;
  const result = matchUncached(s, plan);
  seen.push({ tables: plan.tables, dtype: plan.dtype, result });
  return result;
}

/**
 * A term that writes the output through its own distinct names (reverse mode's
 * elementwise product `t19[b,y,q0] = t18[b,y,k0a1]*t13[b,k0a1] ->[b,y,k0a1]`)
 * is the same term with those names renamed to the output's
 * (`t18[b,y,q0]*t13[b,q0]`), when no other name of the term is an output name.
 */
function renameOut(t: Term, outIdx: readonly AxisRef[], sizes: ContractStep["sizes"]): Term | undefined {
  if (!t.out) return t;
  const out = t.out;
  if (out.length !== outIdx.length) return undefined;
  const to = new Map<string, string>();
  for (let j = 0; j < out.length; j++) {
    const a = out[j]!, b = outIdx[j]!;
    if (a === null && b === null) continue;
    if (typeof a !== "string" || typeof b !== "string" || to.has(a) || sizes[a] !== sizes[b]) return undefined;
    to.set(a, b);
  }
  const outNames = new Set(outIdx.filter((n): n is string => n !== null));
  const name = (n: string): string | undefined => to.get(n) ?? (outNames.has(n) ? undefined : n);
  const factors: Factor[] = [];
  for (const f of t.factors) {
    const idx: IndexRef[] = [];
    for (const r of f.idx) {
      if (r === null) { idx.push(r); continue; }
      if (typeof r === "string") { const n = name(r); if (n === undefined) return undefined; idx.push(n); continue; }
      if (!isTableRef(r)) return undefined;
      const row = name(r.row), member = r.member in sizes ? name(r.member) : r.member;
      if (row === undefined || member === undefined) return undefined;
      idx.push({ ...r, row, member });
    }
    factors.push({ buf: f.buf, idx });
  }
  return { coef: t.coef, factors };
}

function matchUncached(step: ContractStep, plan: Plan): TableStep | string {
  if (!step.terms.length) return "no terms (the step writes zeros)";
  const renamed = step.terms.map((t) => renameOut(t, step.outIdx, step.sizes));
  if (renamed.some((t) => t === undefined)) return "a term writes the output through its own indices (not a renaming of the output's)";
  const s: ContractStep = { ...step, terms: renamed as Term[] };
  const outNames = s.outIdx.filter((r): r is string => r !== null);
  if (new Set(outNames).size !== outNames.length) return "an index repeats in the output";
  const unrolled = new Set<string>();
  let tables = 0;
  for (const t of s.terms) for (const f of t.factors) {
    if (f.buf === s.out) return "the output is also read";
    for (const r of f.idx) {
      if (r === null || typeof r === "string") { if (r !== null && !outNames.includes(r)) unrolled.add(r); continue; }
      if (isGroupRef(r) || !isTableRef(r)) return "a packed group read through a rank table";
      if (!contents(plan.tables[r.table]!)) return `index table T${r.table} is not static`;
      tables++;
      unrolled.add(r.row);
      if (r.member in s.sizes) unrolled.add(r.member);
    }
  }
  if (!tables) {
    // an outer product or a scaling (a product of two or more factors, nothing summed), or a sum of such
    // products and single reads (a bias add, t9[b,i1] = t7[b,i1] + t2[i1]): its innermost output index is unrolled
    const products = s.terms.every((t) => t.factors.length >= 1) && (s.terms.length >= 2 || s.terms[0]!.factors.length >= 2);
    if (unrolled.size || !products) return "no index table";
    const inner = outNames[outNames.length - 1];
    if (inner === undefined || typeof s.sizes[inner] !== "number") return "no index table, and the innermost output index is the batch";
    unrolled.add(inner);
  }
  for (const n of unrolled) if (typeof s.sizes[n] !== "number") return `unrolled index ${n} has no static size`;
  const loopNames = outNames.filter((n) => !unrolled.has(n));
  const outUnrolled = outNames.filter((n) => unrolled.has(n));
  const outAcc = access("out", s.outIdx, s.sizes, plan, "");
  const loops = loopNames.map((n) => ({ extent: s.sizes[n] === "B" ? { c: 1, batch: true } : { c: s.sizes[n] as number, batch: false }, out: outAcc.strides.get(n) ?? 0 }));
  const ptrs: { buf: number; strides: number[] }[] = [];
  const ptrOf = (buf: number, strides: number[]): number => {
    const j = ptrs.findIndex((p) => p.buf === buf && p.strides.every((x, i) => x === strides[i]));
    return j >= 0 ? j : ptrs.push({ buf, strides }) - 1;
  };
  // each factor: its pointer, and its offset for an assignment of the unrolled indices
  const terms = s.terms.map((t) => {
    const summed = [...new Set(t.factors.flatMap((f) => f.idx.flatMap((r) => (r === null ? [] : typeof r === "string" ? [r] : isTableRef(r) ? [r.row, ...(r.member in s.sizes ? [r.member] : [])] : []))))].filter((n) => !outNames.includes(n));
    const factors = t.factors.map((f) => {
      const a = access(`t${f.buf}`, f.idx, s.sizes, plan, "");
      const p = ptrOf(f.buf, loopNames.map((n) => a.strides.get(n) ?? 0));
      const names = new Set([...a.strides.keys(), ...a.tables.flatMap((r) => [r.row, ...(r.member in s.sizes ? [r.member] : [])])]);
      const offset = (u: Map<string, number>): number => {
        let o = 0;
        for (const [n, st] of a.strides) if (unrolled.has(n)) o += st * u.get(n)!;
        for (const r of a.tables) {
          const T = plan.tables[r.table]!;
          o += r.stride * contents(T)![u.get(r.row)! * tableMembers(T) + (r.member in s.sizes ? u.get(r.member)! : Number(r.member))]!;
        }
        return o;
      };
      return { p, offset, inner: summed.some((n) => names.has(n)) };
    });
    return { coef: t.coef, summed, factors };
  });
  let loads = 0;
  const body = assignments(outUnrolled, s.sizes).map((u) => {
    const sum = terms.map((t): Product => {
      const outer = t.factors.filter((f) => !f.inner).map((f) => ({ f: f.p, off: f.offset(u) }));
      const inner = assignments(t.summed, s.sizes).map((m) => {
        const um = new Map([...u, ...m]);
        return t.factors.filter((f) => f.inner).map((f) => ({ f: f.p, off: f.offset(um) }));
      });
      loads += outer.length + inner.reduce((x, y) => x + y.length, 0);
      return { coef: t.coef, outer, inner };
    });
    return { off: [...outAcc.strides].reduce((o, [n, st]) => o + (unrolled.has(n) ? st * u.get(n)! : 0), 0), sum };
  });
  if (loads > MAX_LOADS) return `too large to unroll (${loads} loads per iteration)`;
  const last = loops.length - 1;
  const lanes = last >= 0 && lanesPay(body, ptrs.map((q) => q.strides[last]!), loops[last]!.out, elementOf(plan.dtype ?? "f64"));
  return { ptrs, loops, body, lanes };
}

/**
 * Loads per chunk of an unrolled body (about 10 bytes of code each). A body of
 * several chunks puts each in a function of its own (emitTableStep): MLP order
 * 4's 330-element body of h2 ran 1.3x faster that way than as chunks of one driver
 * function (per-step probe, B = 128, 2026-12-06: 7.4-7.7 against 9.3-10.0
 * ms), whose size V8's optimising compiler handles worse than its baseline
 * compiler did (--liftoff-only ran that step in 8.2 ms, the default in 9.9).
 * Chunks of 1024 loads beat 128, 256, 512 (7.5-7.7 ms), 4096 (9.4) and one
 * function for the whole body (14 ms).
 */
const CHUNK_LOADS = 1024;

/** The body cut into runs of about CHUNK_LOADS loads. */
function chunks(body: TableStep["body"]): TableStep["body"][] {
  const out: TableStep["body"][] = [];
  let cur: TableStep["body"][number][] = [], n = 0;
  for (const e of body) {
    const k = e.sum.reduce((x, pr) => x + pr.outer.length + pr.inner.reduce((y, z) => y + z.length, 0), 0);
    if (cur.length && n + k > CHUNK_LOADS) { out.push(cur); cur = []; n = 0; }
    cur.push(e); n += k;
  }
  if (cur.length) out.push(cur);
  return out;
}

/**
 * Two loop iterations in the lanes (wasm-table-lanes.ts) when that takes under
 * 0.8 of the instructions of two adjacent output elements in them: yes for
 * Faa di Bruno's products (gathers, shared pair products), no for an outer
 * product along p (one splat and one vector load an element pair already).
 */
function lanesPay(body: TableStep["body"], strides: readonly number[], outStride: number, el: Element): boolean {
  const c = laneCosts(body, strides, outStride, el);
  return c.lanes < 0.8 * c.pairs;
}

/** Adds a function of `params` i32 parameters and no result to the module, built by `build`; returns its index. */
export type SubFunction = (params: number, build: (g: FunctionBuilder) => void) => number;

/**
 * The step's driver body: its loops (pointers advanced by their strides), the
 * unrolled body innermost. `at(buf)`: the local holding a buffer's address.
 * With `sub`, a body of several chunks runs each chunk's innermost loop in a
 * function of its own (see CHUNK_LOADS), called as (bt, output, pointers).
 */
export function emitTableStep(f: FunctionBuilder, t: TableStep, out: number, bt: Local, at: (buf: number) => Local, el: Element, sub?: SubFunction): void {
  emitNest(f, t, at(out), t.ptrs.map((q) => at(q.buf)), bt, el, sub);
}

/** emitTableStep from the output's and the factors' current pointers. */
function emitNest(f: FunctionBuilder, t: TableStep, o0: Local, p0: readonly Local[], bt: Local, el: Element, sub?: SubFunction): void {
  const load = (p: readonly Local[], l: Load): void => {
    f.get(p[l.f]!).mem(el.load, { offset: l.off * el.bytes });
    if (el.name === "f32") f.op("f64.promote_f32");
  };
  /** Pushes one element's value (f64, or f64x2 for two elements `es` of the same shape at consecutive offsets: lane j is es[j]). */
  const value = (p: readonly Local[], es: readonly TableStep["body"][number][]): void => {
    const v = es.length === 2;
    const mul = () => (v ? f.simd("f64x2.mul") : f.op("f64.mul"));
    const add = () => (v ? f.simd("f64x2.add") : f.op("f64.add"));
    const konst = (c: number) => (v ? f.v128Splat("f64x2", c) : f.f64Const(c));
    // one operand: a scalar load, or the two lanes' loads: one splat when equal, one vector load when adjacent
    const operand = (ls: readonly Load[]): void => {
      const [a, b] = ls as [Load, Load | undefined];
      if (!b) return load(p, a);
      f.get(p[a.f]!);
      pushF64Pair(f, a.off, p[b.f]!, b.off);
    };
    es[0]!.sum.forEach((pr, i) => {
      const lanes = (pick: (x: Product) => Load) => es.map((e) => pick(e.sum[i]!));
      let n = 0; // operands pushed for this product
      if (pr.coef !== 1) { konst(pr.coef); n++; }
      pr.outer.forEach((_, k) => { operand(lanes((x) => x.outer[k]!)); if (n++) mul(); });
      if (pr.inner.some((x) => x.length)) {
        pr.inner.forEach((x, k) => { x.forEach((_, q) => { operand(lanes((y) => y.inner[k]![q]!)); if (q) mul(); }); if (k) add(); });
        if (n++) mul();
      }
      if (!n) konst(1); // an empty product
      if (i) add();
    });
  };
  /** The loads' pointers, coefficients and nesting: two elements of one shape differ in their offsets only. */
  const shape = (e: TableStep["body"][number]): string => JSON.stringify(e.sum.map((pr) => [pr.coef, pr.outer.map((l) => l.f), pr.inner.map((x) => x.map((l) => l.f))]));
  const unrolled = (body: TableStep["body"], o: Local, p: readonly Local[]): void => {
    for (let j = 0; j < body.length; j++) {
      const e = body[j]!, next = body[j + 1];
      // f64: two elements at adjacent offsets (p, p+1 of a packed block) in the lanes of one f64x2
      if (el.name === "f64" && next && next.off === e.off + 1 && shape(next) === shape(e)) {
        f.get(o);
        value(p, [e, next]);
        f.mem("v128.store", { offset: e.off * 8, align: 3 });
        j++;
        continue;
      }
      f.get(o);
      value(p, [e]);
      if (el.name === "f32") f.op("f32.demote_f64");
      f.mem(el.store, { offset: e.off * el.bytes });
    }
  };
  const nest = (j: number, o: Local, p: readonly Local[], body: TableStep["body"]): void => {
    if (j === t.loops.length) { unrolled(body, o, p); return; }
    // the innermost loop runs once per chunk of the body: a whole order-4 body (tens of KB of code) would not stay in the instruction cache
    if (j === t.loops.length - 1 && body === t.body) {
      const cs = chunks(t.body);
      for (const c of cs) {
        if (!sub || cs.length === 1) { nest(j, o, p, c); continue; }
        // the chunk's innermost loop in a function of its own
        const idx = sub(2 + p.length, (g) => {
          const [gbt, go, ...gp] = g.params;
          emitNest(g, { ptrs: t.ptrs.map((q) => ({ ...q, strides: [q.strides[j]!] })), loops: [t.loops[j]!], body: c, lanes: t.lanes }, go!, gp, gbt!, el);
        });
        f.get(bt).get(o); p.forEach((x) => f.get(x)); f.call(idx);
      }
      return;
    }
    const l = t.loops[j]!;
    const [i, n, oj] = [f.local("i32"), f.local("i32"), f.local("i32")];
    const pj = p.map(() => f.local("i32"));
    if (l.extent.batch) { f.get(bt); if (l.extent.c !== 1) f.i32Const(l.extent.c).op("i32.mul"); } else f.i32Const(l.extent.c);
    f.set(n).i32Const(0).set(i).get(o).set(oj);
    p.forEach((x, k) => f.get(x).set(pj[k]!));
    const advance = (by: number): void => {
      if (l.out) f.get(oj).i32Const(l.out * el.bytes * by).op("i32.add").set(oj);
      t.ptrs.forEach((q, k) => { if (q.strides[j]) f.get(pj[k]!).i32Const(q.strides[j]! * el.bytes * by).op("i32.add").set(pj[k]!); });
      f.get(i).i32Const(by).op("i32.add").set(i);
    };
    // the innermost loop two iterations at a time in the lanes of f64x2 when that takes fewer instructions (wasm-table-lanes.ts)
    const strides = t.ptrs.map((q) => q.strides[j]!);
    const lanes = t.lanes && j === t.loops.length - 1;
    if (lanes) whileLoop(f, () => f.get(i).i32Const(1).op("i32.add").get(n).op("i32.lt_s"), () => { emitLanes(f, body, oj, pj, strides, l.out, el); advance(2); });
    // the remaining iteration (or every one)
    if (!lanes || l.extent.batch || l.extent.c % 2) whileLoop(f, () => f.get(i).get(n).op("i32.lt_s"), () => { nest(j + 1, oj, pj, body); advance(1); });
  };
  nest(0, o0, p0, t.body);
}
