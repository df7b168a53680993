/**
 * How the importer reports: a coded diagnostic with no span (a binary file has
 * no line:column), whose message names the ONNX node and op. Deep inside the
 * translation a problem is thrown as an ImportFailure and caught once, in
 * importOnnx, so no op rule has to thread errors through its return value.
 */
import type { Code } from "../../diagnostics/codes.js";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";

export const diagnostic = (code: Code, message: string): Diagnostic => ({ code, severity: "error", message, span: undefined });

export class ImportFailure extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
    this.name = "ImportFailure";
  }
}

/** Throws a diagnostic (for use in expressions: `?? fail(...)`). */
export function fail(code: Code, message: string): never {
  throw new ImportFailure(diagnostic(code, message));
}

/** `node '/conv1/Conv' (op Conv)`, or `node #3 (op Conv)` for an unnamed node. */
export const nodeLabel = (node: { readonly name: string; readonly opType: string }, index?: number): string =>
  `node ${node.name ? `'${node.name}'` : `#${index ?? "?"}`} (op ${node.opType})`;
