/**
 * The registry of codegen targets, by their --target name. A new target is an
 * entry here (and a TargetName); CompileOptions.target and `thoadc --target`
 * accept exactly these names and "auto" (an unknown one is TH306).
 */
import type { Target } from "./target.js";
import { typescriptTarget } from "./typescript.js";
import { wasmTarget } from "./wasm-target.js";

export const TARGET_NAMES = ["ts", "wasm"] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

export const TARGETS: Record<TargetName, Target> = { ts: typescriptTarget, wasm: wasmTarget };

/** What --target accepts: a target, or "auto" (choose-target.ts: the one the cost model estimates faster for the plan). */
export type TargetOption = TargetName | "auto";
export const TARGET_OPTIONS: readonly TargetOption[] = [...TARGET_NAMES, "auto"];

export const DEFAULT_TARGET: TargetOption = "auto";

export const isTargetName = (name: string): name is TargetName => (TARGET_NAMES as readonly string[]).includes(name);
export const isTargetOption = (name: string): name is TargetOption => (TARGET_OPTIONS as readonly string[]).includes(name);
