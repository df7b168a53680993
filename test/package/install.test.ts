/**
 * What a user's `npm install thoad` gets: the packed package installed into an
 * empty app stays under 40 MB of node_modules and pulls no TensorFlow.js (an
 * optional peer), and its `npx thoadc` compiles an ONNX model into a module that
 * the app imports. Needs the build (dist/) and the npm registry or npm's cache.
 */
import { describe, expect, it } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

function du(path: string): number {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.size;
  return readdirSync(path).reduce((s, f) => s + du(join(path, f)), 0);
}

describe("npm install thoad in an empty app", () => {
  it("under 40 MB, no tfjs, and npx thoadc + an app importing the module work", () => {
    mkdirSync(join(ROOT, "test/.tmp"), { recursive: true });
    const dir = mkdtempSync(join(ROOT, "test/.tmp/pkg-"));
    try {
      const tgz = execFileSync("npm", ["pack", "--silent", "--pack-destination", dir], { cwd: ROOT, encoding: "utf8" }).trim().split("\n").pop()!;
      const app = join(dir, "app");
      mkdirSync(app);
      writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", version: "1.0.0", private: true, type: "module" }));
      const inst = spawnSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", join(dir, tgz)], { cwd: app, encoding: "utf8", timeout: 300_000 });
      expect(inst.status, inst.stderr).toBe(0);
      const mb = du(join(app, "node_modules")) / 2 ** 20;
      expect(mb).toBeLessThan(40);
      expect(existsSync(join(app, "node_modules/@tensorflow"))).toBe(false);
      copyFileSync(join(ROOT, "examples/quickstart/regressor.onnx"), join(app, "regressor.onnx"));
      const c = spawnSync("npx", ["thoadc", "regressor.onnx", "--order", "2", "--emit", "js"], { cwd: app, encoding: "utf8", timeout: 120_000 });
      expect(c.status, c.stderr).toBe(0);
      writeFileSync(join(app, "main.js"), 'import { regressor } from "./regressor.js";\nconst r = regressor({ x: [[1, 2, 3, 4]] });\nconsole.log(JSON.stringify(r.y.d("x", "x").shape));\n');
      const r = spawnSync(process.execPath, ["main.js"], { cwd: app, encoding: "utf8" });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout.trim()).toBe("[1,3,4,4]");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);
});
