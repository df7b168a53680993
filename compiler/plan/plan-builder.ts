/** Accumulates buffers, tables (deduplicated) and steps into a Plan. */
import type { BufferDecl, Step, TableDecl } from "./plan.js";
import type { GatherSpec } from "../ir/node.js";
import { gatherTable } from "../../runtime/gather.js";

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

  /** One side of a gather map (deduplicated); rows: the number of offsets it lists. */
  gatherTable(spec: GatherSpec, side: "out" | "in" | "pad"): { table: number; rows: number } {
    const key = `gather|${side}|${JSON.stringify(spec)}`;
    const hit = this.tableIndex.get(key);
    if (hit !== undefined) return { table: hit, rows: this.tables[hit]!.rows };
    const rows = gatherTable(spec.view, spec.src, spec.coef, spec.offset, side).length;
    const extent = (side === "in" ? spec.src : spec.view).reduce((p, d) => p * d, 1);
    const id = this.tables.length;
    this.tables.push({ id, kind: "gather", ns: [], ms: [], masks: [], rows, gather: { spec, side, extent } });
    this.tableIndex.set(key, id);
    return { table: id, rows };
  }

  step(s: Step): void {
    this.steps.push(s);
  }
}
