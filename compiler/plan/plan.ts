/**
 * The plan: a mode-neutral, printable schedule between the IR and code
 * (docs/design.md section 4). Every step defines one buffer; contraction steps
 * are sums of coefficient x product-of-factors terms in einsum style, where a
 * factor's packed axis may be read through a sub-index table (packed-symmetric
 * index ranges). Forward and reverse planners both produce this.
 */
import type { CompareOp, GatherSpec, UnaryFn } from "../ir/node.js";

/** Per-sample element count times B when batched. */
export interface BufferDecl {
  readonly id: number;
  readonly name: string; // printable, stable: t<id>
  readonly batched: boolean;
  /** Elements per sample (or in total, if not batched), packed axis included. */
  readonly size: number;
  readonly role: "input" | "value" | "deriv" | "local";
  /** What it holds, for reading plans: "h1", "h1 d[x,x]", "tanh'' of %5". */
  readonly label: string;
  /** For role "input": position in the model's input list. */
  readonly input?: number;
  /** The model line whose operation this buffer computes (IR node spans; thoadc explain, module comments). */
  readonly line?: number;
  /** When that operation is in an inlined fn's body: the fn, and the body's line (`line` is the call's). */
  readonly fn?: { readonly name: string; readonly line: number };
}

/**
 * An index table over the packed entries of key (ns, ms). "sub": for each member
 * mask, the packed index of the sub-tuple (runtime subIndexTable). "dense": the
 * row-major offset of each sorted tuple in the dense block (runtime denseIndexTable).
 * "diagonal" (--no-batch): for each member sample b, the packed index of the
 * entry in the full cross-batch block with every batched position in sample b
 * (runtime batchDiagonalTable).
 * "rank" / "sorted" (one group: ns [n], ms [m]; rows: the n^m dense tuples its
 * coordinates range over): the packed index of a tuple, sorted first, as a sum
 * of one term per position (runtime rankTerms, m x n entries, the code sorts);
 * a write through "sorted" skips an unsorted tuple.
 */
export interface TableDecl {
  readonly id: number;
  readonly kind: "sub" | "dense" | "gather" | "diagonal" | "rank" | "sorted";
  readonly ns: readonly number[];
  readonly ms: readonly number[];
  readonly masks: readonly number[];
  readonly rows: number;
  /**
   * kind "gather" (ns, ms, masks empty): one side of a gather map (runtime
   * gatherTable): "out" and "in" list the output and input offsets of the taken
   * elements, row by row; "pad" the output offsets of padding. extent: the size
   * of the axis the offsets index. coord (side "out"): each offset o becomes
   * floor(o / stride) % extent, the coordinate of a run of output axes
   * (reverse mode through im2col, derive/reverse-patches.ts).
   */
  readonly gather?: { readonly spec: GatherSpec; readonly side: "out" | "in" | "pad"; readonly extent: number; readonly coord?: { readonly stride: number } };
  /** kind "diagonal": which variables of ns carry the batch axis (1) and the fixed batch size (the members). */
  readonly diagonal?: { readonly batched: readonly number[]; readonly samples: number };
}

/** An output axis index: a loop index, or the constant 0 (a size-1 axis). */
export type AxisRef = string | null;

/** A table read at row (a loop index) and member (a loop index, or a literal column number). */
export interface TableRef { readonly table: number; readonly row: string; readonly member: string }

/**
 * A packed symmetric group addressed by coordinates (reverse mode's frontier
 * blocks): the refs `of` give the dense coordinates of the group's positions
 * (row-major over n^m, as if the group were dense), and the rank or sorted table
 * `table` turns them into the packed index.
 */
export interface GroupRef { readonly table: number; readonly of: readonly IndexRef[] }

/** An index of a factor: a loop index, the constant 0 (a broadcast size-1 axis), a table read, or a packed group. */
export type IndexRef = string | null | TableRef | GroupRef;

export const isGroupRef = (r: IndexRef): r is GroupRef => r !== null && typeof r === "object" && "of" in r;
export const isTableRef = (r: IndexRef): r is TableRef => r !== null && typeof r === "object" && "row" in r;
/** The loop index names of an index list whose refs are all plain indices (no size-1 axis, table or group); else undefined. */
export const plainNames = (idx: readonly IndexRef[]): string[] | undefined => (idx.every((r) => typeof r === "string") ? (idx as string[]) : undefined);

/** Every loop index a ref reads (a table's row and named member, a group's coordinates). */
export function refNames(r: IndexRef, sizes: Readonly<Record<string, number | "B">>): string[] {
  if (r === null) return [];
  if (typeof r === "string") return [r];
  if (isGroupRef(r)) return r.of.flatMap((x) => refNames(x, sizes));
  return r.member in sizes ? [r.row, r.member] : [r.row];
}

export interface Factor {
  readonly buf: number;
  /** One entry per axis of the buffer's layout (batch axis first when batched). */
  readonly idx: readonly IndexRef[];
}

export interface Term {
  readonly coef: number;
  readonly factors: readonly Factor[];
  /**
   * How this term indexes the output, when it differs from the step's outIdx
   * (reverse mode: a slot read shaped, or a diagonal written through a repeated name;
   * a gather or its transpose: an axis written through a table).
   */
  readonly out?: readonly IndexRef[];
}

export interface ContractStep {
  readonly kind: "contract";
  readonly out: number;
  readonly outIdx: readonly AxisRef[];
  /** Extent of every index used in the step; "B" is the run-time batch size. */
  readonly sizes: Readonly<Record<string, number | "B">>;
  readonly terms: readonly Term[];
}

/** Elementwise f^(k..k+M)(x) for one input buffer, k = deriv (absent: 0); outs[m] receives f^(k+m), or is absent. */
export interface MapStep {
  readonly kind: "map";
  readonly fn: UnaryFn;
  readonly exponent?: number;
  readonly deriv?: number;
  readonly input: number;
  readonly outs: readonly (number | undefined)[];
}

/** Identity seed of a wrt variable: [B?, n, n]. */
export interface SeedStep { readonly kind: "seed"; readonly out: number; readonly n: number }

/** max over axes with keepdims (value only). shape excludes nothing: B is axis 0 when batched. */
export interface AmaxStep { readonly kind: "amax"; readonly out: number; readonly input: number; readonly shape: readonly number[]; readonly axes: readonly number[] }

/** The same data under another name (reshape). */
export interface AliasStep { readonly kind: "alias"; readonly out: number; readonly input: number }

/**
 * Value-only masks (IR op compare): an elementwise comparison of two broadcast
 * operands, a one-hot or tie-sharing mask of the extrema over axes. Shapes as
 * in the IR (B = -1 at axis 0); constants are folded in as numbers.
 */
export interface CompareStep {
  readonly kind: "compare";
  readonly out: number;
  /** "select" (IR op select): args (mask, x, y), the value mask ? x : y. */
  readonly op: CompareOp | "select";
  readonly args: readonly ({ readonly buf: number } | { readonly c: number })[];
  readonly argShapes: readonly (readonly number[])[];
  readonly shape: readonly number[];
  readonly axes?: readonly number[];
}

export type Step = ContractStep | MapStep | SeedStep | AmaxStep | AliasStep | CompareStep;

export interface PlanOutput {
  readonly name: string;
  readonly value: number;
  readonly shape: readonly number[]; // B as -1
  /** Packed block buffer per canonical key name ("x,x"); absent keys are structural zeros. */
  readonly blocks: ReadonlyMap<string, number>;
  /** --seed-output: the blocks are contracted with a seed over the output's axes (no output axes). */
  readonly seeded?: boolean;
}

export interface Plan {
  readonly model: string;
  readonly mode: "forward" | "reverse";
  readonly order: number;
  readonly wrt: readonly { readonly name: string; readonly shape: readonly number[]; readonly batched: boolean }[];
  readonly inputs: readonly { readonly name: string; readonly shape: readonly number[]; readonly isParam: boolean }[];
  readonly buffers: readonly BufferDecl[];
  readonly tables: readonly TableDecl[];
  readonly steps: readonly Step[];
  readonly outputs: readonly PlanOutput[];
  /**
   * Element type of every buffer the emitted module allocates (--dtype); absent
   * means "f64". The planners never set it: the pipeline stamps it on both plans.
   */
  readonly dtype?: Dtype;
  /**
   * --no-batch (ablation of batch unification): the batch size fixed at compile
   * time. The steps compute the full cross-batch blocks over unbatched buffers,
   * the last ones take their diagonals; a call with another batch size throws.
   */
  readonly staticBatch?: number;
  /**
   * The text of the model lines buffers name (BufferDecl.line), by line number,
   * for explain and the module's comments. The pipeline stamps it, as dtype.
   */
  readonly lines?: ReadonlyMap<number, string>;
}

/** f64: Float64Array buffers (the default). f32: Float32Array buffers, half the bytes; arithmetic stays in JS doubles, every stored element is rounded to float32. */
export type Dtype = "f64" | "f32";

/** A new buffer's line, taken from the buffer it helps compute (a split or hoisted step stays on its model line). */
export const lineOf = (b: BufferDecl): { line?: number; fn?: BufferDecl["fn"] } => ({ ...(b.line === undefined ? {} : { line: b.line }), ...(b.fn ? { fn: b.fn } : {}) });

/** Bytes per element of a plan's buffers. */
export const elementBytes = (plan: Plan): number => (plan.dtype === "f32" ? 4 : 8);
