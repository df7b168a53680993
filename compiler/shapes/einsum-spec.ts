/**
 * Einsum specs: "bi,ij->bj" (explicit) or "bi,ij" (implicit: output is the
 * letters used once, alphabetically). Repeated letters inside one operand take
 * a diagonal. Broadcasting "..." (NumPy/PyTorch) is lowered to explicit letters.
 * Returns the index strings and the output shape, or an error text.
 */
import { BATCH, isBatched, showShape, type Shape } from "../ir/node.js";

export interface EinsumSpec {
  readonly inputs: readonly string[];
  readonly output: string;
  readonly shape: Shape;
  /**
   * With "...": per operand, the axes to squeeze away (reshape) before the
   * contraction: size-1 dims broadcast against a larger size. `inputs` index
   * the squeezed operands. Absent: nothing to squeeze.
   */
  readonly squeeze?: readonly (readonly number[])[];
}
export type EinsumResult = { ok: EinsumSpec } | { error: string; batch?: boolean };

const size = (d: number): string => (d === BATCH ? "B" : String(d));

/**
 * NumPy/PyTorch einsum with broadcasting "...": each operand's "..." covers its
 * dims not named by letters; these dims broadcast across operands, aligned from
 * the right (a size 1 against a larger size, the batch axis only against itself
 * or 1). In the output, "..." stands for the broadcast dims; an explicit output
 * without "..." sums them; an implicit output puts them first, then the letters
 * used once, sorted. Lowered to explicit fresh letters: a size-1 dim broadcast
 * against a larger one gets no letter and is squeezed away (`squeeze`).
 */
export function checkEinsum(spec: string, shapes: readonly Shape[]): EinsumResult {
  const clean = spec.replace(/\s+/g, "");
  if (!clean.includes(".")) return checkLetters(spec, shapes);
  if (!/^[a-zA-Z,.]*(->[a-zA-Z.]*)?$/.test(clean)) return { error: `einsum spec "${spec}" may use only letters, '...', ',' and '->'` };
  const arrow = clean.indexOf("->");
  const terms = (arrow >= 0 ? clean.slice(0, arrow) : clean).split(",");
  const out = arrow >= 0 ? clean.slice(arrow + 2) : undefined;
  for (const t of [...terms, ...(out === undefined ? [] : [out])]) {
    const dots = t.replace(/\.\.\./, "");
    if (dots.includes(".")) return { error: `einsum spec "${spec}": '.' must come as '...', at most once per operand and in the output` };
  }
  if (terms.length !== shapes.length) return { error: `einsum spec "${spec}" names ${terms.length} operand(s) but ${shapes.length} were given` };
  // dims covered by each operand's "..."
  const covered: Shape[] = [];
  for (let k = 0; k < terms.length; k++) {
    const t = terms[k]!, sh = shapes[k]!;
    const letters = t.replace("...", "").length;
    if (!t.includes("...")) { covered.push([]); continue; }
    if (sh.length < letters) return { error: `einsum operand ${k + 1} has shape ${showShape(sh)} (rank ${sh.length}) but spec "${t}" has ${letters} indices besides '...'` };
    const at = t.indexOf("...");
    covered.push(sh.slice(at, at + sh.length - letters));
  }
  const nb = Math.max(0, ...covered.map((c) => c.length));
  const bdims: number[] = [];
  for (let j = 0; j < nb; j++) {
    let d = 1;
    for (const c of covered) {
      const e = c[c.length - nb + j];
      if (e === undefined || e === 1 || e === d) continue;
      if (d !== 1) return { error: `einsum: the dims covered by '...' do not broadcast: ${size(d)} and ${size(e)}`, batch: d === BATCH || e === BATCH };
      d = e;
    }
    bdims.push(d);
  }
  // fresh letters for the broadcast dims
  const used = new Set(clean.replace(/[^a-zA-Z]/g, ""));
  const fresh = [..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"].filter((c) => !used.has(c)).slice(0, nb);
  if (fresh.length < nb) return { error: `einsum spec "${spec}": not enough unused letters for the ${nb} dims covered by '...'` };
  const squeeze: number[][] = [];
  const inputs = terms.map((t, k) => {
    const c = covered[k]!, drop: number[] = [];
    let letters = "";
    c.forEach((e, i) => {
      const j = nb - c.length + i;
      if (e === 1 && bdims[j] !== 1) drop.push(t.indexOf("...") + i);
      else letters += fresh[j];
    });
    squeeze.push(drop);
    return t.replace("...", letters);
  });
  let output: string;
  if (out !== undefined) output = out.replace("...", fresh.join(""));
  else {
    const counts = new Map<string, number>();
    for (const t of terms) for (const ch of t.replace("...", "")) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    output = fresh.join("") + [...counts].filter(([, n]) => n === 1).map(([ch]) => ch).sort().join("");
  }
  const squeezed = shapes.map((sh, k) => sh.filter((_, a) => !squeeze[k]!.includes(a)));
  const r = checkLetters(`${inputs.join(",")}->${output}`, squeezed);
  if ("error" in r) return r;
  return squeeze.some((q) => q.length) ? { ok: { ...r.ok, squeeze } } : r;
}

/** Specs with letters only: explicit or implicit output, diagonals. */
function checkLetters(spec: string, shapes: readonly Shape[]): EinsumResult {
  const clean = spec.replace(/\s+/g, "");
  const arrow = clean.indexOf("->");
  const lhs = arrow >= 0 ? clean.slice(0, arrow) : clean;
  const inputs = lhs.split(",");
  if (!/^[a-zA-Z,]*(->[a-zA-Z]*)?$/.test(clean)) return { error: `einsum spec "${spec}" may use only letters, '...', ',' and '->'` };
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
