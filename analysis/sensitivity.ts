/**
 * The analysis driver: streams the samples through the model in chunks,
 * accumulates every statistic per sample (in sample order: the result does not
 * depend on the chunk size beyond summation roundoff), and builds the result.
 */
import type { RunOptions, TensorLike } from "../runtime/index.js";
import { Welford } from "./accumulators.js";
import { bootstrapIntervals } from "./bootstrap.js";
import { Curvature } from "./curvature.js";
import { checkData, chooseWrt, DataError } from "./data.js";
import { DerivativeStats } from "./derivative-stats.js";
import { poincareConstants, totalSobolBounds, type InputDistribution } from "./dgsm.js";
import { analysedOutputs, chunkDerivatives, valuesAt } from "./evaluate.js";
import { callModel, type CompiledModel } from "./model.js";
import { MonteCarloMoments, TaylorMoments } from "./moments.js";
import { matrix, num, type OutputSensitivity, type SensitivityResult } from "./result.js";
import { Rng, STREAM } from "./rng.js";
import { DEFAULT_RADII, inputScale, radiusBelow, TaylorErrors } from "./taylor.js";
import { expandPairs, sortedTuples } from "./tuples.js";

export interface SensitivityOptions {
  /** The analysed input (default: the model's only differentiation variable). */
  readonly wrt?: string;
  /** Highest derivative order used (default and maximum: the model's order; at least 1). */
  readonly order?: number;
  /** Samples per model call (default 256). */
  readonly chunk?: number;
  /** Seed of every random draw (default 1). */
  readonly seed?: number;
  /** Standard deviation of the input noise for moment propagation (moments omitted without it). */
  readonly sigma?: number;
  /** Monte Carlo draws per sample for the moments (default 32, at least 2). */
  readonly mcDraws?: number;
  /** Distribution of the inputs for the DGSM bounds on total Sobol indices (bounds omitted without it). */
  readonly inputDist?: InputDistribution;
  /** Uniform bounds: the range of every input element, or one per element (default: the observed range). */
  readonly range?: readonly [number, number] | readonly (readonly [number, number])[];
  /** Normal bounds: the standard deviation of every input element, or one per element (default: the observed one). */
  readonly inputStd?: number | readonly number[];
  /** Radii of the Taylor-error curves, relative to the data's scale (default 1e-3 .. 1, 7 radii; [] for none). */
  readonly radii?: readonly number[];
  /** Bootstrap resamples of the DGSM and mean |gradient| intervals (default 1000; 0 for none). */
  readonly bootstrap?: number;
  /** Confidence level of the intervals (default 0.95). */
  readonly level?: number;
  /** Most bootstrap blocks (default 200): blocks are ceil(N / this) consecutive samples. */
  readonly maxBlocks?: number;
  /** Largest d for the curvature (default 100): Jacobi costs O(d^3) per sample and component; above it, curvature is left out (meta.notes says so). */
  readonly maxCurvatureDim?: number;
  /** How many of the largest mixed third-order terms to list (default 10). */
  readonly topMixed?: number;
  /** A model computing the same outputs, used for values only (Monte Carlo, Taylor truth): e.g. the order-0 compile. */
  readonly valueModel?: CompiledModel;
  /** Model name for the result's meta. */
  readonly name?: string;
  /** The model call's `threads` option. */
  readonly threads?: number;
  /** Called after each chunk with the samples done so far and N. */
  readonly onProgress?: (done: number, total: number) => void;
}

const flag = (ok: boolean, message: string): void => { if (!ok) throw new DataError(message); };

/** Sensitivity of a compiled model's outputs to one input over N samples (analysis/README.md). */
export function sensitivity(model: CompiledModel, data: Readonly<Record<string, TensorLike>>, options: SensitivityOptions = {}): SensitivityResult {
  const wrt = chooseWrt(model, options.wrt);
  const K = options.order ?? model.order;
  flag(Number.isInteger(K) && K >= 1 && K <= model.order, `order must be an integer from 1 to the model's order ${model.order}, got ${K}`);
  const chunk = options.chunk ?? 256, seed = options.seed ?? 1, draws = options.mcDraws ?? 32;
  flag(Number.isInteger(chunk) && chunk >= 1, `chunk must be a positive integer, got ${chunk}`);
  flag(Number.isInteger(seed) && seed >= 0, `seed must be a non-negative integer, got ${seed}`);
  flag(Number.isInteger(draws) && draws >= 2, `mcDraws must be an integer of at least 2, got ${draws}`);
  const sigma = options.sigma;
  flag(sigma === undefined || (Number.isFinite(sigma) && sigma > 0), `sigma must be a positive number, got ${sigma}`);
  const radii = options.radii ?? DEFAULT_RADII;
  flag(radii.every((r) => Number.isFinite(r) && r > 0), "radii must be positive numbers");
  const resamples = options.bootstrap ?? 1000, level = options.level ?? 0.95;
  flag(Number.isInteger(resamples) && resamples >= 0, `bootstrap must be a non-negative integer, got ${resamples}`);
  flag(level > 0 && level < 1, `level must be in (0, 1), got ${level}`);
  const layout = checkData(model, data, wrt);
  const { N, d } = layout;
  const run: RunOptions | undefined = options.threads !== undefined ? { threads: options.threads } : undefined;
  const valueModel = options.valueModel ?? model;

  // the analysed input over the samples
  const x = layout.inputs.get(wrt)!.data;
  const xStats = new Welford(d);
  const xMin = new Float64Array(d).fill(Infinity), xMax = new Float64Array(d).fill(-Infinity);
  for (let n = 0; n < N; n++) {
    xStats.add(x, n * d);
    for (let i = 0; i < d; i++) { const v = x[n * d + i]!; if (v < xMin[i]!) xMin[i] = v; if (v > xMax[i]!) xMax[i] = v; }
  }
  const xStd = xStats.variance().map(Math.sqrt);
  const scale = inputScale(xStd, xStats.mean);

  // which outputs carry the samples, and their sizes: one call on sample 0
  const probe = callModel(model, Object.fromEntries([...layout.inputs].map(([k, v]) => [k, v.batched
    ? { shape: layout.modelBatched ? [1, ...v.shape.slice(1)] : v.shape.slice(1), data: v.data.subarray(0, v.rowSize) }
    : { shape: v.shape, data: v.data }])), run);
  const outputs = analysedOutputs(probe, model.outputs, layout, 1);
  const skipped = model.outputs.filter((o) => !outputs.includes(o));
  const shapes = new Map(outputs.map((o) => [o, probe[o]!.value.shape.slice(layout.modelBatched ? 1 : 0)] as const));
  const ms = new Map(outputs.map((o) => [o, probe[o]!.value.data.length] as const));

  const maxBlocks = options.maxBlocks ?? 200, maxCurvatureDim = options.maxCurvatureDim ?? 100;
  const notes: string[] = [];
  if (K >= 2 && d > maxCurvatureDim) notes.push(`curvature left out: d = ${d} > ${maxCurvatureDim} (maxCurvatureDim); its eigenvalues cost O(d^3) per sample and component`);
  const acc = outputs.map((o) => {
    const m = ms.get(o)!;
    return {
      o, m,
      stats: new DerivativeStats(m, d, K, N, maxBlocks),
      moments: sigma !== undefined ? new TaylorMoments(m, d, sigma) : undefined,
      mc: sigma !== undefined ? new MonteCarloMoments(m, draws) : undefined,
      taylor: radii.length ? new TaylorErrors(K, radii, m, d) : undefined,
      curvature: K >= 2 && d <= maxCurvatureDim ? new Curvature(m, d) : undefined,
      /** Order 1: the moments' Hessian terms are zero. */
      zeroHess: K < 2 ? new Float64Array((m * d * (d + 1)) / 2) : undefined,
    };
  });
  const R = radii.length;

  for (let start = 0; start < N; start += chunk) {
    const end = Math.min(N, start + chunk), n = end - start;
    const cd = chunkDerivatives(model, layout, outputs, start, end, K, run);
    // Taylor steps: one direction per sample, scaled per radius
    let steps: Float64Array | undefined, truth: Map<string, Float64Array> | undefined;
    if (R) {
      steps = new Float64Array(n * R * d);
      const rows = new Float64Array(n * R * d), owner = new Int32Array(n * R);
      for (let s = 0; s < n; s++) {
        const u = new Rng(seed, STREAM.taylor, start + s).unitVector(d);
        for (let r = 0; r < R; r++) {
          owner[s * R + r] = start + s;
          for (let i = 0; i < d; i++) {
            const h = radii[r]! * scale[i]! * u[i]!, o = (s * R + r) * d + i;
            steps[o] = h;
            rows[o] = x[(start + s) * d + i]! + h;
          }
        }
      }
      truth = valuesAt(valueModel, layout, outputs, rows, owner, run);
    }
    // Monte Carlo: S noisy copies per sample
    let noisy: Map<string, Float64Array> | undefined;
    if (sigma !== undefined) {
      const rows = new Float64Array(n * draws * d), owner = new Int32Array(n * draws);
      for (let s = 0; s < n; s++) {
        const rng = new Rng(seed, STREAM.monteCarlo, start + s);
        for (let q = 0; q < draws; q++) {
          owner[s * draws + q] = start + s;
          for (let i = 0; i < d; i++) rows[(s * draws + q) * d + i] = x[(start + s) * d + i]! + sigma * rng.normal();
        }
      }
      noisy = valuesAt(valueModel, layout, outputs, rows, owner, run);
    }
    for (const a of acc) {
      const V = cd.values.get(a.o)!, D = cd.blocks.get(a.o)!, m = a.m;
      const P2 = K >= 2 ? D[1]!.length / (n * m) : 0;
      for (let s = 0; s < n; s++) {
        a.stats.add(start + s, V, D, s);
        a.moments?.add(V, s * m, D[0]!, s * m * d, K >= 2 ? D[1]! : a.zeroHess!, K >= 2 ? s * m * P2 : 0);
        a.mc?.add(noisy!.get(a.o)!, s * draws);
        a.curvature?.add(D[1]!, s * m * P2);
        a.taylor?.add(V, D, s, steps!.subarray(s * R * d, (s + 1) * R * d), truth!.get(a.o)!.subarray(s * R * m, (s + 1) * R * m));
      }
    }
    options.onProgress?.(end, N);
  }

  const out: Record<string, OutputSensitivity> = {};
  let bootMeta: SensitivityResult["meta"]["bootstrap"] = null;
  for (const a of acc) {
    const { m, stats } = a;
    const r = (v: number) => v / N;
    const grad = { mean: matrix(stats.gradSum, m, d, r), mean_abs: matrix(stats.gradAbsSum, m, d, r) } as OutputSensitivity["gradient"] & { mean_abs_ci?: unknown };
    const nu = stats.gradSquare.mean;
    const variance = stats.value.variance();
    const res: Record<string, unknown> = {
      shape: shapes.get(a.o)!, m,
      value_mean: Array.from(stats.value.mean),
      value_variance: Array.from(variance, num),
      gradient: grad,
      dgsm: matrix(nu, m, d),
      dgsm_se: matrix(stats.gradSquare.standardError(), m, d, num),
    };
    if (resamples > 0) {
      const ci = bootstrapIntervals(stats.blocks, resamples, seed, level);
      res.dgsm_ci = { lo: matrix(ci.lo, m, d), hi: matrix(ci.hi, m, d) };
      grad.mean_abs_ci = { lo: matrix(ci.lo.subarray(m * d), m, d), hi: matrix(ci.hi.subarray(m * d), m, d) };
      bootMeta = { resamples, level, blocks: stats.blocks.blocks, block_size: stats.blocks.size };
    }
    if (options.inputDist !== undefined) {
      const constant = poincareConstants(options.inputDist, { min: xMin, max: xMax, std: xStd }, { ...(options.range ? { range: options.range } : {}), ...(options.inputStd !== undefined ? { std: options.inputStd } : {}) });
      res.dgsm_bound = { input_dist: options.inputDist, constant: Array.from(constant), total_sobol_upper: matrix(totalSobolBounds(nu, variance, constant), m, d, num) };
    }
    if (K >= 2) {
      const dense = (sums: Float64Array) => Array.from({ length: m }, (_, c) => {
        const full = new Float64Array(d * d);
        expandPairs(sums, c * stats.P2, d, full);
        return matrix(full, d, d, r);
      });
      res.interactions = { mean: dense(stats.hessSum), mean_abs: dense(stats.hessAbsSum) };
    }
    if (K >= 3) {
      const t = sortedTuples(d, 3);
      const diag = new Float64Array(m * d), mixed: { component: number; i: number; j: number; k: number; mean_abs: number }[] = [];
      for (let c = 0; c < m; c++) for (let p = 0; p < t.count; p++) {
        const [i, j, k] = [t.index[3 * p]!, t.index[3 * p + 1]!, t.index[3 * p + 2]!];
        const v = stats.thirdAbsSum[c * t.count + p]! / N;
        if (i === k) diag[c * d + i] = v;
        else if (v > 0) mixed.push({ component: c, i, j, k, mean_abs: v });
      }
      // largest first; ties in storage order (component, then sorted tuple)
      const top = mixed.map((e, q) => [e, q] as const).sort((u, v) => v[0].mean_abs - u[0].mean_abs || u[1] - v[1]).slice(0, options.topMixed ?? 10).map(([e]) => e);
      res.third = { diagonal_mean_abs: matrix(diag, m, d), top_mixed: top };
    }
    if (a.moments && a.mc) {
      res.moments = {
        sigma, taylor_order: Math.min(K, 2),
        mean: Array.from(a.moments.mean()), variance: Array.from(a.moments.variance()),
        monte_carlo: {
          draws_per_sample: draws, samples: N * draws, seed,
          mean: Array.from(a.mc.mean()), variance: Array.from(a.mc.variance()),
          mean_se: Array.from(a.mc.meanStandardError()), variance_se: Array.from(a.mc.varianceStandardError()),
        },
      };
    }
    if (a.taylor) {
      const err = a.taylor.errors();
      res.taylor = { radii: radii.slice(), orders: err.map((_, k) => k + 1), error: err.map((row) => row.map(num)), radius_1pct: err.map((row) => num(radiusBelow(radii, row, 0.01) ?? NaN)) };
    }
    if (a.curvature) {
      const ext = (e: Curvature["lambdaMin"]) => ({ min: Array.from(e.min), mean: Array.from(e.mean()), max: Array.from(e.max) });
      res.curvature = { lambda_min: ext(a.curvature.lambdaMin), lambda_max: ext(a.curvature.lambdaMax) };
    }
    out[a.o] = res as unknown as OutputSensitivity;
  }
  return {
    meta: {
      model: options.name ?? null, order: K, wrt, wrt_shape: layout.wrtShape.slice(), d, N, seed, chunk,
      input_dist: options.inputDist ?? null, sigma: sigma ?? null, bootstrap: bootMeta, outputs_skipped: skipped, notes,
    },
    input: { mean: Array.from(xStats.mean), std: Array.from(xStd, num), min: Array.from(xMin), max: Array.from(xMax), scale: Array.from(scale) },
    outputs: out,
  };
}
