/** thoad/runtime: everything emitted modules import. Imports nothing from compiler/. */
export { Tensor, tensor, permute, sizeOf, stridesOf, allocLike, type FloatArray, type TensorLike, type NestedArray } from "./tensor.js";
export { binom, multisetCount, packedSize, packedIndex, rankSorted, forEachPacked, subIndexTable, denseIndexTable, batchDiagonalTable, rankTerms, expandPacked } from "./packed.js";
export { gatherTable, type GatherSide } from "./gather.js";
export { OutputResult, type VarInfo } from "./result.js";
export { checkInputs, asTensorLike, type FloatArrayType, type InputSpec, type InputLike, type TfTensorLike } from "./inputs.js";
export { bindParams, type BoundModel, type ModelInfo, type Params } from "./params.js";
export { encodeSafetensors, decodeSafetensors, readSafetensorsHeader, loadSafetensors, type SafetensorsInput, type SafetensorsEntry, type SafetensorsHeader } from "./safetensors.js";
export { base64ToBytes } from "./base64.js";
export { Runner, splitBatch, chunkStep, CHUNKS_PER_THREAD, checkThreads, availableCores, setThreadLimit, startWorkers, threadStats, type ThreadStats, MIN_FLOPS_PER_THREAD, type RunOptions, type ProgramRun, type ArrayClass, type OutputSpec, type BatchProfile } from "./runner.js";
export { closeWorkers, workerCount } from "./pool.js";
export { THOAD_VERSION, requireRuntime, runtimeRuns } from "./version.js";
export { rankTable } from "./legacy.js";
