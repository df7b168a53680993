/** The fuzz campaign's quick mode (about 30 s): no crash, hang, uncoded error, partial file, bad module or silent loss. npm run fuzz runs the full one. */
import { describe, it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../helpers/compile.js";

describe("fuzz campaign", () => {
  it("npm run fuzz -- --quick finds nothing", () => {
    if (!existsSync(join(ROOT, "dist/cli/main.js"))) throw new Error("dist/cli/main.js is missing: npm run build first");
    const r = spawnSync(process.execPath, [join(ROOT, "test/fuzz/fuzz.mjs"), "--quick"], { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
    expect(r.stdout).toMatch(/^fuzz: seed \d+, \d+ cases in \d+ s/m);
    expect(Number(/(\d+) cases/.exec(r.stdout)?.[1])).toBeGreaterThan(10);
    expect(r.stdout + r.stderr).toMatch(/^findings: 0 /m);
    expect(r.status).toBe(0);
  }, 150_000);
});
