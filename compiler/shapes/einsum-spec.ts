/**
 * Einsum specs: "bi,ij->bj" (explicit) or "bi,ij" (implicit: output is the
 * letters used once, alphabetically). Repeated letters inside one operand take
 * a diagonal. Returns the index strings and the output shape, or an error text.
 */
import { BATCH, isBatched, showShape, type Shape } from "../ir/node.js";

export interface EinsumSpec { readonly inputs: readonly string[]; readonly output: string; readonly shape: Shape }
export type EinsumResult = { ok: EinsumSpec } | { error: string; batch?: boolean };

export function checkEinsum(spec: string, shapes: readonly Shape[]): EinsumResult {
  const clean = spec.replace(/\s+/g, "");
  const arrow = clean.indexOf("->");
  const lhs = arrow >= 0 ? clean.slice(0, arrow) : clean;
  const inputs = lhs.split(",");
  if (!/^[a-zA-Z,]*(->[a-zA-Z]*)?$/.test(clean)) return { error: `einsum spec "${spec}" may use only letters, ',' and '->' (broadcasting '...' is not supported yet)` };
  if (inputs.length !== shapes.length) return { error: `einsum spec "${spec}" names ${inputs.length} operand(s) but ${shapes.length} were given` };
  const sizes = new Map<string, number>();
  const counts = new Map<string, number>();
  for (let k = 0; k < inputs.length; k++) {
    const ix = inputs[k]!, sh = shapes[k]!;
    if (ix.length !== sh.length) return { error: `einsum operand ${k + 1} has shape ${showShape(sh)} (rank ${sh.length}) but spec "${ix}" has ${ix.length} indices` };
    for (let a = 0; a < ix.length; a++) {
      const c = ix[a]!, d = sh[a]!;
      const prev = sizes.get(c);
      if (prev !== undefined && prev !== d) {
        const batch = prev === BATCH || d === BATCH;
        return { error: `einsum index '${c}' has size ${prev === BATCH ? "B" : prev} and ${d === BATCH ? "B" : d}`, batch };
      }
      sizes.set(c, d);
      counts.set(c, (counts.get(c) ?? 0) + 1);
    }
  }
  let output: string;
  if (arrow >= 0) {
    output = clean.slice(arrow + 2);
    for (const c of output) {
      if (!sizes.has(c)) return { error: `einsum output index '${c}' appears in no operand` };
      if (output.indexOf(c) !== output.lastIndexOf(c)) return { error: `einsum output index '${c}' is repeated` };
    }
  } else {
    output = [...counts].filter(([, n]) => n === 1).map(([c]) => c).sort().join("");
  }
  // batch: the batch letter must be axis 0 of every batched operand and of the output
  for (let k = 0; k < inputs.length; k++) {
    const ix = inputs[k]!;
    for (let a = 0; a < ix.length; a++) {
      if (sizes.get(ix[a]!) === BATCH && (a !== 0 || !isBatched(shapes[k]!) || ix.indexOf(ix[a]!, 1) > 0)) {
        return { error: `einsum index '${ix[a]}' is the batch axis and must be axis 0 of its operand, used once`, batch: true };
      }
    }
  }
  const batchLetter = [...sizes].find(([, d]) => d === BATCH)?.[0];
  if (batchLetter !== undefined && output[0] !== batchLetter) {
    return { error: `einsum ${output.includes(batchLetter) ? "moves" : "contracts"} the batch axis '${batchLetter}'; it must stay axis 0 of the output`, batch: true };
  }
  return { ok: { inputs, output, shape: [...output].map((c) => sizes.get(c)!) } };
}
