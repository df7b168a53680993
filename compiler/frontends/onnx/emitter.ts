/**
 * Collects the `.thd` text as it is translated: unique readable names, one
 * assignment per node, and the params (with their values) in order of first
 * use. A constant becomes a param only when a run-time op reads it; a scalar
 * literal is written inline.
 */
import { allFloat32, identifier, type Weight } from "../imported.js";
import { fail } from "./failure.js";
import { operandLit } from "./literal.js";
import { showShape, size, type Const, type Value } from "./values.js";

/** A readable name from an ONNX name: `/fc1/Gemm_output_0` -> `fc1_Gemm`, `onnx::MatMul_27` -> `MatMul_27`, `fc.weight` -> `fc_weight`. */
export function readable(onnxName: string): string {
  return onnxName
    .replace(/^onnx::/, "")
    .replace(/_output_(\d+)$/, (_, k: string) => (k === "0" ? "" : `_${k}`))
    .replace(/[^A-Za-z0-9_]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

interface ParamDecl { readonly shape: readonly number[]; readonly weight: Weight; readonly note: string | undefined }

export class Emitter {
  readonly lines: string[] = [];
  readonly params = new Map<string, ParamDecl>();
  private readonly paramOf = new Map<Const, string>();

  constructor(private readonly taken: Set<string>, private readonly outputIds: ReadonlyMap<string, string>) {}

  /** A fresh identifier from a hint (an ONNX name); `fallback` when the hint has no letters (numeric value names). */
  fresh(hint: string, fallback = "t"): string {
    const r = readable(hint);
    return identifier(/^[A-Za-z]/.test(r) ? r : `${fallback}${r ? `_${r}` : ""}`, this.taken);
  }

  /** The identifier of an ONNX value a node defines: the graph output's own name, or a readable one. */
  nameFor(onnxValue: string, opType: string): string {
    return this.outputIds.get(onnxValue) ?? this.fresh(onnxValue, opType);
  }

  assign(id: string, expr: string, note?: string): void {
    this.lines.push(`  ${id} = ${expr}${note ? `  # ${note}` : ""}`);
  }

  /** A new param with the given values (folded weights: BatchNorm's affine, pooling corrections). */
  newParam(hint: string, shape: readonly number[], data: Float64Array, note?: string): string {
    const id = this.fresh(hint);
    this.params.set(id, { shape: [...shape], weight: { shape: [...shape], data, f32: allFloat32(data) }, note });
    return id;
  }

  /** The param holding a constant (declared once, on first use). */
  param(c: Const): string {
    const known = this.paramOf.get(c);
    if (known) return known;
    if (c.sym) fail("TH502", `the value '${c.onnxName}' depends on the batch size and is used as data`);
    const id = this.newParam(c.onnxName, c.shape, Float64Array.from(c.data), c.weight ? `initializer '${c.onnxName}'` : `constant '${c.onnxName}'`);
    this.paramOf.set(c, id);
    return id;
  }

  /** A value as a tensor operand: its identifier, or its param. */
  ref(v: Value): string {
    return v.kind === "tensor" ? v.ref : this.param(v);
  }

  /**
   * A constant that can be written as a number against an operand of rank
   * `rank`: one finite element, rank at most `rank` (so broadcasting does not
   * change the shape), and not a trained weight.
   */
  scalar(v: Value, rank: number): number | undefined {
    if (v.kind !== "const" || v.weight || v.sym || size(v.shape) !== 1 || v.shape.length > rank) return undefined;
    const x = v.data[0]!;
    return Number.isFinite(x) ? x : undefined;
  }

  /** A binary operator's operand: an inline number when `scalar` allows it, else a tensor. */
  operand(v: Value, otherRank: number): string {
    const s = this.scalar(v, otherRank);
    return s === undefined ? this.ref(v) : operandLit(s);
  }

  /** The `param` lines, in order of first use. */
  paramLines(): string[] {
    return [...this.params].map(([id, p]) => `  param ${id} : ${showShape(p.shape)}${p.note ? `  # ${p.note}` : ""}`);
  }
}
