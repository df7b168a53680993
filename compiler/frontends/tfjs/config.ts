/**
 * Typed reads of a layer's Keras config. A value of the wrong type or out of
 * range is TH506 naming the layer, its class and the key; absent keys take
 * Keras's defaults. Keys the translation does not need (initializers,
 * regularizers, constraints, trainable) are never read, so they are ignored.
 */
import type { Code } from "../../diagnostics/codes.js";
import { fail, show } from "./failure.js";

export type Json = null | boolean | number | string | readonly Json[] | { readonly [k: string]: Json };

export const isObject = (v: unknown): v is { readonly [k: string]: Json } => typeof v === "object" && v !== null && !Array.isArray(v);

const isInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);

export class LayerConfig {
  constructor(
    readonly layer: string,
    readonly className: string,
    readonly raw: { readonly [k: string]: Json },
  ) {}

  /** "layer 'conv2d_1' (Conv2D)": how every message about this layer starts. */
  get label(): string {
    return `layer '${this.layer}' (${this.className})`;
  }

  fail(code: Code, message: string): never {
    return fail(code, `${this.label}: ${message}`);
  }

  has(key: string): boolean {
    return this.raw[key] !== undefined && this.raw[key] !== null;
  }

  private bad(key: string, what: string): never {
    return this.fail("TH506", `${key} must be ${what}, got ${show(this.raw[key])}`);
  }

  /** A positive int. */
  posInt(key: string, fallback?: number): number {
    if (!this.has(key)) return fallback ?? this.bad(key, "a positive integer");
    const v = this.raw[key];
    return isInt(v) && v > 0 ? v : this.bad(key, "a positive integer");
  }

  /** An int; negative values allowed (axes). */
  int(key: string, fallback: number): number {
    if (!this.has(key)) return fallback;
    const v = this.raw[key];
    return isInt(v) ? v : this.bad(key, "an integer");
  }

  /** An int or a list of ints (axes). */
  intOrInts(key: string, fallback: number): readonly number[] {
    if (!this.has(key)) return [fallback];
    const v = this.raw[key];
    if (isInt(v)) return [v];
    if (Array.isArray(v) && v.length > 0 && v.every(isInt)) return v as readonly number[];
    return this.bad(key, "an integer or a list of integers");
  }

  /** One positive int per spatial axis: Keras accepts a single int for all of them. */
  tuple(key: string, n: number, fallback?: readonly number[]): readonly number[] {
    if (!this.has(key)) return fallback ?? this.bad(key, `a positive integer or a list of ${n}`);
    const v = this.raw[key];
    if (isInt(v) && v > 0) return Array<number>(n).fill(v);
    if (Array.isArray(v) && v.length === n && v.every((e) => isInt(e) && e > 0)) return v as readonly number[];
    return this.bad(key, `a positive integer or a list of ${n}`);
  }

  number(key: string, fallback: number): number {
    if (!this.has(key)) return fallback;
    const v = this.raw[key];
    return typeof v === "number" && Number.isFinite(v) ? v : this.bad(key, "a finite number");
  }

  bool(key: string, fallback: boolean): boolean {
    if (!this.has(key)) return fallback;
    const v = this.raw[key];
    return typeof v === "boolean" ? v : this.bad(key, "true or false");
  }

  /** One of `allowed` (compared in lower case, as Keras does for padding and data_format). */
  choice<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
    if (!this.has(key)) return fallback;
    const v = this.raw[key];
    const s = typeof v === "string" ? v.toLowerCase() : undefined;
    const hit = allowed.find((a) => a === s);
    if (hit !== undefined) return hit;
    return this.fail("TH506", `${key} ${show(v)} is not supported (supported: ${allowed.map((a) => `"${a}"`).join(", ")})`);
  }
}
