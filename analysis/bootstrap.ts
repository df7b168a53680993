/**
 * Bootstrap confidence intervals of sample means, resampling blocks of
 * consecutive samples (BlockSums; blocks of one sample when N is at most the
 * block limit). Resample r (Rng stream bootstrap, index r) draws `blocks`
 * block indices uniformly with replacement (floor(u * blocks)); its statistic
 * is the sum of the drawn blocks' sums over the sum of their sample counts.
 * The interval is the percentile interval: the (1 - level)/2 and (1 + level)/2
 * quantiles of the resampled statistics, interpolated linearly between order
 * statistics (position q (R - 1), as R's type 7).
 */
import type { BlockSums } from "./accumulators.js";
import { Rng, STREAM } from "./rng.js";

export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const h = (sorted.length - 1) * q, lo = Math.floor(h);
  return lo + 1 < sorted.length ? sorted[lo]! + (h - lo) * (sorted[lo + 1]! - sorted[lo]!) : sorted[lo]!;
}

/** Intervals for every entry of the block sums: lo and hi, each of blocks.length entries. */
export function bootstrapIntervals(blocks: BlockSums, resamples: number, seed: number, level: number): { lo: Float64Array; hi: Float64Array } {
  const L = blocks.length, B = blocks.blocks;
  const stats = new Float64Array(resamples * L);
  const acc = new Float64Array(L);
  for (let r = 0; r < resamples; r++) {
    const rng = new Rng(seed, STREAM.bootstrap, r);
    acc.fill(0);
    let count = 0;
    for (let k = 0; k < B; k++) {
      const b = rng.below(B);
      count += blocks.counts[b]!;
      const base = b * L;
      for (let l = 0; l < L; l++) acc[l] += blocks.sums[base + l]!;
    }
    for (let l = 0; l < L; l++) stats[l * resamples + r] = acc[l]! / count;
  }
  const lo = new Float64Array(L), hi = new Float64Array(L);
  for (let l = 0; l < L; l++) {
    const s = stats.subarray(l * resamples, (l + 1) * resamples).sort();
    lo[l] = quantileSorted(s, (1 - level) / 2);
    hi[l] = quantileSorted(s, (1 + level) / 2);
  }
  return { lo, hi };
}
