/** thoadc import MODEL.onnx|model.json -o OUT.thd: the readable .thd translation, and its weights as OUT.safetensors beside it. */
import { basename, extname } from "node:path";
import { CliExit, fail, writeOutputs } from "../front.js";
import { encodeWeights, formatOf, importedName, readModelFile } from "../model-file.js";

export interface ImportFlags { out?: string; model?: string }

export function importCommand(file: string, flags: ImportFlags): string {
  if (formatOf(file) === "thd") throw new CliExit(1, `thoadc: error TH115: import reads an .onnx file or a TensorFlow.js Layers model.json, got '${file}'`);
  const model = readModelFile(file, flags.model !== undefined ? { name: flags.model } : {});
  const out = flags.out ?? `${importedName(file)}.thd`;
  if (extname(out) !== ".thd") return fail(out, [{ code: "TH303", severity: "error", message: "-o must name a .thd file (the weights go beside it as .safetensors)", span: undefined }]);
  const weightsPath = out.slice(0, -4) + ".safetensors";
  const files: [string, string | Uint8Array][] = [[out, model.source]];
  if (model.weights.size) files.push([weightsPath, encodeWeights(model.weights)]);
  writeOutputs(files);
  const next = model.weights.size ? `; compile it with: thoadc ${out} --weights ${weightsPath}` : "";
  return `wrote ${files.map(([p]) => p).join(", ")} (from ${basename(file)}: ${model.weights.size} weights)${next}`;
}

