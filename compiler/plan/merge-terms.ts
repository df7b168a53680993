/**
 * Identical terms of a contraction step merged into one with the summed
 * coefficient. A node that reads another twice (x * x, a fan-out rejoining)
 * gives its chain-rule terms in pairs that differ only in which operand they
 * came from; Faa di Bruno then multiplies the pairs out, so at order k a step
 * can list the same product 2^k times (bench/models/trig.thd, reverse order 3:
 * 20 terms where 5 are distinct). Terms are the same when they read the same
 * factors at the same indices (in any order: the product commutes) and write
 * the same output view. Runs before contraction ordering, so a product is
 * split into temporaries once.
 */
import type { Plan, Step, Term } from "./plan.js";

export function mergeTerms(plan: Plan): Plan {
  let changed = false;
  const steps = plan.steps.map((s): Step => {
    if (s.kind !== "contract" || s.terms.length < 2) return s;
    const byKey = new Map<string, { term: Term; coef: number }>();
    for (const t of s.terms) {
      const key = JSON.stringify([t.factors.map((f) => JSON.stringify(f)).sort(), t.out ?? null]);
      const hit = byKey.get(key);
      if (hit) hit.coef += t.coef;
      else byKey.set(key, { term: t, coef: t.coef });
    }
    if (byKey.size === s.terms.length) return s;
    changed = true;
    const terms = [...byKey.values()].filter((m) => m.coef !== 0).map((m) => ({ ...m.term, coef: m.coef }));
    return { ...s, terms };
  });
  return changed ? { ...plan, steps } : plan;
}
