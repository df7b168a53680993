/** NumPy broadcasting over static shapes; the batch axis only matches itself (or 1). */
import { BATCH, type Shape } from "../ir/node.js";

/** The broadcast shape, or undefined if the shapes do not broadcast. */
export function broadcastShapes(a: Shape, b: Shape): Shape | undefined {
  const r = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < r; i++) {
    const da = a[a.length - r + i] ?? 1, db = b[b.length - r + i] ?? 1;
    if (da === db || db === 1) out.push(da);
    else if (da === 1) out.push(db);
    else return undefined;
  }
  // the batch axis must stay axis 0: a batched operand aligned under a longer one would move it
  // ([B] with [B, 1] would give [B, B]: the batch axis twice)
  if (out.includes(BATCH) && out.lastIndexOf(BATCH) !== 0) return undefined;
  return out;
}

/** Normalises a possibly negative axis; undefined if out of range. */
export function normAxis(axis: number, rank: number): number | undefined {
  const a = axis < 0 ? axis + rank : axis;
  return Number.isInteger(a) && a >= 0 && a < rank ? a : undefined;
}
