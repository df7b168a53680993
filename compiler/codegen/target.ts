/** A codegen target turns a plan into files. The TypeScript/JS target is the first; tfjs follows. */
import type { Plan } from "../plan/plan.js";

export interface EmitOptions {
  /** "ts": a TypeScript module; "js": an ES module (pair it with declarations()); "function": a body for new Function("rt", body). */
  readonly flavor: "ts" | "js" | "function";
  /** Shown in the header comment: the source file and the command's settings. */
  readonly provenance: string;
  /** Module specifier of the runtime. */
  readonly runtimeImport: string;
  /** Inline the runtime instead of importing it. */
  readonly standalone?: boolean;
  /**
   * Bound parameters (weights of an imported model, or --weights): the exported
   * function calls the model with them unless the caller passes its own. Their
   * safetensors bytes are embedded (base64), or a file the module loads at import
   * (a path relative to the module).
   */
  readonly weights?: { readonly names: readonly string[]; readonly embedded?: string; readonly file?: string };
}

export interface Target {
  readonly name: string;
  module(plan: Plan, opts: EmitOptions): string;
  declarations(plan: Plan, opts: EmitOptions): string;
}
