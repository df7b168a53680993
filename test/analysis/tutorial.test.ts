/**
 * docs/tutorial.md, run as written: every fenced block in order. A block after
 * `<!-- file: NAME -->` is saved as NAME; a `sh` block runs in bash (a `cd`
 * carries over to the next block); a `text` block right after a `sh` block is
 * that block's expected stdout, compared exactly. Runs in a fresh folder under
 * test/.tmp/ (inside the repository, so `thoad/...` imports and `npx thoadc`
 * resolve to this package; build first with `npm run build`).
 */
import { afterAll, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../helpers/compile.js";

interface Block { lang: string; body: string; file?: string }

/** The fenced blocks of a markdown text, with the file name of a preceding `<!-- file: NAME -->`. */
export function blocks(md: string): Block[] {
  const out: Block[] = [];
  const lines = md.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    let j = i + 1;
    while (j < lines.length && lines[j] !== "```") j++;
    let k = i - 1;
    while (k >= 0 && lines[k]!.trim() === "") k--;
    const marker = k >= 0 ? /^<!-- file: (\S+) -->$/.exec(lines[k]!) : null;
    out.push({ lang: open[1]!, body: lines.slice(i + 1, j).join("\n") + "\n", ...(marker ? { file: marker[1]! } : {}) });
    i = j;
  }
  return out;
}

const made: string[] = [];
afterAll(() => { for (const d of made) rmSync(d, { recursive: true, force: true }); });

it("docs/tutorial.md runs as written and prints what it shows", () => {
  if (!existsSync(join(ROOT, "dist/cli/main.js"))) throw new Error("dist/ is missing: build first with `npm run build`");
  mkdirSync(join(ROOT, "test/.tmp"), { recursive: true });
  let cwd = mkdtempSync(join(ROOT, "test/.tmp/tutorial-"));
  made.push(cwd);
  const bs = blocks(readFileSync(join(ROOT, "docs/tutorial.md"), "utf8"));
  expect(bs.filter((b) => b.lang === "sh").length).toBeGreaterThanOrEqual(6);
  expect(bs.filter((b) => b.file).map((b) => b.file)).toEqual(["tsconfig.json", "net.thd", "make-weights.ts", "use.ts", "make-data.ts", "read.ts", "analyse.ts"]);
  let last: { cmd: string; stdout: string } | undefined;
  for (const b of bs) {
    if (b.file) { writeFileSync(join(cwd, b.file), b.body); last = undefined; continue; }
    if (b.lang === "sh") {
      const marker = join(ROOT, "test/.tmp", `cwd-${process.pid}`);
      const r = spawnSync("bash", ["-e", "-c", `${b.body}\npwd > '${marker}'`], { cwd, encoding: "utf8", timeout: 170_000 });
      expect(r.status, `${b.body}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`).toBe(0);
      cwd = readFileSync(marker, "utf8").trim();
      rmSync(marker);
      last = { cmd: b.body, stdout: r.stdout };
      continue;
    }
    if (b.lang === "text") {
      expect(last, "a text block must follow a sh block").toBeDefined();
      expect(last!.stdout.trimEnd(), `output of:\n${last!.cmd}`).toBe(b.body.trimEnd());
      last = undefined;
      continue;
    }
    last = undefined;
  }
  // what the tutorial says it made
  for (const f of ["net.ts", "weights.safetensors", "data.json", "sens.json", "sens.html", "sens-lib.html"]) expect(existsSync(join(cwd, f)), f).toBe(true);
}, 180_000);
