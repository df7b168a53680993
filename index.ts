/**
 * `import "thoad"`: the runtime (everything an emitted module imports, as in
 * thoad/runtime) and the compiler's API in one place: compile and instantiate
 * a .thd model, import ONNX and TensorFlow.js Layers models. Loading it loads
 * the compiler (its parser and frontends); an app that only runs emitted
 * modules imports the lighter thoad/runtime.
 */
export * from "./runtime/index.js";
export { compile, instantiate, runPipeline, printPlan, planCost, typescriptTarget, renderDiagnostic, renderDiagnostics, CompileError, CODES, MAX_ORDER, PASSES, type CompileOptions, type CompileResult, type Diagnostic, type ModelFn, type Plan, type Span, type Code } from "./compiler/index.js";
export { importOnnx } from "./compiler/frontends/onnx/index.js";
export { importTfjs } from "./compiler/frontends/tfjs/index.js";
export type { ImportResult, ImportedModel, Weight } from "./compiler/frontends/imported.js";
