/**
 * Reverse mode planning (derivatives.md section 3, THOAD's backward scheme).
 *
 * Per output y, a frontier of nodes carries G[K] = d^k y / dF_K for multiset
 * keys K over frontier nodes (k <= order), one block per multiset (Schwarz
 * symmetry blockwise; blocks are dense inside, packed at the end). Nodes are
 * expanded in reverse topological order, so a node is replaced by its inputs
 * only after every consumer contributed. Expanding v = op(u...) gives, for a
 * key K' over the new frontier,
 *
 *   G'[K'] = sum over subsets D of K''s u-positions kept direct (the u's own
 *            earlier frontier entries) and set partitions P of the other
 *            u-positions:  G[K' - rest + v^|P|]  contracted with  prod_{S in P} d^S v / du_S
 *
 * which keeps exactly the mixed frontier terms rejoining branches need
 * (fan-out, residual adds, products of branches). With a batch axis, every
 * block holds one leading B shared by all batched factors (batch unification).
 */
import { BATCH, innerSize, isBatched, type Node } from "../ir/node.js";
import type { ModelIR } from "../ir/lower.js";
import type { AxisRef, Factor, IndexRef, Plan, Term } from "../plan/plan.js";
import { finishPlan, runForward } from "./forward.js";
import { keyName, setPartitions } from "./keys.js";
import { REVERSE_RULES, type LocalAlt, type ReverseCtx } from "./reverse-rules.js";

export interface ReverseOptions {
  readonly order: number;
  readonly wrt: readonly string[];
  /** Stop planning past this many contraction terms (the dense frontier grows like Bell numbers). */
  readonly maxTerms?: number;
}

/** Thrown when the reverse plan would exceed ReverseOptions.maxTerms. */
export class PlanTooLarge extends Error {
  constructor(readonly terms: number) { super(`reverse-mode plan exceeds ${terms} contraction terms`); }
}

const partitionsMemo = new Map<number, number[][]>();
const partitions = (n: number): number[][] => {
  let p = partitionsMemo.get(n);
  if (!p) { p = setPartitions(n); partitionsMemo.set(n, p); }
  return p;
};

/** A frontier key: node ids in canonical (rank) order, repeats allowed. */
type FKey = readonly Node[];

export function planReverse(ir: ModelIR, nodes: readonly Node[], opts: ReverseOptions): Plan {
  const K = opts.order;
  const f = runForward(ir, nodes, { order: 0, wrt: opts.wrt, localOrder: K });
  const pb = f.pb;
  const wrtNodes = f.wrtNodes;
  const rank = (n: Node): number => { const w = wrtNodes.indexOf(n); return w >= 0 ? w : wrtNodes.length + n.id; };
  const sortKey = (k: readonly Node[]): Node[] => [...k].sort((a, b) => rank(a) - rank(b));
  const id = (k: FKey): string => k.map((n) => n.id).join(",");

  // which nodes depend on a wrt variable (amax is a constant for differentiation)
  const dep = new Set<number>();
  for (const n of nodes) {
    if (wrtNodes.includes(n) || (n.op !== "amax" && n.op !== "compare" && n.args.some((a) => dep.has(a.id)))) dep.add(n.id);
  }
  const ctx: ReverseCtx = {
    value: (n) => f.value(n),
    local: (n, m) => f.locals.get(n.id)?.[m],
    gatherTable: (spec, side) => pb.gatherTable(spec, side),
  };

  const blocksByOutput = new Map<string, Map<string, number>>();
  let termCount = 0;
  const budget = opts.maxTerms ?? Infinity;
  for (const o of ir.outputs) {
    const y = o.node;
    const out = new Map<string, number>();
    blocksByOutput.set(o.name, out);
    if (!dep.has(y.id) || K === 0) continue;
    const yb = isBatched(y.shape);
    const seedNode = ir.seeds?.get(o.name);
    // with a seed, y's axes are contracted away at the start: G[y] = s, one passive row
    const Y = seedNode ? 1 : innerSize(y.shape);
    const lead: AxisRef[] = yb ? ["b"] : [];
    const label = (k: FKey) => `${o.name} G[${k.map((n) => ir.names.get(n.id) ?? `%${n.id}`).join(",")}]`;
    const bufFor = (k: FKey) => pb.buffer({ batched: yb, size: Y * k.reduce((p, n) => p * innerSize(n.shape), 1), role: "deriv", label: label(k) });

    let G = new Map<string, { key: FKey; buf: number }>();
    const seed = bufFor([y]);
    if (seedNode) {
      const sv = f.value(seedNode);
      if ("c" in sv) throw new Error("internal: a seed is an input");
      pb.step({ kind: "contract", out: seed, outIdx: [...lead, "y", "q0"], sizes: { ...(yb ? { b: "B" } : {}), y: 1, q0: innerSize(y.shape) }, terms: [{ coef: 1, factors: [{ buf: sv.buf, idx: ["q0"] }] }] });
    } else pb.step({ kind: "seed", out: seed, n: Y });
    G.set(id([y]), { key: [y], buf: seed });

    // ancestors of y that depend on wrt, consumers first; wrt leaves stay
    const anc = new Set<number>([y.id]);
    for (let i = nodes.length - 1; i >= 0; i--) if (anc.has(nodes[i]!.id)) for (const a of nodes[i]!.args) anc.add(a.id);
    const order = nodes.filter((n) => anc.has(n.id) && dep.has(n.id) && !wrtNodes.includes(n)).reverse();

    for (const v of order) {
      const withV = [...G.values()].filter((g) => g.key.includes(v));
      if (withV.length === 0) continue;
      const U = [...new Set(v.args)].filter((a) => dep.has(a.id));
      // candidate keys: replace v^j by any multiset over U of size >= j
      const cands = new Map<string, FKey>();
      for (const g of withV) {
        const rest = g.key.filter((n) => n !== v);
        const j = g.key.length - rest.length;
        for (let s = j; s <= K - rest.length; s++) for (const mu of multisets(U, s)) { const k = sortKey([...rest, ...mu]); cands.set(id(k), k); }
      }
      const next = new Map<string, { key: FKey; buf: number }>();
      for (const [kid, g] of G) if (!g.key.includes(v)) next.set(kid, g);
      for (const [kid, k] of cands) {
        const terms = expansionTerms(k, v, U, G, ctx, lead, Y, id, sortKey, budget - termCount);
        termCount += terms.terms.length + terms.visited / 8; // enumeration work counts too
        if (termCount > budget) throw new PlanTooLarge(budget);
        if (terms.terms.length === 0) continue;
        const buf = bufFor(k);
        const copied = copyOf(terms.terms, terms.outIdx, terms.sizes);
        if (copied !== undefined && pb.buffers[copied]!.size === pb.buffers[buf]!.size) pb.step({ kind: "alias", out: buf, input: copied });
        else pb.step({ kind: "contract", out: buf, outIdx: terms.outIdx, sizes: terms.sizes, terms: terms.terms });
        next.set(kid, { key: k, buf });
      }
      G = next;
    }

    // the frontier is now the wrt variables: pack each block (sorted tuples only)
    for (const g of G.values()) {
      const counts = wrtNodes.map((w) => g.key.filter((n) => n === w).length);
      const name = keyName(counts, opts.wrt);
      out.set(name, pb.packDense(g.buf, yb, Y, wrtNodes.map((w) => innerSize(w.shape)), counts, `${o.name} d[${name}]`));
    }
  }
  return finishPlan(ir, f, "reverse", K, (o) => blocksByOutput.get(o.name)!);
}

/**
 * The source buffer when a key's only term copies it unchanged (an add of a
 * constant, a reshape): the same index names in the same order on both sides,
 * each once, so both describe the same row-major data.
 */
function copyOf(terms: readonly Term[], outIdx: readonly AxisRef[], sizes: Readonly<Record<string, number | "B">>): number | undefined {
  if (terms.length !== 1) return undefined;
  const t = terms[0]!;
  if (t.coef !== 1 || t.factors.length !== 1) return undefined;
  const out = (t.out ?? outIdx).filter((r) => !(typeof r === "string" && sizes[r] === 1));
  const src = t.factors[0]!.idx.filter((r) => !(typeof r === "string" && sizes[r] === 1));
  if (out.some((r) => typeof r !== "string") || src.some((r) => typeof r !== "string")) return undefined;
  if (new Set(out).size !== out.length || out.join() !== src.join()) return undefined;
  return t.factors[0]!.buf;
}

/** Multisets of size s over the nodes (as node lists, in the given order). */
function multisets(nodes: readonly Node[], s: number): Node[][] {
  const out: Node[][] = [];
  const rec = (from: number, acc: Node[]): void => {
    if (acc.length === s) { out.push(acc.slice()); return; }
    for (let i = from; i < nodes.length; i++) { acc.push(nodes[i]!); rec(i, acc); acc.pop(); }
  };
  rec(0, []);
  return out;
}

/** All terms of G'[k] when v is expanded. */
function expansionTerms(
  k: FKey, v: Node, U: readonly Node[], G: ReadonlyMap<string, { key: FKey; buf: number }>, ctx: ReverseCtx,
  lead: AxisRef[], Y: number, id: (k: FKey) => string, sortKey: (k: readonly Node[]) => Node[], budget: number,
): { outIdx: AxisRef[]; sizes: Record<string, number | "B">; terms: Term[]; visited: number } {
  const sizes: Record<string, number | "B"> = { y: Y };
  if (lead.length) sizes.b = "B";
  const uPos = k.map((n, i) => (U.includes(n) ? i : -1)).filter((i) => i >= 0);
  const terms: Term[] = [];
  let visited = 0;
  // the step's outIdx reads every slot flat; a term whose slots are shaped or
  // diagonal carries its own output view (Term.out)
  const outIdx: AxisRef[] = [...lead, "y", ...k.map((_, q) => `q${q}`)];
  k.forEach((n, q) => { sizes[`q${q}`] = innerSize(n.shape); });
  for (let D = 0; D < 1 << uPos.length; D++) {
    const direct = new Set(uPos.filter((_, i) => (D >> i) & 1));
    const M = uPos.filter((q) => !direct.has(q));
    if (M.length === 0) {
      const old = G.get(id(k));
      if (old) terms.push({ coef: 1, factors: [{ buf: old.buf, idx: outIdx }] });
      continue;
    }
    const restNodes = k.filter((_, q) => !M.includes(q));
    if (terms.length + visited / 8 > budget) break;
    for (const part of partitions(M.length)) {
      visited++;
      const src = G.get(id(sortKey([...restNodes, ...part.map(() => v)])));
      if (!src) continue;
      const blocks = part.map((mask) => M.filter((_, i) => (mask >> i) & 1));
      // alternatives per block; the term set is their product
      const alts: LocalAlt[][] = blocks.map((bq, bi) => REVERSE_RULES[v.op](ctx, v, bq.map((q) => k[q]!), `k${bi}`));
      if (alts.some((a) => a.length === 0)) continue;
      for (const combo of product(alts)) terms.push(buildTerm(k, v, src, blocks, combo, lead, sizes));
    }
  }
  return { outIdx, sizes, terms, visited };
}

function* product<T>(lists: readonly (readonly T[])[]): Generator<T[]> {
  if (lists.length === 0) { yield []; return; }
  const [first, ...rest] = lists;
  for (const x of first!) for (const tail of product(rest)) yield [x, ...tail];
}

/**
 * One term: the output's positions read their refs (direct positions: q<pos>;
 * block positions: the rule's u refs); the source block reads the same names
 * for direct positions and the rule's v refs for its v slots.
 */
function buildTerm(k: FKey, v: Node, src: { key: FKey; buf: number }, blocks: number[][], combo: LocalAlt[], lead: AxisRef[], sizes: Record<string, number | "B">): Term {
  const outRefs: IndexRef[][] = k.map((_, q) => [`q${q}`]);
  blocks.forEach((bq, bi) => bq.forEach((q, j) => { outRefs[q] = [...combo[bi]!.uRefs[j]!]; }));
  for (const alt of combo) Object.assign(sizes, alt.sizes);
  // source slots in rank order: direct positions keep their order, v slots take the blocks in order
  const directQ = k.map((_, q) => q).filter((q) => !blocks.some((bq) => bq.includes(q)));
  const srcIdx: IndexRef[] = [...lead, "y"];
  let di = 0, bi = 0;
  for (const n of src.key) {
    if (n === v && bi < blocks.length) srcIdx.push(...combo[bi++]!.vRefs);
    else srcIdx.push(`q${directQ[di++]}`);
  }
  const factors: Factor[] = [{ buf: src.buf, idx: srcIdx }, ...combo.flatMap((a) => a.factors)];
  const coef = combo.reduce((c, a) => c * a.coef, 1);
  return { coef, factors, out: [...lead, "y", ...outRefs.flat()] };
}
