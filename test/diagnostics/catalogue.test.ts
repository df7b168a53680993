/** docs/diagnostics.md and compiler/diagnostics/codes.ts list the same codes, with the same meanings. */
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { CODES } from "../../compiler/diagnostics/codes.js";

const doc = readFileSync(new URL("../../docs/diagnostics.md", import.meta.url), "utf8");

/** The rows of the catalogue table: `| THxxx | meaning | example | message shape |`. */
const rows = doc
  .split("\n")
  .filter((l) => /^\|\s*TH\d{3}\s*\|/.test(l))
  .map((l) => l.split("|").slice(1, -1).map((c) => c.trim()));

describe("diagnostics catalogue", () => {
  it("has a well-formed row per code", () => {
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r, r.join(" | ")).toHaveLength(4);
      expect(r.every((c) => c.length > 0), r.join(" | ")).toBe(true);
    }
  });

  it("documents every code of codes.ts", () => {
    const documented = new Set(rows.map((r) => r[0]));
    expect(Object.keys(CODES).filter((c) => !documented.has(c))).toEqual([]);
  });

  it("documents no code that codes.ts does not define, and none twice", () => {
    const codes = rows.map((r) => r[0]!);
    expect(codes.filter((c) => !(c in CODES))).toEqual([]);
    expect(codes.filter((c, i) => codes.indexOf(c) !== i)).toEqual([]);
  });

  it("gives each code the meaning codes.ts gives it", () => {
    for (const [code, meaning] of rows.map((r) => [r[0]!, r[1]!])) {
      expect(meaning, code).toBe(CODES[code as keyof typeof CODES]);
    }
  });

  it("lists the codes in order", () => {
    const codes = rows.map((r) => r[0]!);
    expect(codes).toEqual([...codes].sort());
  });

  it("describes the rendering and the exit status", () => {
    expect(doc).toContain("FILE:LINE:COL: error THxxx: MESSAGE");
    expect(doc).toMatch(/exits with status 1/);
  });
});
