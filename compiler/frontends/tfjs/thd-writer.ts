/**
 * Assembles the `.thd` text: a header comment, the helper fns used, then one
 * model with its batch axis, inputs, and per layer its params followed by its
 * one statement. Every name goes through identifier() with one `taken` set,
 * so inputs, params and statements never collide (with each other, the batch
 * name B or a helper fn). Params and their values are recorded together, in
 * declaration order.
 */
import { identifier, allFloat32, type Weight } from "../imported.js";
import { HELPER_FNS } from "./activations.js";

/** A comment stays on its line whatever a layer name holds. */
const oneLine = (s: string): string => s.replace(/[\r\n]+/g, " ");

/** The shortest text that reads back as the same float64 (JavaScript's), which the .thd lexer accepts. */
export const num = (x: number): string => String(x);

export class ThdWriter {
  private readonly taken = new Set<string>(["B", ...Object.keys(HELPER_FNS)]);
  private readonly inputLines: string[] = [];
  private readonly body: string[] = [];
  private readonly fns = new Set<string>();
  private readonly outputs: string[] = [];
  readonly weights = new Map<string, Weight>();

  /** A fresh `.thd` name for `original`. */
  name(original: string): string {
    return identifier(original, this.taken);
  }

  input(name: string, shape: readonly number[], comment: string): void {
    this.inputLines.push(`  input ${name} : [${["B", ...shape].join(", ")}]  # ${oneLine(comment)}`);
  }

  /** Declares a param holding `data` (row-major, `shape`) under a fresh name derived from `original`. */
  param(original: string, shape: readonly number[], data: Float64Array, comment: string): string {
    const name = this.name(original);
    this.weights.set(name, { shape: [...shape], data, f32: allFloat32(data) });
    this.body.push(`  param ${name} : [${shape.join(", ")}]  # ${oneLine(comment)}`);
    return name;
  }

  assign(name: string, expr: string, comment: string): void {
    this.body.push(`  ${name} = ${expr}  # ${oneLine(comment)}`);
  }

  /** A blank line between layers. */
  gap(): void {
    if (this.body.length > 0 && this.body[this.body.length - 1] !== "") this.body.push("");
  }

  useFn(fn: string): void {
    this.fns.add(fn);
  }

  output(name: string): void {
    this.outputs.push(name);
  }

  render(model: string, header: readonly string[]): string {
    const fns = Object.keys(HELPER_FNS).filter((f) => this.fns.has(f)).map((f) => HELPER_FNS[f]!);
    const body = this.body[this.body.length - 1] === "" ? this.body.slice(0, -1) : this.body;
    return [
      ...header.map((h) => `# ${oneLine(h)}`),
      "",
      ...(fns.length > 0 ? [...fns, ""] : []),
      `model ${model} {`,
      "  batch B",
      ...this.inputLines,
      "",
      ...body,
      "",
      `  output ${this.outputs.join(", ")}`,
      "}",
      "",
    ].join("\n");
  }
}
