/**
 * Plan-time contraction order: a term with three or more factors is one loop
 * nest over all its indices unless split. Greedily contract the pair of
 * factors with the smallest loop nest into a temporary (keeping the indices
 * the rest still needs) while that lowers the term's total cost, as
 * opt_einsum's greedy path does. A cost counts multiplies as cost.ts does
 * (loop nest times factors): D[b,n] W[k,n] V[n,o] E[b,k] as one nest is 4 n o k
 * per sample; (D V) then W then E is 2 n o + 2 n o k + 2 o k. Factors read through tables stay in the
 * final term. The rewritten plan computes the same sums in another order.
 */
import { lineOf, refNames, type ContractStep, type Factor, type Plan, type Step, type Term } from "./plan.js";

/** Batch extent assumed when comparing costs (every candidate scales alike in B). */
const B_FOR_COST = 16;

export function orderContractions(plan: Plan): Plan {
  const buffers = [...plan.buffers];
  const steps: Step[] = [];
  for (const s of plan.steps) {
    if (s.kind !== "contract") { steps.push(s); continue; }
    const terms = s.terms.map((t) => splitTerm(s, t, plan, buffers, steps));
    steps.push({ ...s, terms });
  }
  return { ...plan, buffers, steps };
}

function names(f: Factor): string[] {
  return f.idx.filter((r): r is string => typeof r === "string");
}

function splitTerm(s: ContractStep, t: Term, plan: Plan, buffers: Plan["buffers"][number][], steps: Step[]): Term {
  const free = t.factors.filter((f) => f.idx.every((r) => r === null || typeof r === "string"));
  if (free.length < 3) return t;
  const fixed = t.factors.filter((f) => !free.includes(f));
  const ext = (n: string): number => { const e = s.sizes[n]!; return e === "B" ? B_FOR_COST : e; };
  const prod = (ns: Iterable<string>): number => { let p = 1; for (const n of new Set(ns)) p *= ext(n); return p; };
  const outNames = (t.out ?? s.outIdx).flatMap((r) => refNames(r, s.sizes));
  const fixedNames = fixed.flatMap((f) => f.idx.flatMap((r) => refNames(r, s.sizes)));
  const allNames = (fs: readonly Factor[]) => [...outNames, ...fixedNames, ...fs.flatMap(names)];
  // costs count what cost.ts counts: a term's loop nest times its factors (a multiply each, and the add)
  const nest = prod(allNames(free));
  const naive = nest * (free.length + fixed.length);
  // a loop nest no larger than its largest operand or result cannot be beaten by splitting
  const largest = Math.max(prod(outNames), ...free.map((f) => prod(names(f))));
  if (nest <= largest) return t;

  // search pairwise orders: exhaustively for few factors, greedily beyond
  interface Path { cost: number; steps: { i: number; j: number; keep: string[] }[] }
  const pairKeep = (fs: readonly Factor[], i: number, j: number) => {
    const union = [...new Set([...names(fs[i]!), ...names(fs[j]!)])];
    const others = new Set(allNames(fs.filter((_, k) => k !== i && k !== j)));
    const isB = (n: string) => s.sizes[n] === "B";
    const keep = union.filter((n) => others.has(n));
    return { cost: 2 * prod(union), keep: [...keep.filter(isB), ...keep.filter((n) => !isB(n))] }; // the batch index leads
  };
  const merged = (fs: readonly Factor[], i: number, j: number, keep: string[]): Factor[] =>
    [...fs.filter((_, k) => k !== i && k !== j), { buf: -1, idx: keep }];
  const search = (fs: readonly Factor[]): Path => {
    if (fs.length <= 2) return { cost: prod(allNames(fs)) * (fs.length + fixed.length), steps: [] };
    let best: Path | undefined;
    const exhaustive = fs.length <= 5;
    let greedy: { i: number; j: number; cost: number } | undefined;
    for (let i = 0; i < fs.length; i++) for (let j = i + 1; j < fs.length; j++) {
      const { cost, keep } = pairKeep(fs, i, j);
      if (!exhaustive) { if (!greedy || cost < greedy.cost) greedy = { i, j, cost }; continue; }
      const rest = search(merged(fs, i, j, keep));
      if (!best || cost + rest.cost < best.cost) best = { cost: cost + rest.cost, steps: [{ i, j, keep }, ...rest.steps] };
    }
    if (!exhaustive) {
      const { i, j, cost } = greedy!;
      const { keep } = pairKeep(fs, i, j);
      const rest = search(merged(fs, i, j, keep));
      best = { cost: cost + rest.cost, steps: [{ i, j, keep }, ...rest.steps] };
    }
    return best!;
  };
  const path = search(free);
  if (path.cost >= naive) return t;
  let current: Factor[] = [...free];
  const planned: { a: Factor; b: Factor; keep: string[] }[] = [];
  for (const { i, j, keep } of path.steps) {
    const tmp: Factor = { buf: -1 - planned.length, idx: keep };
    planned.push({ a: current[i]!, b: current[j]!, keep });
    current = [...current.filter((_, k) => k !== i && k !== j), tmp];
  }

  // materialise the temporaries in order
  const ids: number[] = [];
  const real = (f: Factor): Factor => (f.buf < 0 ? { buf: ids[-1 - f.buf]!, idx: f.idx } : f);
  for (const p of planned) {
    const batched = p.keep.some((n) => s.sizes[n] === "B");
    const size = p.keep.reduce((acc, n) => (s.sizes[n] === "B" ? acc : acc * (s.sizes[n] as number)), 1);
    const id = buffers.length;
    buffers.push({ id, name: `t${id}`, batched, size, role: "local", label: `partial product for ${plan.buffers[s.out]!.name}`, ...lineOf(plan.buffers[s.out]!) });
    ids.push(id);
    const sizes: Record<string, number | "B"> = {};
    for (const n of p.keep) sizes[n] = s.sizes[n]!;
    for (const n of [...names(p.a), ...names(p.b)]) sizes[n] = s.sizes[n]!;
    steps.push({ kind: "contract", out: id, outIdx: p.keep, sizes, terms: [{ coef: 1, factors: [real(p.a), real(p.b)] }] });
  }
  return { ...t, factors: [...fixed, ...current.map(real)] };
}

