/**
 * The size of the forward plan, from the IR, before it is planned: how many
 * derivative blocks (about one step each) and how many rule applications the
 * planner will visit. A node depending on d of the wrt variables has
 * C(d + k - 1, k) keys of order k (forward.ts visits only those); per key, an
 * elementwise function enumerates the Bell(k) set partitions of the key's
 * positions and a product of r operands its r^k distributions. A product of
 * 100 scalars at order 2 is 170 000 blocks; five inputs at order 10 through
 * tanh are 10^8 partitions (minutes of planning, gigabytes of index tables).
 */
import type { Node } from "../ir/node.js";

export interface ForwardEstimate {
  /** Derivative blocks, each about one plan step. */
  readonly blocks: number;
  /** Rule applications: set partitions and distributions visited over every key of every node. */
  readonly work: number;
}

/** Bell numbers B(0..10): set partitions of k positions. */
const BELL = [1, 1, 2, 5, 15, 52, 203, 877, 4140, 21147, 115975];

/** Multisets of size k over d variables. */
const multisets = (d: number, k: number): number => {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (d + i - 1)) / i;
  return Math.round(r);
};

export function estimateForward(nodes: readonly Node[], wrt: readonly string[], order: number): ForwardEstimate {
  const deps = new Map<number, ReadonlySet<number>>();
  let blocks = 0, work = 0;
  for (const n of nodes) {
    let d: ReadonlySet<number>;
    if (n.op === "input") d = new Set(wrt.includes(n.attrs.name) ? [wrt.indexOf(n.attrs.name)] : []);
    else if (n.op === "const" || n.op === "amax" || n.op === "compare") d = new Set(); // constants for differentiation
    else if (n.op === "select") d = deps.get(n.args[3]!.id)!; // its derivatives are the blend's
    else {
      const u = new Set<number>();
      for (const a of n.args) for (const v of deps.get(a.id)!) u.add(v);
      d = u;
    }
    deps.set(n.id, d);
    if (d.size === 0 || n.op === "input" || n.op === "reshape" || n.op === "select") continue; // no blocks of their own
    const r = n.args.length;
    for (let k = 1; k <= order; k++) {
      const keys = multisets(d.size, k);
      blocks += keys;
      const perKey = n.op === "unary" ? BELL[k] ?? Infinity : n.op === "mul" || n.op === "einsum" || n.op === "sum" || n.op === "transpose" ? r ** k : 1;
      work += keys * perKey;
    }
  }
  return { blocks, work };
}
