/**
 * --no-batch, last step: a plan made on the fixed-batch IR (ir/fix-batch.ts)
 * holds, per output and key, the full cross-batch block over variables of
 * N * n elements. Its diagonal is the batch-unified block the normal build
 * returns:
 *
 *   D[b, y, (j...; w...)] = F[b, y, (b*n + j...; w...)]
 *
 * (every position of a batched variable moved into sample b; positions of an
 * unbatched variable, a param, as they are), read through a batch-diagonal
 * table. Keys without a batched variable have no cross-batch structure: their
 * full block already has the batch-unified layout [N, Y, P] and is handed out
 * unchanged, as are output values. With --seed-output the seed is contracted
 * over the output's per-sample axes in the same step. The result has the
 * normal build's inputs, wrt and outputs (batch axis -1), so OutputResult and
 * every caller see the same layout.
 */
import { packedSize } from "../../runtime/packed.js";
import { BATCH, innerSize, isBatched } from "../ir/node.js";
import type { ModelIR } from "../ir/lower.js";
import { PlanBuilder } from "../plan/plan-builder.js";
import { lineOf, type Factor, type IndexRef, type Plan, type PlanOutput } from "../plan/plan.js";

export function batchDiagonal(plan: Plan, ir: ModelIR, N: number): Plan {
  const pb = PlanBuilder.extending(plan);
  const wrt = plan.wrt.map((w) => ir.inputs.find((i) => i.attrs.name === w.name)!);
  const batched = wrt.map((w) => (isBatched(w.shape) ? 1 : 0));
  const ns = wrt.map((w) => innerSize(w.shape));
  const names = wrt.map((w) => w.attrs.name);
  const inputBuf = (name: string): number => {
    const pos = ir.inputs.findIndex((i) => i.attrs.name === name);
    return plan.buffers.find((b) => b.role === "input" && b.input === pos)!.id;
  };
  const outputs = plan.outputs.map((po): PlanOutput => {
    const o = ir.outputs.find((x) => x.name === po.name)!;
    const yb = isBatched(o.node.shape), Y = innerSize(o.node.shape);
    const seed = ir.seeds?.get(o.name);
    const blocks = new Map<string, number>();
    for (const [key, full] of po.blocks) {
      const vars = key.split(",");
      const counts = names.map((n) => vars.filter((v) => v === n).length);
      const diagonal = counts.some((c, g) => c > 0 && batched[g]);
      if (diagonal && !yb) throw new Error(`internal: --no-batch: output ${o.name} without the batch axis has a block for ${key}`);
      if (!diagonal && !seed) { blocks.set(key, full); continue; }
      const P = packedSize(ns, counts);
      const lead = yb ? ["b"] : [];
      const packed: IndexRef = diagonal ? { table: pb.diagonalTable(ns, counts, batched, N), row: "p", member: "b" } : "p";
      const factors: Factor[] = [...(seed ? [{ buf: inputBuf(seed.attrs.name), idx: ["y"] }] : []), { buf: full, idx: [...lead, "y", packed] }];
      const out = pb.buffer({ batched: yb, size: (seed ? 1 : Y) * P, role: "deriv", label: `${o.name} ${seed ? "seeded " : ""}d[${key}]${diagonal ? " batch diagonal" : ""}`, ...lineOf(pb.buffers[full]!) });
      pb.step({ kind: "contract", out, outIdx: [...lead, ...(seed ? [] : ["y"]), "p"], sizes: { ...(yb ? { b: "B" as const } : {}), y: Y, p: P }, terms: [{ coef: 1, factors }] });
      blocks.set(key, out);
    }
    return { ...po, shape: o.node.shape, blocks, ...(seed ? { seeded: true } : {}) };
  });
  return {
    ...plan,
    wrt: wrt.map((w) => ({ name: w.attrs.name, shape: w.shape.filter((d) => d !== BATCH), batched: isBatched(w.shape) })),
    inputs: ir.inputs.map((i) => ({ name: i.attrs.name, shape: i.shape, isParam: !!i.attrs.isParam })),
    buffers: pb.buffers,
    tables: pb.tables,
    steps: pb.steps,
    outputs,
    staticBatch: N,
  };
}
