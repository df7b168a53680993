/** What the analysis accepts as a model: any compiled module's export, or `instantiate(plan)`. */
import type { FloatArray, OutputResult, RunOptions } from "../runtime/index.js";

/**
 * A compiled model: the call signature of an emitted module (or of
 * `instantiate(plan)` from thoad/compiler) and its metadata. `inputs` maps each
 * input and param to its declared shape, -1 standing for the batch axis. A
 * model with bound params (`bindParams`, `withParams` of thoad/runtime) lists
 * them in `bound`; the data may leave those out.
 */
export interface CompiledModel {
  // the inputs object is typed per module (MlpInputs, ...): accept any of them
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  (inputs: any, options?: RunOptions): object;
  readonly order: number;
  readonly wrt: readonly string[];
  readonly inputs: Readonly<Record<string, readonly number[]>>;
  readonly outputs: readonly string[];
}

/** The results of one call, as the analysis reads them. */
export type CallResult = Readonly<Record<string, OutputResult<FloatArray>>>;

/** Calls a model with the given inputs and options. */
export function callModel(model: CompiledModel, inputs: Record<string, unknown>, options?: RunOptions): CallResult {
  return model(inputs, options) as CallResult;
}
