/**
 * What an op rule sees: the node, its input values, its attributes, and the
 * emitter. Errors are thrown (ImportFailure) with the node named in front.
 */
import type { Code } from "../../diagnostics/codes.js";
import type { OnnxAttribute, OnnxNode } from "./decode.js";
import type { Emitter } from "./emitter.js";
import { fail, nodeLabel } from "./failure.js";
import { float32Literal } from "./literal.js";
import { tensorData, type TensorData } from "./tensor-data.js";
import { MAX_ELEMENTS, perSample, showShape, type Const, type Dim, type Tensor, type Value } from "./values.js";

export interface OpRule {
  /** Translate the node (any mix of constant and run-time inputs). */
  readonly emit: (cx: OpContext) => readonly (Value | undefined)[];
  /** Evaluate the node at import time when every input it has is a constant. */
  readonly fold?: (cx: OpContext) => readonly Const[];
}

const ATTR_TYPES: Record<number, string> = { 1: "FLOAT", 2: "INT", 3: "STRING", 4: "TENSOR", 5: "GRAPH", 6: "FLOATS", 7: "INTS", 8: "STRINGS", 9: "TENSORS", 10: "GRAPHS" };

export class OpContext {
  constructor(
    readonly node: OnnxNode,
    readonly index: number,
    /** The default-domain opset version of the model. */
    readonly opset: number,
    readonly inputs: readonly (Value | undefined)[],
    readonly em: Emitter,
    /** True when some node or the graph's outputs read this ONNX value. */
    readonly used: (onnxValue: string) => boolean,
  ) {}

  get label(): string { return nodeLabel(this.node, this.index); }

  fail(code: Code, message: string): never { return fail(code, `${this.label}: ${message}`); }

  // ---- inputs ----

  /** Input i, which must be given. */
  input(i: number, what = `input ${i}`): Value {
    return this.inputs[i] ?? this.fail("TH503", `${what} is missing`);
  }

  /** Input i when given (optional inputs are "" in the file). */
  optional(i: number): Value | undefined { return this.inputs[i]; }

  /** Input i as a constant, known at import time: shapes, axes, pads, statistics. */
  constant(i: number, what: string): Const {
    const v = this.input(i, what);
    if (v.kind !== "const") this.fail("TH502", `'${what}' is computed at run time from the model's inputs; only constant ${what} (or shape arithmetic on the batch size) can be imported`);
    return v;
  }

  /** A constant input as integers without batch-size terms. */
  ints(i: number, what: string): number[] {
    const c = this.constant(i, what);
    if (c.sym) this.fail("TH502", `'${what}' depends on the batch size`);
    return [...c.data];
  }

  /** A constant scalar input (one element). */
  number(i: number, what: string): number {
    const c = this.constant(i, what);
    if (c.data.length !== 1 || c.sym) this.fail("TH506", `'${what}' must be a single number, got shape ${showShape(c.shape)}`);
    return c.data[0]!;
  }

  // ---- attributes ----

  private attr(name: string, types: readonly number[]): OnnxAttribute | undefined {
    const a = this.node.attributes.get(name);
    if (a && a.type !== 0 && !types.includes(a.type)) this.fail("TH506", `attribute '${name}' has type ${ATTR_TYPES[a.type] ?? a.type}, expected ${types.map((t) => ATTR_TYPES[t]).join(" or ")}`);
    return a;
  }

  has(name: string): boolean { return this.node.attributes.has(name); }

  int(name: string, dflt: number): number { const a = this.attr(name, [2]); return a ? a.i : dflt; }

  intList(name: string): number[] | undefined { const a = this.attr(name, [7]); return a ? [...a.ints] : undefined; }

  /** A float attribute as the decimal it was written as (float32 -> shortest decimal, literal.ts). */
  float(name: string, dflt: number): number { const a = this.attr(name, [1]); return a ? float32Literal(a.f) : dflt; }

  string(name: string, dflt: string): string { const a = this.attr(name, [3]); return a ? a.s : dflt; }

  tensorAttr(name: string): TensorData | undefined {
    const a = this.attr(name, [4]);
    return a?.t ? tensorData(a.t, `${this.label}, attribute '${name}'`) : undefined;
  }

  // ---- outputs ----

  private readonly ids: string[] = [];

  /** The identifier of output k (allocated on first use). */
  out(k = 0): string {
    return (this.ids[k] ??= this.em.nameFor(this.node.outputs[k] ?? `${this.node.name}_${k}`, this.node.opType));
  }

  /** Assigns output 0 and returns it as a tensor of the given shape. */
  emit(expr: string, shape: readonly Dim[], note?: string): Tensor {
    if (perSample(shape) > MAX_ELEMENTS) this.fail("TH506", `the result ${showShape(shape)} is too large (over ${MAX_ELEMENTS} elements per sample)`);
    const id = this.out(0);
    this.em.assign(id, expr, note);
    return { kind: "tensor", ref: id, shape };
  }

  /** Fails when an output other than the first is read (MaxPool's indices, LayerNormalization's mean, ...). */
  onlyFirstOutput(): void {
    this.node.outputs.forEach((o, k) => { if (k > 0 && o && this.used(o)) this.fail("TH506", `output ${k} ('${o}') is used; only the first output is supported`); });
  }

  /** An axis attribute or input normalised against `rank`. */
  axis(a: number, rank: number, what = "axis"): number {
    const n = a < 0 ? a + rank : a;
    if (!Number.isInteger(n) || n < 0 || n >= rank) this.fail("TH506", `${what} ${a} is out of range for rank ${rank}`);
    return n;
  }
}
