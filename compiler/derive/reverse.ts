/**
 * Reverse mode planning (docs/design.md section 3, THOAD's backward scheme).
 *
 * Per output y, a frontier of nodes carries G[K] = d^k y / dF_K for multiset
 * keys K over frontier nodes (k <= order), one block per multiset (Schwarz
 * symmetry blockwise). Inside a block, the positions of a repeated node are one
 * packed axis (sorted tuples only, runtime/packed.ts layout): terms read a
 * packed source at any coordinates through a rank table and write only the
 * sorted tuples of their output (the sum of all terms is symmetric, so each
 * sorted entry gets every contribution it needs). Nodes are
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
 * A term applying several linear local derivatives (a matmul per position) runs
 * as a chain of one-position steps whose intermediates are symmetric in the
 * positions already transformed and in those still to transform (stored packed
 * too), instead of one loop nest over every position's summed index. Before
 * each step the slot it contracts is copied out of its packed run (one table
 * read per entry), and a run read and written at the same coordinates becomes
 * a plain index over its packed entries: the contraction itself is a strided
 * matmul, without table reads in its inner loop.
 *
 * symmetric false (--no-symmetry): one dense block per ordered key (every order
 * of a multiset computed separately), packed only at the end.
 */
import { BATCH, innerSize, isBatched, type Node } from "../ir/node.js";
import type { ModelIR } from "../ir/lower.js";
import { multisetCount } from "../../runtime/packed.js";
import type { PlanBuilder } from "../plan/plan-builder.js";
import { isGroupRef, isTableRef, refNames, type AxisRef, type Factor, type IndexRef, type Plan, type Term } from "../plan/plan.js";
import { fuseGroups, layoutRefs, layoutSize, refText, runs, type Layout, type Slot } from "./reverse-layout.js";
import { finishPlan, runForward } from "./forward.js";
import { keyName, setPartitions } from "./keys.js";
import { REVERSE_RULES, type LocalAlt, type ReverseCtx, type ReverseRule } from "./reverse-rules.js";
import { patchArg, throughPatch, type Patch } from "./reverse-patches.js";

export interface ReverseOptions {
  readonly order: number;
  readonly wrt: readonly string[];
  /** Stop planning past this many contraction terms (the dense frontier grows like Bell numbers). */
  readonly maxTerms?: number;
  /** false: the --no-symmetry ablation (dense blocks per ordered key). */
  readonly symmetric?: boolean;
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

/** A frontier key: node ids in canonical (rank) order, repeats allowed; in ordered mode (no symmetry) any order. */
type FKey = readonly Node[];

interface Block { readonly key: FKey; readonly buf: number }

interface Env {
  readonly pb: PlanBuilder;
  readonly ctx: ReverseCtx;
  readonly lead: AxisRef[];
  readonly Y: number;
  readonly symmetric: boolean;
  readonly id: (k: FKey) => string;
  /** The stored order of a key: sorted (symmetric) or as is (ordered keys). */
  readonly canon: (k: readonly Node[]) => Node[];
  readonly layout: (k: FKey) => Layout;
  /** Nodes expanded through an im2col argument straight into its source (reverse-patches.ts). */
  readonly patches: ReadonlyMap<number, Patch>;
}

export function planReverse(ir: ModelIR, nodes: readonly Node[], opts: ReverseOptions): Plan {
  const K = opts.order;
  const symmetric = opts.symmetric ?? true;
  const f = runForward(ir, nodes, { order: 0, wrt: opts.wrt, localOrder: K });
  const pb = f.pb;
  const wrtNodes: readonly Node[] = f.wrtNodes; // compared by identity with any node
  const rank = (n: Node): number => { const w = wrtNodes.indexOf(n); return w >= 0 ? w : wrtNodes.length + n.id; };
  const sortKey = (k: readonly Node[]): Node[] => [...k].sort((a, b) => rank(a) - rank(b));
  const canon = symmetric ? sortKey : (k: readonly Node[]) => [...k];
  const id = (k: FKey): string => k.map((n) => n.id).join(",");
  const layout = (k: FKey): Layout => ({ slots: k.map((n) => ({ label: `n${n.id}`, n: innerSize(n.shape) })), symmetric });

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
  const patches = new Map<number, Patch>();
  for (const n of nodes) { const p = dep.has(n.id) ? patchArg(n, dep) : undefined; if (p) patches.set(n.id, p); }

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
    const bufFor = (k: FKey) => pb.buffer({ batched: yb, size: Y * layoutSize(layout(k)), role: "deriv", label: label(k) });
    const env: Env = { pb, ctx, lead, Y, symmetric, id, canon, layout, patches };

    let G = new Map<string, Block>();
    const seed = pb.at(y, () => bufFor([y]));
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

    // each expansion's buffers come from v's line
    for (const v of order) pb.at(v, () => {
      const withV = [...G.values()].filter((g) => g.key.includes(v));
      if (withV.length === 0) return;
      // an im2col argument counts as its source (reverse-patches.ts)
      const patch = patches.get(v.id);
      const U = [...new Set(v.args.map((a, i) => (patch?.pos === i ? patch.src : a)))].filter((a) => dep.has(a.id));
      // candidate keys: replace v^j by any multiset over U of size >= j (ordered keys: every order of it)
      const cands = new Map<string, FKey>();
      for (const g of withV) {
        const rest = g.key.filter((n) => n !== v);
        const j = g.key.length - rest.length;
        for (let s = j; s <= K - rest.length; s++) for (const mu of multisets(U, s)) {
          const k = sortKey([...rest, ...mu]);
          for (const kk of symmetric ? [k] : permutations(k)) cands.set(id(kk), kk);
        }
      }
      const next = new Map<string, Block>();
      for (const [kid, g] of G) if (!g.key.includes(v)) next.set(kid, g);
      for (const [kid, k] of cands) {
        const terms = expansionTerms(env, k, v, U, G, label(k), budget - termCount);
        termCount += terms.terms.length + terms.visited / 8; // enumeration work counts too
        if (termCount > budget) throw new PlanTooLarge(budget);
        if (terms.terms.length === 0) continue;
        const buf = bufFor(k);
        const copied = copyOf(pb, terms.terms, terms.outIdx, terms.sizes);
        if (copied !== undefined && pb.buffers[copied]!.size === pb.buffers[buf]!.size) pb.step({ kind: "alias", out: buf, input: copied });
        else pb.step({ kind: "contract", out: buf, outIdx: terms.outIdx, sizes: terms.sizes, terms: terms.terms });
        next.set(kid, { key: k, buf });
      }
      G = next;
    });

    // the frontier is now the wrt variables: each canonical block, in the standard packed layout
    for (const g of G.values()) {
      if (id(g.key) !== id(sortKey(g.key))) continue; // ordered keys: the other orders are the same data
      const counts = wrtNodes.map((w) => g.key.filter((n) => n === w).length);
      const name = keyName(counts, opts.wrt);
      // symmetric: runs of equal wrt nodes in wrt order are the packed layout already
      out.set(name, symmetric ? g.buf : pb.at(y, () => pb.packDense(g.buf, yb, Y, wrtNodes.map((w) => innerSize(w.shape)), counts, `${o.name} d[${name}]`)));
    }
  }
  return finishPlan(ir, f, "reverse", K, (o) => blocksByOutput.get(o.name)!);
}

/**
 * The source buffer when a key's only term copies it unchanged (an add of a
 * constant, a reshape): the same index names in the same order on both sides,
 * each once, so both describe the same row-major data (packed groups: the
 * same coordinates in the same order).
 */
function copyOf(pb: PlanBuilder, terms: readonly Term[], outIdx: readonly AxisRef[], sizes: Readonly<Record<string, number | "B">>): number | undefined {
  if (terms.length !== 1) return undefined;
  const t = terms[0]!;
  if (t.coef !== 1 || t.factors.length !== 1) return undefined;
  const out = (t.out ?? outIdx).filter((r) => !(typeof r === "string" && sizes[r] === 1));
  const src = t.factors[0]!.idx.filter((r) => !(typeof r === "string" && sizes[r] === 1));
  const flat = (rs: readonly IndexRef[]) => rs.flatMap((r) => (isGroupRef(r) ? r.of : [r]));
  if (flat(out).some((r) => typeof r !== "string") || flat(src).some((r) => typeof r !== "string")) return undefined;
  const names = flat(out) as string[];
  if (new Set(names).size !== names.length || out.map((r) => refText(pb, r)).join() !== src.map((r) => refText(pb, r)).join()) return undefined;
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

/** Distinct orderings of a key (ordered keys, --no-symmetry). */
function permutations(k: readonly Node[]): Node[][] {
  if (k.length <= 1) return [[...k]];
  const out: Node[][] = [];
  const seen = new Set<Node>();
  k.forEach((n, i) => {
    if (seen.has(n)) return;
    seen.add(n);
    for (const rest of permutations([...k.slice(0, i), ...k.slice(i + 1)])) out.push([n, ...rest]);
  });
  return out;
}

/** All terms of G'[k] when v is expanded (chain intermediates are emitted as steps of their own, before). */
function expansionTerms(
  env: Env, k: FKey, v: Node, U: readonly Node[], G: ReadonlyMap<string, Block>, outLabel: string, budget: number,
): { outIdx: AxisRef[]; sizes: Record<string, number | "B">; terms: Term[]; visited: number } {
  const sizes: Record<string, number | "B"> = { y: env.Y };
  if (env.lead.length) sizes.b = "B";
  const uPos = k.map((n, i) => (U.includes(n) ? i : -1)).filter((i) => i >= 0);
  const terms: Term[] = [];
  let visited = 0;
  // the step's outIdx reads every run as stored (a flat slot, or a packed axis);
  // a term whose slots are shaped, diagonal or packed carries its own output view (Term.out)
  const kl = env.layout(k);
  const outIdx: AxisRef[] = [...env.lead, "y"];
  for (const { start, len } of runs(kl)) {
    const name = len === 1 ? `q${start}` : `g${start}`;
    outIdx.push(name);
    sizes[name] = multisetCount(kl.slots[start]!.n, len);
  }
  k.forEach((n, q) => { sizes[`q${q}`] = innerSize(n.shape); });
  for (let D = 0; D < 1 << uPos.length; D++) {
    const direct = new Set(uPos.filter((_, i) => (D >> i) & 1));
    const M = uPos.filter((q) => !direct.has(q));
    if (M.length === 0) {
      const old = G.get(env.id(k));
      if (old) terms.push({ coef: 1, factors: [{ buf: old.buf, idx: outIdx }] });
      continue;
    }
    if (terms.length + visited / 8 > budget) break;
    for (const part of partitions(M.length)) {
      visited++;
      // blocks in order of their first position (restricted growth strings); the source key
      // collapses each block to one v slot where it starts
      const blocks = part.map((mask) => M.filter((_, i) => (mask >> i) & 1));
      const collapsed = k.flatMap((n, q) => (!M.includes(q) ? [n] : blocks.some((bq) => bq[0] === q) ? [v] : []));
      const src = G.get(env.id(env.canon(collapsed)));
      if (!src) continue;
      // alternatives per block; the term set is their product (the rule for v.op takes v)
      const alts: LocalAlt[][] = blocks.map((bq, bi) => localAlts(env, v, bq.map((q) => k[q]!), `k${bi}`));
      if (alts.some((a) => a.length === 0)) continue;
      for (const combo of product(alts)) terms.push(buildTerm(env, k, v, src, blocks, combo, sizes, outLabel));
    }
  }
  return { outIdx, sizes, terms, visited };
}

/** The rule's alternatives for a block of v's arguments; through an im2col argument, for its source (reverse-patches.ts). */
function localAlts(env: Env, v: Node, block: readonly Node[], p: string): LocalAlt[] {
  const patch = env.patches.get(v.id);
  const at = patch ? block.indexOf(patch.src) : -1;
  // the rule for v.op takes v
  const rule = REVERSE_RULES[v.op] as ReverseRule;
  if (!patch || at < 0) return rule(env.ctx, v, block, p);
  const alts = rule(env.ctx, v, block.map((n) => (n === patch.src ? v.args[patch.pos]! : n)), p);
  return throughPatch(env.pb, env.ctx, v, patch, alts, at, p);
}

function* product<T>(lists: readonly (readonly T[])[]): Generator<T[]> {
  if (lists.length === 0) { yield []; return; }
  const [first, ...rest] = lists;
  for (const x of first!) for (const tail of product(rest)) yield [x, ...tail];
}

/** Names an alternative sums over: read from v's slot or its factors, absent from the u slots. */
function summed(alt: LocalAlt): string[] {
  const none = {};
  const out = new Set(alt.uRefs.flat().flatMap((r) => refNames(r, none)));
  const read = [...alt.vRefs.flatMap((r) => refNames(r, none)), ...alt.factors.flatMap((f) => f.idx.flatMap((r) => refNames(r, none)))];
  return [...new Set(read)].filter((n) => n !== "b" && !out.has(n));
}

/** An alternative with its block's name prefix removed: equal signatures transform slots the same way. */
const signature = (alt: LocalAlt, bi: number): string => JSON.stringify([alt.vRefs, alt.uRefs, alt.factors, alt.coef]).replaceAll(`"k${bi}`, `"k*`);

/**
 * One term: the output's positions read their refs (direct positions: q<pos>;
 * block positions: the rule's u refs); the source block reads the same names
 * for direct positions and the rule's v refs for its v slots. With several
 * blocks that each sum over indices (a matmul per position), the blocks are
 * applied one at a time through intermediates; the term returned is the last.
 */
function buildTerm(env: Env, k: FKey, v: Node, src: Block, blocks: number[][], combo: LocalAlt[], sizes: Record<string, number | "B">, outLabel: string): Term {
  for (const alt of combo) Object.assign(sizes, alt.sizes);
  const chain = blocks.length >= 2 && combo.some((a) => summed(a).length > 0);
  // in a chain, a u slot written through a table (a scatter-add, reverse-patches.ts) is passed
  // on under one plain name by the later steps, which then copy each entry once
  const passed = combo.map((a, bi) => a.uRefs.map((r, j) => {
    if (!chain || bi === combo.length - 1 || r.every((x) => x === null || typeof x === "string")) return [...r];
    sizes[`k${bi}_u${j}`] = innerSize(k[blocks[bi]![j]!]!.shape);
    return [`k${bi}_u${j}`];
  }));
  const outRefs: IndexRef[][] = k.map((_, q) => [`q${q}`]);
  blocks.forEach((bq, bi) => bq.forEach((q, j) => { outRefs[q] = passed[bi]![j]!; }));
  // source slots in stored order: direct positions keep their order, v slots take the blocks in order
  const directQ = k.map((_, q) => q).filter((q) => !blocks.some((bq) => bq.includes(q)));
  // the current operand: slots (label, size, refs) and its buffer; v slots are ("v", block index)
  type Cur = { buf: number; layout: Layout; refs: IndexRef[][]; vBlock: (number | undefined)[] };
  const srcLayout = env.layout(src.key);
  const cur: Cur = { buf: src.buf, layout: srcLayout, refs: [], vBlock: [] };
  // in a chain, a v slot read through coordinate tables (reverse-patches.ts: several rows read
  // one entry) is carried under one plain name until its block is applied: a step passing it
  // through then copies each entry once
  const carried = combo.map((a, bi) => {
    if (!chain || !a.vRefs.some((r) => isTableRef(r) && env.pb.tables[r.table]!.gather?.coord)) return [...a.vRefs];
    sizes[`k${bi}_v`] = innerSize(v.shape);
    return [`k${bi}_v`];
  });
  let di = 0, bi0 = 0;
  for (const n of src.key) {
    if (n === v && bi0 < blocks.length) { cur.refs.push(carried[bi0]!); cur.vBlock.push(bi0++); }
    else { cur.refs.push([`q${directQ[di++]}`]); cur.vBlock.push(undefined); }
  }
  const read = (c: Cur): IndexRef[] => [...env.lead, "y", ...layoutRefs(env.pb, c.layout, c.refs, "read")];
  /** The current operand read with block bi's v slot at its rule's refs. */
  const readApplying = (c: Cur, bi: number): IndexRef[] => read({ ...c, refs: c.refs.map((r, j) => (c.vBlock[j] === bi ? [...combo[bi]!.vRefs] : r)) });
  if (chain) {
    // apply every block but the last: slot of v for block bi -> its u slots
    for (let bi = 0; bi < blocks.length - 1; bi++) {
      const alt = combo[bi]!;
      const at = cur.vBlock.indexOf(bi);
      // the v slot to contract is the first of a packed run: copy it out as a dense axis
      // (one table read per entry) so the contraction over it runs on strided data
      const run = runs(cur.layout).find((r) => r.start <= at && at < r.start + r.len)!;
      if (run.len >= 2) {
        const slots = cur.layout.slots.map((sl, j) => (j === at ? { ...sl, label: `${sl.label}/${bi}` } : sl));
        const layout: Layout = { slots, symmetric: env.symmetric };
        const u = env.pb.buffer({ batched: env.lead.length > 0, size: env.Y * layoutSize(layout), role: "local", label: `block ${bi + 1} of ${blocks.length} unpacked, for ${outLabel}` });
        const stepSizes: Record<string, number | "B"> = { ...sizes };
        const outIdx: AxisRef[] = [...env.lead, "y", ...runs(layout).map(({ start, len }, j) => { stepSizes[`c${j}`] = multisetCount(slots[start]!.n, len); return `c${j}`; })];
        env.pb.step({ kind: "contract", out: u, outIdx, sizes: stepSizes, terms: [fuseGroups(env.pb, { coef: 1, factors: [{ buf: cur.buf, idx: read(cur) }], out: [...env.lead, "y", ...layoutRefs(env.pb, layout, cur.refs, "write")] }, stepSizes)] });
        Object.assign(cur, { buf: u, layout });
      }
      const sig = signature(alt, bi);
      const un = blocks[bi]!.map((q) => innerSize(k[q]!.shape));
      const newSlots: Slot[] = [...cur.layout.slots.slice(0, at), ...un.map((n, j) => ({ label: blocks[bi]!.length === 1 ? `t${k[blocks[bi]![0]!]!.id}:${sig}` : `t${bi}.${j}`, n })), ...cur.layout.slots.slice(at + 1)];
      const next: Cur = {
        buf: -1,
        layout: { slots: newSlots, symmetric: env.symmetric },
        refs: [...cur.refs.slice(0, at), ...passed[bi]!, ...cur.refs.slice(at + 1)],
        vBlock: [...cur.vBlock.slice(0, at), ...un.map(() => undefined), ...cur.vBlock.slice(at + 1)],
      };
      const tmp = env.pb.buffer({ batched: env.lead.length > 0, size: env.Y * layoutSize(next.layout), role: "local", label: `block ${bi + 1} of ${blocks.length} applied, for ${outLabel}` });
      // the step's own axes as stored: a flat slot or a packed run each
      const stepSizes: Record<string, number | "B"> = { ...sizes };
      const outIdx: AxisRef[] = [...env.lead, "y", ...runs(next.layout).map(({ start, len }, j) => { stepSizes[`c${j}`] = multisetCount(newSlots[start]!.n, len); return `c${j}`; })];
      env.pb.step({ kind: "contract", out: tmp, outIdx, sizes: stepSizes, terms: [fuseGroups(env.pb, { coef: alt.coef, factors: [{ buf: cur.buf, idx: readApplying(cur, bi) }, ...alt.factors], out: [...env.lead, "y", ...layoutRefs(env.pb, next.layout, [...cur.refs.slice(0, at), ...alt.uRefs, ...cur.refs.slice(at + 1)], "write")] }, stepSizes)] });
      Object.assign(cur, next, { buf: tmp });
    }
    const last = combo[combo.length - 1]!;
    return fuseGroups(env.pb, { coef: last.coef, factors: [{ buf: cur.buf, idx: readApplying(cur, combo.length - 1) }, ...last.factors], out: [...env.lead, "y", ...layoutRefs(env.pb, env.layout(k), outRefs, "write")] }, sizes);
  }
  const factors: Factor[] = [{ buf: cur.buf, idx: read(cur) }, ...combo.flatMap((a) => a.factors)];
  return fuseGroups(env.pb, { coef: combo.reduce((c, a) => c * a.coef, 1), factors, out: [...env.lead, "y", ...layoutRefs(env.pb, env.layout(k), outRefs, "write")] }, sizes);
}
