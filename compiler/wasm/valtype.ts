/** WebAssembly value types (spec 5.3.1) and function types. */
import { uleb } from "./leb128.js";

export const ValType = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b } as const;
export type ValTypeName = keyof typeof ValType;

/** A function signature: parameter and result types. */
export interface FuncType {
  readonly params: readonly ValTypeName[];
  readonly results: readonly ValTypeName[];
}

/** Encoded as 0x60, vec(params), vec(results). */
export function encodeFuncType(t: FuncType): number[] {
  return [0x60, ...uleb(t.params.length), ...t.params.map((p) => ValType[p]), ...uleb(t.results.length), ...t.results.map((r) => ValType[r])];
}

/** A key that is equal for equal signatures (the type section holds each once). */
export function funcTypeKey(t: FuncType): string {
  return `${t.params.join(",")}->${t.results.join(",")}`;
}
