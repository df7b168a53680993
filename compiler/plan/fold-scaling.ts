/**
 * A per-sample scaling folded into a smaller operand (forward plans, after
 * sink-linear and hoist-shared). When a term reads C[b,o,k] X[b,k,p], where
 *
 *   X[b,k,p] = c g[b,k] S[k,p]     (S shared by all samples, e.g. tanh''''(z1) * W1^(x4))
 *
 * and neither X nor C is read anywhere else, then C X = (c g C) S: the scaling
 * moves into C's step (o k per sample instead of k p), X is never formed, and
 * the term reads S once for all samples.
 */
import { reads, stepOutputs } from "./liveness.js";
import { plainNames, type ContractStep, type Factor, type Plan, type Step } from "./plan.js";

const distinct = (xs: readonly string[]): boolean => new Set(xs).size === xs.length;

/**
 * Rewrites the first fold in step order until none is left, as a restart from
 * the top after each would, in one pass: a fold at step i changes only step i
 * and C's defining step ic < i (X's step goes), and leaves the definitions
 * and read counts of every other buffer as they were, so after it only ic and
 * then i can hold a new first fold. Definitions and read counts are kept in
 * maps (a rescan per candidate made a 1000-statement chain cubic).
 */
export function foldScaling(plan: Plan): Plan {
  const steps: (Step | undefined)[] = [...plan.steps]; // undefined: a removed X
  const outputs = new Set(plan.outputs.flatMap((o) => [o.value, ...o.blocks.values()]));
  const defs = new Map<number, number>();
  const readCounts = new Map<number, number>();
  const count = (s: Step, by: number) => { for (const r of reads(s)) readCounts.set(r, (readCounts.get(r) ?? 0) + by); };
  steps.forEach((s, i) => {
    // every output of a step, a map's f^(k..k+M) too (else g from a map after C's step was folded into C, read before defined)
    if (s!.kind !== "alias") for (const o of stepOutputs(s!)) if (!defs.has(o)) defs.set(o, i);
    count(s!, 1);
  });
  const def = (id: number) => defs.get(id) ?? -1;
  const readCount = (id: number) => readCounts.get(id) ?? 0;
  const replace = (j: number, next: Step | undefined) => {
    count(steps[j]!, -1);
    if (next) count(next, 1);
    else defs.delete((steps[j] as ContractStep).out);
    steps[j] = next;
  };

  /** The first fold of step i, applied: the index of C's step, or undefined when step i has none. */
  const foldAt = (i: number): number | undefined => {
    const s = steps[i];
    if (!s || s.kind !== "contract") return undefined;
    for (let ti = 0; ti < s.terms.length; ti++) {
      const t = s.terms[ti]!;
      for (const x of t.factors) {
        const ix = def(x.buf), sx = steps[ix];
        const xNames = plainNames(x.idx);
        if (!sx || sx.kind !== "contract" || !xNames || !distinct(xNames) || outputs.has(x.buf) || readCount(x.buf) !== 1) continue;
        // X = c g S: one term, a per-sample g and a shared S, no sum, no table
        if (sx.terms.length !== 1 || sx.terms[0]!.out || sx.terms[0]!.factors.length !== 2) continue;
        const xOut = plainNames(sx.outIdx);
        const [f0, f1] = sx.terms[0]!.factors as [Factor, Factor];
        const S = plan.buffers[f0.buf]!.batched ? f1 : f0, g = S === f0 ? f1 : f0;
        const gN = plainNames(g.idx), sN = plainNames(S.idx);
        if (!xOut || !distinct(xOut) || xOut.length !== xNames.length || plan.buffers[S.buf]!.batched || !plan.buffers[g.buf]!.batched || !gN || !sN) continue;
        if (![...gN, ...sN].every((n) => xOut.includes(n))) continue;
        const toT = (n: string) => xNames[xOut.indexOf(n)]!; // sx's names -> the term's names
        // C: another factor of the term, holding every index of g, defined by a contraction read only here
        for (const c of t.factors) {
          if (c === x) continue;
          const ic = def(c.buf), sc = steps[ic];
          const cNames = plainNames(c.idx);
          if (!sc || sc.kind !== "contract" || !cNames || !distinct(cNames) || outputs.has(c.buf) || readCount(c.buf) !== 1) continue;
          const cOut = plainNames(sc.outIdx);
          if (!cOut || !distinct(cOut) || cOut.length !== cNames.length || sc.terms.some((u) => u.out)) continue;
          if (!gN.every((n) => cNames.includes(toT(n)))) continue;
          const ig = def(g.buf);
          if (ig > ic) continue; // g must exist when C is formed
          const toC = (n: string) => cOut[cNames.indexOf(toT(n))]!;
          const gInC: Factor = { buf: g.buf, idx: gN.map(toC) };
          const newC: ContractStep = { ...sc, terms: sc.terms.map((u) => ({ ...u, coef: u.coef * sx.terms[0]!.coef, factors: [...u.factors, gInC] })) };
          const sInT: Factor = { buf: S.buf, idx: sN.map(toT) };
          const newT = { ...t, factors: t.factors.map((f) => (f === x ? sInT : f)) };
          replace(ix, undefined);
          replace(ic, newC);
          replace(i, { ...s, terms: s.terms.map((u, j) => (j === ti ? newT : u)) });
          return ic;
        }
      }
    }
    return undefined;
  };

  // positions to look at again, the earliest last: after a fold at i, first C's step, then i
  const again: number[] = [];
  for (let next = 0; next < steps.length || again.length; ) {
    const i = again.length ? again.pop()! : next++;
    const ic = foldAt(i);
    if (ic !== undefined) again.push(i, ic);
  }
  return { ...plan, steps: steps.filter((s): s is Step => s !== undefined) };
}
