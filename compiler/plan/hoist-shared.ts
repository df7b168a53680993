/**
 * Products shared by all samples leave the batch loop: in a term of a batched
 * step, two or more factors without a batch axis (params, blocks such as
 * d(x @ W)/dx = W^T) multiply into a temporary once per call, indexed by every
 * index they use, and the term reads the temporary instead. E.g. the first
 * tanh layer's d^3 h = tanh'''(z) * W[T2[p]] W[T3[p]] W[T4[p]] becomes
 * tanh'''(z) * S[i, p] with S computed before the batch loop. The rewritten
 * plan computes the same sums with fewer multiplies per sample.
 */
import { lineOf, refNames, type ContractStep, type Factor, type IndexRef, type Plan, type Step, type Term } from "./plan.js";

export function hoistShared(plan: Plan): Plan {
  const buffers = [...plan.buffers];
  const steps: Step[] = [];
  const batched = (f: Factor) => buffers[f.buf]!.batched;
  for (const s of plan.steps) {
    if (s.kind !== "contract" || !buffers[s.out]!.batched) { steps.push(s); continue; }
    const terms = s.terms.map((t): Term => {
      const shared = t.factors.filter((f) => !batched(f));
      if (shared.length < 2) return t;
      const id = buffers.length;
      const idx = indexNames(s, shared);
      const size = idx.reduce((p, n) => p * (s.sizes[n] as number), 1);
      buffers.push({ id, name: `t${id}`, batched: false, size, role: "local", label: `shared product for ${buffers[s.out]!.name}`, ...lineOf(buffers[s.out]!) });
      const sizes: Record<string, number | "B"> = {};
      for (const n of idx) sizes[n] = s.sizes[n]!;
      steps.push({ kind: "contract", out: id, outIdx: idx, sizes, terms: [{ coef: 1, factors: shared }] });
      return { ...t, factors: [...t.factors.filter(batched), { buf: id, idx }] };
    });
    steps.push({ ...s, terms });
  }
  return { ...plan, buffers, steps };
}

/**
 * Every index the factors use (table rows and member indices included): the
 * indices the step sums over first, then its output indices in its order, so
 * that the step's innermost (output) loop reads the temporary contiguously.
 */
function indexNames(s: ContractStep, fs: readonly Factor[]): string[] {
  const used = new Set<string>();
  for (const f of fs) for (const r of f.idx) for (const n of refNames(r, s.sizes)) used.add(n);
  const last = s.outIdx.filter((r): r is string => typeof r === "string" && used.has(r));
  return [...[...used].filter((n) => !last.includes(n)), ...last];
}
