/**
 * Derivative keys: multisets over the wrt variables, as count vectors
 * (counts[i] = how often wrt[i] occurs). Positions of a key are laid out
 * variable by variable in wrt order, the layout runtime/packed.ts uses.
 */
export type Key = readonly number[];

export const order = (k: Key): number => k.reduce((a, b) => a + b, 0);
export const keyId = (k: Key): string => k.join(".");
export const keyName = (k: Key, wrt: readonly string[]): string => k.flatMap((c, i) => Array<string>(c).fill(wrt[i]!)).join(",");
export const addKeys = (a: Key, b: Key): Key => a.map((x, i) => x + b[i]!);

/** Every key of order 1..K over p variables: by order, then lexicographically by position. */
export function keysUpTo(p: number, K: number): Key[] {
  const out: Key[] = [];
  const rec = (k: number, from: number, acc: number[]): void => {
    if (k === 0) { out.push(acc.slice()); return; }
    for (let i = from; i < p; i++) { acc[i]!++; rec(k - 1, i, acc); acc[i]!--; }
  };
  for (let k = 1; k <= K; k++) rec(k, 0, new Array<number>(p).fill(0));
  return out;
}

/** The variable of each position of a key. */
export const positionVars = (k: Key): number[] => k.flatMap((c, i) => Array<number>(c).fill(i));

/** The sub-key a position mask selects (vars: positionVars(k), when the caller has it). */
export function subKey(k: Key, mask: number, vars = positionVars(k)): Key {
  const out = new Array<number>(k.length).fill(0);
  vars.forEach((v, pos) => { if ((mask >> pos) & 1) out[v]!++; });
  return out;
}

/** Set partitions of {0..n-1} as lists of block masks (restricted growth strings). */
export function setPartitions(n: number): number[][] {
  const out: number[][] = [];
  const a = new Array<number>(n).fill(0);
  const rec = (i: number, max: number): void => {
    if (i === n) {
      const blocks = new Array<number>(max + 1).fill(0);
      a.forEach((b, pos) => { blocks[b]! |= 1 << pos; });
      out.push(blocks);
      return;
    }
    for (let b = 0; b <= max + 1; b++) { a[i] = b; rec(i + 1, Math.max(max, b)); }
  };
  if (n === 0) return [[]];
  a[0] = 0;
  rec(1, 0);
  return out;
}

/** Assignments of n positions to r labelled parts (parts may be empty), as per-part masks. */
export function distributions(n: number, r: number): number[][] {
  const out: number[][] = [];
  const total = r ** n;
  for (let code = 0; code < total; code++) {
    const masks = new Array<number>(r).fill(0);
    let c = code;
    for (let pos = 0; pos < n; pos++) { masks[c % r]! |= 1 << pos; c = Math.floor(c / r); }
    out.push(masks);
  }
  return out;
}
