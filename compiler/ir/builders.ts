/**
 * Node builders with their shape rules. Each returns the new node, or undefined
 * after reporting a coded diagnostic at the span (callers propagate undefined,
 * so one mistake is reported once).
 */
import type { Diagnostic, Span } from "../diagnostics/diagnostic.js";
import type { Code } from "../diagnostics/codes.js";
import { broadcastShapes, normAxis } from "../shapes/broadcast.js";
import { checkEinsum } from "../shapes/einsum-spec.js";
import { derivValue, derivVanishes, UNARY } from "../derive/elementwise.js";
import { BATCH, Graph, innerSize, isBatched, showShape, type CompareOp, type GatherSpec, type InputNode, type Node, type NodeOf, type Shape, type UnaryFn } from "./node.js";

export class Builder {
  readonly g = new Graph();
  readonly diagnostics: Diagnostic[] = [];

  error(code: Code, message: string, span: Span): undefined {
    this.diagnostics.push({ code, severity: "error", message, span });
    return undefined;
  }

  input(name: string, isParam: boolean, shape: Shape, span: Span): InputNode {
    return this.g.make("input", [], { name, isParam }, shape, span);
  }

  const(value: number, span: Span): NodeOf<"const"> {
    return this.g.make("const", [], { value }, [], span);
  }

  private isConst(n: Node): n is NodeOf<"const"> {
    return n.op === "const";
  }

  add(a: Node, b: Node, span: Span, what = "+"): Node | undefined {
    const shape = broadcastShapes(a.shape, b.shape);
    if (!shape) return this.error("TH201", `operands of '${what}' do not broadcast: ${showShape(a.shape)} and ${showShape(b.shape)}`, span);
    if (this.isConst(a) && this.isConst(b)) return this.const(a.attrs.value + b.attrs.value, span);
    if (this.isConst(b) && b.attrs.value === 0 && shape.length === a.shape.length) return a;
    if (this.isConst(a) && a.attrs.value === 0 && shape.length === b.shape.length) return b;
    return this.g.make("add", [a, b], {}, shape, span);
  }

  mul(a: Node, b: Node, span: Span, what = "*"): Node | undefined {
    const shape = broadcastShapes(a.shape, b.shape);
    if (!shape) return this.error("TH201", `operands of '${what}' do not broadcast: ${showShape(a.shape)} and ${showShape(b.shape)}`, span);
    if (this.isConst(a) && this.isConst(b)) return this.const(a.attrs.value * b.attrs.value, span);
    if (this.isConst(b) && b.attrs.value === 1 && shape.length === a.shape.length) return a;
    if (this.isConst(a) && a.attrs.value === 1 && shape.length === b.shape.length) return b;
    // constants first: one canonical form for interning
    if (this.isConst(b) && !this.isConst(a)) return this.g.make("mul", [b, a], {}, shape, span);
    return this.g.make("mul", [a, b], {}, shape, span);
  }

  neg(a: Node, span: Span): Node | undefined {
    return this.mul(this.const(-1, span), a, span);
  }

  sub(a: Node, b: Node, span: Span): Node | undefined {
    const nb = this.neg(b, span);
    return nb && this.add(a, nb, span, "-");
  }

  /**
   * f(a), or with deriv k > 0 the k-th derivative f^(k)(a): an elementwise node whose own
   * m-th derivative is f^(k+m). f^(k) must not vanish identically (derivVanishes).
   */
  unary(fn: UnaryFn, a: Node, span: Span, exponent?: number, deriv = 0): Node | undefined {
    if (deriv > 0 && derivVanishes(fn, deriv, exponent)) throw new Error(`internal: ${fn}^(${deriv}) is identically 0`);
    if (fn === "pow" && exponent === 1 && deriv === 0) return a;
    // constant folding with the rule's own reference implementation of f (of f^(k): its emitted code)
    if (this.isConst(a)) return this.const(deriv ? derivValue(fn, deriv, a.attrs.value, exponent) : UNARY[fn].value(a.attrs.value, exponent), span);
    const attrs = fn === "pow" ? { fn, exponent } : { fn };
    return this.g.make("unary", [a], deriv ? { ...attrs, deriv } : attrs, a.shape, span);
  }

  /** Reduction axes, normalised and checked against the batch axis. */
  axes(a: Node, axes: readonly number[] | undefined, span: Span, what: string): number[] | undefined {
    const r = a.shape.length;
    const list = axes ?? [...Array(r).keys()];
    const out: number[] = [];
    for (const ax of list) {
      const n = normAxis(ax, r);
      if (n === undefined) return this.error("TH203", `${what}: axis ${ax} is out of range for shape ${showShape(a.shape)}`, span);
      if (out.includes(n)) return this.error("TH203", `${what}: axis ${ax} is given twice`, span);
      out.push(n);
    }
    if (isBatched(a.shape) && out.includes(0)) return this.error("TH208", `${what} over the batch axis (axis 0) would mix samples`, span);
    return out.sort((x, y) => x - y);
  }

  sum(a: Node, axes: readonly number[], keepdims: boolean, span: Span): Node | undefined {
    const kept = a.shape.filter((_, i) => !axes.includes(i));
    const s = axes.length === 0 ? a : this.g.make("sum", [a], { axes }, kept, span);
    return keepdims ? this.reshape(s, a.shape.map((d, i) => (axes.includes(i) ? 1 : d)), span) : s;
  }

  /** max over axes with keepdims; a constant for differentiation (softmax's shift). */
  amax(a: Node, axes: readonly number[], span: Span): Node {
    return this.g.make("amax", [a], { axes }, a.shape.map((d, i) => (axes.includes(i) ? 1 : d)), span);
  }

  reshape(a: Node, shape: Shape, span: Span): Node | undefined {
    const inner = (s: Shape) => s.reduce((p, d) => (d === BATCH ? p : p * d), 1);
    const bIn = isBatched(a.shape);
    if (shape.includes(BATCH) && shape.indexOf(BATCH) !== 0) return this.error("TH207", `reshape puts the batch axis at axis ${shape.indexOf(BATCH)}; it must be axis 0`, span);
    if (bIn && shape[0] !== BATCH) return this.error("TH208", `reshape ${showShape(a.shape)} -> ${showShape(shape)} merges or drops the batch axis; keep B as the first dim`, span);
    if (!bIn && shape.includes(BATCH)) return this.error("TH204", `reshape cannot add a batch axis to ${showShape(a.shape)}`, span);
    if (inner(shape) !== inner(a.shape)) return this.error("TH204", `reshape ${showShape(a.shape)} -> ${showShape(shape)} changes the number of elements (${inner(a.shape)} vs ${inner(shape)}${bIn ? " per sample" : ""})`, span);
    if (shape.join() === a.shape.join()) return a;
    const base = a.op === "reshape" ? a.args[0]! : a; // reshape of reshape is one reshape
    if (shape.join() === base.shape.join()) return base;
    return this.g.make("reshape", [base], {}, shape, span);
  }

  transpose(a: Node, perm: readonly number[], span: Span): Node | undefined {
    const r = a.shape.length;
    const norm = perm.map((p) => normAxis(p, r));
    if (perm.length !== r || norm.some((p) => p === undefined) || new Set(norm).size !== r) {
      return this.error("TH205", `transpose permutation [${perm.join(", ")}] is not a permutation of the ${r} axes of ${showShape(a.shape)}`, span);
    }
    const p = norm as number[];
    if (isBatched(a.shape) && p[0] !== 0) return this.error("TH208", `transpose moves the batch axis away from axis 0`, span);
    if (p.every((x, i) => x === i)) return a;
    return this.g.make("transpose", [a], { perm: p }, p.map((x) => a.shape[x]!), span);
  }

  einsum(spec: string, args: readonly Node[], span: Span, what = "einsum"): Node | undefined {
    const r = checkEinsum(spec, args.map((a) => a.shape));
    if ("error" in r) return this.error(r.batch ? "TH208" : "TH206", what === "einsum" ? r.error : `${what}: ${r.error}`, span);
    const { inputs, output, shape, squeeze } = r.ok;
    // "...": size-1 dims broadcast against a larger size are squeezed away first (as in matmul)
    const ops = squeeze ? args.map((a, k) => (squeeze[k]!.length ? this.reshape(a, a.shape.filter((_, i) => !squeeze[k]!.includes(i)), span) : a)) : args;
    if (ops.some((o) => o === undefined)) return undefined;
    if (ops.length === 1 && inputs[0] === output) return ops[0];
    return this.g.make("einsum", ops as Node[], { inputs, output }, shape, span);
  }

  /** NumPy matmul semantics, lowered to einsum (size-1 broadcast dims squeezed first). */
  matmul(a: Node, b: Node, span: Span): Node | undefined {
    const sa = a.shape, sb = b.shape;
    if (sa.length === 0 || sb.length === 0) return this.error("TH202", `matmul needs operands of rank >= 1, got ${showShape(sa)} @ ${showShape(sb)}`, span);
    const ka = sa[sa.length - 1]!, kb = sb.length === 1 ? sb[0]! : sb[sb.length - 2]!;
    if (ka !== kb) return this.error(ka === BATCH || kb === BATCH ? "TH208" : "TH202", `matmul ${showShape(sa)} @ ${showShape(sb)}: contracted sizes ${ka === BATCH ? "B" : ka} and ${kb === BATCH ? "B" : kb} ${ka === BATCH || kb === BATCH ? "involve the batch axis" : "differ"}`, span);
    const batchA = sa.length > 2 ? sa.slice(0, -2) : [], batchB = sb.length > 2 ? sb.slice(0, -2) : [];
    const nb = Math.max(batchA.length, batchB.length);
    const letters = "abcdefghlopqrstuvwxyz";
    let ia = "", ib = "", io = "";
    let squeezeA: number[] = [], squeezeB: number[] = [];
    for (let i = 0; i < nb; i++) {
      const da = batchA[batchA.length - nb + i], db = batchB[batchB.length - nb + i];
      const L = letters[i]!;
      if (da !== undefined && db !== undefined && da !== db && da !== 1 && db !== 1) {
        return this.error(da === BATCH || db === BATCH ? "TH208" : "TH202", `matmul ${showShape(sa)} @ ${showShape(sb)}: batch dims ${da === BATCH ? "B" : da} and ${db === BATCH ? "B" : db} do not broadcast`, span);
      }
      const aAxis = da === undefined ? -1 : batchA.length - nb + i, bAxis = db === undefined ? -1 : batchB.length - nb + i;
      const keepA = da !== undefined && !(da === 1 && db !== undefined && db !== 1);
      const keepB = db !== undefined && !(db === 1 && da !== undefined && da !== 1);
      if (da !== undefined && !keepA) squeezeA.push(aAxis);
      if (db !== undefined && !keepB) squeezeB.push(bAxis);
      if (keepA) ia += L;
      if (keepB) ib += L;
      io += L;
    }
    if (sa.length >= 2) { ia += "m"; io += "m"; }
    ia += "k";
    ib += "k";
    if (sb.length >= 2) { ib += "n"; io += "n"; }
    let A: Node | undefined = a, Bn: Node | undefined = b;
    if (squeezeA.length) A = this.reshape(a, sa.filter((_, i) => !squeezeA.includes(i)), span);
    if (squeezeB.length) Bn = this.reshape(b, sb.filter((_, i) => !squeezeB.includes(i)), span);
    if (!A || !Bn) return undefined;
    return this.einsum(`${ia},${ib}->${io}`, [A, Bn], span, `matmul ${showShape(sa)} @ ${showShape(sb)}`);
  }

  /**
   * A static index map per sample (GatherSpec): the output has `shape` (per
   * sample; the batch axis of `a`, if any, passes through and leads). `fill`:
   * the value of padding (default 0); padding has no derivative. The map's
   * shapes are checked here; callers report user errors before.
   */
  gather(a: Node, spec: GatherSpec, shape: Shape, span: Span, fill = 0): Node {
    const prod = (s: readonly number[]) => s.reduce((p, d) => p * d, 1);
    if (shape.includes(BATCH) || prod(spec.view) !== prod(shape) || prod(spec.src) !== innerSize(a.shape) || spec.coef.length !== spec.src.length || spec.offset.length !== spec.src.length || spec.coef.some((r) => r.length !== spec.view.length)) {
      throw new Error(`internal: bad gather map for ${showShape(a.shape)} -> ${showShape(shape)}`);
    }
    const out = isBatched(a.shape) ? [BATCH, ...shape] : [...shape];
    // the identity map (same view and source, unit coefficients, no offset) is a reshape
    const identity = spec.view.length === spec.src.length && spec.view.every((d, k) => d === spec.src[k]) && spec.offset.every((o) => o === 0) && spec.coef.every((r, j) => r.every((c, k) => c === (j === k ? 1 : 0)));
    if (identity) return this.reshape(a, out, span)!;
    // interning keys are JSON, where every infinity reads null: only one infinite fill exists
    if (!Number.isFinite(fill) && fill !== -Infinity) throw new Error(`internal: gather fill ${fill}`);
    return this.g.make("gather", [a], fill === 0 ? { gather: spec } : { gather: spec, fill }, out, span);
  }

  /**
   * gather's transpose with the same map (the adjoint ir/vjp.ts builds): a's per-sample
   * elements are the map's view, the result's (`shape`, per sample) its src, and
   * out[in_r] += a[out_r] over the map's rows; the batch axis of `a`, if any, passes through.
   */
  scatter(a: Node, spec: GatherSpec, shape: Shape, span: Span): Node {
    const prod = (s: readonly number[]) => s.reduce((p, d) => p * d, 1);
    if (shape.includes(BATCH) || prod(spec.view) !== innerSize(a.shape) || prod(spec.src) !== prod(shape)) throw new Error(`internal: bad scatter map for ${showShape(a.shape)} -> ${showShape(shape)}`);
    return this.g.make("scatter", [a], { gather: spec }, isBatched(a.shape) ? [BATCH, ...shape] : [...shape], span);
  }

  /**
   * where(mask, x, y) given its blend x mask + y (1 - mask): the value selects (an operand
   * not selected never reaches it, NaN or not), the derivatives are the blend's, so that a
   * NaN derivative of the branch not selected propagates as in PyTorch's backward.
   */
  select(mask: Node, x: Node, y: Node, blend: Node, span: Span): Node {
    if (this.isConst(mask) && this.isConst(x) && this.isConst(y)) return this.const(mask.attrs.value !== 0 ? x.attrs.value : y.attrs.value, span);
    return this.g.make("select", [mask, x, y, blend], {}, blend.shape, span);
  }

  /** One-hot rows [..., classes] of class labels (floats holding integers); a constant for differentiation. */
  onehot(labels: Node, classes: number, span: Span): Node {
    return this.g.make("compare", [labels], { cmp: "onehot" }, [...labels.shape, classes], span);
  }

  /** Value-only masks (CompareOp); a constant for differentiation. */
  compare(cmp: CompareOp, args: readonly Node[], span: Span, what: string, axes?: readonly number[]): Node | undefined {
    if (cmp === "detach") return args[0]!.op === "const" || args[0]!.op === "compare" ? args[0] : this.g.make("compare", [args[0]!], { cmp }, args[0]!.shape, span);
    if (axes) return this.g.make("compare", [args[0]!], { cmp, axes }, args[0]!.shape, span);
    const [a, b] = args as [Node, Node];
    const shape = broadcastShapes(a.shape, b.shape);
    if (!shape) return this.error("TH201", `operands of '${what}' do not broadcast: ${showShape(a.shape)} and ${showShape(b.shape)}`, span);
    if (this.isConst(a) && this.isConst(b)) {
      const x = a.attrs.value, y = b.attrs.value;
      const t = cmp === "gt" ? x > y : cmp === "ge" ? x >= y : cmp === "lt" ? x < y : cmp === "le" ? x <= y : cmp === "eq" ? x === y : x !== y;
      return this.const(t ? 1 : 0, span);
    }
    return this.g.make("compare", [a, b], { cmp }, shape, span);
  }
}
