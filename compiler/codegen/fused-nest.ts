/**
 * One loop nest for a whole contraction step whose terms are elementwise in
 * the output: every index a factor uses is an output index or a member index
 * (Leibniz and Faa di Bruno steps, adds, scalings). The nest visits each
 * output element once and assigns the sum of all terms (no zero fill, no
 * re-reading the output per term); member sums are unrolled. When a factor
 * is read through a table, the table's row index (the packed axis) loops just
 * inside the batch loop, so the table entries are read once per row and the
 * inner loops only add constant offsets.
 */
import { isTableRef, type ContractStep, type Plan } from "../plan/plan.js";
import { access, tableMembers, type Access, type ReadEnd } from "./loops.js";
import { scheduleFused } from "./schedule.js";

export function emitFused(step: ContractStep, plan: Plan, bufName: (id: number) => string, indent: string, nn: ReadEnd): string[] {
  const out = access(bufName(step.out), step.outIdx, step.sizes, plan, nn);
  const facs = step.terms.map((t) => t.factors.map((f) => ({ f, a: access(bufName(f.buf), f.idx, step.sizes, plan, nn) })));
  const all: Access[] = [out, ...facs.flat().map((x) => x.a)];
  // batch first, then table rows, then by falling total stride (the innermost has the smallest)
  const { order } = scheduleFused(step, all, facs.flat().map((x) => x.a));
  const level = new Map(order.map((i, l) => [i, l] as const));

  // declarations per loop level (-1: before every loop), deduplicated by expression
  const decls: string[][] = order.map(() => []);
  const before: string[] = [];
  const named = new Map<string, string>();
  const at = (lvl: number): string[] => (lvl < 0 ? before : decls[lvl]!);
  const bind = (lvl: number, prefix: string, expr: string, same = expr): string => {
    const key = `${lvl}|${same}`;
    let v = named.get(key);
    if (!v) { v = `${prefix}_${named.size}`; named.set(key, v); at(lvl).push(`const ${v} = ${expr};`); }
    return v;
  };
  // running offset of an access after the loops up to lvl
  const offsets = all.map((a) => {
    const offs: string[] = [];
    let cur = "0";
    order.forEach((i, l) => {
      const st = a.strides.get(i);
      if (st) cur = cur === "0" && st === 1 ? i : bind(l, "o", `${cur === "0" ? "" : `${cur} + `}${st === 1 ? i : `${i} * ${st}`}`);
      offs.push(cur);
    });
    return offs;
  });
  const depthOf = (a: Access): number => {
    let d = -1;
    for (const i of a.strides.keys()) d = Math.max(d, level.get(i)!);
    for (const t of a.tables) d = Math.max(d, level.get(t.row)!);
    return d;
  };
  // one factor's value for a member value m (undefined: the term has no member)
  const readFactor = (a: Access, k: number, m: number | undefined): string => {
    const d = depthOf(a);
    const parts = d < 0 || offsets[k]![d] === "0" ? [] : [offsets[k]![d]!];
    for (const t of a.tables) {
      const M = tableMembers(plan.tables[t.table]!);
      const member = t.member in step.sizes ? m! : Number(t.member);
      // member j of a sub-index table equals the one-mask table of masks[j]: entries read once, whichever table names them
      const decl = plan.tables[t.table]!;
      const same = decl.kind === "sub" ? `sub ${decl.ns} ${decl.ms} ${decl.masks[member]} ${t.row}` : undefined;
      const entry = bind(level.get(t.row)!, "r", `T${t.table}[${M === 1 ? t.row : `${t.row} * ${M}${member ? ` + ${member}` : ""}`}]${nn}`, same);
      parts.push(t.stride === 1 ? entry : `${t.stride} * ${entry}`);
    }
    return bind(d, "v", `${a.name}[${parts.length ? parts.join(" + ") : "0"}]${nn}`);
  };
  let k = 1;
  const sums = step.terms.map((t, ti) => {
    const ks = facs[ti]!.map(() => k++);
    const members = new Set(t.factors.flatMap((f) => f.idx.filter(isTableRef).map((r) => r.member).filter((m) => m in step.sizes)));
    if (members.size > 1) throw new Error("internal: a term with two member indices");
    const M = members.size ? (step.sizes[[...members][0]!] as number) : 0;
    const plain: string[] = [], per: string[][] = [];
    facs[ti]!.forEach(({ f, a }, j) => {
      if (f.idx.some((r) => isTableRef(r) && r.member in step.sizes)) per.push([...Array(M).keys()].map((m) => readFactor(a, ks[j]!, m)));
      else plain.push(readFactor(a, ks[j]!, undefined));
    });
    if (per.length) {
      const s = [...Array(M).keys()].map((m) => per.map((p) => p[m]!).join(" * ")).join(" + ");
      plain.push(M > 1 ? `(${s})` : s);
    }
    const c = t.coef;
    if (!plain.length) return String(c);
    return c === 1 ? plain.join(" * ") : c === -1 ? `-${plain.join(" * ")}` : `${c} * ${plain.join(" * ")}`;
  });
  const lines: string[] = [];
  let ind = indent;
  for (const l of before) lines.push(`${ind}${l}`);
  order.forEach((i, l) => {
    const ext = step.sizes[i]!;
    lines.push(`${ind}for (let ${i} = 0; ${i} < ${ext}; ${i}++) {`);
    ind += "  ";
    for (const d of decls[l]!) lines.push(`${ind}${d}`);
  });
  const o = offsets[0]!.length ? offsets[0]![order.length - 1]! : "0";
  lines.push(`${ind}${out.name}[${o}] = ${sums.length ? sums.join(" + ").replace(/\+ -/g, "- ") : "0"};`);
  for (let l = order.length - 1; l >= 0; l--) { ind = ind.slice(2); lines.push(`${ind}}`); }
  return before.length ? [`${indent}{`, ...lines.map((l) => `  ${l}`), `${indent}}`] : lines;
}
