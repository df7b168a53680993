/**
 * --standalone: the runtime files an emitted module uses, inlined so that the
 * module imports nothing. Reads the runtime's own sources (TypeScript for a .ts
 * module, the compiled JavaScript for a .js module) and drops their
 * import/export syntax; runtime files import only each other.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** In dependency order. */
const FILES = ["tensor", "packed", "gather", "inputs", "result", "pool", "runner", "params"];
/** Only a module with bound weights reads safetensors (loading a file needs a dynamic import of node:fs). */
const WEIGHT_FILES = ["base64", "safetensors"];

function runtimeDir(ext: "ts" | "js"): string {
  const here = dirname(fileURLToPath(import.meta.url));
  // from sources (compiler/codegen) or from dist (dist/compiler/codegen)
  const candidates = ext === "ts"
    ? [join(here, "../../runtime"), join(here, "../../../runtime")]
    : [join(here, "../../runtime"), join(here, "../../dist/runtime")];
  for (const c of candidates) if (existsSync(join(c, `tensor.${ext}`))) return c;
  throw new Error(`thoadc: cannot find the runtime's .${ext} sources for --standalone (looked in ${candidates.join(", ")})`);
}

export function inlinedRuntime(ext: "ts" | "js", weights = false, base64 = false): string {
  const dir = runtimeDir(ext);
  // the wasm target's kernels are a base64 literal
  const parts = [...FILES, ...(weights ? WEIGHT_FILES : base64 ? ["base64"] : [])].map((f) => {
    const text = readFileSync(join(dir, `${f}.${ext}`), "utf8");
    return text
      .split("\n")
      .filter((l) => !/^\s*import\s/.test(l) && !/^\s*export\s*\{/.test(l) && !/^\/\/# sourceMappingURL/.test(l))
      .map((l) => l.replace(/^export\s+(?=(class|function|async|const|interface|type|let|abstract)\b)/, ""))
      .join("\n");
  });
  return `// ---- thoad runtime (inlined by --standalone) ----\n${parts.join("\n")}\n// ---- end of runtime ----`;
}
