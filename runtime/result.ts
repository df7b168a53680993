/**
 * What an emitted model returns per output: the value, and the derivative
 * blocks in packed form with dense views on demand (layout: docs/design.md section 1).
 * D is the module's element type (Float64Array, or Float32Array with --dtype
 * f32): value, blocks and every view share it, none is converted. W is the
 * union of the module's differentiation variables, so that a misspelt name in
 * d() or packed() fails to compile (a name outside wrt still throws at run time).
 */
import { Tensor, allocLike, permute, sizeOf, type FloatArray } from "./tensor.js";
import { expandPacked, packedSize } from "./packed.js";

export interface VarInfo {
  readonly name: string;
  /** Shape with the batch axis removed if the variable carries it. */
  readonly shape: readonly number[];
  /** The variable carries the batch axis. */
  readonly batched?: boolean;
}

/** Entries of the largest typed array engines allocate (V8: 2^32 - 1; larger ones fail as "Invalid typed array length"). */
const MAX_ELEMENTS = 2 ** 32 - 1;

export class OutputResult<D extends FloatArray = Float64Array, W extends string = string> {
  constructor(
    readonly value: Tensor<D>,
    /** Batch size if the output carries the batch axis, else undefined. */
    private readonly batch: number | undefined,
    private readonly wrt: readonly VarInfo[],
    /** Packed blocks by canonical key ("x,x,W1"); a missing key is a structural zero. */
    private readonly blocks: ReadonlyMap<string, D>,
    readonly order: number,
    /** The call's batch size: an output without the batch axis keeps it on batched variables. */
    private readonly callBatch?: number,
    /** Compiled with --seed-output: derivatives of seed . y, so blocks have no output axes. */
    readonly seeded = false,
  ) {}

  /** Dense derivative d^k y / d names..., in the order given (a permuted view of the canonical block). */
  d(...names: W[]): Tensor<D> {
    const { canonical, counts, perm } = this.resolve(names);
    const lead = this.leadShape();
    const ns = this.wrt.map((w) => sizeOf(w.shape));
    const outShape = this.denseShape(...names);
    const block = this.blocks.get(canonical);
    if (!block) return this.zeros(outShape, names);
    this.fits(outShape, names, false);
    const dense = expandPacked(block, sizeOf(lead), ns, counts);
    // axes of `dense`: lead (flattened to one), then one flat axis per canonical position
    const canonFlat = new Tensor([sizeOf(lead), ...perm.map((_, j) => ns[this.canonVars(counts)[j]!]!)], dense);
    const permuted = perm.every((p, j) => p === j) ? canonFlat : permute(canonFlat, [0, ...perm.map((p) => p + 1)]);
    return new Tensor(outShape, permuted.data);
  }

  /** The packed block for a key in canonical (wrt) order: shape [lead..., P]. */
  packed(...names: W[]): Tensor<D> {
    const { canonical, counts } = this.resolve(names);
    const ns = this.wrt.map((w) => sizeOf(w.shape));
    const shape = [...this.leadShape(), packedSize(ns, counts)];
    const block = this.blocks.get(canonical);
    return block ? new Tensor(shape, block) : this.zeros(shape, names);
  }

  /** The shape d(...names) has, without computing it. */
  denseShape(...names: W[]): number[] {
    this.resolve(names);
    return [...this.leadShape(), ...names.flatMap((n) => this.varShape(this.wrt.find((w) => w.name === n)!))];
  }

  /**
   * True when the derivative for this key is zero by structure (it was never
   * computed: every entry of d() and packed() is 0), told without allocating.
   * An output without the batch axis has such blocks w.r.t. every batched
   * variable, whose dense shapes grow as (B n)^k.
   */
  isZero(...names: W[]): boolean {
    return !this.blocks.has(this.resolve(names).canonical);
  }

  /** A structural-zero block, in the module's element type. */
  private zeros(shape: readonly number[], names: readonly string[]): Tensor<D> {
    this.fits(shape, names, true);
    return new Tensor(shape, allocLike(this.value.data, sizeOf(shape)));
  }

  /** A clear error, instead of the engine's "Invalid typed array length", for a dense block no typed array can hold. */
  private fits(shape: readonly number[], names: readonly string[], zero: boolean): void {
    const n = sizeOf(shape);
    if (n <= MAX_ELEMENTS) return;
    const why = zero ? `; every entry is 0 (isZero(${names.map((x) => JSON.stringify(x)).join(", ")}) is true${this.batch === undefined && this.callBatch !== undefined ? ": an output without the batch axis does not depend on batched variables" : ""})` : "; read it packed with packed(...)";
    throw new Error(`d(${names.join(", ")}): the dense block [${shape.join(", ")}] has ${n} entries, more than a typed array holds (${MAX_ELEMENTS})${why}`);
  }

  /** Every canonical key up to the order, in order of k then wrt position. */
  keys(): string[] {
    const out: string[] = [];
    const rec = (k: number, from: number, acc: string[]): void => {
      if (acc.length === k) { out.push(acc.join(",")); return; }
      for (let i = from; i < this.wrt.length; i++) rec(k, i, [...acc, this.wrt[i]!.name]);
    };
    for (let k = 1; k <= this.order; k++) rec(k, 0, []);
    return out;
  }

  /**
   * A variable's axes in a dense block: without its batch axis when the output
   * carries it (per-sample blocks), else its full shape. An output without the
   * batch axis cannot depend on a batched variable, so such blocks are zeros.
   */
  private varShape(w: VarInfo): readonly number[] {
    return w.batched && this.batch === undefined && this.callBatch !== undefined ? [this.callBatch, ...w.shape] : w.shape;
  }

  private leadShape(): number[] {
    if (this.seeded) return this.batch === undefined ? [] : [this.batch];
    return this.value.shape.slice();
  }

  private canonVars(counts: readonly number[]): number[] {
    const v: number[] = [];
    counts.forEach((c, i) => { for (let j = 0; j < c; j++) v.push(i); });
    return v;
  }

  private resolve(names: string[]): { canonical: string; counts: number[]; perm: number[] } {
    if (names.length < 1 || names.length > this.order) throw new Error(`derivative order ${names.length} is outside 1..${this.order} (compiled with --order ${this.order})`);
    const pos = names.map((n) => {
      const i = this.wrt.findIndex((w) => w.name === n);
      if (i < 0) throw new Error(`'${n}' is not a differentiation variable; wrt = [${this.wrt.map((w) => w.name).join(", ")}]`);
      return i;
    });
    const counts = this.wrt.map((_, i) => pos.filter((p) => p === i).length);
    const canonVars = this.canonVars(counts);
    // requested position j takes the first unused canonical position of the same variable
    const used = new Array<boolean>(canonVars.length).fill(false);
    const perm = pos.map((v) => {
      const c = canonVars.findIndex((cv, i) => cv === v && !used[i]);
      used[c] = true;
      return c;
    });
    return { canonical: canonVars.map((v) => this.wrt[v]!.name).join(","), counts, perm };
  }

  /** Batch size (undefined without a batch axis). */
  get batchSize(): number | undefined { return this.batch; }
}
