/**
 * Reassociation of a linear chain around an elementwise scaling (forward
 * plans). When a block is
 *
 *   Z[b,n,p] = A[b,k,p] W[k,n]          (a layer's weights, shared by all samples)
 *   H[b,n,p] = c g[b,n] Z[b,n,p] + R    (Faa di Bruno: f'(z) times the top block, plus the rest)
 *   Y[b,o,p] = H[b,n,p] V[n,o]          (the next layer)
 *
 * and Z and H are read nowhere else, then
 *
 *   Y = R V + C A   with   C[b,o,k] = c sum_n V[n,o] g[b,n] W[k,n]
 *
 * which never forms Z: o (n + p) k products per sample instead of n p k, a gain
 * when the next layer is narrow (o small) and the packed axis p is long (high
 * orders). The pass applies it only when the static flop count drops.
 */
import { lastUses, reads } from "./liveness.js";
import { lineOf, plainNames, type ContractStep, type Factor, type Plan, type Step, type Term } from "./plan.js";
import { fusable } from "./fusable.js";


/** The two factors of a one-term, two-factor step: the batched-or-not operand X and the shared matrix M over (s, t). */
interface Linear { x: Factor; m: Factor; xIdx: string[]; mIdx: string[] }
function linear(plan: Plan, s: Step): Linear | undefined {
  if (s.kind !== "contract" || s.terms.length !== 1 || s.terms[0]!.out || s.terms[0]!.coef !== 1 || s.terms[0]!.factors.length !== 2) return undefined;
  const [f0, f1] = s.terms[0]!.factors as [Factor, Factor];
  const m = plan.buffers[f1.buf]!.batched ? f0 : f1, x = m === f0 ? f1 : f0;
  const xIdx = plainNames(x.idx), mIdx = plainNames(m.idx);
  if (plan.buffers[m.buf]!.batched || !xIdx || !mIdx || mIdx.length !== 2 || mIdx[0] === mIdx[1]) return undefined;
  return { x, m, xIdx, mIdx };
}

export function sinkLinear(plan: Plan): Plan {
  let steps = [...plan.steps];
  const buffers = [...plan.buffers];
  for (let changed = true; changed; ) {
    changed = false;
    const last = lastUses({ ...plan, steps });
    const readers = (id: number) => steps.filter((s) => reads(s).includes(id));
    for (let i3 = 0; i3 < steps.length && !changed; i3++) {
      const s3 = steps[i3]!, l3 = linear({ ...plan, buffers }, s3);
      if (!l3 || s3.kind !== "contract") continue;
      // Y[L, o, p] = H[L, n, p] V[n|o]
      const out3 = plainNames(s3.outIdx), h = l3.x;
      if (!out3 || out3.length < 2 || l3.xIdx.length !== out3.length) continue;
      const L = out3.slice(0, -2), [o, p] = out3.slice(-2) as [string, string];
      const n = l3.xIdx[l3.xIdx.length - 2]!;
      if (l3.xIdx.slice(0, -2).join() !== L.join() || l3.xIdx[l3.xIdx.length - 1] !== p || !l3.mIdx.includes(n) || !l3.mIdx.includes(o) || n === o) continue;
      const i2 = steps.findIndex((s) => s.kind === "contract" && s.out === h.buf);
      const s2 = steps[i2] as ContractStep | undefined;
      if (!s2 || !fusable(s2) || last.get(h.buf) !== i3 || readers(h.buf).length !== 1) continue;
      // H[L2, n2, p2] has a term c g[L2, n2] Z[L2, n2, p2]
      const out2 = plainNames(s2.outIdx);
      if (!out2 || out2.length !== out3.length) continue;
      const ti = s2.terms.findIndex((t) => t.factors.length === 2 && t.factors.some((f) => plainNames(f.idx)?.join() === out2.join()) && t.factors.some((f) => plainNames(f.idx)?.join() === out2.slice(0, -1).join()));
      if (ti < 0) continue;
      const t2 = s2.terms[ti]!;
      const z = t2.factors.find((f) => plainNames(f.idx)!.join() === out2.join())!, g = t2.factors.find((f) => f !== z)!;
      if (z === g || plan.outputs.some((op) => op.value === z.buf || [...op.blocks.values()].includes(z.buf))) continue;
      const i1 = steps.findIndex((s) => s.kind === "contract" && s.out === z.buf);
      const s1 = steps[i1], l1 = s1 && linear({ ...plan, buffers }, s1);
      if (!l1 || s1!.kind !== "contract" || readers(z.buf).length !== 1 || s2.terms.filter((t) => t.factors.some((f) => f.buf === z.buf)).length !== 1) continue;
      // Z[L1, n1, p1] = A[L1, k1, p1] W[k1|n1]
      const out1 = plainNames(s1!.outIdx);
      if (!out1 || out1.length !== out3.length || l1.xIdx.length !== out1.length) continue;
      const n1 = out1[out1.length - 2]!, p1 = out1[out1.length - 1]!, k1 = l1.xIdx[l1.xIdx.length - 2]!;
      if (l1.xIdx[l1.xIdx.length - 1] !== p1 || l1.xIdx.slice(0, -2).join() !== out1.slice(0, -2).join() || !l1.mIdx.includes(k1) || !l1.mIdx.includes(n1) || k1 === n1) continue;
      // extents, and whether it pays (per sample)
      const ext = (s: ContractStep, i: string) => s.sizes[i] as number;
      const N = ext(s3, n), O = ext(s3, o), P = ext(s3, p), K = ext(s1!, k1);
      if ([N, O, P, K].some((e) => typeof e !== "number")) continue;
      const before = N * K * P * 2 + N * P * 2, after = O * N * K * 3 + O * K * P * 2;
      if (after >= before) continue;
      // the new steps, in fresh index names: lead L -> same names (batch axes), then n, o, k, p
      const ren = (f: Factor, map: Record<string, string>): Factor => ({ buf: f.buf, idx: plainNames(f.idx)!.map((r) => map[r] ?? r) });
      const lead = L.map((_, j) => `l${j}`), leadMap = (from: string[]) => Object.fromEntries(from.map((x, j) => [x, lead[j]!]));
      const sizes: Record<string, number | "B"> = { n: N, o: O, k: K, p: P };
      L.forEach((x, j) => { sizes[lead[j]!] = s3.sizes[x]!; });
      const batchedC = buffers[g.buf]!.batched;
      const cId = buffers.length;
      const cSize = O * K * L.reduce((a, x) => (s3.sizes[x] === "B" ? a : a * (s3.sizes[x] as number)), 1);
      buffers.push({ id: cId, name: `t${cId}`, batched: batchedC, size: cSize, role: "local", label: `${buffers[s3.out]!.name} through ${buffers[s2.out]!.name} and ${buffers[z.buf]!.name}`, ...lineOf(buffers[s3.out]!) });
      const cLead = batchedC ? lead : lead.filter((x) => sizes[x] !== "B");
      const gMap = { ...leadMap(out2.slice(0, -2)), [out2[out2.length - 2]!]: "n" };
      const cStep: ContractStep = { kind: "contract", out: cId, outIdx: [...cLead, "o", "k"], sizes, terms: [{ coef: t2.coef, factors: [ren(g, gMap), ren(l1.m, { [k1]: "k", [n1]: "n" }), ren(l3.m, { [n]: "n", [o]: "o" })] }] };
      const rest = s2.terms.filter((_, j) => j !== ti);
      const yTerms: Term[] = [{ coef: 1, factors: [{ buf: cId, idx: [...cLead, "o", "k"] }, ren(l1.x, { ...leadMap(l1.xIdx.slice(0, -2)), [k1]: "k", [p1]: "p" })] }];
      if (rest.length) yTerms.unshift({ coef: 1, factors: [ren(h, { ...leadMap(L), [n]: "n", [p]: "p" }), ren(l3.m, { [n]: "n", [o]: "o" })] });
      const yStep: ContractStep = { kind: "contract", out: s3.out, outIdx: [...lead, "o", "p"], sizes, terms: yTerms };
      const next: Step[] = [];
      steps.forEach((s, j) => {
        if (j === i1) return; // Z is never formed
        if (j === i2) { if (rest.length) next.push({ ...s2, terms: rest }); return; }
        if (j === i3) { next.push(cStep, yStep); return; }
        next.push(s);
      });
      steps = next;
      changed = true;
    }
  }
  return { ...plan, buffers, steps };
}
