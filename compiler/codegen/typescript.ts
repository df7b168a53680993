/**
 * The TypeScript/JavaScript target: one module per model exporting the model
 * function with its metadata. Output is deterministic (a pure function of the
 * plan and options) and imports only the runtime.
 */
import type { Plan } from "../plan/plan.js";
import { stepText } from "../plan/print.js";
import { emitAmax, emitCompare, emitContract, emitMap, emitSeed } from "./loops.js";
import type { EmitOptions, Target } from "./target.js";
import { inlinedRuntime } from "./standalone.js";
import { fusable } from "./fused-nest.js";
import { assignSlots, TILE, tiled } from "../plan/slots.js";
import { reads, stepOutputs } from "../plan/liveness.js";


/** The buffer an alias chain starts from. */
function aliasRoot(plan: Plan, id: number): number {
  for (let b = id; ; ) {
    const a = plan.steps.find((st) => st.kind === "alias" && st.out === b);
    if (!a || a.kind !== "alias") return b;
    b = a.input;
  }
}

/** The runtime functions a plan's code calls. */
function runtimeNames(plan: Plan): string[] {
  const kinds = new Set(plan.tables.map((t) => t.kind));
  return [...(kinds.has("diagonal") ? ["batchDiagonalTable"] : []), "checkInputs", ...(kinds.has("dense") ? ["denseIndexTable"] : []), ...(kinds.has("gather") ? ["gatherTable"] : []), "OutputResult", ...(kinds.has("rank") || kinds.has("sorted") ? ["rankTable"] : []), ...(kinds.has("sub") ? ["subIndexTable"] : []), "Tensor"];
}

const pascal = (s: string): string => s.replace(/(^|_)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
const shapeLit = (s: readonly number[]): string => `[${s.join(", ")}]`;

/** The typed-array class of a plan's buffers (index tables stay Int32Array). */
const arrayType = (plan: Plan): "Float64Array" | "Float32Array" => (plan.dtype === "f32" ? "Float32Array" : "Float64Array");

function body(original: Plan, ts: boolean): string[] {
  const tiling = tiled(original);
  const plan = tiling?.plan ?? original;
  const F = arrayType(plan);
  const bufName = (id: number) => plan.buffers[id]!.name;
  const L: string[] = [];
  const kernels: string[] = [];
  const sizeExpr = (id: number, B = "B") => {
    const b = plan.buffers[id]!;
    return b.batched ? (b.size === 1 ? B : `${B} * ${b.size}`) : String(b.size);
  };
  L.push(`const INPUTS = [${plan.inputs.map((i) => `{ name: ${JSON.stringify(i.name)}, shape: ${shapeLit(i.shape)} }`).join(", ")}];`);
  L.push(`const WRT = [${plan.wrt.map((w) => `{ name: ${JSON.stringify(w.name)}, shape: ${shapeLit(w.shape)}, batched: ${w.batched} }`).join(", ")}];`);
  for (const t of plan.tables) L.push(t.diagonal ? `const T${t.id} = batchDiagonalTable(${shapeLit(t.ns)}, ${shapeLit(t.ms)}, ${shapeLit(t.diagonal.batched)}, ${t.diagonal.samples});` : t.gather ? `const T${t.id} = gatherTable(${shapeLit(t.gather.spec.view)}, ${shapeLit(t.gather.spec.src)}, [${t.gather.spec.coef.map(shapeLit).join(", ")}], ${shapeLit(t.gather.spec.offset)}, ${JSON.stringify(t.gather.side)});` : t.kind === "rank" || t.kind === "sorted" ? `const T${t.id} = rankTable(${t.ns[0]}, ${t.ms[0]}, ${t.kind === "sorted"});` : t.kind === "dense" ? `const T${t.id} = denseIndexTable(${shapeLit(t.ns)}, ${shapeLit(t.ms)});` : `const T${t.id} = subIndexTable(${shapeLit(t.ns)}, ${shapeLit(t.ms)}, ${shapeLit(t.masks)});`);
  L.push("");
  const { slotOf, slots } = assignSlots(plan);
  if (slots.length) L.push(`let slotsB = -1;`, `let ${slots.map((_, k) => `S${k} = new ${F}(0)`).join(", ")};`, "");
  const inputsType = ts ? `: ${pascal(plan.model)}Inputs` : "";
  const resultType = ts ? `: ${pascal(plan.model)}Result` : "";
  // the local name is fixed ($model): a model may be named like any generated or runtime identifier
  L.push(`function $model(inputs${inputsType})${resultType} {`);
  // f32: inputs are converted once, here (an f64 module passes no type: its text is unchanged)
  L.push(`  const { B, data } = checkInputs(${JSON.stringify(plan.model)}, inputs, INPUTS${F === "Float64Array" ? "" : `, ${F}`});`);
  if (plan.staticBatch !== undefined) L.push(`  if (B !== ${plan.staticBatch}) throw new Error(\`${plan.model}: compiled with --no-batch for batch size ${plan.staticBatch}, called with batch size \${B}\`);`);
  for (const b of plan.buffers) if (b.role === "input") L.push(`  const ${b.name} = data[${b.input}]; // ${b.label}`);
  // shared storage for intermediates (batched ones: one tile of samples), kept across
  // calls with the same batch size; the buffers handed to the caller are fresh every call
  const slotB = tiling ? `Math.min(B, ${TILE})` : "B";
  if (slots.length) {
    L.push(`  if (slotsB !== B) {`);
    L.push(`    slotsB = B;`);
    if (tiling) L.push(`    const BT = ${slotB};`);
    slots.forEach((sl, k) => L.push(`    S${k} = new ${F}(${sl.batched ? (sl.size === 1 ? (tiling ? "BT" : "B") : `${tiling ? "BT" : "B"} * ${sl.size}`) : sl.size});`));
    L.push(`  }`);
  }
  // buffers handed to the caller are allocated whole, before any tile
  if (tiling) for (const st of plan.steps) for (const o of stepOutputs(st)) {
    if (!plan.buffers[o]!.batched || slotOf.has(aliasRoot(plan, o))) continue;
    if (st.kind === "alias") L.push(`  const ${bufName(o)} = ${bufName(st.input)};`);
    else L.push(`  const ${bufName(o)} = new ${F}(${sizeExpr(o)});`);
  }
  // inside a tile, a batched buffer is a view: its tile of a whole buffer, or its slot
  const inTile = (id: number) => tiling !== undefined && plan.buffers[id]!.batched;
  const view = (id: number) => (inTile(id) ? `v${plan.buffers[id]!.name.slice(1)}` : bufName(id));
  const viewed = new Set<number>();
  const needView = (id: number, ind: string): void => {
    if (!inTile(id) || viewed.has(id) || slotOf.has(id)) return;
    const root = aliasRoot(plan, id);
    if (root !== id) { needView(root, ind); L.push(`${ind}const ${view(id)} = ${view(root)};`); viewed.add(id); return; }
    const size = plan.buffers[id]!.size;
    L.push(`${ind}const ${view(id)} = ${bufName(id)}.subarray(b0${size === 1 ? "" : ` * ${size}`}, (b0 + bt)${size === 1 ? "" : ` * ${size}`});`);
    viewed.add(id);
  };
  plan.steps.forEach((s, i) => {
    const looped = tiling !== undefined && i >= tiling.prologue;
    if (looped && i === tiling.prologue) L.push(`  for (let b0 = 0; b0 < B; b0 += ${TILE}) {`, `    const bt = Math.min(${TILE}, B - b0);`);
    const ind = looped ? "    " : "  ";
    const name = (id: number) => (looped ? view(id) : bufName(id));
    L.push(`${ind}// ${i}: ${stepText(plan, s)}`);
    const outs = stepOutputs(s);
    if (s.kind === "alias") {
      if (!looped || !inTile(s.out)) L.push(`${ind}const ${bufName(s.out)} = ${bufName(s.input)};`);
      return; // in a tile, views of aliases are made where they are read
    }
    for (const o of outs) {
      const slot = slotOf.get(o);
      if (slot === undefined) { if (!looped) L.push(`${ind}const ${bufName(o)} = new ${F}(${sizeExpr(o)});`); else needView(o, ind); }
      else {
        L.push(`${ind}const ${name(o)} = S${slot}.subarray(0, ${sizeExpr(o, looped ? "bt" : "B")});`);
        if ((s.kind === "contract" && !fusable(s)) || s.kind === "seed" || s.kind === "compare") L.push(`${ind}${name(o)}.fill(0);`); // a fused nest assigns every element
      }
    }
    if (looped) for (const r of reads(s)) needView(r, ind);
    // each step's loops live in a function of their own: V8 optimises small
    // functions, and gives up on one huge function holding every loop
    const code: string[] = [];
    switch (s.kind) {
      case "contract": code.push(...emitContract(s, plan, bufName, "  ")); break;
      case "map": code.push(...emitMap(s, sizeExpr(s.input), bufName, "  ")); break;
      case "seed": code.push(...emitSeed(s, plan.buffers[s.out]!.batched, bufName, "  ")); break;
      case "amax": code.push(...emitAmax(s, bufName, "  ")); break;
      case "compare": code.push(...emitCompare(s, bufName, "  ", F)); break;
    }
    const ids = [...new Set([...outs, ...reads(s)])];
    const params = ["B", ...ids.map(bufName)].map((a) => (ts ? `${a}: ${a === "B" ? "number" : F}` : a)).join(", ");
    kernels.push(`/** ${i}: ${stepText(plan, s).replace(/\*\//g, "* /")} */`, `function k${i}(${params})${ts ? ": void" : ""} {`, ...code, "}", "");
    L.push(`${ind}k${i}(${[looped ? "bt" : "B", ...ids.map(name)].join(", ")});`);
  });
  if (tiling) L.push("  }");
  L.push("  return {");
  for (const o of plan.outputs) {
    const batched = o.shape[0] === -1;
    const shape = `[${o.shape.map((d) => (d === -1 ? "B" : String(d))).join(", ")}]`;
    const blocks = [...o.blocks].map(([k, b]) => `[${JSON.stringify(k)}, ${bufName(b)}]`).join(", ");
    // an output that is an input (or a reshape of one) gets a copy: the caller's array is not handed back
    const value = plan.buffers[aliasRoot(plan, o.value)]!.role === "input" ? `${bufName(o.value)}.slice()` : bufName(o.value);
    L.push(`    ${JSON.stringify(o.name)}: new OutputResult(new Tensor(${shape}, ${value}), ${batched ? "B" : "undefined"}, WRT, new Map([${blocks}]), ${plan.order}${!batched && plan.wrt.some((w) => w.batched) ? ", B" : o.seeded ? ", undefined" : ""}${o.seeded ? ", true" : ""}),`);
  }
  L.push("  };");
  L.push("}");
  return [...L, "", ...kernels];
}

function metadata(plan: Plan): string {
  const inputs = plan.inputs.map((i) => `${JSON.stringify(i.name)}: ${shapeLit(i.shape)}`).join(", ");
  return `{ order: ${plan.order}, mode: ${JSON.stringify(plan.mode)}, wrt: [${plan.wrt.map((w) => JSON.stringify(w.name)).join(", ")}], inputs: { ${inputs} }, outputs: [${plan.outputs.map((o) => JSON.stringify(o.name)).join(", ")}] }`;
}

function typeDecls(plan: Plan, declare: boolean): string[] {
  const P = pascal(plan.model);
  const ex = declare ? "export declare" : "export";
  return [
    `/** Inputs of ${plan.model}; shapes use -1 for the batch axis: ${plan.inputs.map((i) => `${i.name} ${shapeLit(i.shape)}`).join(", ")}. */`,
    `export interface ${P}Inputs { ${plan.inputs.map((i) => `readonly ${i.name}: TensorLike;`).join(" ")} }`,
    `export interface ${P}Result { ${plan.outputs.map((o) => `readonly ${o.name}: OutputResult${plan.dtype === "f32" ? "<Float32Array>" : ""};`).join(" ")} }`,
    ...(declare ? [`${ex} const ${plan.model}: ((inputs: ${P}Inputs) => ${P}Result) & { readonly order: number; readonly mode: "forward" | "reverse"; readonly wrt: readonly string[]; readonly inputs: Readonly<Record<string, readonly number[]>>; readonly outputs: readonly string[] };`] : []),
  ];
}

export const typescriptTarget: Target = {
  name: "typescript",
  module(plan: Plan, opts: EmitOptions): string {
    const header = [`// Generated by thoadc from ${opts.provenance}. Do not edit: regenerate.`, `// Model ${plan.model}: mode ${plan.mode}, order ${plan.order}, wrt [${plan.wrt.map((w) => w.name).join(", ")}]${plan.dtype === "f32" ? ", float32 buffers" : ""}.`];
    if (opts.flavor === "function") {
      return [...header, `const { ${runtimeNames(plan).join(", ")} } = rt;`, ...body(plan, false), `return Object.assign($model, ${metadata(plan)});`, ""].join("\n");
    }
    const ts = opts.flavor === "ts";
    const imports = opts.standalone
      ? `${inlinedRuntime(ts ? "ts" : "js")}\nexport { OutputResult, Tensor${ts ? ", type TensorLike" : ""} };`
      : ts
        ? `import { ${runtimeNames(plan).join(", ")}, type TensorLike } from ${JSON.stringify(opts.runtimeImport)};`
        : `import { ${runtimeNames(plan).join(", ")} } from ${JSON.stringify(opts.runtimeImport)};`;
    const exported = ts
      ? `const $exported = Object.assign($model, ${metadata(plan)} as const);\nexport { $exported as ${plan.model} };`
      : `const $exported = Object.assign($model, ${metadata(plan)});\nexport { $exported as ${plan.model} };`;
    return [...header, imports, "", ...(ts ? [...typeDecls(plan, false), ""] : []), ...body(plan, ts), "", exported, ""].join("\n");
  },
  declarations(plan: Plan, opts: EmitOptions): string {
    const types = opts.standalone
      ? ["export interface TensorLike { readonly shape: readonly number[]; readonly data: ArrayLike<number> }", "export declare class Tensor<D extends Float64Array | Float32Array = Float64Array> implements TensorLike { readonly shape: readonly number[]; readonly data: D; get(...index: number[]): number; toArray(): unknown }", "export declare class OutputResult<D extends Float64Array | Float32Array = Float64Array> { readonly value: Tensor<D>; readonly order: number; d(...names: string[]): Tensor<D>; packed(...names: string[]): Tensor<D>; keys(): string[] }"]
      : [`import type { OutputResult, TensorLike } from ${JSON.stringify(opts.runtimeImport)};`];
    return [`// Generated by thoadc from ${opts.provenance}. Do not edit: regenerate.`, ...types, "", ...typeDecls(plan, true), ""].join("\n");
  },
};
