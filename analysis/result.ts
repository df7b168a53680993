/**
 * The result of a sensitivity analysis, as plain JSON (what `thoadc
 * sensitivity --json` writes). Matrices are nested arrays: [m][d] for output
 * component c (the output's per-sample elements flattened row-major, m of
 * them) and analysed-input element i (flattened, d of them). Numbers that are
 * not finite (an undefined bound, a ratio with nothing to divide by) are null.
 * Every statistic is a mean over the N samples unless its name says otherwise;
 * docs/sensitivity.md defines each field.
 */
import type { InputDistribution } from "./dgsm.js";

export type Num = number | null;

export interface Interval { readonly lo: number[][]; readonly hi: number[][] }

export interface MixedThird { readonly component: number; readonly i: number; readonly j: number; readonly k: number; readonly mean_abs: number }

export interface Extreme { readonly min: number[]; readonly mean: number[]; readonly max: number[] }

export interface OutputSensitivity {
  /** Per-sample shape of the output (batch axis removed); m = its size. */
  readonly shape: number[];
  readonly m: number;
  readonly value_mean: number[];
  /** Unbiased sample variance of each component over the samples (V_c of the DGSM bound). */
  readonly value_variance: Num[];
  readonly gradient: { readonly mean: number[][]; readonly mean_abs: number[][]; readonly mean_abs_ci?: Interval };
  /** nu_ci = mean of (dy_c/dx_i)^2. */
  readonly dgsm: number[][];
  /** Standard error of dgsm: sample standard deviation of (dy_c/dx_i)^2 over sqrt(N). */
  readonly dgsm_se: Num[][];
  readonly dgsm_ci?: Interval;
  readonly dgsm_bound?: { readonly input_dist: InputDistribution; readonly constant: number[]; readonly total_sobol_upper: Num[][] };
  readonly interactions?: { readonly mean: number[][][]; readonly mean_abs: number[][][] };
  readonly third?: { readonly diagonal_mean_abs: number[][]; readonly top_mixed: MixedThird[] };
  readonly moments?: {
    readonly sigma: number;
    /** Order of the Taylor prediction: 2, or 1 when the analysis has order 1 (no Hessian terms). */
    readonly taylor_order: number;
    readonly mean: number[];
    readonly variance: number[];
    readonly monte_carlo: {
      readonly draws_per_sample: number;
      readonly samples: number;
      readonly seed: number;
      readonly mean: number[];
      readonly variance: number[];
      readonly mean_se: number[];
      readonly variance_se: number[];
    };
  };
  readonly taylor?: {
    readonly radii: number[];
    readonly orders: number[];
    /** error[k - 1][r]: relative error of the order-k prediction at radii[r]. */
    readonly error: Num[][];
    /** Per order, the largest radius up to which the error stays below 1% (null: not even the smallest). */
    readonly radius_1pct: Num[];
  };
  readonly curvature?: { readonly lambda_min: Extreme; readonly lambda_max: Extreme };
}

export interface SensitivityResult {
  readonly meta: {
    readonly model: string | null;
    readonly order: number;
    readonly wrt: string;
    readonly wrt_shape: number[];
    readonly d: number;
    readonly N: number;
    readonly seed: number;
    readonly chunk: number;
    readonly input_dist: InputDistribution | null;
    readonly sigma: number | null;
    readonly bootstrap: { readonly resamples: number; readonly level: number; readonly blocks: number; readonly block_size: number } | null;
    /** Outputs without the batch axis: they cannot depend on the samples, and are not analysed. */
    readonly outputs_skipped: string[];
    /** What was left out and why (e.g. the curvature of a large input). */
    readonly notes: string[];
  };
  /** The analysed input over the samples, per element: mean, sample standard deviation, range, and the Taylor step scale. */
  readonly input: { readonly mean: number[]; readonly std: Num[]; readonly min: number[]; readonly max: number[]; readonly scale: number[] };
  readonly outputs: Record<string, OutputSensitivity>;
}

export const num = (v: number): Num => (Number.isFinite(v) ? v : null);

/** [rows][cols] from a row-major array. */
export function matrix<T = number>(a: ArrayLike<number>, rows: number, cols: number, f: (v: number) => T = (v) => v as unknown as T): T[][] {
  return Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => f(a[r * cols + c]!)));
}
