/**
 * Pairwise products of first-derivative entries computed once (forward plans).
 * Faa di Bruno terms multiply several entries of the same first-order block:
 * tanh''(z) dz_a dz_b, tanh'''(z) dz_a dz_b dz_c, tanh''''(z) dz_a dz_b dz_c dz_d,
 * 6 tanh'''(z) dz_a dz_b d2z_cd, ... For a block dz[.., n] the products
 * Q[.., (a <= b)] = dz_a dz_b (n (n + 1) / 2 of them per element) are formed in
 * one step right after dz, and every pair of such reads in a term becomes one
 * read of Q through the table of the pair's positions: fewer loads and
 * multiplies in the steps that dominate high orders. Only pairs in terms with
 * several members or four or more such reads are replaced (order 4 and up).
 *
 * Applies to steps emitted as one elementwise nest, to blocks of a single wrt
 * variable (one group in the key layout).
 */
import { fusable } from "../codegen/fused-nest.js";
import { stepOutputs } from "./liveness.js";
import type { Factor, IndexRef, Plan, Step, TableDecl, Term } from "./plan.js";

type TableRef = { readonly table: number; readonly row: string; readonly member: string };
const popcount = (m: number): number => { let c = 0; for (; m; m &= m - 1) c++; return c; };

export function pairProducts(plan: Plan): Plan {
  const tables: TableDecl[] = [...plan.tables];
  const buffers = [...plan.buffers];
  const tableIds = new Map<string, number>(tables.map((t) => [`${t.kind}|${t.ns}|${t.ms}|${t.masks}`, t.id]));
  const table = (ns: readonly number[], ms: readonly number[], masks: readonly number[], rows: number): number => {
    const key = `sub|${ns}|${ms}|${masks}`;
    let id = tableIds.get(key);
    if (id === undefined) { id = tables.length; tables.push({ id, kind: "sub", ns: [...ns], ms: [...ms], masks: [...masks], rows }); tableIds.set(key, id); }
    return id;
  };
  // Q buffer and its step per first-order block
  const pairs = new Map<number, { buf: number; step: Step }>();
  const pairBuffer = (src: number, lead: readonly string[], sizes: Readonly<Record<string, number | "B">>, n: number): number => {
    const hit = pairs.get(src);
    if (hit) return hit.buf;
    const b = buffers[src]!, Pq = (n * (n + 1)) / 2;
    const id = buffers.length;
    buffers.push({ id, name: `t${id}`, batched: b.batched, size: (b.size / n) * Pq, role: "local", label: `pairwise products of ${b.label}` });
    const names = lead.map((_, j) => `a${j}`);
    const qs: Record<string, number | "B"> = { q: Pq };
    lead.forEach((x, j) => { qs[names[j]!] = sizes[x]!; });
    const at = (mask: number): IndexRef => ({ table: table([n], [2], [mask], Pq), row: "q", member: "0" });
    const step: Step = { kind: "contract", out: id, outIdx: [...names, "q"], sizes: qs, terms: [{ coef: 1, factors: [{ buf: src, idx: [...names, at(1)] }, { buf: src, idx: [...names, at(2)] }] }] };
    pairs.set(src, { buf: id, step });
    return id;
  };
  // a factor reading one entry of a first-order block of one variable through a table
  const firstOrder = (f: Factor): { lead: string[]; ref: TableRef; t: TableDecl } | undefined => {
    const ref = f.idx[f.idx.length - 1];
    const lead = f.idx.slice(0, -1);
    if (!ref || typeof ref !== "object" || !lead.every((r) => typeof r === "string")) return undefined;
    const t = tables[ref.table]!;
    if (t.kind !== "sub" || t.ns.length !== 1 || !t.masks.every((m) => popcount(m) === 1)) return undefined;
    if (buffers[f.buf]!.size % t.ns[0]! !== 0) return undefined;
    return { lead: lead as string[], ref, t };
  };
  const steps = plan.steps.map((s): Step => {
    if (s.kind !== "contract" || !fusable(s)) return s;
    const terms = s.terms.map((t): Term => {
      const groups = new Map<string, Factor[]>();
      for (const f of t.factors) {
        const fo = firstOrder(f);
        if (!fo) continue;
        const key = `${f.buf}|${fo.lead.join()}|${fo.ref.row}|${fo.ref.member}|${fo.t.masks.length}`;
        groups.set(key, [...(groups.get(key) ?? []), f]);
      }
      const replaced = new Map<Factor, Factor | null>();
      for (const fs of groups.values()) {
        // measured: one pair in a single-member term saves less than forming Q costs
        if (fs.length < 4 && firstOrder(fs[0]!)!.t.masks.length < 2) continue;
        for (let j = 0; j + 1 < fs.length; j += 2) {
          const a = firstOrder(fs[j]!)!, b = firstOrder(fs[j + 1]!)!;
          const n = a.t.ns[0]!;
          const masks = a.t.masks.map((m, k) => m | b.t.masks[k]!);
          const k = a.t.ms[0]!;
          const q = pairBuffer(fs[j]!.buf, a.lead, s.sizes, n);
          // a single-member pair covering both positions of the key is the whole tuple: read at the row itself
          const ref: IndexRef = k === 2 && a.t.masks.length === 1 ? a.ref.row : { table: table(a.t.ns, a.t.ms, masks, a.t.rows), row: a.ref.row, member: a.ref.member };
          replaced.set(fs[j]!, { buf: q, idx: [...a.lead, ref] });
          replaced.set(fs[j + 1]!, null);
        }
      }
      if (!replaced.size) return t;
      return { ...t, factors: t.factors.flatMap((f) => { const r = replaced.get(f); return r === undefined ? [f] : r ? [r] : []; }) };
    });
    return { ...s, terms };
  });
  if (!pairs.size) return plan;
  // each Q step right after the step defining its block
  const after = new Map<number, Step[]>();
  for (const [src, { step }] of pairs) after.set(src, [step]);
  const out: Step[] = [];
  for (const s of steps) {
    out.push(s);
    for (const o of stepOutputs(s)) out.push(...(after.get(o) ?? []));
  }
  return { ...plan, tables, buffers, steps: out };
}
