/** einsum's broadcasting '...' lowered to explicit letters (shapes as torch.einsum 1.13 gives them). */
import { describe, expect, it } from "vitest";
import { checkEinsum } from "../../compiler/shapes/einsum-spec.js";
import { BATCH } from "../../compiler/ir/node.js";

const ok = (spec: string, ...shapes: number[][]) => {
  const r = checkEinsum(spec, shapes);
  if ("error" in r) throw new Error(r.error);
  return r.ok;
};

describe("einsum '...'", () => {
  it("replaces '...' by fresh letters, the batch axis included", () => {
    expect(ok("...i,ij->...j", [BATCH, 3], [3, 4])).toEqual({ inputs: ["ai", "ij"], output: "aj", shape: [BATCH, 4] });
    expect(ok("b...i,b...i->b...", [2, 3, 4], [2, 1, 4]).shape).toEqual([2, 3]);
  });

  it("broadcasts from the right and squeezes a size-1 dim that meets a larger one", () => {
    const r = ok("...ij,...jk->...ik", [2, 1, 3, 4], [5, 4, 2]);
    expect(r.shape).toEqual([2, 5, 3, 2]);
    expect(r.squeeze).toEqual([[1], []]);
    expect(r.inputs).toEqual(["aij", "bjk"]); // the squeezed dim has no letter
    expect(r.output).toBe("abik");
  });

  it("keeps a size-1 dim that every operand has (nothing to squeeze)", () => {
    const r = ok("...i,...i->...", [1, 3], [1, 3]);
    expect(r.shape).toEqual([1]);
    expect(r.squeeze).toBeUndefined();
  });

  it("implicit output: '...' first, then the letters used once, sorted", () => {
    expect(ok("...ij,...jk", [2, 1, 3, 4], [5, 4, 2]).shape).toEqual([2, 5, 3, 2]);
    expect(ok("i...,i...", [3, 2, 1], [3, 5]).shape).toEqual([2, 5]);
    expect(ok("...,...", [3, 1], [4]).shape).toEqual([3, 4]);
  });

  it("an explicit output without '...' sums the '...' dims; '...' may stand anywhere in the output", () => {
    expect(ok("...i->i", [2, 3, 4]).shape).toEqual([4]);
    expect(ok("...ij->j...", [2, 3, 4]).shape).toEqual([4, 2]);
    expect(ok("ii...->i...", [3, 3, 2]).shape).toEqual([3, 2]);
  });

  it("errors: dims that do not broadcast (batch-related ones flagged), stray dots, too many letters", () => {
    expect(checkEinsum("...i,...i->...", [[3, 4], [2, 4]])).toEqual({ error: "einsum: the dims covered by '...' do not broadcast: 3 and 2", batch: false });
    expect(checkEinsum("...i,...i->...", [[BATCH, 4], [2, 4]])).toMatchObject({ batch: true });
    expect(checkEinsum("....i", [[2, 3]])).toMatchObject({ error: expect.stringContaining("'.' must come as '...'") });
    expect(checkEinsum("...ijk", [[2, 3]])).toMatchObject({ error: expect.stringContaining("has 3 indices besides '...'") });
  });
});
