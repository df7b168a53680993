/**
 * Loop nests for plan steps, specialised to static shapes: the batch size B is
 * the only run-time bound. Code grows with the number of steps and terms,
 * never with tensor sizes.
 */
import { multisetCount, packedSize } from "../../runtime/packed.js";
import { isGroupRef, refNames, type ContractStep, type GroupRef, type IndexRef, type Plan, type TableDecl, type TableRef, type Term } from "../plan/plan.js";
import { UNARY } from "../derive/elementwise.js";
import { emitFused } from "./fused-nest.js";
import { fusable } from "../plan/fusable.js";
import { scheduleTerm } from "./schedule.js";
import { TS_PARAMS } from "./ts-cost.js";
import type { AmaxStep, CompareStep, MapStep, SeedStep } from "../plan/plan.js";
import { constDecl, elem, forUp, lines, v, type Expr, type Stmt } from "./nest.js";
import { printStmts, type ReadEnd } from "./print-ts.js";


/** Size of the sub-block a table indexes into. */
export function tableSubSize(t: TableDecl): number {
  if (t.gather) return t.gather.extent;
  if (t.kind === "rank" || t.kind === "sorted") return multisetCount(t.ns[0]!, t.ms[0]!);
  if (t.kind === "dense") return t.ns.reduce((p, n, g) => p * n ** t.ms[g]!, 1);
  if (t.diagonal) return packedSize(t.ns.map((n, g) => (t.diagonal!.batched[g] ? n * t.diagonal!.samples : n)), t.ms);
  const groupOf = t.ms.flatMap((m, g) => Array<number>(m).fill(g));
  const sub = t.ms.map((_, g) => groupOf.filter((gg, i) => gg === g && (t.masks[0]! >> i) & 1).length);
  return packedSize(t.ns, sub);
}

export const tableMembers = (t: TableDecl): number => (t.kind === "sub" ? t.masks.length : t.diagonal ? t.diagonal.samples : 1);

/** A packed group read or written at its coordinates (a rank or sorted-only table turns them into the packed index). */
export interface GroupAccess {
  readonly table: number;
  readonly stride: number;
  readonly names: readonly string[];
  readonly sorted: boolean;
  /** Each coordinate's stride in the dense group offset, and packed over dense entries (for loop order). */
  readonly coef: ReadonlyMap<string, number>;
  readonly packedRatio: number;
  readonly ref: GroupRef;
  /** Each position's coordinate in [0, n) (its refs row-major; sub: an expression in place of a loop index, an unrolled copy) and the names it reads. */
  readonly positions: readonly { readonly expr: (sub?: (name: string) => string) => string; readonly names: readonly string[] }[];
}

export interface Access { readonly name: string; readonly strides: Map<string, number>; readonly tables: (TableRef & { stride: number })[]; readonly groups: GroupAccess[] }

function extentOf(ref: IndexRef, sizes: ContractStep["sizes"], plan: Plan): number | "B" {
  if (ref === null) return 1;
  if (typeof ref === "string") return sizes[ref]!;
  return tableSubSize(plan.tables[ref.table]!);
}

/**
 * How an element read ends: "" in JavaScript, "!" in TypeScript, whose
 * noUncheckedIndexedAccess types every typed-array read as number | undefined
 * (the kernels' offsets are in range by construction).
 */
export type { ReadEnd } from "./print-ts.js";

/** A table read: T[row] or T[row * M + member]. */
function tableRead(t: TableRef, plan: Plan, nn: ReadEnd): string {
  const M = tableMembers(plan.tables[t.table]!);
  return `T${t.table}[${M === 1 ? t.row : `${t.row} * ${M} + ${t.member}`}]${nn}`;
}

/** Refs laid out row-major: each loop index's stride, and the table reads (with their strides) as terms. */
function rowMajor(refs: readonly IndexRef[], sizes: ContractStep["sizes"], plan: Plan, nn: ReadEnd): { coef: Map<string, number>; parts: string[] } {
  const coef = new Map<string, number>();
  const parts: string[] = [];
  let st = 1;
  for (let a = refs.length - 1; a >= 0; a--) {
    const r = refs[a]!;
    if (typeof r === "string") coef.set(r, (coef.get(r) ?? 0) + st);
    else if (r !== null) {
      if (isGroupRef(r)) throw new Error("internal: a packed group inside a packed group");
      parts.push(`${st === 1 ? "" : `${st} * `}${tableRead(r, plan, nn)}`);
    }
    const e = extentOf(r, sizes, plan);
    if (e === "B") throw new Error("internal: batch axis inside a packed group");
    st *= e;
  }
  return { coef, parts };
}

/** A packed group's access: its coordinates by position, and each loop index's stride in the dense group offset. */
function groupAccess(g: GroupRef, stride: number, sizes: ContractStep["sizes"], plan: Plan, nn: ReadEnd): GroupAccess {
  const t = plan.tables[g.table]!;
  return { table: g.table, stride, names: [...new Set(refNames(g, sizes))], sorted: t.kind === "sorted", coef: rowMajor(g.of, sizes, plan, nn).coef, packedRatio: tableSubSize(t) / t.rows, ref: g, positions: groupPositions(g, t, sizes, plan, nn) };
}

/** sum of c * name over coef plus the constant parts, with sub in place of a name. */
const linear = (coef: ReadonlyMap<string, number>, parts: readonly string[]) => (sub: (name: string) => string = (n) => n): string =>
  [...[...coef].map(([n, c]) => (c === 1 ? sub(n) : `${sub(n)} * ${c}`)), ...parts].join(" + ") || "0";

/**
 * A group's refs cut into its m positions: consecutive refs whose extents
 * multiply to n, each position's coordinate row-major over them.
 */
function groupPositions(g: GroupRef, t: TableDecl, sizes: ContractStep["sizes"], plan: Plan, nn: ReadEnd): GroupAccess["positions"] {
  const n = t.ns[0]!, m = t.ms[0]!;
  if (n === 1) return Array.from({ length: m }, () => ({ expr: () => "0", names: [] }));
  const chunks: IndexRef[][] = [];
  let cur: IndexRef[] = [], ext = 1;
  for (const r of g.of) {
    cur.push(r);
    ext *= extentOf(r, sizes, plan) as number; // rowMajor rejects a batch axis
    if (ext === n) { chunks.push(cur); cur = []; ext = 1; }
    else if (ext > n) throw new Error(`internal: a ref of group T${g.table} straddles two positions`);
  }
  if (cur.length && ext === 1 && chunks.length) chunks[chunks.length - 1]!.push(...cur); // trailing size-1 refs
  else if (cur.length) throw new Error(`internal: group T${g.table} does not cut into positions of ${n}`);
  if (chunks.length !== m) throw new Error(`internal: group T${g.table} has ${chunks.length} positions, not ${m}`);
  return chunks.map((c) => {
    const { coef, parts } = rowMajor(c, sizes, plan, nn);
    return { expr: linear(coef, parts), names: [...new Set(c.flatMap((r) => refNames(r, sizes)))] };
  });
}

/**
 * The packed index of a group read at any order of its positions: the helper
 * $rank<m> (rankHelper) sorts the coordinates and adds their rank terms.
 */
function rankRead(g: GroupAccess, plan: Plan, nn: ReadEnd, sub?: (name: string) => string): string {
  const t = plan.tables[g.table]!;
  const cs = g.positions.map((p) => p.expr(sub));
  // equal coordinates (n = 1: all 0) are sorted already; a sum is parenthesised: the caller scales it by a stride
  const paren = (e: string) => (/^\w+$/.test(e) ? e : `(${e})`);
  return cs.every((c) => c === cs[0]) ? paren(termSum(g.table, t.ns[0]!, cs, nn)) : `$rank${cs.length}(T${g.table}, ${t.ns[0]}, ${cs.join(", ")})`;
}

/** The packed index of sorted coordinates: one rank term per position (runtime rankTerms). */
const termSum = (table: number, n: number, cs: readonly string[], nn: ReadEnd): string =>
  cs.length === 1 ? cs[0]! : cs.map((c, i) => `T${table}[${i === 0 ? "" : `${i * n} + `}${c}]${nn}`).join(" + ");

/**
 * $rank<m>(F, n, c0, ..., c(m-1)): sorts m coordinates with a compare-exchange
 * network and returns sum_i F[i * n + c_i] (runtime rankTerms).
 */
export function rankHelper(m: number, ts: boolean): string[] {
  const num = ts ? ": number" : "";
  const cs = [...Array(m).keys()].map((i) => `c${i}`);
  const L = [`  function $rank${m}(F${ts ? ": Int32Array" : ""}, n${num}, ${cs.map((c) => `${c}${num}`).join(", ")})${num} {`];
  if (m > 1) L.push(`    let t${num};`);
  for (let i = 0; i < m - 1; i++) for (let j = 0; j < m - 1 - i; j++) L.push(`    if (c${j} > c${j + 1}) { t = c${j}; c${j} = c${j + 1}; c${j + 1} = t; }`);
  L.push(`    return ${cs.map((c, i) => `F[${i === 0 ? "" : i === 1 ? "n + " : `${i} * n + `}${c}]${ts ? "!" : ""}`).join(" + ")};`, "  }");
  return L;
}

/** The group sizes m of every rank read in a plan's contraction steps (each needs its $rank<m>). */
export function rankArities(plan: Plan): number[] {
  const ms = new Set<number>();
  const visit = (r: IndexRef): void => {
    if (r !== null && typeof r === "object" && isGroupRef(r)) {
      const t = plan.tables[r.table]!;
      if (t.kind === "rank" && t.ms[0]! > 1) ms.add(t.ms[0]!);
      r.of.forEach(visit);
    }
  };
  for (const st of plan.steps) if (st.kind === "contract") for (const term of st.terms) { (term.out ?? st.outIdx).forEach(visit); for (const f of term.factors) f.idx.forEach(visit); }
  return [...ms].sort((a, b) => a - b);
}

/** Strides of a buffer accessed through index refs (row-major; "B" only as axis 0). */
export function access(name: string, idx: readonly IndexRef[], sizes: ContractStep["sizes"], plan: Plan, nn: ReadEnd): Access {
  const strides = new Map<string, number>();
  const tables: Access["tables"] = [];
  const groups: GroupAccess[] = [];
  let stride = 1;
  for (let a = idx.length - 1; a >= 0; a--) {
    const ref = idx[a]!;
    if (typeof ref === "string") strides.set(ref, (strides.get(ref) ?? 0) + stride);
    else if (ref !== null && isGroupRef(ref)) groups.push(groupAccess(ref, stride, sizes, plan, nn));
    else if (ref !== null) tables.push({ ...ref, stride });
    const e = extentOf(ref, sizes, plan);
    if (e === "B") { if (a !== 0) throw new Error("internal: batch axis not at axis 0"); }
    else stride *= e;
  }
  return { name, strides, tables, groups };
}

const num = (c: number): string => String(c);

/** A contraction step's loops; `unroll`: the target's register-blocking parameter (schedule.ts). */
export function emitContract(step: ContractStep, plan: Plan, bufName: (id: number) => string, indent: string, nn: ReadEnd = "", unroll = TS_PARAMS.unroll): string[] {
  if (fusable(step)) return emitFused(step, plan, bufName, indent, nn);
  const lines: string[] = [];
  for (const term of step.terms) lines.push(...emitTerm(step, term, plan, bufName, indent, nn, unroll));
  return lines;
}

function emitTerm(step: ContractStep, term: Term, plan: Plan, bufName: (id: number) => string, indent: string, nn: ReadEnd, unroll: number): string[] {
  const outView = term.out ?? step.outIdx;
  const out = access(bufName(step.out), outView, step.sizes, plan, nn);
  const facs = term.factors.map((f) => access(bufName(f.buf), f.idx, step.sizes, plan, nn));
  const all = [out, ...facs];
  const sch = scheduleTerm(step, term, plan, out, facs, unroll);
  const { order, unrolled, blockedOut, level, guarded, outDepth, accumulate } = sch;
  const UNROLL = sch.unroll;
  const depth = (a: Access): number => (a === out ? outDepth : sch.factorDepth[facs.indexOf(a)]!);
  // sorted-only writes: an unsorted tuple skips the iteration. Each pair of
  // neighbouring positions is compared at the loop level where both are bound
  // (so a skip cuts the loops inside it), and the packed index, the sum of the
  // positions' rank terms, is formed where all are bound.
  // lines emitted right after a loop level opens (-1: before every loop)
  const declAt = new Map<number, string[]>();
  const at = (lvl: number, line: string): void => { declAt.set(lvl, [...(declAt.get(lvl) ?? []), line]); };
  const guardVar = new Map<GroupAccess, string>();
  out.groups.forEach((g, j) => {
    if (!g.sorted) return;
    const n = plan.tables[g.table]!.ns[0]!;
    const lv = g.positions.map((p) => Math.max(-1, ...p.names.map((x) => level.get(x)!)));
    const named = new Map<string, string>(); // a diagonal repeats a coordinate: one variable
    const pv = g.positions.map((p, i) => {
      const e = p.expr();
      if (lv[i]! < 0) return e;
      if (!named.has(e)) { named.set(e, `w${j}_${i}`); at(lv[i]!, `const w${j}_${i} = ${e};`); }
      return named.get(e)!;
    });
    for (let i = 0; i + 1 < pv.length; i++) {
      if (pv[i] === pv[i + 1]) continue; // the same coordinate (n = 1: both 0)
      const l = Math.max(lv[i]!, lv[i + 1]!);
      if (l < 0) throw new Error(`internal: a sorted-only write of T${g.table} at two constant positions`);
      at(l, `if (${pv[i]} > ${pv[i + 1]}) continue;`);
    }
    const sum = termSum(g.table, n, pv, nn);
    const l = Math.max(-1, ...lv);
    if (l < 0) return; // one constant position: readAt's rankRead
    at(l, `const w${j} = ${sum};`);
    guardVar.set(g, `w${j}`);
  });
  // a group read's packed index, formed once where its coordinates are bound (not per inner iteration)
  const plainLevels = sch.plainLevels;
  const rankVar = new Map<GroupAccess, string>();
  facs.forEach((f, k) => f.groups.forEach((g, j) => {
    if (g.positions.length < 2) return; // one position: the coordinate itself
    const lvl = Math.max(-1, ...g.names.map((n) => level.get(n)!));
    if (lvl >= plainLevels) return; // bound inside the register-blocked loops: read in place
    at(lvl, `const r${k}_${j} = ${rankRead(g, plan, nn)};`);
    rankVar.set(g, `r${k}_${j}`);
  }));
  const lines: string[] = [];
  let ind = indent;
  const cur = all.map(() => "0"); // running offsets: one variable per access per level that changes it
  const readAt = (a: Access, off: string, sub?: (name: string) => string): string => {
    const parts = off === "0" ? [] : [off];
    for (const t of a.tables) parts.push(`${t.stride === 1 ? "" : `${t.stride} * `}${tableRead(t, plan, nn)}`);
    for (const g of a.groups) parts.push(`${g.stride === 1 ? "" : `${g.stride} * `}${guardVar.get(g) ?? rankVar.get(g) ?? rankRead(g, plan, nn, sub)}`);
    return `${a.name}[${parts.length ? parts.join(" + ") : "0"}]${nn}`;
  };
  const read = (a: Access, k: number): string => readAt(a, cur[k]!);
  const c = term.coef;
  let partial = num(c);
  const times = (p: string, here: readonly string[]): string => (p === "1" ? here.join(" * ") : p === "-1" ? `-${here.join(" * ")}` : `${p} * ${here.join(" * ")}`);
  const product = (lvl: number, name: string): void => {
    const here = facs.map((f, k) => ({ f, k })).filter(({ f }) => depth(f) === lvl).map(({ f, k }) => read(f, k + 1));
    if (here.length === 0) return;
    lines.push(`${ind}const ${name} = ${times(partial, here)};`);
    partial = name;
  };
  const open = (i: string, lvl: number, header?: string): void => {
    const ext = step.sizes[i]!;
    lines.push(`${ind}${header ?? `for (let ${i} = 0; ${i} < ${ext === "B" ? "B" : ext}; ${i}++)`} {`);
    ind += "  ";
    all.forEach((a, k) => {
      const st = a.strides.get(i);
      if (!st) return;
      const v = `o${k}_${lvl}`;
      const base = cur[k] === "0" ? "" : `${cur[k]} + `;
      lines.push(`${ind}const ${v} = ${base}${st === 1 ? i : `${i} * ${st}`};`);
      cur[k] = v;
    });
  };
  for (const line of declAt.get(-1) ?? []) lines.push(`${ind}${line}`);
  product(-1, "pr_");
  if (accumulate && outDepth === -1) lines.push(`${ind}let acc = 0;`);
  const plain = plainLevels;
  for (let lvl = 0; lvl < plain; lvl++) {
    open(order[lvl]!, lvl);
    for (const line of declAt.get(lvl) ?? []) lines.push(`${ind}${line}`);
    product(lvl, `pr${lvl}`);
    if (accumulate && lvl === outDepth) lines.push(`${ind}let acc = 0;`);
  }
  if (!unrolled) {
    lines.push(accumulate ? `${ind}acc += ${partial};` : `${ind}${read(out, 0)} += ${partial};`);
    for (let l = order.length - 1; l >= 0; l--) {
      ind = ind.slice(2);
      lines.push(`${ind}}`);
      if (accumulate && l - 1 === outDepth) lines.push(`${ind}${read(out, 0)} += acc;`);
    }
  } else {
    const li = order.length - 1, inner = order[li]!, iExt = step.sizes[inner]!;
    const blocked = blockedOut ? [blockedOut, unrolled] : [unrolled];
    const outer = cur.slice(), outerPartial = partial;
    // one pass: Us[d] copies of blocked index d (loop headers opened by the caller)
    const block = (Us: readonly number[], ind1: string): void => {
      const ind2 = ind1 + "  ";
      const named = new Map<string, string>();
      const bind = (at: string[], prefix: string, expr: string): string => {
        let v = named.get(expr);
        if (!v) { v = `${prefix}_${named.size}`; named.set(expr, v); at.push(`const ${v} = ${expr};`); }
        return v;
      };
      const hoisted: string[] = [], body: string[] = [];
      const combos = Us.reduce<number[][]>((cs, U) => cs.flatMap((c) => [...Array(U).keys()].map((j) => [...c, j])), [[]]);
      const offset = (k: number, c: readonly number[], into: string[]): string => {
        const parts = outer[k] === "0" ? [] : [outer[k]!];
        blocked.forEach((bi, d) => {
          const st = all[k]!.strides.get(bi);
          if (st) parts.push(`${c[d] ? `(${bi} + ${c[d]})` : bi}${st === 1 ? "" : ` * ${st}`}`);
        });
        return parts.length > 1 ? bind(into, "u", parts.join(" + ")) : parts[0] ?? "0";
      };
      const innerOff = (k: number, base: string): string => {
        const st = all[k]!.strides.get(inner);
        if (!st) return base;
        return bind(body, "x", `${base === "0" ? "" : `${base} + `}${st === 1 ? inner : `${inner} * ${st}`}`);
      };
      // a packed group's coordinate that is a blocked index reads its copy's value
      const subOf = (c: readonly number[]) => (n: string): string => { const d = blocked.indexOf(n); return d >= 0 && c[d] ? `(${n} + ${c[d]})` : n; };
      const partials = combos.map((c) => {
        const here = facs.map((f, k) => ({ f, k })).filter(({ f }) => depth(f) >= plain && depth(f) < li).map(({ f, k }) => bind(hoisted, "w", readAt(f, offset(k + 1, c, hoisted), subOf(c))));
        if (!here.length) return outerPartial;
        return outerPartial === "1" && here.length === 1 ? here[0]! : bind(hoisted, "w", times(outerPartial, here));
      });
      const sums = new Map<string, string[]>();
      combos.forEach((c, ci) => {
        const here = facs.map((f, k) => ({ f, k })).filter(({ f }) => depth(f) === li).map(({ f, k }) => bind(body, "v", readAt(f, innerOff(k + 1, offset(k + 1, c, hoisted)), subOf(c))));
        const o = readAt(out, innerOff(0, offset(0, c, hoisted)), subOf(c));
        const prod = here.length ? times(partials[ci]!, here) : partials[ci]!;
        sums.set(o, [...(sums.get(o) ?? []), prod]);
      });
      lines.push(...hoisted.map((l) => `${ind1}${l}`));
      lines.push(`${ind1}for (let ${inner} = 0; ${inner} < ${iExt === "B" ? "B" : iExt}; ${inner}++) {`);
      lines.push(...body.map((l) => `${ind2}${l}`));
      for (const [o, ps] of sums) lines.push(`${ind2}${o} += ${ps.join(" + ")};`);
      lines.push(`${ind1}}`);
    };
    // the blocked loops: full passes of UNROLL copies, then the remainder one at a time
    const nest = (d: number, Us: number[], ind0: string): void => {
      if (d === blocked.length) { block(Us, ind0); return; }
      const bi = blocked[d]!, ext = step.sizes[bi] as number;
      lines.push(`${ind0}let ${bi} = 0;`);
      lines.push(`${ind0}for (; ${bi} + ${UNROLL - 1} < ${ext}; ${bi} += ${UNROLL}) {`);
      nest(d + 1, [...Us, UNROLL], ind0 + "  ");
      lines.push(`${ind0}}`);
      if (ext % UNROLL) {
        lines.push(`${ind0}for (; ${bi} < ${ext}; ${bi}++) {`);
        nest(d + 1, [...Us, 1], ind0 + "  ");
        lines.push(`${ind0}}`);
      }
    };
    nest(0, [], ind);
    for (let l = plain - 1; l >= 0; l--) {
      ind = ind.slice(2);
      lines.push(`${ind}}`);
      if (accumulate && l - 1 === outDepth) lines.push(`${ind}${read(out, 0)} += acc;`);
    }
  }
  // names declared outside every loop (pr_, acc, an unrolled index) are scoped to this term
  return lines.some((l) => l.startsWith(`${indent}const `) || l.startsWith(`${indent}let `)) ? [`${indent}{`, ...lines.map((l) => `  ${l}`), `${indent}}`] : lines;
}

/** A map step: one loop over the elements computing f^(k..k+M) by the function's rule (nest IR, printed here). */
export function emitMap(step: MapStep, count: Expr, bufName: (id: number) => string, indent: string, nn: ReadEnd = ""): string[] {
  return printStmts([mapNest(step, count, bufName)], indent, nn);
}

/** The map step's loop nest. */
export function mapNest(step: MapStep, count: Expr, bufName: (id: number) => string): Stmt {
  const rule = UNARY[step.fn];
  // f^(k..k+M) of a node with deriv k: the rule computes f^(0..k+M); the first k go to locals z0..z(k-1)
  const skip = Array.from({ length: step.deriv ?? 0 }, (_, m) => `z${m}`);
  const d = [...skip.map(v), ...step.outs.map((o) => elem(bufName(o!), v("q")))];
  return forUp("q", count, lines(
    constDecl("x", elem(bufName(step.input), v("q"))),
    ...(skip.length ? [{ k: "decl", kind: "let", vars: skip.map((name) => ({ name })) } as const] : []),
    ...rule.emit("x", d, step.exponent),
  ));
}

export function emitSeed(step: SeedStep, batched: boolean, bufName: (id: number) => string, indent: string): string[] {
  const o = bufName(step.out), n = step.n;
  return batched
    ? [`${indent}for (let b = 0; b < B; b++) for (let i = 0; i < ${n}; i++) ${o}[b * ${n * n} + i * ${n + 1}] = 1;`]
    : [`${indent}for (let i = 0; i < ${n}; i++) ${o}[i * ${n + 1}] = 1;`];
}

export function emitAmax(step: AmaxStep, bufName: (id: number) => string, indent: string, nn: ReadEnd = ""): string[] {
  // out has keepdims shape; walk the input and fold each element into its slot
  const shape = step.shape;
  const ext = (d: number) => (d === -1 ? "B" : String(d));
  const lines = [`${indent}${bufName(step.out)}.fill(-Infinity);`];
  let ind = indent;
  let inOff = "0", outOff = "0";
  shape.forEach((d, a) => {
    const inStride = shape.slice(a + 1).reduce((p, x) => p * x, 1);
    const outStride = shape.slice(a + 1).reduce((p, x, j) => p * (step.axes.includes(a + 1 + j) ? 1 : x), 1);
    lines.push(`${ind}for (let a${a} = 0; a${a} < ${ext(d)}; a${a}++) {`);
    ind += "  ";
    lines.push(`${ind}const i${a} = ${inOff} + a${a} * ${inStride};`);
    inOff = `i${a}`;
    if (!step.axes.includes(a)) { lines.push(`${ind}const j${a} = ${outOff} + a${a} * ${outStride};`); outOff = `j${a}`; }
  });
  lines.push(`${ind}const v = ${bufName(step.input)}[${inOff}]${nn};`);
  lines.push(`${ind}if (v > ${bufName(step.out)}[${outOff}]${nn}) ${bufName(step.out)}[${outOff}] = v;`);
  shape.forEach(() => { ind = ind.slice(2); lines.push(`${ind}}`); });
  return lines;
}

/**
 * Value-only masks. Elementwise: a loop nest over the output with each
 * operand's broadcast strides. Over axes: a pass over the input that keeps,
 * per output slot (the kept axes), the first extremum in row-major order
 * (strict comparison) or the extremum and its count, then a pass that writes
 * the one-hot or 1/count at the ties.
 */
export function emitCompare(step: CompareStep, bufName: (id: number) => string, indent: string, arrayType = "Float64Array", nn: ReadEnd = ""): string[] {
  const ext = (d: number) => (d === -1 ? "B" : String(d));
  const out = bufName(step.out);
  const shape = step.shape;
  const lines: string[] = [];
  let ind = indent;
  const open = (a: number, d: number) => { lines.push(`${ind}for (let a${a} = 0; a${a} < ${ext(d)}; a${a}++) {`); ind += "  "; };
  const close = (n: number) => { for (let i = 0; i < n; i++) { ind = ind.slice(2); lines.push(`${ind}}`); } };
  // row-major stride of axis a in a shape whose axis 0 may be the batch axis
  const stride = (s: readonly number[], a: number) => s.slice(a + 1).reduce((p, x) => p * x, 1);
  const axes = step.axes;
  if (step.op === "onehot") {
    // labels -> one-hot rows over the last axis (the output is zero-filled): out[i * C + label_i] = 1
    const C = shape[shape.length - 1]!, s = step.argShapes[0]!, arg = step.args[0]!;
    const inner = s.reduce((p, d) => (d === -1 ? p : p * d), 1);
    lines.push(`${ind}for (let i = 0; i < ${s[0] === -1 ? `B * ${inner}` : inner}; i++) {`);
    lines.push(`${ind}  const v = ${"c" in arg ? String(arg.c) : `${bufName(arg.buf)}[i]${nn}`};`);
    lines.push(`${ind}  if (v >= 0 && v < ${C} && Number.isInteger(v)) ${out}[i * ${C} + v] = 1;`);
    lines.push(`${ind}}`);
    return lines;
  }
  if (!axes) {
    const ops = { gt: ">", ge: ">=", lt: "<", le: "<=", eq: "===", ne: "!==" } as const;
    // the other ops reduce over axes (below); detach never becomes a step (derive/forward.ts reuses its operand)
    if (!(step.op in ops) && step.op !== "select") throw new Error(`internal: compare op '${step.op}' without axes`);
    const r = shape.length;
    const offs = step.args.map(() => "0");
    let o = "0";
    shape.forEach((d, a) => {
      open(a, d);
      const os = stride(shape, a);
      lines.push(`${ind}const o${a} = ${o === "0" ? "" : `${o} + `}a${a}${os === 1 ? "" : ` * ${os}`};`);
      o = `o${a}`;
      step.args.forEach((arg, k) => {
        if ("c" in arg) return;
        const s = step.argShapes[k]!, off = r - s.length, j = a - off;
        if (j < 0 || (s[j] === 1 && d !== 1)) return; // broadcast axis
        const st = stride(s, j);
        lines.push(`${ind}const q${k}_${a} = ${offs[k] === "0" ? "" : `${offs[k]} + `}a${a}${st === 1 ? "" : ` * ${st}`};`);
        offs[k] = `q${k}_${a}`;
      });
    });
    const val = (k: number) => { const arg = step.args[k]!; return "c" in arg ? String(arg.c) : `${bufName(arg.buf)}[${offs[k]}]${nn}`; };
    if (step.op === "select") lines.push(`${ind}${out}[${o}] = ${val(0)} !== 0 ? ${val(1)} : ${val(2)};`);
    else lines.push(`${ind}${out}[${o}] = ${val(0)} ${ops[step.op as keyof typeof ops]} ${val(1)} ? 1 : 0;`);
    close(r);
    return lines;
  }
  // over axes: the input has the output's shape; slots are the kept axes
  const arg = step.args[0]!;
  if ("c" in arg) throw new Error("internal: compare over axes of a constant");
  const inp = bufName(arg.buf);
  const slotShape = shape.map((d, a) => (axes.includes(a) ? 1 : d));
  const slots = slotShape.reduce((p, d) => (d === -1 ? p : p * d), 1);
  const batched = shape[0] === -1;
  const nSlots = batched ? `B * ${slots}` : String(slots);
  const isMax = step.op === "argmax" || step.op === "maxmask";
  const first = step.op === "argmax" || step.op === "argmin";
  const better = isMax ? ">" : "<";
  lines.push(`${ind}{`);
  ind += "  ";
  // best holds elements of the input buffer (exact in its type); count is a tie count, exact in either type
  lines.push(`${ind}const best = new ${arrayType}(${nSlots}).fill(${isMax ? "-Infinity" : "Infinity"});`);
  lines.push(`${ind}const ${first ? "at = new Int32Array" : `count = new ${arrayType}`}(${nSlots})${first ? ".fill(-1)" : ""};`);
  const walk = (body: (i: string, j: string) => string[]) => {
    let io = "0", jo = "0";
    shape.forEach((d, a) => {
      open(a, d);
      const is = stride(shape, a);
      lines.push(`${ind}const i${a} = ${io === "0" ? "" : `${io} + `}a${a}${is === 1 ? "" : ` * ${is}`};`);
      io = `i${a}`;
      if (!axes.includes(a)) {
        const js = stride(slotShape, a);
        lines.push(`${ind}const j${a} = ${jo === "0" ? "" : `${jo} + `}a${a}${js === 1 ? "" : ` * ${js}`};`);
        jo = `j${a}`;
      }
    });
    lines.push(...body(io, jo).map((l) => `${ind}${l}`));
    close(shape.length);
  };
  if (first) {
    walk((i, j) => [`const v = ${inp}[${i}]${nn};`, `if (v ${better} best[${j}]${nn}) { best[${j}] = v; at[${j}] = ${i}; }`]);
    lines.push(`${ind}for (let j = 0; j < ${nSlots}; j++) if (at[j]${nn} >= 0) ${out}[at[j]${nn}] = 1;`);
  } else {
    walk((i, j) => [`const v = ${inp}[${i}]${nn};`, `if (v ${better} best[${j}]${nn}) { best[${j}] = v; count[${j}] = 1; } else if (v === best[${j}]) count[${j}]${nn}++;`]);
    walk((i, j) => [`if (${inp}[${i}]${nn} === best[${j}]) ${out}[${i}] = 1 / count[${j}]${nn};`]);
  }
  ind = ind.slice(2);
  lines.push(`${ind}}`);
  return lines;
}
