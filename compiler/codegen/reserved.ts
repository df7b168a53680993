/**
 * The one catalogue of names a model cannot have. A module exports the model
 * under its name (`export { $exported as NAME }`, `export declare const NAME`
 * in its .d.ts) next to the names it exports or declares itself, and declares
 * the interfaces `<Name>Inputs` and `<Name>Result` (Pascal case) next to the
 * runtime's names; a user imports the model by its name. Checked when a model
 * is selected (pipeline.ts, TH118), so every command refuses the same names.
 */

/** ECMAScript keywords (a .d.ts cannot declare them), strict-mode and module reserved words, and eval/arguments: none can be an import binding. */
const JS_RESERVED = new Set([
  "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do", "else", "enum", "export", "extends",
  "false", "finally", "for", "function", "if", "import", "in", "instanceof", "new", "null", "return", "super", "switch", "this",
  "throw", "true", "try", "typeof", "var", "void", "while", "with",
  "await", "implements", "interface", "let", "package", "private", "protected", "public", "static", "yield", "arguments", "eval",
]);

/** Names a module exports or declares besides the model: --standalone's runtime exports, the types of its .d.ts, a .d.ts's runtime imports. */
export const MODULE_NAMES: ReadonlySet<string> = new Set(["closeWorkers", "InputLike", "NestedArray", "OutputResult", "RunOptions", "startWorkers", "Tensor", "TensorLike", "TfTensorLike", "threadStats"]);

/** Of MODULE_NAMES, the values --standalone exports (the rest are types). */
const EXPORTED_VALUES: ReadonlySet<string> = new Set(["closeWorkers", "OutputResult", "startWorkers", "Tensor", "threadStats"]);

/** The model's generated interface names: model `my_net` declares MyNetInputs and MyNetResult. */
export const pascal = (s: string): string => s.replace(/(^|_)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
export const generatedTypes = (model: string): string[] => [`${pascal(model)}Inputs`, `${pascal(model)}Result`];

/** Why `name` cannot name a model, or undefined when it can. */
export function modelNameProblem(name: string): string | undefined {
  if (JS_RESERVED.has(name)) return `'${name}' is a JavaScript reserved word, so the module cannot export it (nor a user import it) under that name`;
  if (MODULE_NAMES.has(name)) return `the module already ${EXPORTED_VALUES.has(name) ? "exports" : "declares"} '${name}' (with --standalone or in its .d.ts)`;
  const clash = generatedTypes(name).find((t) => MODULE_NAMES.has(t));
  if (clash) return `its generated type ${clash} is a runtime name`;
  return undefined;
}
