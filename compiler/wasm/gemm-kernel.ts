/**
 * GEMM microkernel with register blocking: C[m,n] += A[m,k] B[k,n], row-major
 * with element strides lda, ldb, ldc, all addresses in bytes in the imported
 * memory. Signature: (m, n, k, a, lda, b, ldb, c, ldc) -> (). With `transA`,
 * A is stored k x m (A[p, i] at p*lda + i): C += A^T B, as in reverse mode's
 * weight gradients; only A's two strides swap, the loops are the same.
 *
 * Tiling: C is covered by tiles of `mr` rows x `nv` vectors (nv * lanes
 * columns). A tile's mr * nv accumulators live in v128 locals (registers once
 * V8 compiles it) for the whole k loop; each step loads nv vectors of B's row
 * p, splats A[i+r, p] for each row r and does mr * nv vector mul+add, so
 * every B load is reused mr times and every A load nv times. Edges, with no
 * padding or copies: leftover columns by 1-vector tiles then one column at a
 * time, leftover rows (m mod mr) one at a time by the same column sweep with
 * mr = 1. A column of a tile with transA has its rows adjacent in A (A[p, i],
 * A[p, i+1], ...: one vector load), so it runs as rows / lanes vectors, each
 * lane one row (C's rows are ldc apart: loaded and stored a lane at a time);
 * otherwise in scalar arithmetic.
 *
 * Narrow B with transA (n <= NARROW_N, as forward mode's per-sample blocks of
 * a Jacobian with 2 or 3 directions against a weight matrix): C is covered by
 * blocks of NARROW_ROWS rows x 2 columns (then 1), vectors along the rows
 * (A's rows are adjacent there), one splat of B[p, j+c] per column: per p,
 * NARROW_ROWS / lanes vector loads and 2 splats feed 2 NARROW_ROWS / lanes
 * mul+adds, where the general sweep's 1-vector tile (2 columns) does 1 load
 * and mr splats for mr mul+adds. Rows left over go through the general sweep.
 * Per-step probe (PINN order 4, B = 128, 32 x n x 32 per sample): n = 2 41.5
 * to 30-31 us, n = 3 65 to 48-50 us; n = 4 as 2 + 2 columns gained nothing
 * (57 to 58-60 us) and as 4 columns lost (85 us: 16 accumulators spill), so
 * it stays with the general sweep's 4 x 2-vector tile.
 *
 * Summation order, the same in every path: C[i,j] is loaded, then
 * C[i,j] + A[i,0] B[0,j] + A[i,1] B[1,j] + ... left to right, each product
 * rounded then added (WebAssembly has no fused multiply-add in these
 * instructions). So a scalar loop in that order gives bit-identical results.
 */
import { F64, type Element } from "./element.js";
import type { FunctionBuilder, Local } from "./function-builder.js";
import { addTo, fits, whileLoop } from "./loops.js";
import type { ModuleBuilder } from "./module-builder.js";
import type { FuncType } from "./valtype.js";

export interface GemmOptions {
  readonly element?: Element; // F64 (default) or F32
  readonly mr?: number; // rows per tile (default 4)
  readonly nv?: number; // vectors per tile row (default 2: 4 f64 or 8 f32 columns)
  readonly transA?: boolean; // A stored k x m (default false)
}

/** The narrow-B path (transA): widest n it takes, and its rows per block. */
const NARROW_N = 3;
const NARROW_ROWS = 8;

export const GEMM_TYPE: FuncType = { params: ["i32", "i32", "i32", "i32", "i32", "i32", "i32", "i32", "i32"], results: [] };

/** Adds the kernel to `mod`, exported as `name`; returns its function index. */
export function addGemm(mod: ModuleBuilder, name: string, opts: GemmOptions = {}): number {
  const el = opts.element ?? F64;
  const mr = opts.mr ?? 4;
  const nv = opts.nv ?? 2;
  if (!(mr >= 1 && nv >= 1 && mr * nv <= 32)) throw new RangeError(`addGemm: tile ${mr}x${nv} vectors out of range (1..32 accumulators)`);
  return mod.addFunction(GEMM_TYPE, (f) => new GemmWriter(f, el, mr, nv, opts.transA ?? false).write(), name);
}

class GemmWriter {
  private readonly m: Local; private readonly n: Local; private readonly k: Local;
  private readonly a: Local; private readonly b: Local; private readonly c: Local;
  private readonly lda: Local; private readonly ldb: Local; private readonly ldc: Local; // strides in bytes after the prologue
  private readonly aRowStep: Local; private readonly aPStep: Local; // bytes from A[i, p] to A[i+1, p] and to A[i, p+1]
  private readonly i: Local; private readonly j: Local; private readonly p: Local;
  private readonly aRow: Local; private readonly cRow: Local; private readonly bPtr: Local;
  private readonly aPtr: Local[]; private readonly cPtr: Local[];
  private readonly acc: Local[][]; private readonly bv: Local[]; private readonly as: Local; // A[i+r, p] splat (tile), or A[p, i..] rows as a vector (narrowColumns)
  private readonly sacc: Local[]; private readonly sb: Local; // scalar edge column
  private readonly nacc: Local[][]; private readonly nb: Local[]; // narrowColumns: accumulators [row vector][column], B splats

  constructor(private readonly f: FunctionBuilder, private readonly el: Element, private readonly mr: number, private readonly nv: number, private readonly transA: boolean) {
    [this.m, this.n, this.k, this.a, this.lda, this.b, this.ldb, this.c, this.ldc] = f.params;
    const i32 = () => f.local("i32");
    [this.i, this.j, this.p, this.aRow, this.cRow, this.bPtr] = [i32(), i32(), i32(), i32(), i32(), i32()];
    [this.aRowStep, this.aPStep] = [i32(), i32()];
    const rowsMax = transA ? Math.max(mr, NARROW_ROWS) : mr;
    this.aPtr = Array.from({ length: rowsMax }, i32);
    this.cPtr = Array.from({ length: rowsMax }, i32);
    this.acc = Array.from({ length: mr }, () => Array.from({ length: nv }, () => f.local("v128")));
    this.bv = Array.from({ length: nv }, () => f.local("v128"));
    this.as = f.local("v128");
    this.sacc = Array.from({ length: mr }, () => f.local(el.name));
    this.sb = f.local(el.name);
    this.nacc = transA ? Array.from({ length: Math.ceil(rowsMax / el.lanes) }, () => Array.from({ length: 2 }, () => f.local("v128"))) : [];
    this.nb = transA ? Array.from({ length: 2 }, () => f.local("v128")) : [];
  }

  write(): void {
    const { f, el } = this;
    for (const s of [this.lda, this.ldb, this.ldc]) f.get(s).i32Const(el.log2Bytes).op("i32.shl").set(s);
    const [rowStep, pStep] = this.transA ? [this.aPStep, this.aRowStep] : [this.aRowStep, this.aPStep];
    f.get(this.lda).set(rowStep).i32Const(el.bytes).set(pStep);
    f.get(this.a).set(this.aRow).get(this.c).set(this.cRow);
    if (this.transA) {
      f.get(this.n).i32Const(NARROW_N).op("i32.le_s");
      const narrow = f.if();
      this.rowSweep(NARROW_ROWS, true);
      f.end(narrow);
    }
    this.rowSweep(this.mr);
    if (this.mr > 1) this.rowSweep(1);
  }

  /** Rows i.. in blocks of `rows` while a whole block fits (`narrow`: by narrowColumns). */
  private rowSweep(rows: number, narrow = false): void {
    const { f, el } = this;
    whileLoop(f, () => fits(f, this.i, rows, this.m), () => {
      if (narrow) {
        f.i32Const(0).set(this.j);
        for (const c of [2, 1]) whileLoop(f, () => fits(f, this.j, c, this.n), () => { this.narrowColumns(rows / el.lanes, c); addTo(f, this.j, c); });
      } else this.columnSweep(rows);
      addTo(f, this.i, rows);
      for (let r = 0; r < rows; r++) addTo(f, this.aRow, this.aRowStep), addTo(f, this.cRow, this.ldc);
    });
  }

  /** Columns j = 0..n-1 for `rows` rows: full tiles, then 1-vector tiles, then scalar columns. */
  private columnSweep(rows: number): void {
    const { f, el } = this;
    f.i32Const(0).set(this.j);
    const widths = this.nv > 1 ? [this.nv, 1] : [1];
    for (const w of widths) {
      whileLoop(f, () => fits(f, this.j, w * el.lanes, this.n), () => {
        this.tile(rows, w);
        addTo(f, this.j, w * el.lanes);
      });
    }
    whileLoop(f, () => f.get(this.j).get(this.n).op("i32.lt_s"), () => {
      if (this.transA && rows % el.lanes === 0) this.narrowColumns(rows / el.lanes, 1);
      else this.scalarColumn(rows);
      addTo(f, this.j, 1);
    });
  }

  /** Per-row pointers: aPtr[r] = &A[i+r, 0] (&A[0, i+r] with transA), cPtr[r] = &C[i+r, j]; bPtr = &B[0, j]. */
  private pointers(rows: number): void {
    const { f, el } = this;
    for (let r = 0; r < rows; r++) {
      if (r === 0) f.get(this.aRow);
      else f.get(this.aPtr[r - 1]).get(this.aRowStep).op("i32.add");
      f.set(this.aPtr[r]);
      if (r === 0) f.get(this.cRow).get(this.j).i32Const(el.log2Bytes).op("i32.shl").op("i32.add");
      else f.get(this.cPtr[r - 1]).get(this.ldc).op("i32.add");
      f.set(this.cPtr[r]);
    }
    f.get(this.b).get(this.j).i32Const(el.log2Bytes).op("i32.shl").op("i32.add").set(this.bPtr);
  }

  /** One rows x w-vector tile of C, accumulated in registers over p = 0..k-1. */
  private tile(rows: number, w: number): void {
    const { f, el } = this;
    this.pointers(rows);
    for (let r = 0; r < rows; r++) for (let v = 0; v < w; v++) f.get(this.cPtr[r]).mem("v128.load", { offset: 16 * v }).set(this.acc[r][v]);
    f.i32Const(0).set(this.p);
    whileLoop(f, () => f.get(this.p).get(this.k).op("i32.lt_s"), () => {
      for (let v = 0; v < w; v++) f.get(this.bPtr).mem("v128.load", { offset: 16 * v }).set(this.bv[v]);
      addTo(f, this.bPtr, this.ldb);
      for (let r = 0; r < rows; r++) {
        // acc[r][v] += splat(A[i+r, p]) * B[p, j + v*lanes ..]: one load-splat per row, reused for the w vectors
        f.get(this.aPtr[r]).mem(el.loadSplat).set(this.as);
        for (let v = 0; v < w; v++) f.get(this.acc[r][v]).get(this.as).get(this.bv[v]).simd(el.vmul).simd(el.vadd).set(this.acc[r][v]);
        addTo(f, this.aPtr[r], this.aPStep);
      }
      addTo(f, this.p, 1);
    });
    for (let r = 0; r < rows; r++) for (let v = 0; v < w; v++) f.get(this.cPtr[r]).get(this.acc[r][v]).mem("v128.store", { offset: 16 * v });
  }

  /**
   * Columns j..j+cols-1 for nvec * lanes rows with transA (the narrow path's
   * blocks, and the general sweep's last column): nacc[q][c] holds rows
   * i + q*lanes .. i + q*lanes + lanes-1 of column j + c, adjacent in A (one
   * vector load at aPtr[0] + 16 q bytes); C[i+r, j+c] is loaded into lane r
   * and stored from it. Each lane sums as scalarColumn does.
   */
  private narrowColumns(nvec: number, cols: number): void {
    const { f, el } = this;
    this.pointers(nvec * el.lanes);
    for (let q = 0; q < nvec; q++) for (let c = 0; c < cols; c++) {
      for (let l = 0; l < el.lanes; l++) {
        const at = { offset: c * el.bytes };
        if (l === 0) f.get(this.cPtr[q * el.lanes]!).mem(el.loadSplat, at);
        else f.get(this.nacc[q]![c]!).get(this.cPtr[q * el.lanes + l]!).mem(el.load, at).lane(el.replace, l);
        f.set(this.nacc[q]![c]!);
      }
    }
    f.i32Const(0).set(this.p);
    whileLoop(f, () => f.get(this.p).get(this.k).op("i32.lt_s"), () => {
      for (let c = 0; c < cols; c++) f.get(this.bPtr).mem(el.loadSplat, { offset: c * el.bytes }).set(this.nb[c]!);
      addTo(f, this.bPtr, this.ldb);
      for (let q = 0; q < nvec; q++) {
        f.get(this.aPtr[0]!).mem("v128.load", { offset: 16 * q, align: el.log2Bytes }).set(this.as);
        for (let c = 0; c < cols; c++) f.get(this.nacc[q]![c]!).get(this.as).get(this.nb[c]!).simd(el.vmul).simd(el.vadd).set(this.nacc[q]![c]!);
      }
      addTo(f, this.aPtr[0]!, this.aPStep);
      addTo(f, this.p, 1);
    });
    for (let q = 0; q < nvec; q++) for (let c = 0; c < cols; c++) for (let l = 0; l < el.lanes; l++) f.get(this.cPtr[q * el.lanes + l]!).get(this.nacc[q]![c]!).storeLane(el.storeLane, l, { offset: c * el.bytes });
  }

  /** One column j for `rows` rows in scalar arithmetic (the last n mod lanes columns). */
  private scalarColumn(rows: number): void {
    const { f, el } = this;
    this.pointers(rows);
    for (let r = 0; r < rows; r++) f.get(this.cPtr[r]).mem(el.load).set(this.sacc[r]);
    f.i32Const(0).set(this.p);
    whileLoop(f, () => f.get(this.p).get(this.k).op("i32.lt_s"), () => {
      f.get(this.bPtr).mem(el.load).set(this.sb);
      addTo(f, this.bPtr, this.ldb);
      for (let r = 0; r < rows; r++) {
        f.get(this.sacc[r]).get(this.aPtr[r]).mem(el.load).get(this.sb).op(el.mul).op(el.add).set(this.sacc[r]);
        addTo(f, this.aPtr[r], this.aPStep);
      }
      addTo(f, this.p, 1);
    });
    for (let r = 0; r < rows; r++) f.get(this.cPtr[r]).get(this.sacc[r]).mem(el.store);
  }
}
