/**
 * The Laplacian and the Hessian's diagonal of y with respect to an input x,
 * as an IR-to-IR transform (forward-Laplacian propagation, docs/design.md
 * section 7): cost linear in n = size(x) per sample, the full Hessian never
 * formed. The result is ordinary IR, so both planners differentiate it again
 * (--order/--wrt, d()).
 *
 * Every node v carries, besides its value, its tangent T_v = dv/dx (jvp.ts,
 * seed "axes": shape(v) ++ E with E = shape(x)\B) and its second-order part
 *   S_v = diag: D_v[..., i] = d^2 v / dx_i^2, shape(v) ++ E
 *         trace: L_v = sum_i d^2 v / dx_i^2,  shape(v)
 * with S = 0 at x. Linear ops map S as they map T; the rest:
 *   a * b:  S = S_a b + a S_b + 2 <T_a, T_b>
 *   f(a):   S = f'(a) S_a + f''(a) <T_a, T_a>
 *   multilinear einsum(a_1..a_k): S = sum_i E(..S_i..) + 2 sum_{i<j} E(..T_i..T_j..)
 * where <T_a, T_b> is T_a T_b elementwise (diag) or summed over E (trace).
 * amax and compare are constants; select selects S and differentiates as its blend.
 *
 * An absent S is zero (v is linear in x, or does not depend on it). Like a
 * tangent, an S may lack the batch axis while v has it: the same for every
 * sample (x a param, or the first layer x @ W1, whose T is W1^T once per call).
 */
import type { Span } from "../diagnostics/diagnostic.js";
import type { Builder } from "./builders.js";
import { derivVanishes } from "../derive/elementwise.js";
import { fitTangent, freshLetters, Jvp, linearMap, perSample, zerosLike } from "./jvp.js";
import { innerShape, must } from "./transform-shapes.js";
import { isBatched, topoOrder, type Node, type NodeOf, type OpKind } from "./node.js";

/** diag: hessian_diag (S has the axes E); trace: laplacian (S has not). */
export type SecondOrder = "diag" | "trace";

/** The transform's state: the tangents (jvp), the second-order parts by node id, and S's trailing axes. */
class Laplacian {
  readonly S = new Map<number, Node>();
  /** S's trailing axes: E (diag) or none (trace). */
  readonly ES: readonly number[];
  constructor(readonly b: Builder, readonly jvp: Jvp, readonly mode: SecondOrder, readonly span: Span) {
    this.ES = mode === "diag" ? jvp.E : [];
  }

  T(a: Node): Node | undefined { return this.jvp.t(a); }
  s(a: Node): Node | undefined { return this.S.get(a.id); }
  /** v with S's trailing axes as size 1, to scale an S elementwise. */
  lift(v: Node): Node { return this.mode === "diag" ? this.jvp.lift(v) : v; }
  /** <t, u>: elementwise (diag), or summed over E (trace). */
  pair(t: Node | undefined, u: Node | undefined): Node | undefined {
    if (!t || !u) return undefined;
    if (this.mode === "diag" || this.jvp.E.length === 0) return must(this.b.mul(t, u, this.span), "product");
    const F = freshLetters("", this.jvp.E.length);
    return must(this.b.einsum(`...${F},...${F}->...`, [t, u], this.span), "contraction over x's axes");
  }
  mul(x: Node | undefined, y: Node | undefined): Node | undefined { return x && y ? must(this.b.mul(x, y, this.span), "product") : undefined; }
  /** The sum of the present terms, each fitted to n's S shape. */
  total(terms: readonly (Node | undefined)[], n: Node): Node | undefined {
    let acc: Node | undefined;
    for (const t of terms) {
      if (!t) continue;
      const f = fitTangent(this.b, t, n.shape, this.ES, this.span);
      acc = acc ? must(this.b.add(acc, f, this.span), "sum") : f;
    }
    return acc;
  }
}

type Rule<K extends OpKind> = (l: Laplacian, n: NodeOf<K>) => Node | undefined;

/** S of an op linear in its one operand: the same map as its tangent's (jvp.ts). */
const linear = (l: Laplacian, n: Node): Node | undefined => { const sa = l.s(n.args[0]!); return sa && linearMap(l.b, n, sa, l.ES, l.span); };

/** n's axes in an S or T that lacks n's batch axis: one fewer. */
const shift = (a: Node, t: Node): number => (isBatched(a.shape) && !isBatched(t.shape) ? 1 : 0);

/** f^(k) at n's argument as a node (n may itself be f^(j)); undefined where it vanishes identically (relu'', a polynomial's). */
function derivative(l: Laplacian, n: NodeOf<"unary">, k: number): Node | undefined {
  const { fn, exponent } = n.attrs, j = (n.attrs.deriv ?? 0) + k;
  return derivVanishes(fn, j, exponent) ? undefined : must(l.b.unary(fn, n.args[0]!, l.span, exponent, j), "derivative");
}

const RULES: { readonly [K in OpKind]: Rule<K> } = {
  input: () => undefined, // S = 0 at x; other inputs are constants
  const: () => undefined,
  amax: () => undefined,
  compare: () => undefined,
  add: (l, n) => l.total(n.args.map((a) => l.s(a)), n),
  mul: (l, n) => {
    const [a, c] = n.args as [Node, Node];
    const cross = l.pair(l.T(a), l.T(c));
    return l.total([l.mul(l.s(a), l.lift(c)), l.mul(l.lift(a), l.s(c)), cross && must(l.b.mul(l.b.const(2, l.span), cross, l.span), "2 <T_a, T_b>")], n);
  },
  unary: (l, n) => {
    const a = n.args[0]!, sa = l.s(a), ta = l.T(a);
    const d1 = sa && derivative(l, n, 1), d2 = ta && derivative(l, n, 2);
    return l.total([d1 && l.mul(l.lift(d1), sa), d2 && l.mul(l.lift(d2), l.pair(ta, ta))], n);
  },
  sum: (l, n) => linear(l, n),
  reshape: (l, n) => linear(l, n),
  transpose: (l, n) => linear(l, n),
  gather: (l, n) => linear(l, n),
  scatter: (l, n) => linear(l, n),
  einsum: (l, n) => {
    const specs = n.attrs.inputs, out = n.attrs.output;
    const F = freshLetters(specs.join("") + out, l.jvp.E.length);
    /** The contraction with the operands in `repl` replaced (each with E, lettered F); F kept in the output (diag) or summed (trace). */
    const term = (repl: ReadonlyMap<number, Node>): Node => {
      const ins = specs.map((s, i) => {
        const r = repl.get(i);
        // a replacement without its operand's batch axis drops the batch letter (the first)
        return r ? (shift(n.args[i]!, r) ? s.slice(1) : s) + (r.shape.length > innerShape(n.args[i]!.shape).length + (isBatched(r.shape) ? 1 : 0) ? F : "") : s;
      });
      const present = new Set(ins.join(""));
      const o = [...out].filter((ch) => present.has(ch)).join("") + (l.mode === "diag" ? F : "");
      return must(l.b.einsum(`${ins.join(",")}->${o}`, n.args.map((x, i) => repl.get(i) ?? x), l.span), "einsum");
    };
    const terms: (Node | undefined)[] = [];
    n.args.forEach((a, i) => {
      const sa = l.s(a), ta = l.T(a);
      if (sa) terms.push(term(new Map([[i, sa]])));
      for (let j = i + 1; j < n.args.length; j++) {
        const tc = l.T(n.args[j]!);
        if (ta && tc) terms.push(must(l.b.mul(l.b.const(2, l.span), term(new Map([[i, ta], [j, tc]])), l.span), "2 <T_i, T_j>"));
      }
    });
    return l.total(terms, n);
  },
  select: (l, n) => {
    const [m, x, y, blend] = n.args as [Node, Node, Node, Node];
    const sb = l.s(blend);
    if (!sb) return undefined;
    // the value selects (a NaN in the branch not taken stays out), the derivatives are the blend's
    const zero = l.b.const(0, l.span), sel = isBatched(m.shape) ? perSample(l.b, sb, n, l.span) : sb;
    return l.b.select(l.lift(m), l.s(x) ?? zero, l.s(y) ?? zero, sel, l.span);
  },
};

/**
 * S at y: the Laplacian (`[B]? ++ shape(y)\B`) or the diagonal (`++ shape(x)\B`),
 * zeros when y is linear in x; `dependsOnX` false when y does not depend on x at all.
 * The transform adds nodes to b's graph and leaves y's untouched (the graph is
 * immutable; pruning drops the nodes the outputs do not use).
 */
export function forwardLaplacian(b: Builder, y: Node, x: NodeOf<"input">, mode: SecondOrder, span: Span): { value: Node; dependsOnX: boolean } {
  const jvp = new Jvp(b, x, { kind: "axes" }, span);
  const dependsOnX = jvp.tangent(y) !== undefined;
  const l = new Laplacian(b, jvp, mode, span);
  for (const v of topoOrder([y])) {
    if (!v.args.some((a) => l.S.has(a.id) || jvp.t(a))) continue;
    const s = (RULES[v.op] as Rule<OpKind>)(l, v);
    if (s) l.S.set(v.id, s);
  }
  const S = l.S.get(y.id);
  return { value: S ? perSample(b, S, y, span) : zerosLike(b, y, l.ES, span), dependsOnX };
}
