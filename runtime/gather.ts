/**
 * Static index maps of the `gather` primitive (slicing, flip, repeat, expand,
 * padding, concat, stack, im2col): per sample, out[i] = in[map[i]], or a fill
 * value where map[i] = -1. The map is an affine function of the output index
 * with a bounds check, so an emitted module carries only its few coefficients
 * and builds the table once at load time: code size never grows with tensor
 * sizes.
 *
 * The output's elements (per sample) are viewed as the row-major shape `view`,
 * the input's as `src`. For an output multi-index v over view, the input
 * multi-index is in_j = offset[j] + sum_k coef[j][k] * v_k; the element is
 * taken when 0 <= in_j < src[j] for every j, else it is padding.
 */

/** Which list a table holds: output offsets of taken elements, their input offsets, or output offsets of padding. */
export type GatherSide = "out" | "in" | "pad";

/**
 * The table of one side of the map. With `coord` [stride, extent] (side "out"),
 * each taken element's output offset o becomes floor(o / stride) % extent: the
 * coordinate of a run of output axes, by which reverse mode reads the patches
 * of im2col without forming them (compiler/derive/reverse-patches.ts).
 */
export function gatherTable(view: readonly number[], src: readonly number[], coef: readonly (readonly number[])[], offset: readonly number[], side: GatherSide, coord?: readonly [number, number]): Int32Array {
  const r = view.length, s = src.length;
  let n = 1;
  for (const d of view) n *= d;
  const out = new Int32Array(n);
  let count = 0;
  const v = new Int32Array(r);
  for (let i = 0; i < n; i++) {
    let flat = 0, ok = true;
    for (let j = 0; j < s; j++) {
      let x = offset[j]!;
      const row = coef[j]!;
      for (let k = 0; k < r; k++) x += row[k]! * v[k]!;
      if (x < 0 || x >= src[j]!) { ok = false; break; }
      flat = flat * src[j]! + x;
    }
    if (side === "pad" ? !ok : ok) out[count++] = side === "in" ? flat : coord ? Math.floor(i / coord[0]) % coord[1] : i;
    // odometer over the view, last axis fastest
    for (let k = r - 1; k >= 0; k--) { if (++v[k]! < view[k]!) break; v[k] = 0; }
  }
  return out.slice(0, count);
}
