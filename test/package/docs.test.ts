/** Every `docs/design.md section N` the sources cite is a section of docs/design.md, and the old external note is cited nowhere. */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/compile.js";

describe("docs/design.md references", () => {
  it("cite sections that exist", () => {
    const sections = new Set([...readFileSync(ROOT + "docs/design.md", "utf8").matchAll(/^## (\d+)\. /gm)].map((m) => Number(m[1])));
    expect([...sections]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const files = execFileSync("git", ["ls-files", "compiler", "runtime", "cli", "test", "docs", "README.md"], { cwd: ROOT, encoding: "utf8" }).trim().split("\n");
    let cited = 0;
    for (const f of files.filter((p) => /\.(ts|md|py|mjs)$/.test(p))) {
      const text = readFileSync(ROOT + f, "utf8");
      expect(text, f).not.toMatch(/derivatives\.md/);
      for (const m of text.matchAll(/docs\/design\.md,? section (\d+)/g)) { expect(sections.has(Number(m[1])), `${f}: section ${m[1]}`).toBe(true); cited++; }
    }
    expect(cited).toBeGreaterThanOrEqual(10);
  });
});
