/**
 * The registry of codegen targets, by their --target name. A new target is an
 * entry here (and a TargetName); CompileOptions.target and `thoadc --target`
 * accept exactly these names (an unknown one is TH306).
 */
import type { Target } from "./target.js";
import { typescriptTarget } from "./typescript.js";
import { wasmTarget } from "./wasm-target.js";

export const TARGET_NAMES = ["ts", "wasm"] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

export const TARGETS: Record<TargetName, Target> = { ts: typescriptTarget, wasm: wasmTarget };

export const DEFAULT_TARGET: TargetName = "ts";

export const isTargetName = (name: string): name is TargetName => (TARGET_NAMES as readonly string[]).includes(name);
