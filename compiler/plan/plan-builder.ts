/** Accumulates buffers, tables (deduplicated) and steps into a Plan. */
import type { BufferDecl, Step, TableDecl } from "./plan.js";

export class PlanBuilder {
  readonly buffers: BufferDecl[] = [];
  readonly tables: TableDecl[] = [];
  readonly steps: Step[] = [];
  private readonly tableIndex = new Map<string, number>();

  buffer(decl: Omit<BufferDecl, "id" | "name">): number {
    const id = this.buffers.length;
    this.buffers.push({ id, name: `t${id}`, ...decl });
    return id;
  }

  table(ns: readonly number[], ms: readonly number[], masks: readonly number[], rows: number, kind: "sub" | "dense" = "sub"): number {
    const key = `${kind}|${ns.join(",")}|${ms.join(",")}|${masks.join(",")}`;
    const hit = this.tableIndex.get(key);
    if (hit !== undefined) return hit;
    const id = this.tables.length;
    this.tables.push({ id, kind, ns: [...ns], ms: [...ms], masks: [...masks], rows });
    this.tableIndex.set(key, id);
    return id;
  }

  step(s: Step): void {
    this.steps.push(s);
  }
}
