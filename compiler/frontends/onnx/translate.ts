/**
 * A decoded ONNX model -> one `.thd` model and its weights. Walks the nodes in
 * file order (ONNX requires a topological order), keeping for each ONNX value
 * either a constant or a run-time tensor with its static shape, and lets each
 * op's rule fold it or emit one statement.
 */
import { FUNCTION_NAMES } from "../../ir/functions.js";
import { identifier, type ImportedModel, type Weight } from "../imported.js";
import { OpContext } from "./context.js";
import type { OnnxDim, OnnxModel, OnnxNode } from "./decode.js";
import { Emitter } from "./emitter.js";
import { fail, nodeLabel } from "./failure.js";
import { findGelus } from "./gelu-pattern.js";
import { float32Literal } from "./literal.js";
import { OPS, SUPPORTED_OPS } from "./ops/index.js";
import { DATA_TYPE_NAMES, tensorData } from "./tensor-data.js";
import { makeConst, MAX_ELEMENTS, perSample, showShape, type Dim, type Value } from "./values.js";

export const MIN_OPSET = 13, MAX_OPSET = 17;
const FLOAT_TYPES = new Set([1, 10, 11, 16]);

/** An input dim: static, the batch axis (symbolic at axis 0), or TH502. */
function inputDim(name: string, d: OnnxDim, axis: number): Dim {
  if (typeof d === "number" && d > 0) return d;
  if (axis === 0) return "B";
  return fail("TH502", `graph input '${name}' has a dynamic dim ${typeof d === "string" ? `'${d}' ` : ""}at axis ${axis}: only axis 0 (the batch) may be dynamic; export with a fixed size there`);
}

/** A constant scalar known before translation (initializers, Constant nodes), for pattern matching. */
function scalars(model: OnnxModel): (name: string) => number | undefined {
  const known = new Map<string, number>();
  const read = (t: NonNullable<Parameters<typeof tensorData>[0]>, what: string, literal: boolean) => {
    try {
      const d = tensorData(t, what);
      if (d.data.length === 1) return literal && d.float32 ? float32Literal(d.data[0]!) : d.data[0]!;
    } catch { /* reported when the value is translated */ }
    return undefined;
  };
  for (const t of model.graph.initializers) { const v = read(t, "", false); if (v !== undefined) known.set(t.name, v); }
  for (const n of model.graph.nodes) {
    const t = n.opType === "Constant" ? n.attributes.get("value")?.t : undefined;
    const v = t && read(t, "", true);
    if (v !== undefined && n.outputs[0]) known.set(n.outputs[0], v);
  }
  return (name) => known.get(name);
}

export function translate(model: OnnxModel, modelName: string): ImportedModel {
  const g = model.graph;
  const opset = model.opsets.get("") ?? fail("TH503", "the model imports no opset of the default ONNX domain");
  if (opset < MIN_OPSET || opset > MAX_OPSET) fail("TH501", `the model uses opset ${opset}; opsets ${MIN_OPSET} to ${MAX_OPSET} are supported (re-export with opset_version=${MAX_OPSET})`);
  if (g.sparseInitializers > 0) fail("TH504", "the model has sparse initializers, which the importer does not read");

  // the batch name and every .thd function name are reserved, so no tensor shadows one
  const taken = new Set<string>(["B", ...FUNCTION_NAMES]);
  const values = new Map<string, Value>();
  const originalNames = new Map<string, string>();
  for (const t of g.initializers) {
    const d = tensorData(t, `initializer '${t.name}'`);
    values.set(t.name, makeConst(d.shape, d.data, d.kind, t.name, { weight: true }));
  }
  const inputLines: string[] = [];
  for (const vi of g.inputs) {
    if (values.has(vi.name)) continue; // an initializer also listed as an input (IR version < 4)
    if (vi.elemType === undefined) fail("TH501", `graph input '${vi.name}' is not a tensor`);
    if (!FLOAT_TYPES.has(vi.elemType)) fail("TH501", `graph input '${vi.name}' has element type ${DATA_TYPE_NAMES[vi.elemType] ?? vi.elemType}; only float inputs can be differentiated`);
    if (!vi.dims) fail("TH502", `graph input '${vi.name}' has no shape in the file`);
    const shape = vi.dims.map((d, i) => inputDim(vi.name, d, i));
    if (perSample(shape) > MAX_ELEMENTS) fail("TH502", `graph input '${vi.name}' of shape ${showShape(shape)} is too large (over ${MAX_ELEMENTS} elements per sample)`);
    const id = identifier(vi.name, taken);
    originalNames.set(id, vi.name);
    values.set(vi.name, { kind: "tensor", ref: id, shape });
    inputLines.push(`  input ${id} : ${showShape(shape)}`);
  }
  if (inputLines.length === 0) fail("TH503", "the graph has no inputs besides its initializers");
  const outputIds = new Map<string, string>();
  for (const vo of g.outputs) {
    const id = identifier(vo.name, taken);
    originalNames.set(id, vo.name);
    outputIds.set(vo.name, id);
  }
  if (outputIds.size === 0) fail("TH503", "the graph has no outputs");

  const consumers = new Map<string, (OnnxNode | null)[]>();
  const read = (v: string, n: OnnxNode | null) => { if (v) consumers.set(v, [...(consumers.get(v) ?? []), n]); };
  for (const n of g.nodes) for (const v of n.inputs) read(v, n);
  for (const vo of g.outputs) read(vo.name, null);
  const used = (v: string) => consumers.has(v);

  const gelus = findGelus(g.nodes, consumers, scalars(model));
  const skip = new Set(gelus.flatMap((m) => m.inner));
  const geluOf = new Map(gelus.map((m) => [m.last, m.x]));

  const em = new Emitter(taken, outputIds);
  g.nodes.forEach((node, index) => {
    if (skip.has(node)) return;
    const label = nodeLabel(node, index);
    if (node.domain !== "" && node.domain !== "ai.onnx") fail("TH501", `${label}: ops of domain '${node.domain}' are not supported (only the default ONNX domain)`);
    const rule = OPS[node.opType];
    if (!rule) fail("TH501", `${label}: op ${node.opType || "(empty)"} is not supported. Supported ops: ${SUPPORTED_OPS.join(", ")}`);
    const defined = (name: string) => values.get(name) ?? fail("TH503", `${label}: input '${name}' is not defined before the node (the graph is not topologically sorted, or a value is missing)`);
    const x = geluOf.get(node);
    const inputs = x !== undefined ? [defined(x)] : node.inputs.map((name) => (name === "" ? undefined : defined(name)));
    const cx = new OpContext(node, index, opset, inputs, em, used);
    let outs: readonly (Value | undefined)[];
    if (x !== undefined) {
      // named for the GELU's scope ('/act/Mul_1' -> act_gelu), not for its last Mul
      const v = inputs[0]!, o = node.outputs[0]!;
      const id = outputIds.get(o) ?? em.fresh(`${node.name.replace(/[^/]*$/, "")}gelu`);
      em.assign(id, `gelu(${em.ref(v)})`, "exported GELU: x * 0.5 * (1 + erf(x / sqrt(2)))");
      outs = [{ kind: "tensor", ref: id, shape: v.shape }];
    } else {
      const folds = rule.fold && inputs.length > 0 && inputs.every((v) => v === undefined || v.kind === "const");
      outs = folds ? rule.fold!(cx) : rule.emit(cx);
    }
    node.outputs.forEach((o, k) => { if (o && outs[k]) values.set(o, outs[k]!); });
  });

  for (const vo of g.outputs) {
    const v = values.get(vo.name) ?? fail("TH503", `graph output '${vo.name}' is not computed by any node`);
    const id = outputIds.get(vo.name)!;
    if (v.kind !== "tensor" || v.ref !== id) em.assign(id, em.ref(v));
  }

  const batch = g.inputs.some((vi) => { const v = values.get(vi.name); return v?.kind === "tensor" && v.shape[0] === "B"; });
  const opsetText = [...model.opsets].map(([d, v]) => (d ? `${d} ${v}` : `opset ${v}`)).join(", ");
  const name = identifier(modelName);
  const source = [
    `# Imported from ONNX${model.producer ? ` (producer ${model.producer}` : " ("}${model.producer ? ", " : ""}${opsetText}${g.name ? `, graph '${g.name}'` : ""}).`,
    "# Graph inputs are inputs; initializers and constants read at run time are params (their values come with the import).",
    `model ${name} {`,
    ...(batch ? ["  batch B"] : []),
    ...inputLines,
    ...em.paramLines(),
    ...em.lines,
    `  output ${[...outputIds.values()].join(", ")}`,
    "}",
    "",
  ].join("\n");
  const weights = new Map<string, Weight>([...em.params].map(([id, p]) => [id, p.weight]));
  return { format: "onnx", name, source, weights, originalNames };
}
