/** thoadc eval: compile in memory, run on inputs from JSON, write every derivative key as dense JSON. */
import { readFileSync } from "node:fs";
import { instantiate } from "../../compiler/index.js";
import { Tensor, type NestedArray } from "../../runtime/index.js";
import type { CommonFlags } from "../options.js";
import { CliExit, compileFile, fail, writeOutput } from "../front.js";
import { weightTensors } from "../model-file.js";

export interface EvalFlags extends CommonFlags { inputs?: string; out?: string }

export function parseInputs(file: string, text: string): Record<string, Tensor> {
  const bad = (message: string): never => fail(file, [{ code: "TH302", severity: "error", message, span: undefined }]);
  let json: unknown;
  try { json = JSON.parse(text); } catch (e) { return bad(`not valid JSON: ${(e as Error).message}`); }
  if (!json || typeof json !== "object" || Array.isArray(json)) return bad("expected an object mapping input names to tensors");
  // no prototype: an input named __proto__ is an entry like any other
  const out = Object.create(null) as Record<string, Tensor>;
  for (const [name, v] of Object.entries(json as Record<string, unknown>)) {
    try {
      if (Array.isArray(v) || typeof v === "number") out[name] = Tensor.from(v as NestedArray);
      else if (v && typeof v === "object" && Array.isArray((v as { shape?: unknown }).shape) && Array.isArray((v as { data?: unknown }).data)) {
        const t = v as { shape: unknown[]; data: unknown[] };
        const d = t.shape.findIndex((n) => !Number.isSafeInteger(n) || (n as number) < 0);
        if (d >= 0) bad(`input '${name}': shape[${d}] is ${JSON.stringify(t.shape[d])}, not a non-negative integer`);
        // Float64Array.from would read null as 0, true as 1 and "a" as NaN
        const flat = t.data.flat(Infinity as 1);
        const k = flat.findIndex((x) => typeof x !== "number");
        if (k >= 0) bad(`input '${name}': data[${k}] (flattened) is ${JSON.stringify(flat[k])}, not a number`);
        out[name] = new Tensor(t.shape as number[], Float64Array.from(flat as number[]));
      } else bad(`input '${name}': expected {"shape": [...], "data": [...]} or nested arrays`);
    } catch (e) {
      if (e instanceof CliExit) throw e; // already a rendered diagnostic
      bad(`input '${name}': ${(e as Error).message}`);
    }
  }
  return out;
}

export function evalCommand(file: string, flags: EvalFlags): string {
  const { result, model } = compileFile(file, flags, 2);
  const plan = result.state.plan!;
  if (!flags.inputs) return fail(file, [{ code: "TH302", severity: "error", message: "eval needs --inputs FILE.json", span: undefined }]);
  let text: string;
  try { text = readFileSync(flags.inputs, "utf8"); } catch (e) { return fail(flags.inputs, [{ code: "TH301", severity: "error", message: `cannot read '${flags.inputs}': ${(e as NodeJS.ErrnoException).code}`, span: undefined }]); }
  // bound weights first: an input of the file with the same name overrides one
  const inputs = { ...weightTensors(model.weights), ...parseInputs(flags.inputs, text) };
  let res;
  try { res = instantiate(plan)(inputs); } catch (e) { return fail(flags.inputs, [{ code: "TH302", severity: "error", message: (e as Error).message, span: undefined }]); }
  // no prototype: an output or a key named __proto__ is an entry like any other
  const outputs = Object.create(null) as Record<string, unknown>;
  for (const [name, r] of Object.entries(res)) {
    const derivatives = Object.create(null) as Record<string, unknown>;
    for (const k of r.keys()) derivatives[k] = r.d(...k.split(",")).toJSON();
    outputs[name] = { value: r.value.toJSON(), derivatives };
  }
  const json = JSON.stringify({ model: plan.model, order: plan.order, wrt: plan.wrt.map((w) => w.name), outputs });
  if (flags.out) { writeOutput(flags.out, json + "\n"); return `wrote ${flags.out}`; }
  return json;
}
