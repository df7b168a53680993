/** Spawning the built CLI (dist/cli/main.js) in fresh folders under test/.tmp/, removed after the file's tests. */
import { afterAll, beforeAll } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const MAIN = join(ROOT, "dist/cli/main.js");
const TMP = join(ROOT, "test/.tmp");

export interface Run { status: number | null; stdout: string; stderr: string }

export function thoadc(cwd: string, ...args: string[]): Run {
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd, encoding: "utf8", timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const made: string[] = [];

/** Registers the hooks of a test file that spawns thoadc: dist must be built; folders are removed after. */
export function useCli(): void {
  beforeAll(() => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build first with \`npm run build\``);
    mkdirSync(TMP, { recursive: true });
  });
  afterAll(() => { for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true }); });
}

/** A fresh folder holding the given files (name -> text). */
export function workdir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(TMP, "cli-"));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** The rendered-diagnostic shape every user-facing error has: `file[:line:col]: error THxxx: ...`, exit 1. */
export const CODED = /^\S[^\n]*?(:\d+:\d+)?: error TH\d{3}: /m;
