/**
 * A per-sample scaling folded into a smaller operand (forward plans, after
 * sink-linear and hoist-shared). When a term reads C[b,o,k] X[b,k,p], where
 *
 *   X[b,k,p] = c g[b,k] S[k,p]     (S shared by all samples, e.g. tanh''''(z1) * W1^(x4))
 *
 * and neither X nor C is read anywhere else, then C X = (c g C) S: the scaling
 * moves into C's step (o k per sample instead of k p), X is never formed, and
 * the term reads S once for all samples.
 *
 * When C is shared by all samples instead (a weight: X W2 with X = tanh'''(z1)
 * W1^(x3), the first layer's third derivative), C' = c g C is formed per sample
 * in X's place if it is at most half X's size (2 o k <= k p: softmax_classifier's
 * 5 x 32 against 32 x 120), indexed [b, C's output indices, its summed ones], so that
 * the term C' S is one GEMM over the rows (b, o) of every sample with S shared.
 */
import { reads, stepOutputs } from "./liveness.js";
import { lineOf, plainNames, type BufferDecl, type ContractStep, type Factor, type Plan, type Step } from "./plan.js";

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
  const buffers: BufferDecl[] = [...plan.buffers];
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
        const S = buffers[f0.buf]!.batched ? f1 : f0, g = S === f0 ? f1 : f0;
        const gN = plainNames(g.idx), sN = plainNames(S.idx);
        if (!xOut || !distinct(xOut) || xOut.length !== xNames.length || buffers[S.buf]!.batched || !buffers[g.buf]!.batched || !gN || !sN) continue;
        if (![...gN, ...sN].every((n) => xOut.includes(n))) continue;
        const toT = (n: string) => xNames[xOut.indexOf(n)]!; // sx's names -> the term's names
        const sInT: Factor = { buf: S.buf, idx: sN.map(toT) };
        // C: another factor of the term, holding every index of g: shared by all samples (shareFold),
        // or defined by a contraction read only here
        for (const c of t.factors) {
          if (c === x) continue;
          const shared = shareFold(s, t, x, c, sInT, ix, sx, g, gN.map(toT));
          if (shared) {
            buffers.push(shared.buffer);
            defs.set(shared.buffer.id, ix);
            replace(ix, shared.step);
            replace(i, { ...s, terms: s.terms.map((u, j) => (j === ti ? shared.term : u)) });
            return ix;
          }
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
  return { ...plan, buffers, steps: steps.filter((s): s is Step => s !== undefined) };

  /**
   * The fold into a batch-free C (the header's second case), or undefined: C' = c g C as a new
   * per-sample buffer made in X's step (ix), when at most half X's size per sample. gT: g's indices
   * in the term's names, the batch index first.
   */
  function shareFold(s: ContractStep, t: ContractStep["terms"][number], x: Factor, c: Factor, sInT: Factor, ix: number, sx: ContractStep, g: Factor, gT: readonly string[]) {
    const cNames = plainNames(c.idx);
    // C must exist at X's step, where C' is made (a param, or a batch-free buffer defined before it)
    if (!cNames || !distinct(cNames) || buffers[c.buf]!.batched || c.buf === sInT.buf || def(c.buf) > ix) return undefined;
    const bName = gT[0]!;
    if (s.sizes[bName] !== "B" || !gT.slice(1).every((n) => cNames.includes(n)) || cNames.includes(bName)) return undefined;
    const perSample = (names: readonly string[]) => names.reduce((p, n) => p * (s.sizes[n] === "B" ? 1 : (s.sizes[n] as number)), 1);
    const xNames = plainNames(x.idx)!;
    // at most half of X: mlp order 3's 32 x 32 against 32 x 36 ran 0.95 to 0.98x as fast as forming X (interleaved, B = 128)
    if (2 * perSample(cNames) > perSample(xNames)) return undefined;
    // C's indices the step outputs first, in the output's order (the GEMM's rows b, o), then the summed ones
    const outNames = plainNames(s.outIdx) ?? [];
    const order = [bName, ...outNames.filter((n) => cNames.includes(n)), ...cNames.filter((n) => !outNames.includes(n))];
    const id = buffers.length;
    const buffer: BufferDecl = { id, name: `t${id}`, batched: true, size: perSample(order), role: "local", label: `${buffers[c.buf]!.name} scaled per sample for ${buffers[s.out]!.name}`, ...lineOf(buffers[s.out]!) };
    const sizes: Record<string, number | "B"> = {};
    for (const n of order) sizes[n] = s.sizes[n]!;
    const step: ContractStep = { kind: "contract", out: id, outIdx: order, sizes, terms: [{ coef: sx.terms[0]!.coef, factors: [{ buf: g.buf, idx: gT }, c] }] };
    const term = { ...t, factors: t.factors.map((f) => (f === x ? sInT : f === c ? { buf: id, idx: order } : f)) };
    return { buffer, step, term };
  }
}
