/**
 * The TypeScript/JavaScript target: one module per model exporting the model
 * function with its metadata. Output is deterministic (a pure function of the
 * plan and options) and imports only the runtime.
 */
import type { Plan, Step } from "../plan/plan.js";
import { stepLine, stepOrigin, stepText } from "../plan/print.js";
import { emitAmax, emitCompare, emitContract, emitMap, emitSeed, rankArities, rankHelper } from "./loops.js";
import type { EmitOptions, Target } from "./target.js";
import { typescriptCost, type TsParams } from "./ts-cost.js";
import * as nest from "./nest.js";
import { printExpr } from "./print-ts.js";
import { inlinedRuntime } from "./standalone.js";
import { pascal } from "./reserved.js";
import { fusable } from "../plan/fusable.js";
import { reads, stepOutputs } from "../plan/liveness.js";
import { batchProfile } from "../plan/cost.js";
import { assertNever } from "../assert-never.js";
import { THOAD_VERSION } from "../../runtime/version.js";
import { packSize, type WasmStep } from "./wasm-steps.js";
import type { WasmStepCall } from "./wasm-kernels.js";
import { wasmKernelCode, wasmLoad, wasmProgramLines } from "./wasm-glue.js";
import { fallbackImports } from "./wasm-map-step.js";


/** The buffer an alias chain starts from (aliases: out -> input of every alias step, from aliasesOf). */
function aliasRoot(aliases: ReadonlyMap<number, number>, id: number): number {
  let b = id;
  for (let a = aliases.get(b); a !== undefined; a = aliases.get(b)) b = a;
  return b;
}

/** Each alias step's output and input: a lookup, not a search of the steps per buffer (quadratic in long plans). */
const aliasesOf = (plan: Plan): Map<number, number> => {
  const m = new Map<number, number>();
  for (const st of plan.steps) if (st.kind === "alias" && !m.has(st.out)) m.set(st.out, st.input);
  return m;
};

/** The runtime functions a plan's code calls. */
function runtimeNames(plan: Plan, weights?: EmitOptions["weights"], wasm = false): string[] {
  const kinds = new Set(plan.tables.map((t) => t.kind));
  const names = ["bindParams", "checkInputs", "OutputResult", "Runner", "Tensor"];
  if (wasm && weights?.embedded === undefined) names.push("base64ToBytes");
  if (kinds.has("diagonal")) names.push("batchDiagonalTable");
  if (kinds.has("dense")) names.push("denseIndexTable");
  if (kinds.has("gather")) names.push("gatherTable");
  if (kinds.has("rank") || kinds.has("sorted")) names.push("rankTerms");
  if (kinds.has("sub")) names.push("subIndexTable");
  if (weights) names.push(...(weights.embedded !== undefined ? ["base64ToBytes", "decodeSafetensors"] : ["loadSafetensors"]));
  return names.sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1));
}

const shapeLit = (s: readonly number[]): string => `[${s.join(", ")}]`;

/** The typed-array class of a plan's buffers (index tables stay Int32Array). */
const arrayType = (plan: Plan): "Float64Array" | "Float32Array" => (plan.dtype === "f32" ? "Float32Array" : "Float64Array");

/** The model line a step comes from, for its comments: "  @12: h1 = tanh(x @ W1 + b1)", "  @30 (fn f, line 12): y = f(x)". */
function origin(plan: Plan, s: Step): string {
  const l = stepLine(plan, s), o = stepOrigin(plan, s);
  const text = plan.lines?.get(l ?? 0) ?? "";
  // cut first: a long line (a 6000-term sum) once per step made a module past the longest string an engine holds
  return o === undefined ? "" : `  ${o}: ${oneLine(text.length > 120 ? `${text.slice(0, 117)}...` : text)}`.trimEnd();
}

/** What the generated names mean (after the header of every module). */
const LEGEND = [
  "// Reading the code: t<N> is buffer N of the plan (thoadc explain lists each with what it holds),",
  "// v<N> its view on the current tile of samples [b0, b0 + bt), and B the batch size. S<N> is scratch",
  "// storage shared by buffers whose lifetimes do not overlap; T<N> is index table N (packed symmetric",
  "// offsets, gathers); k<N> computes plan step N, and the comment at its call gives the step's formula",
  "// and the model line it comes from (@line: text). Loop indices are the formula's index names (p runs",
  "// over a packed symmetric axis, q over the elements of a map); o_, r_, u_, w_, v_ and x_ names hold",
  "// hoisted offsets, table entries and operands, pr partial products, acc a running sum.",
];

/**
 * What the wasm target (wasm-target.ts) adds: the steps that run as GEMMs in
 * wasm, and the module of their kernels as base64 (wasm-glue.ts says how the
 * module text changes). `sync`: compile the kernels synchronously (the "function" flavor).
 */
export interface WasmHooks {
  steps(plan: Plan): ReadonlyMap<number, WasmStep>;
  kernels(plan: Plan, calls: readonly WasmStepCall[]): string;
  readonly sync: boolean;
}

function body(original: Plan, ts: boolean, target: ReturnType<typeof typescriptCost>, wasm?: WasmHooks): string[] {
  const layout = target.layout(original);
  const { tiling, slotOf, slots } = layout;
  const TILE = layout.tile;
  const plan = tiling?.plan ?? original;
  const aliases = aliasesOf(plan);
  const W = wasm?.steps(plan);
  const wasmCalls: WasmStepCall[] = [];
  // inputs and caller buffers a wasm step touches get a staging copy X<id> in the wasm memory
  const staged = new Set<number>();
  for (const i of W?.keys() ?? []) {
    for (const id of [...stepOutputs(plan.steps[i]!), ...reads(plan.steps[i]!)]) { const r = aliasRoot(aliases, id); if (!slotOf.has(r)) staged.add(r); }
  }
  const stagedIds = [...staged].sort((a, b) => a - b);
  const pack = packSize(W?.values() ?? []); // the block B is packed into for C += A B^T, after the arrays
  const F = arrayType(plan);
  const nn = ts ? "!" : ""; // see ReadEnd (loops.ts)
  const bufName = (id: number) => plan.buffers[id]!.name;
  const L: string[] = [];
  const P: string[] = []; // $program and its kernels
  const kernels: string[] = [];
  /** A buffer's element count for B samples (B the name of the batch size). */
  const sizeTree = (id: number, B = "B"): nest.Expr => {
    const b = plan.buffers[id]!;
    return b.batched ? (b.size === 1 ? nest.v(B) : nest.mul(nest.v(B), nest.num(b.size))) : nest.num(b.size);
  };
  const sizeExpr = (id: number, B = "B"): string => printExpr(sizeTree(id, B));
  // buffers handed to the caller: the step outputs with storage of their own (not a slot)
  const owned = plan.steps.flatMap((st) => (st.kind === "alias" ? [] : stepOutputs(st).filter((o) => !slotOf.has(o))));
  L.push(`const INPUTS = [${plan.inputs.map((i) => `{ name: ${JSON.stringify(i.name)}, shape: ${shapeLit(i.shape)} }`).join(", ")}];`);
  L.push(`const WRT = [${plan.wrt.map((w) => `{ name: ${JSON.stringify(w.name)}, shape: ${shapeLit(w.shape)}, batched: ${w.batched} }`).join(", ")}];`);
  // a function: the Runner builds the tables on the model's first call, not at import (order 10 took most of a minute)
  const wasmAt = W?.size ? L.length : -1; // $wasm goes here once the kernels are known
  const wasmEntry = W?.size ? `  $wasm${ts ? " as unknown as Int32Array" : ""}, // the compiled wasm kernels, for $program and worker threads` : undefined;
  L.push(`const TABLES = ()${ts ? ": Int32Array[]" : ""} => [${plan.tables.length || wasmEntry ? "" : "];"}`);
  for (const t of plan.tables) L.push(`  ${t.diagonal ? `batchDiagonalTable(${shapeLit(t.ns)}, ${shapeLit(t.ms)}, ${shapeLit(t.diagonal.batched)}, ${t.diagonal.samples})` : t.gather ? `gatherTable(${shapeLit(t.gather.spec.view)}, ${shapeLit(t.gather.spec.src)}, [${t.gather.spec.coef.map(shapeLit).join(", ")}], ${shapeLit(t.gather.spec.offset)}, ${JSON.stringify(t.gather.side)}${t.gather.coord ? `, [${t.gather.coord.stride}, ${t.gather.extent}]` : ""})` : t.kind === "rank" || t.kind === "sorted" ? `rankTerms(${t.ns[0]}, ${t.ms[0]})` : t.kind === "dense" ? `denseIndexTable(${shapeLit(t.ns)}, ${shapeLit(t.ms)})` : `subIndexTable(${shapeLit(t.ns)}, ${shapeLit(t.ms)}, ${shapeLit(t.masks)})`}, // T${t.id}`);
  if (wasmEntry) L.push(wasmEntry);
  if (plan.tables.length || wasmEntry) L.push("];");
  const profile = batchProfile(original, target);
  const outSpecs = owned.map((o) => `{ size: ${plan.buffers[o]!.size}, batched: ${plan.buffers[o]!.batched} }`).join(", ");
  L.push(`const $runner = new Runner(${JSON.stringify(plan.model)}, $program, TABLES, [${outSpecs}], { tile: ${profile.tile}, flopsPerSample: ${profile.flopsPerSample} }${F === "Float64Array" ? "" : `, ${F}`});`, "");
  const inputsType = ts ? `: ${pascal(plan.model)}Inputs` : "";
  const optionsType = ts ? `?: RunOptions` : "";
  const resultType = ts ? `: ${pascal(plan.model)}Result` : "";
  // the local name is fixed ($model): a model may be named like any generated or runtime identifier
  L.push(`function $model(inputs${inputsType}, options${optionsType})${resultType} {`);
  // f32: inputs are converted once, here (an f64 module passes no type: its text is unchanged)
  L.push(`  const { B, data } = checkInputs(${JSON.stringify(plan.model)}, inputs, INPUTS${F === "Float64Array" ? "" : `, ${F}`});`);
  if (plan.staticBatch !== undefined) L.push(`  if (B !== ${plan.staticBatch}) throw new Error(\`${plan.model}: compiled with --no-batch for batch size ${plan.staticBatch}, called with batch size \${B}\`);`);
  L.push(`  const out = $runner.run(B, data, options);`);

  // $program: closed over nothing but its argument, so worker threads rebuild it from its source text
  P.push(
    "/**",
    " * Every step of the model. Reads nothing from outside but its argument and JavaScript",
    " * globals: worker threads rebuild it from its source text (thoad/runtime Runner).",
    " * run(B, lo, hi, data, out) runs the param-only steps, then the batched steps on",
    " * samples [lo, hi) one tile at a time, writing the caller's buffers `out`.",
    " */",
    `function $program(T${ts ? ": readonly Int32Array[]" : ""}) {`,
  );
  plan.tables.forEach((t, k) => P.push(`  const T${t.id} = T[${k}]${nn};`));
  for (const m of rankArities(plan)) P.push(...rankHelper(m, ts));
  if (W?.size) P.push(...wasmProgramLines(plan.tables.length, F === "Float64Array" ? 8 : 4, ts, W.keys(), fallbackImports([...W.values()].flatMap((w) => (w.map ? [w.map] : [])))));
  const arrays = [...slots.map((_, k) => `S${k}`), ...stagedIds.map((id) => `X${id}`)];
  if (arrays.length) P.push(`  let slotsB = -1;`, `  let ${arrays.map((a) => `${a} = new ${F}(0)`).join(", ")}${pack ? ", $packAt = 0" : ""};`);
  const rf64 = ts ? `: readonly ${F}[]` : "", num = ts ? ": number" : "";
  P.push(`  function run(B${num}, lo${num}, hi${num}, data${rf64}, out${rf64})${ts ? ": void" : ""} {`);
  const I = "    ";
  // a staged buffer's samples [lo, hi) (all of it when unbatched)
  const range = (id: number): [string, string] | undefined => {
    const b = plan.buffers[id]!;
    return b.batched ? [b.size === 1 ? "lo" : `lo * ${b.size}`, b.size === 1 ? "hi" : `hi * ${b.size}`] : undefined;
  };
  const bindingsStart = P.length;
  for (const b of plan.buffers) {
    if (b.role !== "input") continue;
    if (!staged.has(b.id)) { P.push(`${I}const ${b.name} = data[${b.input}]${nn}; // ${b.label}`); continue; }
    const r = range(b.id);
    P.push(`${I}const ${b.name} = X${b.id}; // ${b.label}, copied into the wasm memory`, `${I}X${b.id}.set(data[${b.input}]${nn}${r ? `.subarray(${r[0]}, ${r[1]}), ${r[0]}` : ""});`);
  }
  owned.forEach((o, j) => {
    if (!staged.has(o)) { P.push(`${I}const ${bufName(o)} = out[${j}]${nn};`); return; }
    const r = range(o);
    P.push(`${I}const ${bufName(o)} = X${o}; // out[${j}] in the wasm memory`, `${I}X${o}.fill(0${r ? `, ${r[0]}, ${r[1]}` : ""});`);
  });
  // shared storage for intermediates (batched ones: one tile of samples), kept across
  // calls with the same batch size
  const slotB = tiling ? `Math.min(B, ${TILE})` : "B";
  const bindingsEnd = P.length;
  if (arrays.length) {
    P.push(`${I}if (slotsB !== B) {`);
    P.push(`${I}  slotsB = B;`);
    if (tiling && slots.length) P.push(`${I}  const BT = ${slotB};`);
    const counts = [
      ...slots.map((sl) => (sl.batched ? (sl.size === 1 ? (tiling ? "BT" : "B") : `${tiling ? "BT" : "B"} * ${sl.size}`) : String(sl.size))),
      ...stagedIds.map((id) => sizeExpr(id)),
    ];
    if (W?.size) {
      // every array a view of the wasm memory, taken after it grows
      P.push(`${I}  const at = $layout([${[...counts, ...(pack ? [String(pack)] : [])].join(", ")}]);`);
      arrays.forEach((a, k) => P.push(`${I}  ${a} = new ${F}($mem.buffer, at[${k}]${nn}, ${counts[k]});`));
      if (pack) P.push(`${I}  $packAt = at[${arrays.length}]${nn};`);
    } else slots.forEach((_, k) => P.push(`${I}  S${k} = new ${F}(${counts[k]});`));
    P.push(`${I}}`);
    // with wasm, the layout comes first: the staged inputs and outputs are bound to its views
    if (W?.size) P.splice(bindingsStart, 0, ...P.splice(bindingsEnd));
  }
  // aliases of the caller's batched buffers are made before any tile
  if (tiling) for (const st of plan.steps) {
    if (st.kind === "alias" && plan.buffers[st.out]!.batched && !slotOf.has(aliasRoot(aliases, st.out))) P.push(`${I}const ${bufName(st.out)} = ${bufName(st.input)};`);
  }
  // inside a tile, a batched buffer is a view: its tile of a whole buffer, or its slot
  const inTile = (id: number) => tiling !== undefined && plan.buffers[id]!.batched;
  const view = (id: number) => (inTile(id) ? `v${plan.buffers[id]!.name.slice(1)}` : bufName(id));
  const viewed = new Set<number>();
  const needView = (id: number, ind: string): void => {
    if (!inTile(id) || viewed.has(id) || slotOf.has(id)) return;
    const root = aliasRoot(aliases, id);
    if (root !== id) { needView(root, ind); P.push(`${ind}const ${view(id)} = ${view(root)};`); viewed.add(id); return; }
    const size = plan.buffers[id]!.size;
    P.push(`${ind}const ${view(id)} = ${bufName(id)}.subarray(b0${size === 1 ? "" : ` * ${size}`}, (b0 + bt)${size === 1 ? "" : ` * ${size}`});`);
    viewed.add(id);
  };
  plan.steps.forEach((s, i) => {
    const looped = tiling !== undefined && i >= tiling.prologue;
    if (looped && i === tiling.prologue) P.push(`${I}for (let b0 = lo; b0 < hi; b0 += ${TILE}) {`, `${I}  const bt = Math.min(${TILE}, hi - b0);`);
    const ind = looped ? `${I}  ` : I;
    const name = (id: number) => (looped ? view(id) : bufName(id));
    P.push(`${ind}// ${i}: ${stepText(plan, s)}${origin(plan, s)}`);
    const outs = stepOutputs(s);
    if (s.kind === "alias") {
      if (!looped || !inTile(s.out)) P.push(`${ind}const ${bufName(s.out)} = ${bufName(s.input)};`);
      return; // in a tile, views of aliases are made where they are read
    }
    for (const o of outs) {
      const slot = slotOf.get(o);
      if (slot === undefined) { if (looped) needView(o, ind); } // the caller's buffer, fresh (zeros) every call
      else {
        P.push(`${ind}const ${name(o)} = S${slot}.subarray(0, ${sizeExpr(o, looped ? "bt" : "B")});`);
        if ((s.kind === "contract" && (!fusable(s) || (W?.has(i) && !W.get(i)!.table))) || s.kind === "seed" || s.kind === "compare") P.push(`${ind}${name(o)}.fill(0);`); // a fused nest and an unrolled table step assign every element (a GEMM accumulates)
      }
    }
    if (looped) for (const r of reads(s)) needView(r, ind);
    // each step's loops live in a function of their own: V8 optimises small
    // functions, and gives up on one huge function holding every loop
    // assigned, not spread into a push: one step of many terms can have more lines than a call takes arguments
    const ids = [...new Set([...outs, ...reads(s)])];
    const gemm = W?.get(i);
    if (gemm) wasmCalls.push({ step: i, ids, gemm });
    let code: string[];
    if (gemm) code = wasmKernelCode(i, gemm, ids.map(bufName), bufName(s.kind === "contract" ? s.out : ids[0]!));
    else switch (s.kind) {
      case "contract": code = emitContract(s, plan, bufName, "  ", nn, target.params.unroll); break;
      case "map": code = emitMap(s, sizeTree(s.input), bufName, "  ", nn); break;
      case "seed": code = emitSeed(s, plan.buffers[s.out]!.batched, bufName, "  "); break;
      case "amax": code = emitAmax(s, bufName, "  ", nn); break;
      case "compare": code = emitCompare(s, bufName, "  ", F, nn); break;
      default: return assertNever(s, "plan step kind");
    }
    const params = ["B", ...ids.map(bufName)].map((a) => (ts ? `${a}: ${a === "B" ? "number" : F}` : a)).join(", ");
    kernels.push("", `/** ${i}: ${`${stepText(plan, s)}${origin(plan, s)}`.replace(/\*\//g, "* /")} */`, `function k${i}(${params})${ts ? ": void" : ""} {`);
    for (const l of code) kernels.push(l);
    kernels.push("}");
    P.push(`${ind}k${i}(${[looped ? "bt" : "B", ...ids.map(name)].join(", ")});`);
  });
  if (tiling) P.push(`${I}}`);
  owned.forEach((o, j) => {
    if (!staged.has(o)) return;
    const r = range(o);
    P.push(`${I}out[${j}]${nn}.set(X${o}${r ? `.subarray(${r[0]}, ${r[1]}), ${r[0]}` : ""}); // out of the wasm memory`);
  });
  P.push("  }");
  for (const l of kernels) P.push(l ? `  ${l}` : l); // not push(...kernels): a long plan has more lines than a call takes arguments
  P.push("", "  return run;", "}");

  // what the caller gets: blocks are the caller's buffers (out) or, for an alias of an input, the input
  const source = (id: number): string => {
    const r = aliasRoot(aliases, id);
    const b = plan.buffers[r]!;
    return b.role === "input" ? `data[${b.input}]${nn}` : `out[${owned.indexOf(r)}]${nn}`;
  };
  L.push("  return {");
  for (const o of plan.outputs) {
    const batched = o.shape[0] === -1;
    const shape = `[${o.shape.map((d) => (d === -1 ? "B" : String(d))).join(", ")}]`;
    const blocks = [...o.blocks].map(([k, b]) => `[${JSON.stringify(k)}, ${source(b)}]`).join(", ");
    // an output that is an input (or a reshape of one) gets a copy: the caller's array is not handed back
    const value = plan.buffers[aliasRoot(aliases, o.value)]!.role === "input" ? `${source(o.value)}.slice()` : source(o.value);
    L.push(`    ${propertyKey(o.name)}: new OutputResult(new Tensor(${shape}, ${value}), ${batched ? "B" : "undefined"}, WRT, new Map([${blocks}]), ${plan.order}${!batched && plan.wrt.some((w) => w.batched) ? ", B" : o.seeded ? ", undefined" : ""}${o.seeded ? ", true" : ""}),`);
  }
  L.push("  };");
  L.push("}");
  if (wasm && wasmAt >= 0) L.splice(wasmAt, 0, ...wasmLoad(wasm.kernels(plan, wasmCalls), wasm.sync, ts));
  return [...L, "", ...P];
}

/** A name as an object-literal key: a literal "__proto__" key would set the prototype (an output so named was lost), so that one is computed. */
const propertyKey = (name: string): string => (name === "__proto__" ? `["__proto__"]` : JSON.stringify(name));

function metadata(plan: Plan): string {
  const inputs = plan.inputs.map((i) => `${propertyKey(i.name)}: ${shapeLit(i.shape)}`).join(", ");
  return `{ order: ${plan.order}, mode: ${JSON.stringify(plan.mode)}, wrt: [${plan.wrt.map((w) => JSON.stringify(w.name)).join(", ")}], inputs: { ${inputs} }, outputs: [${plan.outputs.map((o) => JSON.stringify(o.name)).join(", ")}], withParams: $withParams }`;
}

/** The type of withParams: bound params become optional inputs. */
const withParamsType = (P: string): string => `(params: Readonly<Record<string, InputLike>> | ReadonlyMap<string, InputLike>) => ((inputs: Partial<${P}Inputs>, options?: RunOptions) => ${P}Result)`;

/** result: how a type names the runtime's OutputResult class (a .ts module reads the class as a value from $rt). */
function typeDecls(plan: Plan, declare: boolean, weights?: EmitOptions["weights"], result = "OutputResult"): string[] {
  const P = pascal(plan.model);
  const ex = declare ? "export declare" : "export";
  const bound = new Set(weights?.names ?? []);
  return [
    `/** Inputs of ${plan.model}; shapes use -1 for the batch axis: ${plan.inputs.map((i) => `${i.name} ${shapeLit(i.shape)}`).join(", ")}.${bound.size ? ` Bound weights (optional: pass one to override it): ${[...bound].join(", ")}.` : ""} */`,
    `export interface ${P}Inputs { ${plan.inputs.map((i) => `readonly ${i.name}${bound.has(i.name) ? "?" : ""}: InputLike;`).join(" ")} }`,
    // d() and packed() take the module's own variable names: a misspelt one fails to compile
    `export interface ${P}Result { ${plan.outputs.map((o) => `readonly ${o.name}: ${result}<${arrayType(plan)}, ${plan.wrt.map((w) => JSON.stringify(w.name)).join(" | ") || "never"}>;`).join(" ")} }`,
    // the literal types the TypeScript module's `as const` metadata has
    ...(declare ? [`${ex} const ${plan.model}: ((inputs: ${P}Inputs, options?: RunOptions) => ${P}Result) & { readonly order: ${plan.order}; readonly mode: ${JSON.stringify(plan.mode)}; readonly wrt: readonly [${plan.wrt.map((w) => JSON.stringify(w.name)).join(", ")}]; readonly inputs: { ${plan.inputs.map((i) => `readonly ${JSON.stringify(i.name)}: readonly ${shapeLit(i.shape)};`).join(" ")} }; readonly outputs: readonly [${plan.outputs.map((o) => JSON.stringify(o.name)).join(", ")}]; readonly withParams: ${withParamsType(P)} };`] : []),
  ];
}

/**
 * withParams (every module), and the bound weights of an imported model: the
 * exported function is then the model with its weights bound (loaded once, at import).
 */
function binding(plan: Plan, ts: boolean, weights?: EmitOptions["weights"]): { lines: string[]; exported: string } {
  const P = pascal(plan.model);
  const lines = ts
    ? [`function $withParams(params: Readonly<Record<string, InputLike>> | ReadonlyMap<string, InputLike>): (inputs: Partial<${P}Inputs>, options?: RunOptions) => ${P}Result {`, `  return bindParams($exported, params) as unknown as (inputs: Partial<${P}Inputs>, options?: RunOptions) => ${P}Result;`, "}"]
    : ["function $withParams(params) {", "  return bindParams($exported, params);", "}"];
  if (!weights) return { lines, exported: "$exported" };
  const load = weights.embedded !== undefined
    ? `decodeSafetensors(base64ToBytes(${JSON.stringify(weights.embedded)}))`
    : `await loadSafetensors(new URL(${JSON.stringify(weights.file)}, import.meta.url))`;
  lines.push(`const $weights = ${load};`, `const $bound${ts ? " = " : " = "}bindParams($exported, $weights)${ts ? " as unknown as typeof $exported" : ""};`);
  return { lines, exported: "$bound" };
}

/** The provenance line: thoadc's version, then the model file and flags (cli/ --check compares it). */
const generatedBy = (opts: EmitOptions): string => `// Generated by thoadc ${THOAD_VERSION} from ${oneLine(opts.provenance)}. Do not edit: regenerate.`;

/**
 * Text for a `//` comment: a file name or a model line may hold characters that
 * end a JavaScript line (\n, \r, U+2028, U+2029) and so the comment, leaving
 * the rest as code; those, and other control characters, are written as \u escapes.
 */
const oneLine = (text: string): string => text.replace(/[\u0000-\u0008\u000a-\u001f\u007f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

/** The TypeScript/JavaScript target with its schedule parameters (default TS_PARAMS: tile 16, unroll 4). */
export const makeTypescriptTarget = (params?: TsParams, variant?: { name: string; description: string; hooks: (sync: boolean) => WasmHooks }): Target & { readonly params: TsParams } => {
  const cost = typescriptCost(params);
  return {
    ...cost,
    ...(variant ? { name: variant.name } : {}),
    description: variant?.description ?? "TypeScript/JavaScript loop nests over typed arrays",
    module(plan: Plan, opts: EmitOptions): string {
      const hooks = variant?.hooks(opts.flavor === "function");
      const wasm = (hooks?.steps((cost.layout(plan).tiling?.plan ?? plan)).size ?? 0) > 0;
      const header = [generatedBy(opts), `// Model ${plan.model}: mode ${plan.mode}, order ${plan.order}, wrt [${plan.wrt.map((w) => w.name).join(", ")}]${plan.dtype === "f32" ? ", float32 buffers" : ""}.`];
      if (opts.flavor === "function") {
        return [...header, `const { ${runtimeNames(plan, undefined, wasm).join(", ")} } = rt;`, ...body(plan, false, cost, hooks), ...binding(plan, false).lines, `const $exported = Object.assign($model, ${metadata(plan)});`, "return $exported;", ""].join("\n");
      }
      const ts = opts.flavor === "ts";
      // the runtime as a namespace, not named imports: a runtime that lacks a name would fail
      // to link before any code runs; requireRuntime says why first
      const imports = opts.standalone
        ? `${inlinedRuntime(ts ? "ts" : "js", opts.weights !== undefined, wasm)}\nexport { closeWorkers, OutputResult, startWorkers, Tensor, threadStats${ts ? ", type InputLike, type RunOptions, type TensorLike" : ""} };`
        : [
          `import * as $rt from ${JSON.stringify(opts.runtimeImport)};`,
          ...(ts ? [`import type { InputLike, RunOptions } from ${JSON.stringify(opts.runtimeImport)};`] : []),
          "",
          `$rt.requireRuntime(${JSON.stringify(THOAD_VERSION)}, ${JSON.stringify(plan.model)});`,
          `const { ${runtimeNames(plan, opts.weights, wasm).join(", ")} } = $rt;`,
        ].join("\n");
      const bind = binding(plan, ts, opts.weights);
      const exported = [`const $exported = Object.assign($model, ${metadata(plan)}${ts ? " as const" : ""});`, ...bind.lines, `export { ${bind.exported} as ${plan.model} };`];
      return [...header, ...LEGEND, imports, "", ...(ts ? [...typeDecls(plan, false, opts.weights, opts.standalone ? "OutputResult" : "$rt.OutputResult"), ""] : []), ...body(plan, ts, cost, hooks), "", ...exported, ""].join("\n");
    },
    declarations(plan: Plan, opts: EmitOptions): string {
      const types = opts.standalone
        ? ["export interface TensorLike { readonly shape: readonly number[]; readonly data: ArrayLike<number> }", "export type NestedArray = number | NestedArray[];", "export interface TfTensorLike { readonly shape: readonly number[]; readonly dtype?: string; dataSync(): unknown }", "export type InputLike = TensorLike | TfTensorLike | NestedArray;", "export declare class Tensor<D extends Float64Array | Float32Array = Float64Array> implements TensorLike { readonly shape: readonly number[]; readonly data: D; get(...index: number[]): number; toArray(): unknown }", "export declare class OutputResult<D extends Float64Array | Float32Array = Float64Array, W extends string = string> { readonly value: Tensor<D>; readonly order: number; d(...names: W[]): Tensor<D>; packed(...names: W[]): Tensor<D>; denseShape(...names: W[]): number[]; isZero(...names: W[]): boolean; keys(): string[] }", "export interface RunOptions { readonly threads?: number | \"auto\" }", "export declare function closeWorkers(): Promise<number>;", "export declare function startWorkers(threads?: number | \"auto\"): Promise<number>;", "export declare function threadStats(): { readonly splitCalls: number; readonly chunks: number; readonly workerChunks: number };"]
        : [`import type { InputLike, OutputResult, RunOptions } from ${JSON.stringify(opts.runtimeImport)};`];
      return [generatedBy(opts), ...types, "", ...typeDecls(plan, true, opts.weights), ""].join("\n");
    },
  };
};

export const typescriptTarget = makeTypescriptTarget();
