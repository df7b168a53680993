/**
 * Streaming statistics over samples, added one sample at a time in sample
 * order (so the result does not depend on how samples are chunked).
 */

/** Running mean and sum of squared deviations of L numbers per sample (Welford's update). */
export class Welford {
  readonly mean: Float64Array;
  readonly m2: Float64Array;
  count = 0;
  constructor(readonly length: number) {
    this.mean = new Float64Array(length);
    this.m2 = new Float64Array(length);
  }

  /** Adds one sample: values[offset + l] for l < length, each mapped by `f` (default: as is). */
  add(values: ArrayLike<number>, offset = 0, f?: (v: number) => number): void {
    const n = ++this.count;
    for (let l = 0; l < this.length; l++) {
      const v = f ? f(values[offset + l]!) : values[offset + l]!;
      const delta = v - this.mean[l]!;
      this.mean[l] += delta / n;
      this.m2[l] += delta * (v - this.mean[l]!);
    }
  }

  /** Unbiased sample variance (divides by count - 1; NaN below 2 samples). */
  variance(): Float64Array {
    return this.m2.map((s) => (this.count > 1 ? s / (this.count - 1) : NaN));
  }

  /** Standard error of the mean: sqrt(variance / count). */
  standardError(): Float64Array {
    return this.variance().map((v) => Math.sqrt(v / this.count));
  }
}

/** Elementwise running minimum, maximum and sum of L numbers per sample. */
export class Extremes {
  readonly min: Float64Array;
  readonly max: Float64Array;
  readonly sum: Float64Array;
  count = 0;
  constructor(readonly length: number) {
    this.min = new Float64Array(length).fill(Infinity);
    this.max = new Float64Array(length).fill(-Infinity);
    this.sum = new Float64Array(length);
  }

  add(values: ArrayLike<number>, offset = 0): void {
    this.count++;
    for (let l = 0; l < this.length; l++) {
      const v = values[offset + l]!;
      if (v < this.min[l]!) this.min[l] = v;
      if (v > this.max[l]!) this.max[l] = v;
      this.sum[l] += v;
    }
  }

  mean(): Float64Array { return this.sum.map((s) => s / this.count); }
}

/**
 * Sums of L numbers per block of consecutive samples (block b holds samples
 * [b * size, (b + 1) * size)), for the bootstrap: at most `maxBlocks` blocks.
 */
export class BlockSums {
  readonly size: number;
  readonly blocks: number;
  readonly sums: Float64Array;
  readonly counts: Float64Array;
  constructor(readonly N: number, readonly length: number, maxBlocks: number) {
    this.size = Math.max(1, Math.ceil(N / maxBlocks));
    this.blocks = Math.ceil(N / this.size);
    this.sums = new Float64Array(this.blocks * length);
    this.counts = new Float64Array(this.blocks);
  }

  /** Adds sample n's values, each mapped by f. */
  add(n: number, values: ArrayLike<number>, offset: number, f: (v: number) => number): void {
    const b = Math.floor(n / this.size), base = b * this.length;
    this.counts[b]++;
    for (let l = 0; l < this.length; l++) this.sums[base + l] += f(values[offset + l]!);
  }
}
