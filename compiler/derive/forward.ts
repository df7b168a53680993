/**
 * Forward (Taylor) mode planning (docs/design.md section 3): every node carries
 * its value and one packed block per structurally nonzero key up to order K.
 *
 *  - linear ops (add, sum, transpose, reshape) map every block unchanged;
 *  - multilinear ops (mul, einsum) use the Leibniz rule: positions of the key
 *    are distributed over the operands, and distributions selecting the same
 *    sub-keys are merged into one term whose members are read through
 *    sub-index tables;
 *  - elementwise f uses Faa di Bruno: a sum over set partitions of the key's
 *    positions of f^(|P|) times the product of the blocks' sub-tuples; the
 *    partitions selecting the same multiset of sub-keys form one term.
 *
 * Structural zeros are pruned at plan time: a node has a block only for the
 * keys that some term reaches.
 */
import { packedSize } from "../../runtime/packed.js";
import { BATCH, innerSize, isBatched, type GatherSpec, type InputNode, type Node, type NodeOf, type OpKind, type Shape } from "../ir/node.js";
import type { ModelIR } from "../ir/lower.js";
import { PlanBuilder } from "../plan/plan-builder.js";
import type { AxisRef, Factor, IndexRef, Plan, Term } from "../plan/plan.js";
import { UNARY } from "./elementwise.js";
import { distributions, keyId, keyName, keysUpTo, order, positionVars, setPartitions, subKey, type Key } from "./keys.js";

type Value = { readonly buf: number } | { readonly c: number };
/**
 * A node's derivative block. buf -1: the symbolic seed of a wrt variable (the
 * identity d w_i / d w_a = delta_ia, never stored unless a rule needs it
 * materialised). A block whose buffer is unbatched although its node is
 * batched is the same for every sample (e.g. d(x @ W)/dx = W^T).
 */
interface Block { readonly key: Key; readonly buf: number }
interface NodeState { readonly value: Value; readonly blocks: ReadonlyMap<string, Block> }

export interface ForwardOptions {
  readonly order: number;
  readonly wrt: readonly string[];
  /** Also compute f^(m) of elementwise nodes up to this order (reverse mode's local derivatives). */
  readonly localOrder?: number;
  /** false: store blocks dense (ablation of Schwarz symmetry, --no-symmetry); packed at the end. */
  readonly symmetric?: boolean;
}

class ForwardCtx {
  readonly pb = new PlanBuilder();
  readonly state = new Map<number, NodeState>();
  /** f^(0..M) buffers of each elementwise node. */
  readonly locals = new Map<number, readonly (number | undefined)[]>();
  localOrder = 0;
  /** Nodes that depend on a wrt variable (amax and masks are constants for differentiation). */
  readonly dependent = new Set<number>();
  readonly ns: number[];
  readonly keys: Key[];

  readonly wrtNames: readonly string[];

  constructor(readonly ir: ModelIR, readonly K: number, readonly wrt: readonly InputNode[]) {
    this.wrtNames = wrt.map((w) => w.attrs.name);
    this.ns = wrt.map((w) => innerSize(w.shape));
    this.keys = keysUpTo(wrt.length, K);
  }

  get(n: Node): NodeState { return this.state.get(n.id)!; }

  private readonly varsOf = new WeakMap<NodeState, ReadonlySet<number>>();

  /**
   * The keys (in `keys` order) over the variables the operands' blocks involve:
   * a key with any other variable is a structural zero of every rule, so only
   * these are visited (a product of 100 scalars visited all 5150 keys at every node).
   */
  keysOf(...states: readonly NodeState[]): readonly Key[] {
    const vars = new Set<number>();
    for (const st of states) {
      let own = this.varsOf.get(st);
      if (!own) {
        const v = new Set<number>();
        for (const b of st.blocks.values()) b.key.forEach((c, i) => { if (c > 0) v.add(i); });
        this.varsOf.set(st, own = v);
      }
      for (const i of own) vars.add(i);
    }
    return vars.size === this.wrt.length ? this.keys : this.keys.filter((k) => k.every((c, i) => c === 0 || vars.has(i)));
  }

  private readonly seeds = new Map<string, number>();

  /** The block's buffer; a symbolic seed becomes an identity step on first use. */
  bufOf(blk: Block): number {
    if (blk.buf >= 0) return blk.buf;
    const id = keyId(blk.key);
    let buf = this.seeds.get(id);
    if (buf === undefined) {
      const w = blk.key.indexOf(1), n = this.wrt[w]!, nn = this.ns[w]!;
      buf = this.newBuffer(n, "deriv", nn, `${n.attrs.name} d[${n.attrs.name}]`);
      this.pb.step({ kind: "seed", out: buf, n: nn });
      this.seeds.set(id, buf);
    }
    return buf;
  }

  /**
   * A factor reading block blk of operand a, given a's element refs (the batch
   * ref first when a is batched) and the packed ref; a block shared by all
   * samples has no batch axis.
   */
  blockFactor(a: Node, blk: Block, idx: readonly IndexRef[], packed: IndexRef): Factor {
    const buf = this.bufOf(blk);
    const shared = isBatched(a.shape) && !this.pb.buffers[buf]!.batched;
    return { buf, idx: [...(shared ? idx.slice(1) : idx), packed] };
  }

  /**
   * The buffer and step of node n's block from its terms (outIdx: n's element
   * refs, batch ref first when n is batched, then the packed ref): batched
   * only if some factor is.
   */
  blockStep(n: Node, P: number, label: string, outIdx: readonly AxisRef[], sizes: Record<string, number | "B">, terms: readonly Term[]): number {
    const batched = isBatched(n.shape) && terms.some((t) => t.factors.some((f) => this.pb.buffers[f.buf]!.batched));
    const buf = this.pb.buffer({ batched, size: innerSize(n.shape) * P, role: "deriv", label });
    // a block shared by all samples drops the batch ref (a term's own output view too: a symbolic seed's diagonal)
    const shared = isBatched(n.shape) && !batched;
    this.pb.step({ kind: "contract", out: buf, outIdx: shared ? outIdx.slice(1) : outIdx, sizes, terms: shared ? terms.map((t) => (t.out ? { ...t, out: t.out.slice(1) } : t)) : terms });
    return buf;
  }

  /** A block as the caller sees it: stored per sample (a shared block is broadcast over the batch). */
  perSample(n: Node, blk: Block): number {
    const buf = this.bufOf(blk);
    if (!isBatched(n.shape) || this.pb.buffers[buf]!.batched) return buf;
    const size = this.pb.buffers[buf]!.size;
    const out = this.pb.buffer({ batched: true, size, role: "deriv", label: `${this.label(n)} d[${keyName(blk.key, this.wrtNames)}] per sample` });
    this.pb.step({ kind: "contract", out, outIdx: ["b", "q"], sizes: { b: "B", q: size }, terms: [{ coef: 1, factors: [{ buf, idx: ["q"] }] }] });
    return out;
  }

  label(n: Node): string { return this.ir.names.get(n.id) ?? `%${n.id}`; }

  /** Whether blocks store sorted tuples only (Schwarz symmetry); false: the --no-symmetry ablation. */
  symmetric = true;

  /**
   * The storage layout of a key's block for runtime/packed.ts: variables with
   * multiplicities, or, without symmetry, every position as a variable of its
   * own (a dense block, row-major over positions).
   */
  layout(key: Key): { ns: number[]; ms: number[] } {
    if (this.symmetric) return { ns: this.ns, ms: [...key] };
    const vars = positionVars(key);
    return { ns: vars.map((v) => this.ns[v]!), ms: vars.map(() => 1) };
  }

  P(key: Key): number { const l = this.layout(key); return packedSize(l.ns, l.ms); }

  table(key: Key, masks: readonly number[], P: number): number { const l = this.layout(key); return this.pb.table(l.ns, l.ms, masks, P); }

  newBuffer(n: Node, role: "value" | "deriv" | "local", extra: number, label: string): number {
    return this.pb.buffer({ batched: isBatched(n.shape), size: innerSize(n.shape) * extra, role, label });
  }
}

/** Loop index names for the axes of a shape: "b" for the batch axis, i<axis> otherwise. */
export const axisNames = (s: Shape, prefix = "i"): string[] => s.map((d, i) => (d === BATCH ? "b" : `${prefix}${i}`));

function sizesOf(names: readonly (string | null)[], shape: Shape, into: Record<string, number | "B">): void {
  names.forEach((n, i) => { if (n !== null) into[n] = shape[i] === BATCH ? "B" : shape[i]!; });
}

/** Index refs of an operand broadcast into an output with these axis names (NumPy alignment). */
function broadcastIdx(operand: Shape, out: Shape, outNames: readonly string[]): (string | null)[] {
  const off = out.length - operand.length;
  return operand.map((d, j) => (d === 1 && out[off + j] !== 1 ? null : outNames[off + j]!));
}

/** One factor per operand of a term; constants fold into the coefficient. */
function termOf(coef: number, parts: readonly { value: Value; idx: readonly IndexRef[] }[]): Term {
  const factors: Factor[] = [];
  for (const p of parts) {
    if ("c" in p.value) coef *= p.value.c;
    else factors.push({ buf: p.value.buf, idx: p.idx });
  }
  return { coef, factors };
}

/**
 * Multilinear rule for out = L(a_1, ..., a_r) given each operand's element
 * index refs. Writes the value and every reachable block of the output.
 */
function multilinear(ctx: ForwardCtx, n: Node, operands: readonly Node[], idxs: readonly (readonly (string | null)[])[], outIdx: readonly string[], sizes: Record<string, number | "B">, coef = 1): void {
  const st = operands.map((o) => ctx.get(o));
  const value = ctx.newBuffer(n, "value", 1, ctx.label(n));
  ctx.pb.step({ kind: "contract", out: value, outIdx, sizes, terms: [termOf(coef, st.map((s, i) => ({ value: s.value, idx: idxs[i]! })))] });
  const blocks = new Map<string, Block>();
  const r = operands.length;
  for (const key of ctx.keysOf(...st)) {
    const k = order(key);
    const groups = new Map<string, { subs: Key[]; members: number[][] }>();
    const vars = positionVars(key);
    for (const masks of distributions(k, r)) {
      const subs = masks.map((m) => subKey(key, m, vars));
      // every operand must be nonzero for its sub-key (the empty key is its value)
      if (subs.some((s, i) => order(s) > 0 && !st[i]!.blocks.has(keyId(s)))) continue;
      if (subs.some((s, i) => order(s) === 0 && "c" in st[i]!.value && st[i]!.value.c === 0)) continue;
      const id = subs.map(keyId).join("|");
      const g = groups.get(id) ?? { subs, members: [] };
      g.members.push(masks);
      groups.set(id, g);
    }
    if (groups.size === 0) continue;
    const P = ctx.P(key);
    const terms: Term[] = [];
    const stepSizes: Record<string, number | "B"> = { ...sizes, p: P };
    for (const g of groups.values()) {
      const M = g.members.length;
      const member = `m${terms.length}`; // each term has its own member count
      if (M > 1) stepSizes[member] = M;
      // a symbolic seed read whole over its one element axis e: delta(e, p) sums away by reading the others at p
      const seedAt = k === 1 ? g.subs.findIndex((s, i) => order(s) === 1 && st[i]!.blocks.get(keyId(s))!.buf < 0) : -1;
      const seedAxis = seedAt >= 0 ? idxs[seedAt]!.slice(isBatched(operands[seedAt]!.shape) ? 1 : 0) : [];
      const e = seedAxis.length === 1 && typeof seedAxis[0] === "string" && !outIdx.includes(seedAxis[0]) && !idxs.some((ix) => ix.includes("p")) ? seedAxis[0] : undefined;
      // any other seed read by distinct names (a matrix W, or an axis the output keeps): delta((e1..em), p)
      // writes p at (e1..em) row-major, p's layout at order 1; an output axis ei writes a diagonal. d(x W)/dW
      // is then x[b,e1] at p = (e1, n) for each n, never the product of x with a 256 x 256 identity
      const names = seedAxis.filter((r): r is string => typeof r === "string");
      const diag = e === undefined && seedAt >= 0 && names.length === seedAxis.length && new Set(names).size === names.length && !idxs.some((ix) => ix.includes("p")) ? names : undefined;
      const parts = g.subs.flatMap((s, i): { value: Value; idx: readonly IndexRef[] }[] => {
        if ((e !== undefined || diag) && i === seedAt) return [];
        const ko = order(s);
        const ix = e === undefined ? idxs[i]! : idxs[i]!.map((r) => (r === e ? "p" : r));
        if (ko === 0) return [{ value: st[i]!.value, idx: ix }];
        const blk = st[i]!.blocks.get(keyId(s))!;
        const packed: IndexRef = ko === k ? "p" : { table: ctx.table(key, g.members.map((ms) => ms[i]!), P), row: "p", member: M > 1 ? member : "0" };
        const f = ctx.blockFactor(operands[i]!, blk, ix, packed);
        return [{ value: { buf: f.buf }, idx: f.idx }];
      });
      terms.push(diag ? { ...termOf(coef, parts), out: [...outIdx, ...diag] } : termOf(coef, parts));
    }
    const buf = ctx.blockStep(n, P, `${ctx.label(n)} d[${keyName(key, ctx.wrtNames)}]`, [...outIdx, "p"], stepSizes, terms);
    blocks.set(keyId(key), { key, buf });
  }
  ctx.state.set(n.id, { value: { buf: value }, blocks });
}

/**
 * A static index map, gather or its transpose scatter: linear, the value and every block go
 * through the same map (the packed axis passes through). A gather reads the operand at the
 * map's `in` offsets and writes the rows' `out` offsets; a scatter reads at `out` and adds
 * into `in` (rows meeting one element accumulate). Padding holds the fill in the value and 0
 * in every block.
 */
function throughMap(ctx: ForwardCtx, n: Node, spec: GatherSpec, transpose: boolean, fill: number): void {
  const a = n.args[0]!;
  const sa = ctx.get(a);
  const tin = ctx.pb.gatherTable(spec, "in"), tout = ctx.pb.gatherTable(spec, "out");
  const [read, write] = transpose ? [tout, tin] : [tin, tout];
  const lead: string[] = isBatched(n.shape) ? ["b"] : [];
  const sizes: Record<string, number | "B"> = { ...(lead.length ? { b: "B" } : {}), i: innerSize(n.shape), r: tin.rows };
  const at = (t: number, row = "r"): IndexRef => ({ table: t, row, member: "0" });
  const value = ctx.newBuffer(n, "value", 1, ctx.label(n));
  const terms: Term[] = [];
  if (tin.rows > 0) terms.push({ ...termOf(1, [{ value: sa.value, idx: [...lead, at(read.table)] }]), out: [...lead, at(write.table)] });
  if (fill !== 0) {
    const tpad = ctx.pb.gatherTable(spec, "pad");
    if (tpad.rows > 0) { sizes.s = tpad.rows; terms.push({ coef: fill, factors: [], out: [...lead, at(tpad.table, "s")] }); }
  }
  ctx.pb.step({ kind: "contract", out: value, outIdx: [...lead, "i"], sizes, terms });
  const blocks = new Map<string, Block>();
  if (tin.rows > 0) for (const blk of sa.blocks.values()) {
    const P = ctx.P(blk.key);
    const src = ctx.perSample(a, blk);
    const buf = ctx.newBuffer(n, "deriv", P, `${ctx.label(n)} d[${keyName(blk.key, ctx.wrtNames)}]`);
    const bt: Term[] = [{ coef: 1, factors: [{ buf: src, idx: [...lead, at(read.table), "p"] }], out: [...lead, at(write.table), "p"] }];
    ctx.pb.step({ kind: "contract", out: buf, outIdx: [...lead, "i", "p"], sizes: { ...sizes, p: P }, terms: bt });
    blocks.set(keyId(blk.key), { key: blk.key, buf });
  }
  ctx.state.set(n.id, { value: { buf: value }, blocks });
}

type ForwardRule<K extends OpKind = OpKind> = (ctx: ForwardCtx, n: NodeOf<K>) => void;

const RULES: { [K in OpKind]: ForwardRule<K> } = {
  input: (ctx, n) => {
    const pos = ctx.ir.inputs.indexOf(n);
    const value = ctx.pb.buffer({ batched: isBatched(n.shape), size: innerSize(n.shape), role: "input", label: n.attrs.name, input: pos });
    const blocks = new Map<string, Block>();
    const w = ctx.wrt.indexOf(n);
    if (w >= 0 && ctx.K > 0) {
      const key = ctx.wrt.map((_, i) => (i === w ? 1 : 0));
      blocks.set(keyId(key), { key, buf: -1 }); // symbolic until a rule needs it stored
    }
    ctx.state.set(n.id, { value: { buf: value }, blocks });
  },
  const: (ctx, n) => ctx.state.set(n.id, { value: { c: n.attrs.value }, blocks: new Map() }),
  amax: (ctx, n) => {
    const a = ctx.get(n.args[0]!);
    if ("c" in a.value) { ctx.state.set(n.id, { value: a.value, blocks: new Map() }); return; }
    const out = ctx.newBuffer(n, "value", 1, `max of ${ctx.label(n.args[0]!)}`);
    ctx.pb.step({ kind: "amax", out, input: a.value.buf, shape: n.args[0]!.shape, axes: n.attrs.axes });
    ctx.state.set(n.id, { value: { buf: out }, blocks: new Map() }); // a constant for differentiation
  },
  compare: (ctx, n) => {
    const args = n.args.map((a) => ctx.get(a).value);
    if (n.attrs.cmp === "detach") { ctx.state.set(n.id, { value: args[0]!, blocks: new Map() }); return; } // the same data, no blocks
    const out = ctx.newBuffer(n, "value", 1, `${n.attrs.cmp} mask`);
    ctx.pb.step({ kind: "compare", out, op: n.attrs.cmp, args, argShapes: n.args.map((a) => a.shape), shape: n.shape, ...(n.attrs.axes ? { axes: n.attrs.axes } : {}) });
    ctx.state.set(n.id, { value: { buf: out }, blocks: new Map() }); // a constant for differentiation
  },
  select: (ctx, n) => {
    // the value picks an operand (value-only, like a mask); the derivatives are the blend's (args[3])
    const [m, x, y, blend] = n.args as [Node, Node, Node, Node];
    const out = ctx.newBuffer(n, "value", 1, ctx.label(n));
    ctx.pb.step({ kind: "compare", out, op: "select", args: [m, x, y].map((a) => ctx.get(a).value), argShapes: [m.shape, x.shape, y.shape], shape: n.shape });
    ctx.state.set(n.id, { value: { buf: out }, blocks: ctx.get(blend).blocks });
  },
  gather: (ctx, n) => throughMap(ctx, n, n.attrs.gather, false, n.attrs.fill ?? 0),
  scatter: (ctx, n) => throughMap(ctx, n, n.attrs.gather, true, 0),
  add: (ctx, n) => {
    const out = axisNames(n.shape);
    const sizes: Record<string, number | "B"> = {};
    sizesOf(out, n.shape, sizes);
    const [a, b] = n.args as [Node, Node];
    const ia = broadcastIdx(a.shape, n.shape, out), ib = broadcastIdx(b.shape, n.shape, out);
    const sa = ctx.get(a), sb = ctx.get(b);
    const value = ctx.newBuffer(n, "value", 1, ctx.label(n));
    ctx.pb.step({ kind: "contract", out: value, outIdx: out, sizes, terms: [termOf(1, [{ value: sa.value, idx: ia }]), termOf(1, [{ value: sb.value, idx: ib }])] });
    const blocks = new Map<string, Block>();
    for (const key of ctx.keysOf(sa, sb)) {
      const id = keyId(key);
      const parts = [[sa, ia, a], [sb, ib, b]] as const;
      const only = parts.filter(([s]) => s.blocks.has(id));
      if (!only.length) continue;
      if (only.length === 1 && only[0]![0] === sa && a.shape.join() === n.shape.join() || only.length === 1 && only[0]![0] === sb && b.shape.join() === n.shape.join()) {
        // one operand carries this key and is not broadcast: the block passes through unchanged
        blocks.set(id, only[0]![0].blocks.get(id)!);
        continue;
      }
      // a broadcast operand whose block is shared by all samples still reads per sample here
      const terms = only.map(([s, ix, node]) => ({ coef: 1, factors: [ctx.blockFactor(node, s.blocks.get(id)!, ix, "p")] }));
      const P = ctx.P(key);
      const buf = ctx.blockStep(n, P, `${ctx.label(n)} d[${keyName(key, ctx.wrtNames)}]`, [...out, "p"], { ...sizes, p: P }, terms);
      blocks.set(id, { key, buf });
    }
    ctx.state.set(n.id, { value: { buf: value }, blocks });
  },
  mul: (ctx, n) => {
    const out = axisNames(n.shape);
    const sizes: Record<string, number | "B"> = {};
    sizesOf(out, n.shape, sizes);
    multilinear(ctx, n, n.args, n.args.map((a) => broadcastIdx(a.shape, n.shape, out)), out, sizes);
  },
  einsum: (ctx, n) => {
    const name = (c: string) => `e${c}`;
    const sizes: Record<string, number | "B"> = {};
    n.args.forEach((a, i) => sizesOf([...n.attrs.inputs[i]!].map(name), a.shape, sizes));
    multilinear(ctx, n, n.args, n.attrs.inputs.map((s) => [...s].map(name)), [...n.attrs.output].map(name), sizes);
  },
  sum: (ctx, n) => {
    const a = n.args[0]!;
    const all = axisNames(a.shape);
    const sizes: Record<string, number | "B"> = {};
    sizesOf(all, a.shape, sizes);
    multilinear(ctx, n, [a], [all], all.filter((_, i) => !n.attrs.axes.includes(i)), sizes);
  },
  transpose: (ctx, n) => {
    const a = n.args[0]!;
    const all = axisNames(a.shape);
    const sizes: Record<string, number | "B"> = {};
    sizesOf(all, a.shape, sizes);
    multilinear(ctx, n, [a], [all], n.attrs.perm.map((p) => all[p]!), sizes);
  },
  reshape: (ctx, n) => {
    // row-major data is unchanged: the value and every block are the same buffers
    const a = ctx.get(n.args[0]!);
    ctx.state.set(n.id, a);
  },
  unary: (ctx, n) => {
    const a = n.args[0]!;
    const sa = ctx.get(a);
    const rule = UNARY[n.attrs.fn];
    if ("c" in sa.value) throw new Error("internal: unary of a constant should have been folded");
    const idx = axisNames(n.shape);
    const sizes: Record<string, number | "B"> = {};
    sizesOf(idx, n.shape, sizes);
    // f^(k) of a node with deriv k has m-th derivative f^(k+m)
    const k0 = n.attrs.deriv ?? 0;
    const maxM = Math.min(ctx.K, rule.maxNonzero(n.attrs.exponent) - k0);
    // plan the blocks first to know which f^(m) are needed
    const planned: { key: Key; classes: { m: number; subs: Key[]; members: number[][] }[] }[] = [];
    let needM = 0;
    for (const key of ctx.keysOf(sa)) {
      const k = order(key);
      const classes = new Map<string, { m: number; subs: Key[]; members: number[][] }>();
      const vars = positionVars(key);
      for (const part of setPartitions(k)) {
        if (part.length > maxM) continue;
        const blocks = part.map((mask) => ({ mask, sub: subKey(key, mask, vars) })).sort((x, y) => (keyId(x.sub) < keyId(y.sub) ? -1 : keyId(x.sub) > keyId(y.sub) ? 1 : x.mask - y.mask));
        if (blocks.some((b) => !sa.blocks.has(keyId(b.sub)))) continue;
        const id = blocks.map((b) => keyId(b.sub)).join("|");
        const c = classes.get(id) ?? { m: part.length, subs: blocks.map((b) => b.sub), members: [] };
        c.members.push(blocks.map((b) => b.mask));
        classes.set(id, c);
        needM = Math.max(needM, part.length);
      }
      if (classes.size) planned.push({ key, classes: [...classes.values()] });
    }
    const label = ctx.label(n);
    const value = ctx.newBuffer(n, "value", 1, label);
    const outs: (number | undefined)[] = [value];
    // reverse mode reads f^(m) only of nodes that depend on a wrt variable
    if (ctx.dependent.has(n.id)) needM = Math.max(needM, Math.min(ctx.localOrder, rule.maxNonzero(n.attrs.exponent) - k0));
    for (let m = 1; m <= needM; m++) outs.push(ctx.newBuffer(n, "local", 1, `${n.attrs.fn}${"'".repeat(k0 + m)}(${ctx.label(a)})`));
    ctx.pb.step({ kind: "map", fn: n.attrs.fn, exponent: n.attrs.exponent, ...(k0 ? { deriv: k0 } : {}), input: sa.value.buf, outs });
    ctx.locals.set(n.id, outs);
    const blocks = new Map<string, Block>();
    for (const { key, classes } of planned) {
      const P = ctx.P(key), k = order(key);
      const stepSizes: Record<string, number | "B"> = { ...sizes, p: P };
      const terms = classes.map((c, ci) => {
        const M = c.members.length;
        const member = `m${ci}`; // each term has its own member count
        if (M > 1) stepSizes[member] = M;
        const factors: Factor[] = [{ buf: outs[c.m]!, idx: idx }];
        c.subs.forEach((s, j) => {
          const packed: IndexRef = order(s) === k ? "p" : { table: ctx.table(key, c.members.map((ms) => ms[j]!), P), row: "p", member: M > 1 ? member : "0" };
          factors.push(ctx.blockFactor(a, sa.blocks.get(keyId(s))!, idx, packed));
        });
        return { coef: 1, factors };
      });
      const buf = ctx.blockStep(n, P, `${label} d[${keyName(key, ctx.wrtNames)}]`, [...idx, "p"], stepSizes, terms);
      blocks.set(keyId(key), { key, buf });
    }
    ctx.state.set(n.id, { value: { buf: value }, blocks });
  },
};


/** --no-symmetry: a dense block's sorted corner, in the standard packed layout. */
function packDense(ctx: ForwardCtx, n: Node, b: Block): number {
  return ctx.pb.packDense(ctx.perSample(n, b), isBatched(n.shape), innerSize(n.shape), ctx.ns, b.key, `${ctx.label(n)} d[${keyName(b.key, ctx.wrtNames)}] packed`);
}

/** What a forward pass leaves for later passes: the steps so far and every node's value and local derivatives. */
export interface ForwardResult {
  readonly pb: PlanBuilder;
  readonly value: (n: Node) => { readonly buf: number } | { readonly c: number };
  readonly locals: ReadonlyMap<number, readonly (number | undefined)[]>;
  readonly wrtNodes: readonly InputNode[];
  readonly blocks: (n: Node) => ReadonlyMap<string, number>;
}

export function runForward(ir: ModelIR, nodes: readonly Node[], opts: ForwardOptions): ForwardResult {
  const wrtNodes = opts.wrt.map((w) => ir.inputs.find((i) => i.attrs.name === w)!);
  const ctx = new ForwardCtx(ir, opts.order, wrtNodes);
  ctx.localOrder = opts.localOrder ?? 0;
  for (const n of nodes) {
    if ((n.op === "input" && wrtNodes.includes(n)) || (n.op !== "amax" && n.op !== "compare" && n.args.some((a) => ctx.dependent.has(a.id)))) ctx.dependent.add(n.id);
  }
  ctx.symmetric = opts.symmetric ?? true;
  // every input gets its buffer, used or not, so the input list is stable
  for (const i of ir.inputs) ctx.pb.at(i, () => RULES.input(ctx, i));
  for (const n of nodes) if (!ctx.state.has(n.id)) ctx.pb.at(n, () => (RULES[n.op] as ForwardRule)(ctx, n)); // the entry for n.op takes n
  const handedOut = new Map<number, Map<string, number>>();
  return {
    pb: ctx.pb,
    value: (n) => ctx.get(n).value,
    locals: ctx.locals,
    wrtNodes,
    blocks: (n) => {
      let m = handedOut.get(n.id); // once per node, however many outputs name it
      if (!m) handedOut.set(n.id, (m = ctx.pb.at(n, () => new Map([...ctx.get(n).blocks.values()].map((b) => [keyName(b.key, opts.wrt), ctx.symmetric ? ctx.perSample(n, b) : packDense(ctx, n, b)])))));
      return m;
    },
  };
}

/** The output list and the finished plan, given each output's packed blocks by key name. */
export function finishPlan(ir: ModelIR, f: ForwardResult, mode: Plan["mode"], order: number, blocksOf: (o: ModelIR["outputs"][number]) => ReadonlyMap<string, number>): Plan {
  const outputs = ir.outputs.map((o) => {
    const v = f.value(o.node);
    let value: number;
    if ("c" in v) {
      value = f.pb.at(o.node, () => f.pb.buffer({ batched: false, size: 1, role: "value", label: o.name }));
      f.pb.step({ kind: "contract", out: value, outIdx: [], sizes: {}, terms: [{ coef: v.c, factors: [] }] });
    } else value = v.buf;
    return { name: o.name, value, shape: o.node.shape, blocks: blocksOf(o), ...(ir.seeds ? { seeded: true } : {}) };
  });
  return {
    model: ir.name,
    mode,
    order,
    wrt: f.wrtNodes.map((w) => ({ name: w.attrs.name, shape: w.shape.filter((d) => d !== BATCH), batched: isBatched(w.shape) })),
    inputs: ir.inputs.map((i) => ({ name: i.attrs.name, shape: i.shape, isParam: !!i.attrs.isParam })),
    buffers: f.pb.buffers,
    tables: f.pb.tables,
    steps: f.pb.steps,
    outputs,
  };
}

export function planForward(ir: ModelIR, nodes: readonly Node[], opts: ForwardOptions): Plan {
  const f = runForward(ir, nodes, opts);
  return finishPlan(ir, f, "forward", opts.order, (o) => {
    const blocks = f.blocks(o.node);
    const seed = ir.seeds?.get(o.name);
    if (!seed) return blocks;
    // contract every block with the seed over the output's axes: out[b?, p] = s[y] D[b?, y, p]
    const sv = f.value(seed);
    if ("c" in sv) throw new Error("internal: a seed is an input");
    const batched = isBatched(o.node.shape);
    const lead = batched ? ["b"] : [];
    const out = new Map<string, number>();
    for (const [key, buf] of blocks) {
      const P = f.pb.buffers[buf]!.size / innerSize(o.node.shape);
      const id = f.pb.at(o.node, () => f.pb.buffer({ batched, size: P, role: "deriv", label: `${o.name} seeded d[${key}]` }));
      f.pb.step({ kind: "contract", out: id, outIdx: [...lead, "p"], sizes: { ...(batched ? { b: "B" } : {}), y: innerSize(o.node.shape), p: P }, terms: [{ coef: 1, factors: [{ buf: sv.buf, idx: ["y"] }, { buf, idx: [...lead, "y", "p"] }] }] });
      out.set(key, id);
    }
    return out;
  });
}
