/** thoadc eval: compile in memory, run on inputs from JSON, write every derivative key as dense JSON. */
import { readFileSync } from "node:fs";
import { fmtBytes, instantiate, planCost } from "../../compiler/index.js";
import { Tensor, type NestedArray } from "../../runtime/index.js";
import { compileOptions, type CommonFlags } from "../options.js";
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
  const first = compileFile(file, flags, 2, { maxMemory: undefined }); // --max-memory: checked below, at the inputs' batch size
  if (!flags.inputs) return fail(file, [{ code: "TH302", severity: "error", message: "eval needs --inputs FILE.json", span: undefined }]);
  let text: string;
  try { text = readFileSync(flags.inputs, "utf8"); } catch (e) { return fail(flags.inputs, [{ code: "TH301", severity: "error", message: `cannot read '${flags.inputs}': ${(e as NodeJS.ErrnoException).code}`, span: undefined }]); }
  // bound weights first: an input of the file with the same name overrides one
  const inputs: Record<string, Tensor> = Object.assign(Object.create(null) as Record<string, Tensor>, weightTensors(first.model.weights), parseInputs(flags.inputs, text));
  const limit = compileOptions(flags, 2).options?.maxMemory;
  const batched = first.result.state.plan!.inputs.find((i) => i.shape[0] === -1 && inputs[i.name]);
  const B = batched ? inputs[batched.name]!.shape[0] ?? 1 : 1;
  // over the limit at the real batch size: compiled again there, so that auto mode may take the other plan or say TH402
  const over = limit !== undefined && planCost(first.result.state.plan!, B, first.result.state.target).peakBytes > limit;
  const { result } = over ? compileFile(file, flags, 2, { batchHint: B }) : first;
  const plan = result.state.plan!;
  let res;
  try { res = instantiate(plan, result.state.targetChoice!.target)(inputs); } catch (e) { return fail(flags.inputs, [{ code: "TH302", severity: "error", message: (e as Error).message, span: undefined }]); }
  const compact = new Set(plan.wrt.filter((w) => w.batched).map((w) => w.name));
  // every block dense, as JSON: about 32 bytes an entry (the array, its text)
  let entries = 0;
  for (const r of Object.values(res)) {
    entries += r.value.data.length;
    for (const k of r.keys()) if (!zeroAcrossBatch(r, k, compact)) entries += r.denseShape(...k.split(",")).reduce((a, b) => a * b, 1);
  }
  if (limit !== undefined && entries * 32 > limit) return fail(file, [{ code: "TH402", severity: "error", message: `eval writes every derivative dense: ${entries} entries at B=${B}, about ${fmtBytes(entries * 32)} of JSON, over the limit of ${fmtBytes(limit)} (--max-memory); use a lower --order, fewer --wrt, or the compiled module's packed()`, span: undefined }]);
  // no prototype: an output or a key named __proto__ is an entry like any other
  const outputs = Object.create(null) as Record<string, unknown>;
  for (const [name, r] of Object.entries(res)) {
    const derivatives = Object.create(null) as Record<string, unknown>;
    for (const k of r.keys()) {
      // an output without the batch axis does not depend on batched variables: those blocks are (B n)^k zeros, written as such
      derivatives[k] = zeroAcrossBatch(r, k, compact) ? { shape: r.denseShape(...k.split(",")), zero: true } : r.d(...k.split(",")).toJSON();
    }
    outputs[name] = { value: r.value.toJSON(), derivatives };
  }
  const json = JSON.stringify({ model: plan.model, order: plan.order, wrt: plan.wrt.map((w) => w.name), outputs });
  if (flags.out) { writeOutput(flags.out, json + "\n"); return `wrote ${flags.out}`; }
  return json;
}

type Result = ReturnType<ReturnType<typeof instantiate>>[string];
/** A block of an output without the batch axis w.r.t. a batched variable: zero by structure, dense size (B n)^k. */
const zeroAcrossBatch = (r: Result, key: string, batched: ReadonlySet<string>): boolean =>
  r.batchSize === undefined && key.split(",").some((v) => batched.has(v)) && r.isZero(...key.split(","));

