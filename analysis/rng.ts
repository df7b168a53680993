/**
 * Seeded random numbers with independent streams: `new Rng(seed, stream, index)`
 * starts a generator whose draws depend only on the three integers, so the
 * perturbations of sample n are the same whatever the chunk size, and a test
 * can redraw them. Generator: xoshiro128** (Blackman and Vigna), its 128-bit
 * state filled by splitmix32 from a hash of (seed, stream, index).
 */

/** Streams used by the analysis (the `stream` argument). */
export const STREAM = {
  /** Taylor-error directions: index = sample; one unit vector per sample. */
  taylor: 1,
  /** Monte Carlo noise: index = sample; S standard normal vectors of d entries, draw after draw. */
  monteCarlo: 2,
  /** Bootstrap: index = resample; one block index per block. */
  bootstrap: 3,
} as const;

/** Murmur3's 32-bit finaliser. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class Rng {
  private s0: number; private s1: number; private s2: number; private s3: number;
  private spare: number | undefined;

  constructor(seed: number, stream = 0, index = 0) {
    let key = fmix32(fmix32(fmix32((seed >>> 0) ^ 0x5bd1e995) ^ (stream >>> 0)) ^ (index >>> 0));
    // splitmix32: four state words (never all zero in practice; guarded anyway)
    const next = (): number => {
      key = (key + 0x9e3779b9) | 0;
      let t = key ^ (key >>> 16);
      t = Math.imul(t, 0x21f0aaad);
      t ^= t >>> 15;
      t = Math.imul(t, 0x735a2d97);
      return (t ^ (t >>> 15)) >>> 0;
    };
    this.s0 = next(); this.s1 = next(); this.s2 = next(); this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** The next 32 random bits, as an unsigned integer. */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0; this.s3 ^= this.s1; this.s1 ^= this.s2; this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits (two 32-bit draws). */
  uniform(): number {
    const hi = this.nextU32() >>> 5, lo = this.nextU32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** An integer uniform in [0, n). */
  below(n: number): number { return Math.floor(this.uniform() * n); }

  /**
   * A standard normal (Box-Muller): each pair of uniforms (u1, u2) gives
   * sqrt(-2 ln(1 - u1)) cos(2 pi u2), then the same radius times sin(2 pi u2).
   */
  normal(): number {
    if (this.spare !== undefined) { const s = this.spare; this.spare = undefined; return s; }
    const u1 = this.uniform(), u2 = this.uniform();
    const r = Math.sqrt(-2 * Math.log(1 - u1)), a = 2 * Math.PI * u2;
    this.spare = r * Math.sin(a);
    return r * Math.cos(a);
  }

  /** A uniformly distributed unit vector of d entries (d normals, normalised). */
  unitVector(d: number): Float64Array {
    const u = new Float64Array(d);
    for (;;) {
      let s = 0;
      for (let i = 0; i < d; i++) { u[i] = this.normal(); s += u[i]! * u[i]!; }
      if (s > 0) { const k = 1 / Math.sqrt(s); for (let i = 0; i < d; i++) u[i]! *= k; return u; }
    }
  }
}

function rotl(x: number, k: number): number { return (x << k) | (x >>> (32 - k)); }
