/**
 * An unrolled index-table body (wasm-table-step.ts) with two iterations of its
 * innermost loop in the lanes of one f64x2, and every repeated subexpression
 * computed once per iteration pair.
 *
 * The default emission puts two adjacent output elements (p, p+1 of a packed
 * block) in the lanes; their factors sit at unrelated table offsets, so most
 * operands are two loads and a lane insert, and each element recomputes its
 * products: Faa di Bruno's order-3 term of MLP h2,
 * `t24*t18[T5[p,m]]*t19[T6[p,m]] + t25*t18[T2[p]]*t18[T3[p]]*t18[T4[p]]`, reads
 * the same 46 values 1 600 times per (b, i1) and forms each of the 36 pair
 * products t18[a]*t18[b] for several p. Here lane j is loop iteration i+j, so
 * each distinct value is loaded once (one vector load where the loop steps one
 * element, else two loads), and the expression DAG of the body, hash-consed in
 * the default emission's own evaluation order, keeps every node used twice or
 * more in a local. Each lane performs exactly the default emission's
 * operations in the same order, so the numbers are bit for bit the same.
 * f32 buffers: each value widened to f64 on load and each element rounded
 * once at its store, as the scalar f32 emission (one element at a time) does.
 */
import type { Element, FunctionBuilder, Local } from "../wasm/index.js";
import type { Load, Product, TableStep } from "./wasm-table-step.js";

type Body = TableStep["body"];

/**
 * A node of the body's expression DAG: a load, a constant, or a product/sum of
 * two nodes. Its key names it by value: a load's factor and offset, a
 * constant's value, an operation's kind and its operands' ids (the order of
 * interning), so a key stays short however deep the expression.
 */
type Node =
  | { readonly kind: "load"; readonly key: string; readonly load: Load }
  | { readonly kind: "const"; readonly key: string; readonly value: number }
  | { readonly kind: "mul" | "add"; readonly key: string; readonly a: Node; readonly b: Node };

/** The DAG of a body: one root per output element, nodes shared by key, and how many distinct parents (or roots) use each. */
interface Dag { readonly roots: readonly Node[]; readonly uses: ReadonlyMap<string, number> }

/** DAGs built, by body: matchTableStep weighs a body's (laneCosts) and the emission reuses it (emitLanes). */
const dags = new WeakMap<Body, Dag>();

function buildDag(body: Body): Dag {
  return dags.get(body) ?? (dags.set(body, dagOf(body)), dags.get(body)!);
}

function dagOf(body: Body): Dag {
  const interned = new Map<string, Node>();
  const ids = new Map<Node, number>();
  const intern = (n: Node): Node => interned.get(n.key) ?? (interned.set(n.key, n), ids.set(n, ids.size), n);
  const load = (l: Load): Node => intern({ kind: "load", key: `${l.f}@${l.off}`, load: l });
  const konst = (c: number): Node => intern({ kind: "const", key: `c${c}`, value: c });
  const bin = (kind: "mul" | "add", a: Node, b: Node): Node => intern({ kind, key: `${kind === "mul" ? "*" : "+"}${ids.get(a)},${ids.get(b)}`, a, b });
  const fold = (kind: "mul" | "add", acc: Node | undefined, x: Node): Node => (acc ? bin(kind, acc, x) : x);
  // the default emission's order (wasm-table-step.ts `value`): coef * outer... * (sum of inner products), products summed left to right
  const product = (pr: Product): Node => {
    let n: Node | undefined = pr.coef !== 1 ? konst(pr.coef) : undefined;
    for (const l of pr.outer) n = fold("mul", n, load(l));
    if (pr.inner.some((x) => x.length)) {
      let s: Node | undefined;
      for (const x of pr.inner) s = fold("add", s, x.map(load).reduce((a, b) => bin("mul", a, b)));
      n = fold("mul", n, s!);
    }
    return n ?? konst(1);
  };
  const roots = body.map((e) => e.sum.map(product).reduce((a, b) => bin("add", a, b)));
  const uses = new Map<string, number>();
  const seen = new Set<string>();
  const visit = (n: Node): void => {
    uses.set(n.key, (uses.get(n.key) ?? 0) + 1);
    if (seen.has(n.key)) return;
    seen.add(n.key);
    if (n.kind === "mul" || n.kind === "add") { visit(n.a); visit(n.b); }
  };
  roots.forEach(visit);
  return { roots, uses };
}

/** Instructions of a two-lane load whose pointer moves `stride` elements an iteration: a splat, one vector load, or two loads and a lane insert (f32: each widened). */
const laneLoadCost = (stride: number, el: Element): number => (el.name === "f64" ? (stride === 0 || stride === 1 ? 1 : 3) : stride === 0 ? 3 : stride === 1 ? 2 : 6);

/**
 * Instructions (loads, lane inserts, arithmetic, stores; local traffic not
 * counted) per two loop iterations of the pairing (wasm-table-step.ts) and of
 * this form: what matchTableStep weighs to choose.
 */
export function laneCosts(body: Body, strides: readonly number[], outStride: number, el: Element): { pairs: number; lanes: number } {
  // the pairing (f64): elements paired when adjacent and of one shape (approximated: adjacent offsets, as many products); per operand 1 load,
  // or 3 for a gather; f32 runs one element at a time, 2 per operand (load, widen)
  let pairs = 0;
  for (let j = 0; j < body.length; j++) {
    const e = body[j]!, next = body[j + 1];
    const two = el.name === "f64" && !!next && next.off === e.off + 1 && next.sum.length === e.sum.length;
    let ops = 1; // the store
    e.sum.forEach((pr, i) => {
      const loads = [...pr.outer, ...pr.inner.flat()];
      const other = two ? [...next.sum[i]!.outer, ...next.sum[i]!.inner.flat()] : [];
      loads.forEach((l, k) => { const m = other[k]; ops += el.name === "f32" ? 2 : !two || !m || m.off === l.off || m.off === l.off + 1 ? 1 : 3; });
      ops += loads.length + (pr.coef !== 1 ? 1 : 0); // multiplies and adds, about one per operand
    });
    pairs += ops; // a pair's one instruction stream covers both elements
    if (two) j++;
  }
  pairs *= 2; // two iterations
  const dag = buildDag(body);
  let lanes = body.length * (outStride === 1 ? 1 : 2) * (el.name === "f32" ? 2 : 1);
  const seen = new Set<string>();
  const count = (n: Node): void => {
    if (seen.has(n.key)) return;
    seen.add(n.key);
    if (n.kind === "load") lanes += laneLoadCost(strides[n.load.f]!, el);
    else if (n.kind === "const") lanes += 1;
    else { lanes += 1; count(n.a); count(n.b); }
  };
  dag.roots.forEach(count);
  return { pairs, lanes };
}

/**
 * With the pointer for lane 0 pushed: the f64x2 of the f64 at element offset
 * `a` (lane 0) and the one at `b` from pointer `pb` (lane 1): one splat when
 * they are the same element, one vector load when adjacent, else a splat and
 * a lane insert. Both forms of the unrolled steps load their lane pairs so.
 */
export function pushF64Pair(f: FunctionBuilder, a: number, pb: Local, b: number): void {
  if (b === a) f.mem("v128.load64_splat", { offset: a * 8 });
  else if (b === a + 1) f.mem("v128.load", { offset: a * 8, align: 3 });
  else f.mem("v128.load64_splat", { offset: a * 8 }).get(pb).mem("f64.load", { offset: b * 8 }).lane("f64x2.replace_lane", 1);
}

/**
 * Pushes nothing; stores every output element of iterations i and i+1 (lanes
 * 0 and 1): `o` the output pointer, `p` the factors' pointers, `strides` their
 * element steps per iteration, `outStride` the output's.
 */
export function emitLanes(f: FunctionBuilder, body: Body, o: Local, p: readonly Local[], strides: readonly number[], outStride: number, el: Element): void {
  const B = el.bytes;
  const dag = buildDag(body);
  const held = new Map<string, Local>();
  const push = (n: Node): void => {
    const kept = held.get(n.key);
    if (kept) { f.get(kept); return; }
    if (n.kind === "load") {
      const { f: k, off } = n.load, s = strides[k]!;
      f.get(p[k]!);
      if (el.name === "f64") pushF64Pair(f, off, p[k]!, off + s);
      else if (s === 1) f.mem("v128.load64_zero", { offset: off * B, align: 2 }).bits("f64x2.promote_low_f32x4");
      else {
        f.mem("f32.load", { offset: off * B }).op("f64.promote_f32").simd("f64x2.splat");
        if (s !== 0) f.get(p[k]!).mem("f32.load", { offset: (off + s) * B }).op("f64.promote_f32").lane("f64x2.replace_lane", 1);
      }
    } else if (n.kind === "const") f.v128Splat("f64x2", n.value);
    else { push(n.a); push(n.b); f.simd(n.kind === "mul" ? "f64x2.mul" : "f64x2.add"); }
    if ((dag.uses.get(n.key) ?? 0) > 1 && n.kind !== "const") {
      const l = f.local("v128");
      held.set(n.key, l);
      f.tee(l);
    }
  };
  const tmp = f.local("v128");
  body.forEach((e, j) => {
    f.get(o);
    push(dag.roots[j]!);
    if (el.name === "f64") {
      if (outStride === 1) { f.mem("v128.store", { offset: e.off * 8, align: 3 }); return; }
      f.tee(tmp).storeLane("v128.store64_lane", 0, { offset: e.off * 8 });
      f.get(o).get(tmp).storeLane("v128.store64_lane", 1, { offset: (e.off + outStride) * 8 });
      return;
    }
    // f32: each lane rounded once, as the scalar emission's f32.demote_f64 at its store
    if (outStride === 1) { f.bits("f32x4.demote_f64x2_zero").storeLane("v128.store64_lane", 0, { offset: e.off * B }); return; }
    f.tee(tmp).lane("f64x2.extract_lane", 0).op("f32.demote_f64").mem("f32.store", { offset: e.off * B });
    f.get(o).get(tmp).lane("f64x2.extract_lane", 1).op("f32.demote_f64").mem("f32.store", { offset: (e.off + outStride) * B });
  });
}
