/** cli/line-diff.ts: the edit script rebuilds both texts and is minimal (against an LCS table); the unified form. */
import { describe, expect, it } from "vitest";
import { lineEdits, unifiedDiff } from "../../cli/line-diff.js";

function lcs(a: readonly string[], b: readonly string[]): number {
  const t = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) t[i]![j] = a[i] === b[j] ? t[i + 1]![j + 1]! + 1 : Math.max(t[i + 1]![j]!, t[i]![j + 1]!);
  return t[0]![0]!;
}

describe("line diff", () => {
  it("rebuilds both sides with a minimal number of edits on random texts", () => {
    let seed = 3;
    const rand = (n: number) => ((seed = (seed * 16807) % 2147483647) % n);
    for (let trial = 0; trial < 300; trial++) {
      const a = Array.from({ length: rand(12) }, () => "abc"[rand(3)]!), b = Array.from({ length: rand(12) }, () => "abc"[rand(3)]!);
      const e = lineEdits(a, b);
      expect(e.filter((x) => x.op !== "+").map((x) => x.line)).toEqual(a);
      expect(e.filter((x) => x.op !== "-").map((x) => x.line)).toEqual(b);
      expect(e.filter((x) => x.op !== " ").length).toBe(a.length + b.length - 2 * lcs(a, b));
    }
  });

  it("prints hunks with context and line numbers, and says how much it leaves out", () => {
    const a = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`);
    const b = a.map((l, i) => (i === 4 ? "line five" : i === 20 ? "line 21!" : l));
    expect(unifiedDiff(a.join("\n"), b.join("\n"), ["old", "new"])).toEqual([
      "--- old", "+++ new",
      "@@ -3,5 +3,5 @@", " line 3", " line 4", "-line 5", "+line five", " line 6", " line 7",
      "@@ -19,5 +19,5 @@", " line 19", " line 20", "-line 21", "+line 21!", " line 22", " line 23",
    ]);
    expect(unifiedDiff("same", "same", ["a", "b"])).toEqual([]);
    const many = unifiedDiff(a.join("\n"), a.map((l) => `${l}!`).join("\n"), ["a", "b"], 6);
    expect(many).toEqual(["--- a", "+++ b", "@@ -1,30 +1,30 @@", "-line 1", "-line 2", "-line 3", "-line 4", "-line 5", "... 55 more changed lines not shown"]);
  });

  it("a change at the end only, and insertions into an empty file", () => {
    expect(unifiedDiff("a\nb", "a\nc", ["x", "y"])).toEqual(["--- x", "+++ y", "@@ -1,2 +1,2 @@", " a", "-b", "+c"]);
    expect(unifiedDiff("", "a\nb", ["x", "y"])).toEqual(["--- x", "+++ y", "@@ -1,1 +1,2 @@", "-", "+a", "+b"]);
  });
});
