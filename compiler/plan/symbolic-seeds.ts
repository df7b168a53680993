/**
 * Symbolic seeds (both modes): no multiplication by an identity. A seed step
 * I[b?, r, c] = delta(r, c) (reverse mode's G[y] = dy/dy, a forward block
 * d b / d b of a wrt param read by an add), and any alias or plain copy of
 * one, is an identity; a term reading it at (r, c) sums the delta away:
 *
 *   c summed (absent from the term's output):  c := r in the other factors
 *   r summed:                                   r := c
 *   both written:                               the term writes the diagonal (r, r)
 *
 * and the factor goes. E.g. reverse mode's first step G[h2][b,y,k] =
 * I[b,y,n] W3[k,n] becomes W3[k,y]. Then a copy that only broadcasts
 * batch-free data over the batch (G[h2] above, read by G[z2] = G[h2] g) is
 * read at its source by its readers (W3[k,y] g[b,k]): no per-sample copy.
 * Identities and copies no longer read are dropped.
 */
import { reads } from "./liveness.js";
import { isGroupRef, isTableRef, plainNames, refNames, type ContractStep, type Factor, type IndexRef, type Plan, type Step, type Term } from "./plan.js";

export function symbolicSeeds(plan: Plan): Plan {
  const identity = new Set<number>();
  const defined = new Set<number>(); // identities defined by a step this pass may drop
  const outputs = new Set(plan.outputs.flatMap((o) => [o.value, ...o.blocks.values()]));
  let steps: Step[] = plan.steps.map((s) => {
    if (s.kind === "seed") { identity.add(s.out); defined.add(s.out); return s; }
    if (s.kind === "alias" && identity.has(s.input)) { identity.add(s.out); defined.add(s.out); return s; }
    if (s.kind !== "contract") return s;
    if (identityCopy(plan, s, identity)) { identity.add(s.out); defined.add(s.out); return s; }
    return { ...s, terms: s.terms.map((t) => dropIdentities(plan, s, t, identity)) };
  });
  steps = forwardCopies(plan, steps, outputs);
  return { ...plan, steps: withoutUnread(steps, defined, outputs) };
}

/**
 * The steps without those defining a buffer of `defined` that no kept step
 * reads (identities and their copies nobody reads any more), found by counting
 * readers: a dropped step releases its own reads. Linear in the plan, as a
 * long plan (a 6000-term sum) has thousands of steps.
 */
function withoutUnread(steps: readonly Step[], defined: ReadonlySet<number>, outputs: ReadonlySet<number>): Step[] {
  const readers = new Map<number, number>();
  for (const s of steps) for (const r of reads(s)) readers.set(r, (readers.get(r) ?? 0) + 1);
  const producer = new Map<number, number>();
  steps.forEach((s, i) => { if (s.kind !== "map") producer.set(s.out, i); });
  const dropped = new Set<number>();
  const droppable = (i: number) => { const s = steps[i]!; return s.kind !== "map" && defined.has(s.out) && !outputs.has(s.out) && !readers.get(s.out) && !dropped.has(i); };
  const work = steps.map((_, i) => i).filter(droppable);
  while (work.length) {
    const i = work.pop()!;
    if (!droppable(i)) continue;
    dropped.add(i);
    for (const r of reads(steps[i]!)) {
      readers.set(r, readers.get(r)! - 1);
      const p = producer.get(r);
      if (p !== undefined && droppable(p)) work.push(p);
    }
  }
  return steps.filter((_, i) => !dropped.has(i));
}

/**
 * The (r, c) names of a factor reading an identity: plain and distinct, after the batch ref of a
 * batched one; "one" for a 1 x 1 identity (a scalar output's G[y] = 1), read at any names.
 */
function deltaNames(plan: Plan, f: Factor, identity: ReadonlySet<number>): [string, string] | "one" | undefined {
  if (!identity.has(f.buf)) return undefined;
  const names = plainNames(f.idx);
  if (!names) return undefined;
  if (plan.buffers[f.buf]!.size === 1) return "one";
  const rc = plan.buffers[f.buf]!.batched ? names.slice(1) : names;
  return rc.length === 2 && rc[0] !== rc[1] ? [rc[0]!, rc[1]!] : undefined;
}

/** A one-term, one-factor step writing an identity at the same two names (either order): an identity. */
function identityCopy(plan: Plan, s: ContractStep, identity: ReadonlySet<number>): boolean {
  if (s.terms.length !== 1 || s.terms[0]!.coef !== 1 || s.terms[0]!.factors.length !== 1) return false;
  const t = s.terms[0]!, rc = deltaNames(plan, t.factors[0]!, identity);
  const out = plainNames(t.out ?? s.outIdx);
  if (!rc || !out) return false;
  if (rc === "one") return plan.buffers[s.out]!.size === 1;
  const outRc = plan.buffers[s.out]!.batched ? out.slice(1) : out;
  return outRc.length === 2 && outRc.includes(rc[0]) && outRc.includes(rc[1]);
}

function rename(r: IndexRef, from: string, to: string): IndexRef {
  if (r === null) return r;
  if (typeof r === "string") return r === from ? to : r;
  if (isGroupRef(r)) return { ...r, of: r.of.map((x) => rename(x, from, to)) };
  if (isTableRef(r)) return { ...r, row: r.row === from ? to : r.row, member: r.member === from ? to : r.member };
  return r;
}

/** The term without its identity factors, each delta summed away (or written as a diagonal). */
function dropIdentities(plan: Plan, s: ContractStep, t: Term, identity: ReadonlySet<number>): Term {
  let cur = t;
  for (;;) {
    const outView = cur.out ?? s.outIdx;
    const written = (n: string) => outView.some((x) => refNames(x, s.sizes).includes(n));
    // a batched identity's batch index must still be looped over without it (written, or read by another factor)
    const i = cur.factors.findIndex((f, j) => deltaNames(plan, f, identity) && (!plan.buffers[f.buf]!.batched || written(f.idx[0] as string) || cur.factors.some((g, k) => k !== j && g.idx.some((x) => refNames(x, s.sizes).includes(f.idx[0] as string)))));
    if (i < 0) return cur;
    const delta = deltaNames(plan, cur.factors[i]!, identity)!;
    const rest = cur.factors.filter((_, j) => j !== i);
    // a 1 x 1 identity is 1: its other names have extent 1 (a loop of one pass either way)
    if (delta === "one") { cur = { ...cur, factors: rest }; continue; }
    const [r, c] = delta;
    const sub = (from: string, to: string): Term => ({ ...cur, factors: rest.map((f) => ({ buf: f.buf, idx: f.idx.map((x) => rename(x, from, to)) })) });
    if (!written(c)) cur = sub(c, r);
    else if (!written(r)) cur = sub(r, c);
    else cur = { ...sub(c, r), out: outView.map((x) => rename(x, c, r)) }; // both written: the diagonal c = r
  }
}

/**
 * A step that only copies (one term, one factor times a coefficient, nothing
 * summed) and either broadcasts batch-free data over the batch or writes a
 * diagonal (a repeated output name: delta(i, p) g[b, i], what a dropped
 * identity leaves) is read at its source by its readers, when each reading
 * term can: a reader's names at a repeated position are one index (the one
 * it writes, the others renamed to it); the copy goes.
 */
/** A copy read through: its output view, its factor (none: a scaled identity), its coefficient. */
interface Copy { readonly view: readonly string[]; readonly f?: Factor; readonly coef: number }

function forwardCopies(plan: Plan, steps: Step[], outputs: ReadonlySet<number>): Step[] {
  const out: Step[] = [];
  const copies = new Map<number, Copy>();
  // the steps reading each buffer: a copy's readers are checked, not every step (long plans)
  const readersOf = new Map<number, Step[]>();
  for (const r of steps) for (const b of new Set(reads(r))) { const l = readersOf.get(b); if (l) l.push(r); else readersOf.set(b, [r]); }
  for (const s of steps) {
    if (s.kind !== "contract") { out.push(s); continue; }
    const reading = s.terms.some((t) => t.factors.some((f) => copies.has(f.buf)));
    const step: ContractStep = reading ? { ...s, terms: s.terms.map((t) => readThrough(s, t, copies)!) } : s;
    const view = copyView(plan, step);
    const copy: Copy = { view: view ?? [], ...(step.terms[0]!.factors.length ? { f: step.terms[0]!.factors[0]! } : {}), coef: step.terms[0]!.coef };
    const alone = new Map([[s.out, copy]]);
    // every reader can read through it, and no reading term reads another forwarded copy (one rewrite per term, checked here)
    const readable = (r: Step): boolean => r === s || (r.kind !== "contract" ? !reads(r).includes(s.out) : r.terms.every((t) => !t.factors.some((f) => f.buf === s.out) || (!t.factors.some((f) => copies.has(f.buf)) && readThrough(r, t, alone) !== undefined)));
    if (view && !outputs.has(step.out) && (readersOf.get(s.out) ?? []).every(readable)) {
      copies.set(step.out, copy);
      continue;
    }
    out.push(step);
  }
  return out;
}

/** The output view (one name per layout axis) of a broadcast or diagonal copy step. */
function copyView(plan: Plan, s: ContractStep): string[] | undefined {
  if (s.terms.length !== 1) return undefined;
  const t = s.terms[0]!;
  const view = plainNames(t.out ?? s.outIdx);
  if (!view) return undefined;
  const diagonal = new Set(view).size < view.length;
  // no factor: c times a diagonal of ones over every axis (each name repeated)
  if (t.factors.length === 0) return view.every((n) => view.indexOf(n) !== view.lastIndexOf(n)) ? view : undefined;
  if (t.factors.length !== 1) return undefined;
  const names = plainNames(t.factors[0]!.idx);
  if (!names || new Set(names).size !== names.length || !names.every((n) => view.includes(n)) || !view.every((n) => names.includes(n) || s.sizes[n] === "B" || s.sizes[n] === 1)) return undefined;
  const broadcasts = plan.buffers[s.out]!.batched && !plan.buffers[t.factors[0]!.buf]!.batched;
  return broadcasts || diagonal ? view : undefined;
}

/** The term reading each copy's source instead; undefined when a repeated position joins two written names. */
function readThrough(s: ContractStep, t: Term, copies: ReadonlyMap<number, Copy>): Term | undefined {
  let cur = t;
  for (;;) {
    const i = cur.factors.findIndex((f) => copies.has(f.buf));
    if (i < 0) return cur;
    const { view, f: src, coef } = copies.get(cur.factors[i]!.buf)!;
    const names = plainNames(cur.factors[i]!.idx);
    if (!names || names.length !== view.length) return undefined; // a flat read of the copy's axes keeps it
    const outView = cur.out ?? s.outIdx;
    const written = new Set(outView.flatMap((x) => refNames(x, s.sizes)));
    const at = new Map<string, string>();
    const renames: [string, string][] = [];
    let diagonal = false;
    for (const v of new Set(view)) {
      const mine = [...new Set(view.flatMap((w, j) => (w === v ? [names[j]!] : [])))];
      const kept = mine.filter((n) => written.has(n));
      diagonal ||= kept.length > 1; // the reader writes the diagonal too
      const rep = kept[0] ?? mine[0]!;
      at.set(v, rep);
      for (const n of mine) if (n !== rep) renames.push([n, rep]);
    }
    const ren = (idx: readonly IndexRef[]) => renames.reduce((acc, [a, b]) => acc.map((x) => rename(x, a, b)), idx);
    const factors = cur.factors.flatMap((f, j) => (j !== i ? [f] : src ? [{ buf: src.buf, idx: src.idx.map((x) => at.get(x as string)!) }] : []));
    const next: Term = { ...cur, coef: cur.coef * coef, factors: factors.map((f) => ({ buf: f.buf, idx: ren(f.idx) })), ...(diagonal ? { out: ren(outView) } : {}) };
    // every index the copy bound (a broadcast's batch, a constant diagonal's axes) is still looped over
    const bound = new Set([...(next.out ?? s.outIdx), ...next.factors.flatMap((f) => f.idx)].flatMap((x) => refNames(x, s.sizes)));
    if ([...at.values()].some((n) => !bound.has(n))) return undefined;
    cur = next;
  }
}
