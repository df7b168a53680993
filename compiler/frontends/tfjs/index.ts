/**
 * The TensorFlow.js Layers frontend: model.json (+ its weight shards) to one
 * `.thd` model and the values of its params. Never throws: every problem is
 * a coded diagnostic (TH501-TH506) naming the layer or file.
 */
import { identifier, type ImportResult } from "../imported.js";
import { diagnostic, ImportFailure } from "./failure.js";
import { readGraph } from "./graph.js";
import { layerRule, SUPPORTED_LAYERS } from "./layers/index.js";
import { readModelJson } from "./model-json.js";
import { translate } from "./translate.js";
import { readWeights, type ShardReader } from "./weights.js";

export { SUPPORTED_LAYERS } from "./layers/index.js";
export { ACTIVATION_NAMES } from "./activations.js";

/**
 * `json`: the text of model.json. `readShard` returns a weight file named in
 * its manifest (the caller resolves it relative to model.json), undefined or
 * an Error when it cannot. `opts.name`: the `.thd` model's name.
 */
export function importTfjs(json: string, readShard: ShardReader, opts: { name: string }): ImportResult {
  try {
    const file = readModelJson(json);
    const graph = readGraph(file.topology);
    // every unsupported layer at once, before any weight is read
    const unsupported = [...new Map(graph.calls.filter((c) => !layerRule(c.config.className)).map((c) => [c.config.layer, c.config])).values()];
    if (unsupported.length > 0) {
      return { diagnostics: unsupported.map((c) => diagnostic("TH501", `${c.label} is not supported; supported layers: ${SUPPORTED_LAYERS.join(", ")}`)) };
    }
    const weights = readWeights(file.manifest, readShard);
    return { model: translate(file, graph, weights, identifier(opts.name)), diagnostics: [] };
  } catch (e) {
    if (e instanceof ImportFailure) return { diagnostics: e.diagnostics };
    // a bug or a shape this code did not foresee: still a diagnostic, never a throw
    return { diagnostics: [diagnostic("TH503", `cannot import the model: ${e instanceof Error ? e.message : String(e)}`)] };
  }
}
