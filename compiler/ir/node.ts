/**
 * The IR: one small immutable node type. Structurally equal nodes are the same
 * object (interned per graph), so common subexpressions are shared for free.
 * Shapes are static except the batch axis, written BATCH, always at axis 0.
 */
import type { Span } from "../diagnostics/diagnostic.js";

export const BATCH = -1;
export type Shape = readonly number[];

/** Elementwise unary functions; derive/elementwise.ts has one rule per entry. */
export type UnaryFn =
  | "exp" | "expm1" | "log" | "log1p" | "log2" | "log10" | "sqrt" | "pow"
  | "tanh" | "sigmoid" | "softplus" | "relu" | "abs" | "elu" | "selu" | "erf"
  | "sin" | "cos" | "tan" | "asin" | "acos" | "atan"
  | "acosh" | "erfc" | "erfinv"
  | "sign" | "floor" | "ceil" | "round" | "trunc"
  | "sinh" | "cosh" | "asinh" | "atanh"
  // sqrt with PyTorch's conventions where its argument is 0 (not callable from .thd: norm and std use them)
  | "norm_sqrt" | "std_sqrt";

/** Primitive ops after lowering and decomposition; derive/forward-rules.ts has one rule per entry. */
export type OpKind =
  | "input" // a declared input or param
  | "const" // a scalar constant
  | "add" // a + b with broadcasting
  | "mul" // a * b with broadcasting
  | "unary" // f(a), elementwise
  | "sum" // sum over axes (keepdims folded into a following reshape)
  | "reshape" // same data, new shape
  | "transpose" // permute axes
  | "einsum" // n-ary contraction; attrs.spec uses one letter per index
  | "amax" // max over axes, keepdims; value only (used under stop-gradient)
  | "gather" // static index map per sample (attrs.gather): out[i] = in[map[i]] or attrs.fill; the batch axis passes through
  | "compare" // value-only masks (attrs.cmp), a constant for differentiation
  | "select"; // where(): args (mask, x, y, blend); value mask ? x : y, derivatives those of blend = x mask + y (1 - mask)

/**
 * Value-only ops of the compare primitive: elementwise comparisons of two
 * broadcast operands (1 where true, else 0); over attrs.axes, a one-hot of the
 * first extremum ("argmax", "argmin": row-major order over the axes) or the
 * extrema shared equally ("maxmask", "minmask": 1/count at each tie); and
 * "detach": the operand's value, with no derivative; "onehot": class labels (floats
 * holding integers) to one-hot rows along a new last axis of size C, the node's last dim
 * (a label that is not an integer in [0, C) gives a row of zeros).
 */
export type CompareOp = "gt" | "ge" | "lt" | "le" | "eq" | "ne" | "argmax" | "argmin" | "maxmask" | "minmask" | "detach" | "onehot";

/**
 * A gather map (runtime/gather.ts): the output's per-sample elements viewed as
 * `view`, the input's as `src`; in_j = offset[j] + sum_k coef[j][k] * v_k,
 * padding where out of range.
 */
export interface GatherSpec {
  readonly view: readonly number[];
  readonly src: readonly number[];
  readonly coef: readonly (readonly number[])[];
  readonly offset: readonly number[];
}

export interface Attrs {
  readonly name?: string; // input: the declared name
  readonly isParam?: boolean;
  readonly value?: number; // const
  readonly fn?: UnaryFn; // unary
  readonly exponent?: number; // unary pow
  readonly axes?: readonly number[]; // sum, amax
  readonly perm?: readonly number[]; // transpose
  readonly inputs?: readonly string[]; // einsum operand index strings
  readonly output?: string; // einsum output index string
  readonly gather?: GatherSpec; // gather
  readonly fill?: number; // gather: the value of padding (absent: 0); derivatives of padding are 0
  readonly cmp?: CompareOp; // compare
}

export interface Node {
  readonly id: number;
  readonly op: OpKind;
  readonly args: readonly Node[];
  readonly attrs: Attrs;
  readonly shape: Shape;
  readonly span: Span;
}

export const isBatched = (s: Shape): boolean => s.length > 0 && s[0] === BATCH;
export const showShape = (s: Shape): string => `[${s.map((d) => (d === BATCH ? "B" : String(d))).join(", ")}]`;
/** Elements per sample (the batch axis excluded). */
export const innerSize = (s: Shape): number => s.reduce((a, d) => (d === BATCH ? a : a * d), 1);

/** Creates interned nodes; one per compiled model. */
export class Graph {
  private readonly table = new Map<string, Node>();
  readonly nodes: Node[] = [];

  make(op: OpKind, args: readonly Node[], attrs: Attrs, shape: Shape, span: Span): Node {
    const key = `${op}|${args.map((a) => a.id).join(",")}|${JSON.stringify(attrs)}|${shape.join(",")}`;
    const hit = this.table.get(key);
    if (hit) return hit;
    const node: Node = Object.freeze({ id: this.nodes.length, op, args: Object.freeze([...args]), attrs: Object.freeze({ ...attrs }), shape: Object.freeze([...shape]), span });
    this.table.set(key, node);
    this.nodes.push(node);
    return node;
  }
}

/** Nodes reachable from roots, in topological order (args before users), iteratively. */
export function topoOrder(roots: readonly Node[]): Node[] {
  const seen = new Set<number>();
  const out: Node[] = [];
  const stack: { node: Node; next: number }[] = roots.map((node) => ({ node, next: 0 })).reverse();
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    if (seen.has(top.node.id)) { stack.pop(); continue; }
    if (top.next < top.node.args.length) {
      const a = top.node.args[top.next++]!;
      if (!seen.has(a.id)) stack.push({ node: a, next: 0 });
    } else {
      seen.add(top.node.id);
      out.push(top.node);
      stack.pop();
    }
  }
  return out;
}

/** Human-readable IR listing with shapes (thoadc explain --after). */
export function printIR(nodes: readonly Node[], names: ReadonlyMap<number, string>): string {
  return nodes
    .map((n) => {
      const a = n.attrs;
      const detail =
        n.op === "input" ? `${a.isParam ? "param" : "input"} ${a.name}`
        : n.op === "const" ? String(a.value)
        : n.op === "unary" ? `${a.fn}${a.fn === "pow" ? `[${a.exponent}]` : ""}`
        : n.op === "sum" || n.op === "amax" ? `axes=[${a.axes!.join(",")}]`
        : n.op === "transpose" ? `perm=[${a.perm!.join(",")}]`
        : n.op === "einsum" ? `"${a.inputs!.join(",")}->${a.output}"`
        : n.op === "gather" ? `view=[${a.gather!.view.join(",")}] src=[${a.gather!.src.join(",")}] coef=${JSON.stringify(a.gather!.coef)} offset=[${a.gather!.offset.join(",")}]${a.fill !== undefined ? ` fill=${a.fill}` : ""}`
        : n.op === "compare" ? `${a.cmp}${a.axes ? ` axes=[${a.axes.join(",")}]` : ""}`
        : "";
      const nm = names.get(n.id);
      return `%${n.id}${nm ? ` (${nm})` : ""} : ${showShape(n.shape)} = ${n.op}${detail ? ` ${detail}` : ""}${n.args.length ? ` (${n.args.map((x) => `%${x.id}`).join(", ")})` : ""}   @${n.span.line}:${n.span.column}`;
    })
    .join("\n");
}
