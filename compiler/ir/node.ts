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

/**
 * Primitive ops after lowering and decomposition, each with its attributes: a node's
 * `attrs` are typed by its `op` (Node is a union over op, narrowed by `n.op === ...`).
 * To add an attribute, add it to its op's entry; to add an op, add an entry (OpKind is
 * this interface's keys, so every `Record<OpKind, ...>` rule table then fails to compile
 * until it has a rule for it). Attributes are plain JSON data: Graph.make interns by them.
 */
export interface OpAttrs {
  input: { readonly name: string; readonly isParam: boolean }; // a declared input or param
  const: { readonly value: number }; // a scalar constant
  add: {}; // a + b with broadcasting
  mul: {}; // a * b with broadcasting
  // f(a), elementwise; exponent: pow's; deriv k (absent: 0): the value is f^(k)(a), its m-th derivative f^(k+m)
  unary: { readonly fn: UnaryFn; readonly exponent?: number; readonly deriv?: number };
  sum: { readonly axes: readonly number[] }; // sum over axes (keepdims folded into a following reshape)
  reshape: {}; // same data, new shape
  transpose: { readonly perm: readonly number[] }; // permute axes
  einsum: { readonly inputs: readonly string[]; readonly output: string }; // n-ary contraction; one letter per index
  amax: { readonly axes: readonly number[] }; // max over axes, keepdims; value only (used under stop-gradient)
  // static index map per sample: out[i] = in[map[i]] or fill (absent: 0; derivatives of padding are 0); the batch axis passes through
  gather: { readonly gather: GatherSpec; readonly fill?: number };
  // gather's transpose (the adjoint of ir/vjp.ts): operand per sample viewed as the map's view, result as its src, out[map[i]] += a[i]
  scatter: { readonly gather: GatherSpec };
  compare: { readonly cmp: CompareOp; readonly axes?: readonly number[] }; // value-only masks, a constant for differentiation
  select: {}; // where(): args (mask, x, y, blend); value mask ? x : y, derivatives those of blend = x mask + y (1 - mask)
}

/** Primitive op kinds; derive/forward.ts and derive/reverse-rules.ts have one rule per entry. */
export type OpKind = keyof OpAttrs;

/**
 * Where an inlined fn body was called: the model line of the outermost call, and
 * the fn whose body holds the node (its span, in that body, gives the body line).
 */
export interface CallSite { readonly line: number; readonly fn: string }

/** A node of op K; `Node` is the union over all ops. site: set on nodes made while inlining a fn. */
export type NodeOf<K extends OpKind> = K extends OpKind
  ? { readonly id: number; readonly op: K; readonly args: readonly Node[]; readonly attrs: OpAttrs[K]; readonly shape: Shape; readonly span: Span; readonly site?: CallSite }
  : never;
export type Node = NodeOf<OpKind>;
export type InputNode = NodeOf<"input">;

export const isBatched = (s: Shape): boolean => s.length > 0 && s[0] === BATCH;
export const showShape = (s: Shape): string => `[${s.map((d) => (d === BATCH ? "B" : String(d))).join(", ")}]`;
/** Elements per sample (the batch axis excluded). */
export const innerSize = (s: Shape): number => s.reduce((a, d) => (d === BATCH ? a : a * d), 1);

/** Creates interned nodes; one per compiled model. */
export class Graph {
  private readonly table = new Map<string, Node>();
  readonly nodes: Node[] = [];
  /** The call site of the fn body being inlined (lowering sets it), given to the nodes made meanwhile. */
  site: CallSite | undefined;

  make<K extends OpKind>(op: K, args: readonly Node[], attrs: OpAttrs[K], shape: Shape, span: Span, site = this.site): NodeOf<K> {
    const key = `${op}|${args.map((a) => a.id).join(",")}|${JSON.stringify(attrs)}|${shape.join(",")}`;
    const hit = this.table.get(key);
    if (hit) return hit as NodeOf<K>;
    const node = Object.freeze({ id: this.nodes.length, op, args: Object.freeze([...args]), attrs: Object.freeze({ ...attrs }), shape: Object.freeze([...shape]), span, ...(site ? { site } : {}) }) as Node as NodeOf<K>;
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

const gatherDetail = ({ gather: g, fill }: OpAttrs["gather"]): string =>
  `view=[${g.view.join(",")}] src=[${g.src.join(",")}] coef=${JSON.stringify(g.coef)} offset=[${g.offset.join(",")}]${fill !== undefined ? ` fill=${fill}` : ""}`;

/** Human-readable IR listing with shapes (thoadc explain --after). */
export function printIR(nodes: readonly Node[], names: ReadonlyMap<number, string>): string {
  return nodes
    .map((n) => {
      const detail =
        n.op === "input" ? `${n.attrs.isParam ? "param" : "input"} ${n.attrs.name}`
        : n.op === "const" ? String(n.attrs.value)
        : n.op === "unary" ? `${n.attrs.fn}${n.attrs.fn === "pow" ? `[${n.attrs.exponent}]` : ""}${n.attrs.deriv ? `^(${n.attrs.deriv})` : ""}`
        : n.op === "sum" || n.op === "amax" ? `axes=[${n.attrs.axes.join(",")}]`
        : n.op === "transpose" ? `perm=[${n.attrs.perm.join(",")}]`
        : n.op === "einsum" ? `"${n.attrs.inputs.join(",")}->${n.attrs.output}"`
        : n.op === "gather" ? gatherDetail(n.attrs)
        : n.op === "scatter" ? gatherDetail(n.attrs)
        : n.op === "compare" ? `${n.attrs.cmp}${n.attrs.axes ? ` axes=[${n.attrs.axes.join(",")}]` : ""}`
        : "";
      const nm = names.get(n.id);
      return `%${n.id}${nm ? ` (${nm})` : ""} : ${showShape(n.shape)} = ${n.op}${detail ? ` ${detail}` : ""}${n.args.length ? ` (${n.args.map((x) => `%${x.id}`).join(", ")})` : ""}   @${n.span.line}:${n.span.column}`;
    })
    .join("\n");
}
