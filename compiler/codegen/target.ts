/**
 * A codegen target turns a plan into files. It owns what depends on the code it
 * emits: the memory layout (batch tiling, storage slots), the schedule
 * parameters its scheduler uses (schedule.ts), and the cost factors the cost
 * model weighs a plan with (plan/cost.ts, plan/choose-mode.ts). Targets are
 * listed in targets.ts: TypeScript/JavaScript (typescript.ts), and wasm
 * (wasm-target.ts: the same module with GEMM-shaped, unrolled and elementwise steps in WebAssembly).
 */
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

/** Where a plan's buffers live as the target runs it. */
export interface Layout {
  /** Batch tiling: the plan reordered (param-only steps first) and how many steps run before the tile loop; undefined: untiled. */
  readonly tiling?: { readonly plan: Plan; readonly prologue: number };
  /** Samples per tile (0 when untiled). */
  readonly tile: number;
  /** Storage slot of each intermediate root buffer; absent: own allocation (outputs) or input. */
  readonly slotOf: ReadonlyMap<number, number>;
  readonly slots: readonly { readonly batched: boolean; readonly size: number }[];
}

/**
 * What the cost model needs to know of a target: estimated seconds per counted
 * flop and per byte allocated and touched, and how much slower per flop its
 * reverse-mode nests run (calibrated per target; the TypeScript target's
 * numbers are docs/modes.md's).
 */
export interface CostFactors {
  readonly secondsPerFlop: number;
  readonly secondsPerByte: number;
  readonly reverseSlowdown: number;
}

/** The parts of a target the cost model reads (plan/ depends on this, not on a target's code). */
export interface CostTarget {
  readonly name: string;
  layout(plan: Plan): Layout;
  costFactors(): CostFactors;
}

export interface Target extends CostTarget {
  /** The --target name. */
  readonly name: string;
  /** One line for `thoadc explain` and the docs. */
  readonly description: string;
  module(plan: Plan, opts: EmitOptions): string;
  /** How the target runs step `i` of the plan, for `thoadc explain` (absent: every step the same way). */
  stepNote?(plan: Plan, i: number): string;
  declarations(plan: Plan, opts: EmitOptions): string;
}
