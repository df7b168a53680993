/**
 * --no-batch (the ablation of batch unification): the model's IR with the
 * batch axis fixed at N samples and treated as ordinary data. Every BATCH dim
 * becomes N, so no node is batched any more: a batched input x : [B, n] is one
 * variable of N * n elements, and the planners, which do not know that samples
 * are independent, compute the full cross-batch derivatives
 * d^k y[b] / dx[b1] ... dx[bk] (zero unless b1 = ... = bk = b).
 *
 * Seeds (--seed-output) are dropped from the rewritten IR but kept as inputs:
 * the full blocks are computed for every output element and contracted with the
 * seed when their diagonals are taken (derive/batch-diagonal.ts).
 */
import { Builder } from "./builders.js";
import { BATCH, isBatched, topoOrder, type GatherSpec, type InputNode, type Node } from "./node.js";
import type { ModelIR } from "./lower.js";

/** A per-sample gather map extended over the samples: the batch axis maps to itself. */
function overSamples(spec: GatherSpec, N: number): GatherSpec {
  return {
    view: [N, ...spec.view],
    src: [N, ...spec.src],
    coef: [[1, ...spec.view.map(() => 0)], ...spec.coef.map((row) => [0, ...row])],
    offset: [0, ...spec.offset],
  };
}

export function fixBatch(ir: ModelIR, N: number): ModelIR {
  const b = new Builder();
  const map = new Map<number, Node>();
  const names = new Map<number, string>();
  for (const n of topoOrder([...ir.inputs, ...ir.outputs.map((o) => o.node)])) {
    const args = n.args.map((a) => map.get(a.id)!), shape = n.shape.map((d) => (d === BATCH ? N : d));
    const m = n.op === "gather" && isBatched(n.shape) ? b.g.make("gather", args, { ...n.attrs, gather: overSamples(n.attrs.gather, N) }, shape, n.span, n.site)
      : n.op === "scatter" && isBatched(n.shape) ? b.g.make("scatter", args, { gather: overSamples(n.attrs.gather, N) }, shape, n.span, n.site)
      : b.g.make(n.op, args, n.attrs, shape, n.span, n.site);
    map.set(n.id, m);
    const name = ir.names.get(n.id);
    if (name !== undefined && !names.has(m.id)) names.set(m.id, name);
  }
  return {
    ...ir,
    builder: b,
    batch: undefined,
    inputs: ir.inputs.map((i) => map.get(i.id) as InputNode), // an input is remade as an input
    outputs: ir.outputs.map((o) => ({ ...o, node: map.get(o.node.id)! })),
    names,
    seeds: undefined,
  };
}
