/**
 * A small unified line diff for `thoadc --check`: enough to show why a file is
 * stale, not a general diff tool. Common head and tail lines are trimmed, the
 * middle is diffed by Myers' O((N+M)D) algorithm up to a bounded number of
 * edits (beyond it, the middle is shown as one replaced block), and the
 * output stops after a few lines.
 */

interface Edit { readonly op: " " | "-" | "+"; readonly line: string; readonly a: number; readonly b: number }

/** Most edits Myers' search tries before giving up on a minimal script (its trace grows as D^2). */
const MAX_EDITS = 2000;

/** Shortest edit script of a and b (Myers 1986, greedy forward search with a trace of the frontier); undefined past MAX_EDITS. */
function myers(a: readonly string[], b: readonly string[], a0: number, b0: number): Edit[] | undefined {
  const n = a.length, m = b.length, max = Math.min(n + m, MAX_EDITS);
  const v = new Int32Array(2 * max + 2), off = max + 1;
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice(off - d - 1, off + d + 2)); // the frontier before step d, over diagonals -d-1..d+1
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[off + k - 1]! < v[off + k + 1]!) ? v[off + k + 1]! : v[off + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) { x++; y++; }
      v[off + k] = x;
      if (x >= n && y >= m) return backtrack(trace, a, b, a0, b0, d, k);
    }
  }
  return undefined;
}

function backtrack(trace: readonly Int32Array[], a: readonly string[], b: readonly string[], a0: number, b0: number, dEnd: number, kEnd: number): Edit[] {
  const out: Edit[] = [];
  let x = a.length, y = b.length, k = kEnd;
  for (let d = dEnd; d > 0; d--) {
    const t = trace[d]!, at = (kk: number) => t[kk + d + 1]!; // frontier before step d
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const pk = down ? k + 1 : k - 1, px = at(pk), py = px - pk;
    while (x > (down ? px : px + 1) && y > (down ? py + 1 : py)) { x--; y--; out.push({ op: " ", line: a[x]!, a: a0 + x, b: b0 + y }); }
    if (down) { y--; out.push({ op: "+", line: b[y]!, a: a0 + x, b: b0 + y }); } else { x--; out.push({ op: "-", line: a[x]!, a: a0 + x, b: b0 + y }); }
    k = pk;
  }
  while (x > 0 && y > 0) { x--; y--; out.push({ op: " ", line: a[x]!, a: a0 + x, b: b0 + y }); }
  return out.reverse();
}

/** The edit script of two texts' lines: minimal for up to MAX_EDITS edits, else the changed middle as one block. */
export function lineEdits(before: readonly string[], after: readonly string[]): Edit[] {
  let head = 0;
  while (head < before.length && head < after.length && before[head] === after[head]) head++;
  let tail = 0;
  while (tail < before.length - head && tail < after.length - head && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  const a = before.slice(head, before.length - tail), b = after.slice(head, after.length - tail);
  const middle = myers(a, b, head, head) ?? [...a.map((line, i) => ({ op: "-" as const, line, a: head + i, b: head })), ...b.map((line, i) => ({ op: "+" as const, line, a: head + a.length, b: head + i }))];
  const same = (i: number, j: number): Edit => ({ op: " ", line: before[i]!, a: i, b: j });
  return [...before.slice(0, head).map((_, i) => same(i, i)), ...middle, ...before.slice(before.length - tail).map((_, i) => same(before.length - tail + i, after.length - tail + i))];
}

/**
 * A unified diff of two texts with `context` lines around each change, at most
 * `maxLines` lines of hunks (then a line saying how many changed lines are not
 * shown); empty when the texts are equal.
 */
export function unifiedDiff(before: string, after: string, names: readonly [string, string], maxLines = 16, context = 2): string[] {
  const edits = lineEdits(before.split("\n"), after.split("\n"));
  const changed = edits.map((e, i) => (e.op === " " ? -1 : i)).filter((i) => i >= 0);
  if (!changed.length) return [];
  // hunks: runs of changes closer than 2 * context lines, with their context
  const hunks: [number, number][] = [];
  for (const i of changed) {
    const lo = Math.max(0, i - context), hi = Math.min(edits.length, i + context + 1);
    const last = hunks[hunks.length - 1];
    if (last && lo <= last[1]) last[1] = hi; else hunks.push([lo, hi]);
  }
  const out = [`--- ${names[0]}`, `+++ ${names[1]}`];
  let shown = 0;
  for (const [lo, hi] of hunks) {
    if (out.length - 2 >= maxLines) break;
    const part = edits.slice(lo, hi);
    const aLines = part.filter((e) => e.op !== "+").length, bLines = part.filter((e) => e.op !== "-").length;
    out.push(`@@ -${part[0]!.a + (aLines ? 1 : 0)},${aLines} +${part[0]!.b + (bLines ? 1 : 0)},${bLines} @@`);
    for (const e of part) {
      if (out.length - 2 >= maxLines) break;
      out.push(`${e.op}${e.line}`);
      if (e.op !== " ") shown++;
    }
  }
  if (shown < changed.length) out.push(`... ${changed.length - shown} more changed line${changed.length - shown === 1 ? "" : "s"} not shown`);
  return out;
}
