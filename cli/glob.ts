/**
 * File arguments with glob patterns, for a quoted pattern the shell did not
 * expand (`thoadc --check "models/**\/*.thd"`): `*` and `?` within a path
 * segment, `**` for any number of folders. Node 20 has no fs.glob.
 */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const MAGIC = /[*?]/;

/** A segment's pattern as a regular expression (dot files only when the pattern starts with a dot). */
function segment(p: string): RegExp {
  const body = p.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]");
  return new RegExp(`^${p.startsWith(".") ? "" : "(?!\\.)"}${body}$`);
}

const isDir = (p: string): boolean => statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
const list = (dir: string): string[] => { try { return readdirSync(dir).sort(); } catch { return []; } };

/** Paths matching a pattern, sorted; `**` enters no dot folder and no node_modules. */
export function glob(pattern: string): string[] {
  const parts = pattern.split("/").filter((p, i) => p !== "" || i === 0);
  const out = new Set<string>();
  const at = (base: string, name: string) => (base === "" ? name : join(base, name));
  const walk = (base: string, i: number): void => {
    if (i === parts.length) { out.add(base); return; }
    const p = parts[i]!;
    if (p === "**") {
      walk(base, i + 1); // zero folders
      for (const name of list(base || ".")) if (!name.startsWith(".") && name !== "node_modules" && isDir(at(base, name))) walk(at(base, name), i);
    } else if (MAGIC.test(p)) {
      const re = segment(p);
      for (const name of list(base || ".")) if (re.test(name)) walk(at(base, name), i + 1);
    } else if (statSync(at(base, p), { throwIfNoEntry: false })) walk(at(base, p), i + 1);
  };
  // an absolute pattern starts at the root
  if (parts[0] === "") walk("/", 1); else walk("", 0);
  return [...out].sort();
}

/** Arguments with patterns expanded in place; a pattern matching nothing is returned in `unmatched`. */
export function expandArgs(args: readonly string[]): { files: string[]; unmatched: string[] } {
  const files: string[] = [], unmatched: string[] = [];
  for (const a of args) {
    if (!MAGIC.test(a)) { files.push(a); continue; }
    const hits = glob(a).filter((f) => !isDir(f));
    if (hits.length) files.push(...hits); else unmatched.push(a);
  }
  return { files: [...new Set(files)], unmatched };
}
