/** Accumulates buffers, tables (deduplicated) and steps into a Plan. */
import { packedSize } from "../../runtime/packed.js";
import type { BufferDecl, Plan, Step, TableDecl } from "./plan.js";
import type { GatherSpec, Node } from "../ir/node.js";
import { gatherTable } from "../../runtime/gather.js";

export class PlanBuilder {
  readonly buffers: BufferDecl[] = [];
  readonly tables: TableDecl[] = [];
  readonly steps: Step[] = [];
  private readonly tableIndex = new Map<string, number>();
  /** The model line (and fn body line) the buffers made now come from (see at). */
  private origin: Pick<BufferDecl, "line" | "fn"> = {};

  /** A builder continuing a finished plan: its buffers, tables and steps kept as they are. */
  static extending(plan: Plan): PlanBuilder {
    const pb = new PlanBuilder();
    for (const b of plan.buffers) pb.buffers.push(b);
    for (const t of plan.tables) pb.tables.push(t);
    for (const s of plan.steps) pb.steps.push(s);
    return pb;
  }

  buffer(decl: Omit<BufferDecl, "id" | "name">): number {
    const id = this.buffers.length;
    this.buffers.push({ id, name: `t${id}`, ...this.origin, ...decl });
    return id;
  }

  /**
   * Runs f with every buffer it makes stamped with a model line: a node's (its
   * span's line, or for a node of an inlined fn body the call's line and the fn
   * with its body line), or a line given as a number.
   */
  at<T>(where: number | Node | undefined, f: () => T): T {
    const outer = this.origin;
    this.origin = where === undefined ? {} : typeof where === "number" ? { line: where }
      : where.site ? { line: where.site.line, fn: { name: where.site.fn, line: where.span.line } } : { line: where.span.line };
    try { return f(); } finally { this.origin = outer; }
  }

  table(ns: readonly number[], ms: readonly number[], masks: readonly number[], rows: number, kind: "sub" | "dense" | "rank" | "sorted" = "sub"): number {
    const key = `${kind}|${ns.join(",")}|${ms.join(",")}|${masks.join(",")}`;
    const hit = this.tableIndex.get(key);
    if (hit !== undefined) return hit;
    const id = this.tables.length;
    this.tables.push({ id, kind, ns: [...ns], ms: [...ms], masks: [...masks], rows });
    this.tableIndex.set(key, id);
    return id;
  }

  /** A batch-diagonal table (--no-batch, runtime batchDiagonalTable), deduplicated; rows: per-sample packed entries. */
  diagonalTable(ns: readonly number[], ms: readonly number[], batched: readonly number[], samples: number): number {
    const key = `diagonal|${ns.join(",")}|${ms.join(",")}|${batched.join(",")}|${samples}`;
    const hit = this.tableIndex.get(key);
    if (hit !== undefined) return hit;
    const id = this.tables.length;
    this.tables.push({ id, kind: "diagonal", ns: [...ns], ms: [...ms], masks: [], rows: packedSize(ns, ms), diagonal: { batched: [...batched], samples } });
    this.tableIndex.set(key, id);
    return id;
  }

  /** The rank (any order) or sorted-only table of a group of m positions over n elements (n^m dense rows, m x n stored terms). */
  groupTable(n: number, m: number, sortedOnly: boolean): number {
    return this.table([n], [m], [], n ** m, sortedOnly ? "sorted" : "rank");
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

  /** Per taken element of a gather map (the rows of its "out" and "in" tables), the coordinate floor(out / stride) % extent. */
  gatherCoordTable(spec: GatherSpec, stride: number, extent: number): number {
    const key = `gather|coord ${stride} ${extent}|${JSON.stringify(spec)}`;
    const hit = this.tableIndex.get(key);
    if (hit !== undefined) return hit;
    const rows = gatherTable(spec.view, spec.src, spec.coef, spec.offset, "out").length;
    const id = this.tables.length;
    this.tables.push({ id, kind: "gather", ns: [], ms: [], masks: [], rows, gather: { spec, side: "out", extent, coord: { stride } } });
    this.tableIndex.set(key, id);
    return id;
  }

  /**
   * A block's sorted corner in the standard packed layout: from a dense block
   * [B?, Y, n_1 (m_1 times), ...] to [B?, Y, P] through a dense-offset table.
   * Keys without a repeated variable are already packed: the block is returned.
   */
  packDense(src: number, batched: boolean, Y: number, ns: readonly number[], counts: readonly number[], label: string): number {
    if (counts.every((c) => c <= 1)) return src;
    const P = packedSize(ns, counts);
    const table = this.table(ns, counts, [], P, "dense");
    const lead = batched ? ["b"] : [];
    const buf = this.buffer({ batched, size: Y * P, role: "deriv", label });
    this.step({ kind: "contract", out: buf, outIdx: [...lead, "y", "p"], sizes: { ...(batched ? { b: "B" as const } : {}), y: Y, p: P }, terms: [{ coef: 1, factors: [{ buf: src, idx: [...lead, "y", { table, row: "p", member: "0" }] }] }] });
    return buf;
  }

  step(s: Step): void {
    this.steps.push(s);
  }
}
