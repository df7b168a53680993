/**
 * Which contraction steps the wasm target runs as GEMMs (compiler/wasm
 * addGemm: C[m,n] += A[m,k] B[k,n], or A^T B), and why the others stay
 * JavaScript (thoadc explain prints the reason).
 *
 * A term is GEMM-shaped when it has two factors read through plain indices (no
 * index table, no repeated index) and writes the step's output through its
 * outIdx. Each index then has a role by where it occurs:
 *   in both factors and the output: a loop (L) around the GEMM;
 *   in A and the output: M; in B and the output: N; in A and B only: K (summed).
 * An index in one place only (a sum over one factor, a broadcast) is not a
 * GEMM. Each role's indices must merge into one strided dimension of every
 * tensor it occurs in (a run of adjacent axes in the same order); indices of
 * a role that do not merge become loops too. addGemm needs unit stride along
 * N in B and C, and along K in A (along M with transA), so both factor orders
 * and both A layouts are tried and the one with the largest m*n*k is taken;
 * when none fits, C += A B^T (N strided in B) copies B into a packed k x n
 * block first (packB).
 * A one-term step of three factors, one of which reads output indices only, is
 * the GEMM of the other two, then a pass multiplying by that one.
 * A step is a wasm step when all its terms match with one coefficient c:
 * C = c * (sum of GEMMs), c applied by a pass after them when c != 1.
 */
import type { ContractStep, Plan, Step, Term } from "../plan/plan.js";
import { matchTableStep, type TableStep } from "./wasm-table-step.js";
import { matchMapStep, type MapKernel } from "./wasm-map-step.js";

/** An extent: `c` times the tile's sample count when `batch`. */
export interface Extent { readonly c: number; readonly batch: boolean }

/** A loop around the GEMM call: element strides of the output, A and B (0 where the index is absent). */
export interface GemmLoop { readonly extent: Extent; readonly out: number; readonly a: number; readonly b: number }

export interface GemmTerm {
  /** Buffer ids of the two factors, in GEMM order. */
  readonly a: number;
  readonly b: number;
  readonly transA: boolean;
  readonly m: Extent;
  readonly n: Extent;
  readonly k: Extent;
  /** Element strides: A's row (of M, or of K with transA), B's row (of K), C's row (of M). */
  readonly lda: number;
  readonly ldb: number;
  readonly ldc: number;
  readonly loops: readonly GemmLoop[];
  /**
   * A third factor that reads output indices only (t[l,o,k] = A[l,n] B[n,o,k] s[l,k]):
   * after the GEMM, every output element is multiplied by it. Axes: the
   * output's, each with its element stride in the output and in `buf` (0: absent).
   */
  /**
   * C += A B^T: B (its N strided) is first copied into a k x n row-major
   * scratch block (ldb = n); k and n are B's element strides along K and N.
   */
  readonly packB?: { readonly k: number; readonly n: number };
  readonly scaleBy?: { readonly buf: number; readonly axes: readonly { readonly extent: Extent; readonly out: number; readonly f: number }[] };
}

export interface WasmStep {
  readonly terms: readonly GemmTerm[];
  /** Coefficient shared by every term, applied after the GEMMs when not 1. */
  readonly scale: number;
  /** A step through index tables, unrolled instead (wasm-table-step.ts; terms empty, scale 1). */
  readonly table?: TableStep;
  /** An elementwise step in f64x2 (wasm-map-step.ts; terms empty, scale 1). */
  readonly map?: MapKernel;
}

export type StepMatch = { readonly gemm: WasmStep } | { readonly reason: string };

/** Flops below which a term's GEMM is not worth a call into wasm (per sample of a tile, or per run). */
const MIN_MNK = 64;
/** Largest B (k x n elements) copied into a packed k x n block for C += A B^T. */
const MAX_PACK = 1 << 16;

interface Axis { readonly name: string; readonly extent: Extent; readonly stride: number }

const ONE: Extent = { c: 1, batch: false };
const mulExt = (x: Extent, y: Extent): Extent => ({ c: x.c * y.c, batch: x.batch || y.batch });
/** For ranking candidates: a tile's samples counted as 16. */
const weight = (e: Extent): number => e.c * (e.batch ? 16 : 1);

/** A tensor's axes of extent > 1, with row-major element strides; a string when it cannot be a GEMM operand. */
function axesOf(idx: readonly (string | null | object)[], sizes: ContractStep["sizes"]): Axis[] | string {
  const ext: Extent[] = [];
  for (let j = 0; j < idx.length; j++) {
    const r = idx[j];
    if (r === null) { ext.push(ONE); continue; }
    if (typeof r !== "string") return "a tensor is indexed through an index table";
    const s = sizes[r];
    if (s === undefined) return `index ${r} has no size`;
    if (s === "B" && j !== 0) return "the batch index is not the first axis";
    ext.push(s === "B" ? { c: 1, batch: true } : { c: s, batch: false });
  }
  const axes: Axis[] = [];
  let stride = 1;
  for (let j = idx.length - 1; j >= 0; j--) {
    const e = ext[j]!;
    if (e.batch || e.c > 1) axes.push({ name: idx[j] as string, extent: e, stride });
    if (!e.batch) stride *= e.c;
  }
  axes.reverse();
  const names = axes.map((a) => a.name);
  if (new Set(names).size !== names.length) return "an index repeats within one tensor (a diagonal)";
  return axes;
}

/** Runs of adjacent axes of `x` (all in `role`) that are also adjacent, in the same order, in each of `ys`. */
function runs(role: ReadonlySet<string>, x: readonly Axis[], ys: readonly (readonly Axis[])[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < x.length; i++) {
    for (let j = i; j < x.length && role.has(x[j]!.name); j++) {
      const run = x.slice(i, j + 1).map((a) => a.name);
      const ok = ys.every((y) => {
        const p = y.findIndex((a) => a.name === run[0]);
        return p >= 0 && run.every((n, q) => y[p + q]?.name === n);
      });
      if (ok) out.push(run);
    }
  }
  return out;
}

interface Dim { readonly names: readonly string[]; readonly extent: Extent }

/** A role's merged dimension: stride of its innermost index in tensor `t` (1 when the role is empty). */
const strideIn = (d: Dim, t: readonly Axis[]): number => (d.names.length ? t.find((a) => a.name === d.names[d.names.length - 1])!.stride : 1);

function matchTerm(s: ContractStep, t: Term): GemmTerm | string {
  if (t.factors.length !== 2 && t.factors.length !== 3) return `${t.factors.length} factor${t.factors.length === 1 ? "" : "s"}, not 2`;
  // a term's own output indices (reverse mode's reshaped slot reads) when plain; a table or a repeated name is not a GEMM
  const o = axesOf(t.out ?? s.outIdx, s.sizes);
  if (typeof o === "string") return o;
  const f: Axis[][] = [];
  for (const x of t.factors) { const a = axesOf(x.idx, s.sizes); if (typeof a === "string") return a; f.push(a); }
  if (f.length === 2) return matchPair(o, f[0]!, f[1]!, t.factors[0]!.buf, t.factors[1]!.buf);
  // three factors: a GEMM of two, scaled by the third when it reads output indices only
  if (s.terms.length > 1) return "3 factors in a step of several terms";
  let best: GemmTerm | string = "3 factors, none of them a scaling of the output";
  for (let j = 2; j >= 0; j--) {
    const sc = f[j]!;
    if (!sc.every((a) => o.some((b) => b.name === a.name))) continue;
    const [p, q] = [0, 1, 2].filter((x) => x !== j) as [number, number];
    const g = matchPair(o, f[p]!, f[q]!, t.factors[p]!.buf, t.factors[q]!.buf);
    if (typeof g === "string") { if (typeof best === "string") best = `3 factors; without the scaling one: ${g}`; continue; }
    const axes = o.map((a) => ({ extent: a.extent, out: a.stride, f: sc.find((b) => b.name === a.name)?.stride ?? 0 }));
    if (typeof best === "string") best = { ...g, scaleBy: { buf: t.factors[j]!.buf, axes } };
  }
  return best;
}

function matchPair(o: readonly Axis[], f0: readonly Axis[], f1: readonly Axis[], buf0: number, buf1: number): GemmTerm | string {
  const has = (x: readonly Axis[], n: string) => x.some((a) => a.name === n);
  const names = [...new Set([...o, ...f0, ...f1].map((a) => a.name))];
  for (const n of names) {
    const where = [has(f0, n), has(f1, n), has(o, n)].filter(Boolean).length;
    if (where === 1) return `index ${n} occurs in one tensor only (${has(o, n) ? "a broadcast" : "a sum over one factor"})`;
  }
  if (!names.some((n) => has(f0, n) && has(f1, n) && !has(o, n))) return "no summed index (an outer product or a scaling)";
  const ext = (n: string): Extent => [...o, ...f0, ...f1].find((a) => a.name === n)!.extent;
  let best: GemmTerm | undefined;
  let bestW = -1;
  // without a packed copy of B first; with one (A B^T: N strided in B) only when that fails
  for (const pack of [false, true]) for (const swap of [false, true]) {
    if (pack && bestW >= MIN_MNK) break;
    const [A, B] = swap ? [f1, f0] : [f0, f1];
    const [ia, ib] = swap ? [buf1, buf0] : [buf0, buf1];
    const M = new Set(names.filter((n) => has(A, n) && has(o, n) && !has(B, n)));
    const N = new Set(names.filter((n) => has(B, n) && has(o, n) && !has(A, n)));
    const K = new Set(names.filter((n) => has(A, n) && has(B, n) && !has(o, n)));
    const dim = (names: readonly string[]): Dim => ({ names, extent: names.reduce((e, n) => mulExt(e, ext(n)), ONE) });
    // N: a run innermost (stride 1) in both B and C, or nothing (n = 1)
    const nRuns = runs(N, o, [B]).filter((r) => strideIn(dim(r), o) === 1 && (pack || strideIn(dim(r), B) === 1));
    const kRuns = runs(K, A, [B]);
    const mRuns = runs(M, o, [A]);
    for (const transA of [false, true]) {
      for (const nr of [...nRuns, []]) for (const kr of [...kRuns, []]) for (const mr of [...mRuns, []]) {
        const dm = dim(mr), dn = dim(nr), dk = dim(kr);
        // A's unit-stride dimension: K (A[m, k]) or M (transA: A stored k x m)
        if (strideIn(transA ? dm : dk, A) !== 1 && (transA ? dm : dk).names.length) continue;
        if (nr.length === 0 && N.size) continue; // an N index left to a loop: a GEMM with n = 1 per call
        // the packed copy of B (k x n) lives in a scratch area of static size
        if (pack && (dn.extent.batch || dk.extent.batch || dn.extent.c * dk.extent.c > MAX_PACK)) continue;
        const used = new Set([...mr, ...nr, ...kr]);
        const loops: GemmLoop[] = names.filter((n) => !used.has(n)).map((n) => ({
          extent: ext(n),
          out: o.find((a) => a.name === n)?.stride ?? 0,
          a: A.find((a) => a.name === n)?.stride ?? 0,
          b: B.find((a) => a.name === n)?.stride ?? 0,
        }));
        const w = weight(dm.extent) * weight(dn.extent) * weight(dk.extent);
        if (w <= bestW) continue;
        bestW = w;
        best = {
          a: ia, b: ib, transA, m: dm.extent, n: dn.extent, k: dk.extent,
          lda: strideIn(transA ? dk : dm, A), ldb: pack ? dn.extent.c : strideIn(dk, B), ldc: strideIn(dm, o), loops,
          ...(pack ? { packB: { k: strideIn(dk, B), n: strideIn(dn, B) } } : {}),
        };
      }
    }
  }
  if (!best) return "no factor order puts the output's innermost index at unit stride in a factor";
  if (bestW < MIN_MNK) return `GEMM too small (m*n*k = ${bestW} per call)`;
  return best;
}

/** Whether a step runs as GEMMs in wasm, or why not. */
export function matchStep(s: Step): StepMatch {
  if (s.kind !== "contract") return { reason: `${s.kind} step` };
  if (!s.terms.length) return { reason: "no terms (the step writes zeros)" };
  const terms: GemmTerm[] = [];
  for (const [j, t] of s.terms.entries()) {
    const g = matchTerm(s, t);
    if (typeof g === "string") return { reason: s.terms.length > 1 ? `term ${j + 1}: ${g}` : g };
    terms.push(g);
  }
  const scale = s.terms[0]!.coef;
  if (s.terms.some((t) => t.coef !== scale)) return { reason: "terms with different coefficients" };
  return { gemm: { terms, scale } };
}

/** The wasm steps of a plan (by step index): the GEMM steps, the steps through index tables unrolled, the vectorised elementwise steps. */
export function wasmSteps(plan: Plan): Map<number, WasmStep> {
  const m = new Map<number, WasmStep>();
  plan.steps.forEach((s, i) => {
    const r = matchStep(s);
    if ("gemm" in r) m.set(i, r.gemm);
    else if (s.kind === "contract") {
      const t = matchTableStep(s, plan);
      if (typeof t !== "string") m.set(i, { terms: [], scale: 1, table: t });
    } else if (s.kind === "map") {
      const k = matchMapStep(s, plan);
      if (typeof k !== "string") m.set(i, { terms: [], scale: 1, map: k });
    }
  });
  return m;
}

const extentText = (e: Extent): string => (e.batch ? `${e.c === 1 ? "" : e.c}B` : String(e.c));

/** One line for `thoadc explain --target wasm`: how the step runs, or why it stays JavaScript. */
export function describeStep(s: Step, plan?: Plan): string {
  const r = matchStep(s);
  if (plan && s.kind === "map") {
    const k = matchMapStep(s, plan);
    return typeof k === "string" ? `js (${k})` : `wasm f64x2 elementwise (the rule's expressions, ${k.fns.join(" and ")} vectorised)`;
  }
  if ("reason" in r && plan && s.kind === "contract") {
    const t = matchTableStep(s, plan);
    if (typeof t !== "string") return `wasm unrolled (${t.body.length} output elements a loop iteration${t.loops.length ? ` in ${t.loops.map((l) => extentText(l.extent)).join("x")} loops` : ""}${t.lanes ? "; two iterations in the f64x2 lanes, repeated products once" : ""})`;
  }
  if ("reason" in r) return `js (${r.reason})`;
  const terms = r.gemm.terms.map((t) => `${t.transA ? "A^T B" : "A B"} ${[t.m, t.n, t.k].map(extentText).join("x")}${t.loops.length ? ` in ${t.loops.map((l) => extentText(l.extent)).join("x")} loops` : ""}${t.packB ? " (B packed: A B^T)" : ""}${t.scaleBy ? ", then scaled by the third factor" : ""}`);
  return `wasm GEMM (m x n x k) ${terms.join(" + ")}${r.gemm.scale !== 1 ? `, times ${r.gemm.scale}` : ""}`;
}

/** Elements of the scratch block a plan's wasm steps pack B into (0: none). */
export const packSize = (steps: Iterable<WasmStep>): number => {
  let n = 0;
  for (const w of steps) for (const t of w.terms) if (t.packB) n = Math.max(n, t.k.c * t.n.c);
  return n;
};
