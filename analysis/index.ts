/** thoad/analysis: sensitivity analysis of compiled models (README.md beside this file). Imports runtime/, never compiler/. */
export { sensitivity, type SensitivityOptions } from "./sensitivity.js";
export type { CompiledModel } from "./model.js";
export { DataError, checkData, chooseWrt, type DataLayout } from "./data.js";
export type { SensitivityResult, OutputSensitivity, Interval, MixedThird, Extreme, Num } from "./result.js";
export { Rng, STREAM } from "./rng.js";
export { Welford, Extremes, BlockSums } from "./accumulators.js";
export { symmetricEigenvalues } from "./eigen.js";
export { poincareConstants, totalSobolBounds, type InputDistribution } from "./dgsm.js";
export { TaylorMoments, MonteCarloMoments } from "./moments.js";
export { DEFAULT_RADII, TaylorErrors, inputScale, radiusBelow } from "./taylor.js";
export { bootstrapIntervals, quantileSorted } from "./bootstrap.js";
export { sortedTuples, type Tuples } from "./tuples.js";
export { renderReport, embedJson, type ReportOptions } from "./report.js";
export { reading, importance } from "./reading.js";
export { elementLabels } from "./labels.js";
