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
}

export interface Target {
  readonly name: string;
  module(plan: Plan, opts: EmitOptions): string;
  declarations(plan: Plan, opts: EmitOptions): string;
}
