// The emitted $rank<m> helper (compiler/codegen/loops.ts) against the runtime's
// rankSorted: any order of a group's coordinates gives the sorted tuple's index.
import { describe, expect, it } from "vitest";
import { rankHelper } from "../../compiler/codegen/loops.js";
import { rankSorted, rankTerms } from "../../runtime/packed.js";

describe("$rank<m>", () => {
  for (const [m, n] of [[2, 9], [3, 7], [4, 6], [5, 4], [8, 3]] as const) {
    it(`m=${m}, n=${n}: every order of a tuple gives its sorted tuple's packed index`, () => {
      const rank = new Function(`${rankHelper(m, false).join("\n")}\nreturn $rank${m};`)() as (F: Int32Array, n: number, ...c: number[]) => number;
      const F = rankTerms(n, m);
      let seed = 11;
      const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
      for (let k = 0; k < 500; k++) {
        const c = Array.from({ length: m }, rnd);
        const sorted = [...c].sort((a, b) => a - b);
        expect(rank(F, n, ...c)).toBe(rankSorted(sorted, 0, m, n));
      }
    });
  }
});
