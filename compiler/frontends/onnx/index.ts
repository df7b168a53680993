/**
 * The ONNX frontend: a model file's bytes -> one `.thd` model and the values
 * of its params (README.md in this folder lists what is supported). Never
 * throws: every problem comes back as a diagnostic naming the node.
 */
import type { ImportResult } from "../imported.js";
import { decodeModel } from "./decode.js";
import { diagnostic, ImportFailure } from "./failure.js";
import { translate } from "./translate.js";

export { SUPPORTED_OPS } from "./ops/index.js";

export function importOnnx(bytes: Uint8Array, opts: { name: string }): ImportResult {
  const decoded = decodeModel(bytes);
  if (!decoded.model) return { diagnostics: decoded.diagnostics };
  try {
    return { model: translate(decoded.model, opts.name), diagnostics: [] };
  } catch (e) {
    if (e instanceof ImportFailure) return { diagnostics: [e.diagnostic] };
    // a file malformed in a way no rule anticipated (a field of the wrong kind, absurd sizes)
    const why = e instanceof Error ? e.message : String(e);
    return { diagnostics: [diagnostic("TH503", `the model could not be read: ${why}`)] };
  }
}
