/**
 * The compiler as one ordered list of named passes, top to bottom. Each pass
 * reads the previous passes' results from the state and adds its own; a pass
 * that reports an error stops the pipeline. `thoadc explain --after <pass>`
 * prints the state after any of them.
 */
import type { Diagnostic } from "./diagnostics/diagnostic.js";
import type { Model, Program } from "./syntax/ast.js";
import { parse } from "./syntax/parse.js";
import { printAst } from "./syntax/print-ast.js";
import { lowerModel, type ModelIR } from "./ir/lower.js";
import { BATCH, printIR, showShape, topoOrder, type InputNode, type Node } from "./ir/node.js";
import { planForward } from "./derive/forward.js";
import { planReverse, PlanTooLarge } from "./derive/reverse.js";
import { estimateForward } from "./derive/estimate.js";
import { chooseMode, type ModeChoice } from "./plan/choose-mode.js";
import type { Dtype, Plan } from "./plan/plan.js";
import { printPlan } from "./plan/print.js";
import { planCost } from "./plan/cost.js";
import { modelNameProblem } from "./codegen/reserved.js";
import type { EmitOptions, Target } from "./codegen/target.js";
import { DEFAULT_TARGET, isTargetOption, TARGET_OPTIONS, TARGETS, type TargetOption } from "./codegen/targets.js";
import { chooseTarget, type TargetChoice } from "./codegen/choose-target.js";
import { REFERENCE_BATCH } from "./plan/choose-mode.js";
import { verifyPlan } from "./plan/verify.js";
import { orderContractions } from "./plan/contraction-order.js";
import { mergeTerms } from "./plan/merge-terms.js";
import { hoistShared } from "./plan/hoist-shared.js";
import { symbolicSeeds } from "./plan/symbolic-seeds.js";
import { sinkLinear } from "./plan/sink-linear.js";
import { foldScaling } from "./plan/fold-scaling.js";
import { fixBatch } from "./ir/fix-batch.js";
import { batchDiagonal } from "./derive/batch-diagonal.js";
import { applyWant, type Want } from "./ir/want.js";

export interface CompileOptions {
  readonly order: number;
  /** Differentiation variables; default: every input, in declaration order. */
  readonly wrt?: readonly string[];
  readonly dims?: ReadonlyMap<string, number>;
  /** Which model of the file; default: the only one. */
  readonly model?: string;
  /** Contract each output's derivatives with a run-time seed vector `seed_<output>` over its axes. */
  readonly seedOutput?: boolean;
  /** Refuse a plan whose per-call allocation at `batchHint` exceeds this many bytes (TH402). */
  readonly maxMemory?: number;
  /** Batch size for the memory check and estimates (default 1). */
  readonly batchHint?: number;
  /** Ablation: derivative blocks stored dense instead of packed symmetric (reverse mode: one block per ordered key). */
  readonly noSymmetry?: boolean;
  /**
   * Ablation of batch unification (--no-batch): the batch size, fixed at compile
   * time. The batch axis is treated as data: the full cross-batch derivatives
   * are planned, then their diagonals taken (same results and layout).
   */
  readonly noBatch?: number;
  /** forward, reverse, or auto (default): the cheaper by the cost model. */
  readonly mode?: "forward" | "reverse" | "auto";
  /** Element type of the emitted module's buffers (default f64); also halves the bytes of the cost model for f32. */
  readonly dtype?: Dtype;
  readonly emit?: EmitOptions;
  /**
   * Codegen target (codegen/targets.ts): it emits the module, and its layout and cost factors weigh the modes.
   * Default "auto": the target estimated faster for the plan (codegen/choose-target.ts), chosen with the mode.
   */
  readonly target?: TargetOption;
  /** --want: each output y becomes laplacian(y, x), hessian_diag(y, x), ... (ir/want.ts), then differentiated to `order`. */
  readonly want?: Want;
}

export interface PipelineState {
  readonly source: string;
  readonly options: CompileOptions;
  program?: Program;
  model?: Model;
  ir?: ModelIR;
  /** --no-batch: the IR as lowered, with its batch axis (s.ir then has the batch fixed). */
  batchedIr?: ModelIR;
  nodes?: Node[];
  wrt?: string[];
  forward?: Plan;
  reverse?: Plan;
  reverseSkipped?: string;
  forwardSkipped?: string;
  choice?: ModeChoice;
  plan?: Plan;
  /** The codegen target: options.target checked by "select"; "auto" resolved by "choose-mode". */
  target?: Target;
  /** How the target was chosen (choose-mode; forced or by the cost model). */
  targetChoice?: TargetChoice;
  code?: string;
}

export interface Pass {
  readonly name: string;
  readonly doc: string;
  run(s: PipelineState): Diagnostic[];
  print(s: PipelineState): string;
}

/** Bytes for messages: "31.2 GiB", "1.0 MiB", "200 bytes". */
export const fmtBytes = (b: number): string => (b >= 2 ** 30 ? `${(b / 2 ** 30).toFixed(1)} GiB` : b >= 2 ** 20 ? `${(b / 2 ** 20).toFixed(1)} MiB` : `${b} bytes`);

/** Highest order accepted: set partitions of 10 positions are 115975 per key (planning takes seconds). */
export const MAX_ORDER = 10;

/** Contraction-term budgets of the reverse planner (auto mode, --mode reverse). */
const REVERSE_TERMS_AUTO = 20_000;
const REVERSE_TERMS_FORCED = 100_000;

/**
 * A plan with the requested element type (an f64 plan carries none: f64 output is what it always was)
 * and the text of the model lines its buffers come from (explain, the module's comments).
 */
const typed = (s: PipelineState, p: Plan): Plan => {
  const text = s.source.split(/\r\n|\r|\n/), lines = new Map<number, string>(); // the lexer's line ends
  for (const l of [...new Set(p.buffers.flatMap((b) => (b.line === undefined ? [] : [b.line])))].sort((a, b) => a - b)) lines.set(l, text[l - 1]?.trim() ?? "");
  return { ...p, ...(s.options.dtype === "f32" ? { dtype: "f32" as const } : {}), lines };
};

const err = (code: Diagnostic["code"], message: string, span?: Diagnostic["span"]): Diagnostic => ({ code, severity: "error", message, span });

/** A rewrite of the forward plan (compiler/plan): same sums, fewer operations; verified after. */
const forwardRewrite = (name: string, doc: string, rewrite: (p: Plan) => Plan): Pass => ({
  name,
  doc,
  run: (s) => {
    if (s.forward) { s.forward = rewrite(s.forward); verifyPlan(s.forward); }
    return [];
  },
  print: (s) => (s.forward ? printPlan(s.forward) : "(not planned: --mode reverse)"),
});

/**
 * Forward plans past these (estimated from the IR, derive/estimate.ts) are not
 * built: about 50 us per block and 2.5 us per rule application measured, so
 * about 10 s each; a product of 60 scalars at order 3 (635 000 blocks) took 28 s
 * to plan and minutes to emit.
 */
export const MAX_FORWARD_BLOCKS = 100_000;
export const MAX_FORWARD_WORK = 5_000_000;

/** TH401 for a plan too large to build, saying what makes it smaller. */
const tooLarge = (s: PipelineState, what: string): Diagnostic =>
  err("TH401", `${what} at order ${s.options.order} over ${s.wrt!.length} differentiation variable${s.wrt!.length === 1 ? "" : "s"}: too large to compile in reasonable time; lower --order, differentiate fewer variables (--wrt), or make scalar inputs one tensor input (x : [n] rather than x1, ..., xn)`, s.model!.name.span);

/** TH118 for a model the emitted module could not export under its name (codegen/reserved.ts). */
const exportable = (m: Model): Diagnostic[] => {
  const why = modelNameProblem(m.name.name);
  return why ? [err("TH118", `model '${m.name.name}' cannot be exported: ${why}; rename the model`, m.name.span)] : [];
};

export const PASSES: readonly Pass[] = [
  {
    name: "parse",
    doc: "text -> AST (Chevrotain lexer and parser, CST visitor)",
    run: (s) => { const r = parse(s.source); s.program = r.program; return r.diagnostics; },
    print: (s) => printAst(s.program),
  },
  {
    name: "select",
    doc: "choose the model (--model) and check the order",
    run: (s) => {
      const models = s.program!.models;
      const K = s.options.order;
      const seen = new Map<string, number>();
      for (const m of models) {
        const line = seen.get(m.name.name);
        if (line !== undefined) return [err("TH102", `model '${m.name.name}' is already defined at line ${line}`, m.name.span)];
        seen.set(m.name.name, m.name.span.line);
      }
      if (!Number.isInteger(K) || K < 0 || K > MAX_ORDER) return [err("TH115", `--order must be an integer from 0 to ${MAX_ORDER}, got ${K}`)];
      const dt = s.options.dtype;
      if (dt !== undefined && dt !== "f64" && dt !== "f32") return [err("TH115", `dtype must be "f64" or "f32", got ${JSON.stringify(dt)}`)];
      const tn: string = s.options.target ?? DEFAULT_TARGET;
      if (!isTargetOption(tn)) return [err("TH306", `unknown codegen target '${tn}' (targets: ${TARGET_OPTIONS.join(", ")})`)];
      s.target = tn === "auto" ? undefined : TARGETS[tn]; // auto: chosen with the mode
      if (s.options.model !== undefined) {
        s.model = models.find((m) => m.name.name === s.options.model);
        return s.model ? exportable(s.model) : [err("TH109", `no model '${s.options.model}' in this file (models: ${models.map((m) => m.name.name).join(", ") || "none"})`)];
      }
      if (models.length === 1) { s.model = models[0]; return exportable(s.model!); }
      if (models.length === 0) return [err("TH109", "the file defines no model")];
      return [err("TH110", `the file defines ${models.length} models (${models.map((m) => m.name.name).join(", ")}); choose one with --model`, models[1]!.name.span)];
    },
    print: (s) => `model ${s.model?.name.name}`,
  },
  {
    name: "lower",
    doc: "AST -> IR: names, dims, shapes, batch-axis rules; composite functions decomposed into primitives",
    run: (s) => {
      const r = lowerModel(s.model!, s.options.dims ?? new Map());
      s.ir = r.ir;
      return r.diagnostics;
    },
    print: (s) => printIR(s.ir!.builder.g.nodes, s.ir!.names),
  },
  {
    name: "want",
    doc: "--want: each output y replaced by its structured derivative (laplacian, hessian-diag, hvp, jet), as if written in the model",
    run: (s) => {
      if (!s.options.want) return [];
      const r = applyWant(s.ir!, s.options.want);
      s.ir = r.ir;
      return r.diagnostics;
    },
    print: (s) => (s.options.want ? printIR(topoOrder(s.ir!.outputs.map((o) => o.node)), s.ir!.names) : "(no --want)"),
  },
  {
    name: "wrt",
    doc: "resolve the differentiation variables",
    run: (s) => {
      const ir = s.ir!;
      const names = ir.inputs.map((i) => i.attrs.name);
      const wrt = s.options.wrt ?? ir.inputs.filter((i) => !i.attrs.isParam).map((i) => i.attrs.name);
      const ds: Diagnostic[] = [];
      for (const w of wrt) if (!names.includes(w)) ds.push(err("TH111", `--wrt '${w}' is not an input or param of model '${ir.name}' (they are: ${names.join(", ")})`, s.model!.name.span));
      if (new Set(wrt).size !== wrt.length) ds.push(err("TH111", `--wrt names a variable twice: ${wrt.join(",")}`, s.model!.name.span));
      if (!ds.length && wrt.length === 0 && s.options.order > 0) ds.push(err("TH111", `model '${ir.name}' has no input to differentiate; name params with --wrt`, s.model!.name.span));
      // keys follow the --wrt order as given (docs/design.md section 1: positions in wrt); the default is declaration order
      s.wrt = [...wrt];
      return ds;
    },
    print: (s) => `wrt [${s.wrt!.join(", ")}]`,
  },
  {
    name: "seed-output",
    doc: "--seed-output: one seed input per output (its shape without the batch axis)",
    run: (s) => {
      if (!s.options.seedOutput) return [];
      const ir = s.ir!;
      const seeds = new Map<string, InputNode>();
      const inputs = [...ir.inputs];
      for (const o of ir.outputs) {
        const name = `seed_${o.name}`;
        if (inputs.some((i) => i.attrs.name === name)) return [err("TH102", `--seed-output needs an input named '${name}', but the model already defines it`, o.span)];
        const node = ir.builder.input(name, true, o.node.shape.filter((d) => d !== BATCH), o.span);
        inputs.push(node);
        seeds.set(o.name, node);
      }
      s.ir = { ...ir, inputs, seeds };
      return [];
    },
    print: (s) => (s.ir!.seeds ? [...s.ir!.seeds].map(([o, n]) => `${o}: seed_${o} ${showShape(n.shape)}`).join("\n") : "(no --seed-output)"),
  },
  {
    name: "no-batch",
    doc: "--no-batch (ablation): the batch axis fixed at --batch N and treated as data; batched variables become N*n variables",
    run: (s) => {
      const N = s.options.noBatch;
      if (N === undefined) return [];
      const ir = s.ir!;
      const span = s.model!.name.span;
      if (!Number.isInteger(N) || N < 1) return [err("TH304", `--no-batch needs the batch size as a positive integer (--batch N), got ${N}`, span)];
      if (ir.batch === undefined) return [err("TH304", `--no-batch: model '${ir.name}' declares no batch axis, so there is no batch unification to ablate`, span)];
      if (!ir.inputs.some((i) => i.shape[0] === BATCH)) return [err("TH304", `--no-batch: no input of model '${ir.name}' carries the batch axis '${ir.batch}'`, span)];
      s.batchedIr = ir;
      s.ir = fixBatch(ir, N);
      return [];
    },
    print: (s) => (s.batchedIr ? printIR(topoOrder([...s.ir!.inputs, ...s.ir!.outputs.map((o) => o.node)]), s.ir!.names) : "(no --no-batch)"),
  },
  {
    name: "prune",
    doc: "keep the nodes the outputs need, in topological order",
    run: (s) => { s.nodes = topoOrder(s.ir!.outputs.map((o) => o.node)); return []; },
    print: (s) => printIR(s.nodes!, s.ir!.names),
  },
  {
    name: "plan-forward",
    doc: "forward (Taylor) mode plan: packed blocks per key, Leibniz and Faa di Bruno terms, structural zeros pruned, identical terms merged",
    run: (s) => {
      if (s.options.mode === "reverse") return [];
      // sized from the IR first: a plan past the limits would take minutes (auto mode still has reverse)
      const est = estimateForward(s.nodes!, s.wrt!, s.options.order);
      if (est.blocks > MAX_FORWARD_BLOCKS || est.work > MAX_FORWARD_WORK) {
        s.forwardSkipped = `forward plan not built: about ${est.blocks} derivative blocks and ${est.work} rule applications, over the limits of ${MAX_FORWARD_BLOCKS} and ${MAX_FORWARD_WORK}`;
        return s.options.mode === "forward" ? [tooLarge(s, `the forward-mode plan would have about ${est.blocks} derivative blocks and ${est.work} rule applications`)] : [];
      }
      s.forward = typed(s, orderContractions(mergeTerms(symbolicSeeds(planForward(s.ir!, s.nodes!, { order: s.options.order, wrt: s.wrt!, symmetric: !s.options.noSymmetry })))));
      verifyPlan(s.forward);
      return [];
    },
    print: (s) => (s.forward ? printPlan(s.forward) : s.forwardSkipped ? `(${s.forwardSkipped})` : "(not planned: --mode reverse)"),
  },
  // the terms these rewrites build (C = c g W V, (c g C) S) are contracted pairwise again, cheapest order first
  forwardRewrite("sink-linear", "forward plan: Y = (c g Z + R) V with Z = A W becomes R V + C A when cheaper (the top block is never formed); its terms split pairwise", (p) => orderContractions(sinkLinear(p))),
  forwardRewrite("hoist-shared", "forward plan: products of batch-free factors move before the batch loop", hoistShared),
  forwardRewrite("fold-scaling", "forward plan: C X with X = c g S (S batch-free) becomes (c g C) S; its terms split pairwise", (p) => orderContractions(foldScaling(p))),
  {
    name: "plan-reverse",
    doc: "reverse mode plan: frontier blocks per multiset key, expanded in reverse topological order, identical terms merged",
    run: (s) => {
      if (s.options.mode === "forward") return [];
      // auto mode gives up early on a reverse plan that cannot win; a forced one (or the only one) may grow larger
      const maxTerms = s.options.mode === "reverse" || s.forwardSkipped ? REVERSE_TERMS_FORCED : REVERSE_TERMS_AUTO;
      try {
        s.reverse = typed(s, orderContractions(mergeTerms(symbolicSeeds(planReverse(s.ir!, s.nodes!, { order: s.options.order, wrt: s.wrt!, maxTerms, symmetric: !s.options.noSymmetry })))));
      } catch (e) {
        if (!(e instanceof PlanTooLarge)) throw e;
        s.reverseSkipped = `reverse plan not built: more than ${maxTerms} contraction terms`;
        if (s.options.mode === "reverse") return [err("TH401", `the reverse-mode plan needs more than ${maxTerms} contraction terms at order ${s.options.order}; use --mode forward (or auto)`, s.model!.name.span)];
        if (s.forwardSkipped) return [tooLarge(s, `neither mode can be planned: the forward-mode plan would have ${s.forwardSkipped.replace(/^forward plan not built: /, "").replace(/, over the limits.*/, "")}, and the reverse-mode plan needs more than ${maxTerms} contraction terms`)];
        return [];
      }
      verifyPlan(s.reverse);
      return [];
    },
    print: (s) => (s.reverse ? printPlan(s.reverse) : "(not planned: --mode forward)"),
  },
  {
    name: "batch-diagonal",
    doc: "--no-batch: each full cross-batch block's diagonal, in the batch-unified layout of the normal build",
    run: (s) => {
      const ir = s.batchedIr;
      if (!ir) return [];
      if (s.forward) { s.forward = batchDiagonal(s.forward, ir, s.options.noBatch!); verifyPlan(s.forward); }
      if (s.reverse) { s.reverse = batchDiagonal(s.reverse, ir, s.options.noBatch!); verifyPlan(s.reverse); }
      return [];
    },
    print: (s) => (s.batchedIr ? [s.forward, s.reverse].filter((p) => p).map((p) => printPlan(p!, s.options.noBatch)).join("\n\n") : "(no --no-batch)"),
  },
  {
    name: "choose-mode",
    doc: "estimate flops and bytes of both plans on each target; keep the forced or the cheapest (mode, target) pair (--target auto: wasm when estimated >10% faster)",
    run: (s) => {
      s.choice = chooseMode(s.forward, s.reverse, s.options.mode ?? "auto", s.reverseSkipped, s.options.batchHint, s.forwardSkipped, s.target);
      // the target: each (mode, target) pair estimated; a forced ts keeps the mode choice as it was
      const requested = s.options.target ?? DEFAULT_TARGET;
      const plans = s.choice.forced ? [s.choice.mode === "forward" ? s.forward! : s.reverse!] : [s.forward, s.reverse].filter((p): p is Plan => p !== undefined);
      s.targetChoice = chooseTarget(plans, s.choice.mode, requested, s.options.batchHint ?? REFERENCE_BATCH, TARGETS.ts);
      s.target = TARGETS[s.targetChoice.target];
      if (s.targetChoice.mode !== s.choice.mode) s.choice = { ...s.choice, mode: s.targetChoice.mode, explanation: `${s.choice.explanation}\nbut on the ${s.targetChoice.target} target ${s.targetChoice.mode} is estimated cheaper: chosen ${s.targetChoice.mode} (target estimates below)` };
      s.plan = s.choice.mode === "forward" ? s.forward : s.reverse;
      const limit = s.options.maxMemory;
      if (limit === undefined) return [];
      const B = s.options.batchHint ?? 1;
      const bytes = (p: Plan | undefined) => (p ? planCost(p, B, s.target).peakBytes : Infinity);
      if (bytes(s.plan) <= limit) return [];
      // auto mode: the other plan, if it fits
      const other = s.plan === s.forward ? s.reverse : s.forward;
      if ((s.options.mode ?? "auto") === "auto" && bytes(other) <= limit) {
        s.plan = other;
        s.choice = { ...s.choice, mode: other!.mode, explanation: `${s.choice.explanation}\nbut it needs ${bytes(s.forward === other ? s.reverse : s.forward)} bytes at B=${B}, over --max-memory ${limit}: chosen ${other!.mode} instead` };
        return [];
      }
      return [err("TH402", `the ${s.plan!.mode}-mode plan allocates about ${fmtBytes(bytes(s.plan))} per call at B=${B}, over the limit of ${fmtBytes(limit)} (--max-memory)${(s.options.mode ?? "auto") === "auto" ? "; the other mode does not fit either" : ""}`, s.model!.name.span)];
    },
    print: (s) => `${s.choice!.explanation}\n${s.targetChoice!.explanation}`,
  },
  {
    name: "emit",
    doc: "plan -> TypeScript/JavaScript module (loop nests specialised to static shapes)",
    run: (s) => {
      if (s.options.emit) s.code = s.target!.module(s.plan!, s.options.emit);
      return [];
    },
    print: (s) => s.code ?? "(no code requested)",
  },
];

export interface CompileResult {
  readonly ok: boolean;
  readonly diagnostics: readonly Diagnostic[];
  readonly state: PipelineState;
  /** The pass that stopped the pipeline, if any. */
  readonly failedPass?: string;
}

/** Runs the passes in order, up to and including `until` if given. */
export function runPipeline(source: string, options: CompileOptions, until?: string): CompileResult {
  const state: PipelineState = { source, options };
  const warnings: Diagnostic[] = []; // a run hands back its warnings (TH123) with its result
  for (const p of PASSES) {
    const ds = p.run(state);
    if (ds.some((d) => d.severity === "error")) return { ok: false, diagnostics: [...warnings, ...ds], state, failedPass: p.name };
    warnings.push(...ds);
    if (p.name === until) break;
  }
  return { ok: true, diagnostics: warnings, state };
}
