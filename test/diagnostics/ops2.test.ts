/**
 * Shape and argument errors of the operators of test/models/ops2.thd (issue 12,
 * section 3): each a coded diagnostic at the right line and column, with a
 * message that names the shapes or the argument.
 */
import { describe, it, expect } from "vitest";
import { runPipeline } from "../../compiler/pipeline.js";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import type { Code } from "../../compiler/diagnostics/codes.js";
import { expectDiagnostics } from "../helpers/expect-diagnostics.js";

const run = (src: string): readonly Diagnostic[] => runPipeline(src, { order: 1 }).diagnostics;

const DECLS = ["batch B", "input x : [B, 3]", "input vol : [B, 2, 4, 4, 4]", "param p : [4]", "param q : [3]", "param w3 : [4, 1, 3, 3, 3]"];

/**
 * One model with the declarations above and `stmt` on the line after them:
 * expects exactly one diagnostic `code` at the first occurrence of `at` in `stmt`
 * (default: the call or expression starting at column 7, after `y = `).
 */
function expectOne(stmt: string, code: Code, at?: string, contains?: string): Diagnostic {
  const src = `model m {\n${[...DECLS, stmt, "output y"].map((s) => `  ${s}`).join("\n")}\n}`;
  const line = DECLS.length + 2;
  const column = at === undefined ? 7 : stmt.indexOf(at) + 3;
  if (at !== undefined && stmt.indexOf(at) < 0) throw new Error(`'${at}' not in '${stmt}'`);
  const [d] = expectDiagnostics(src, [{ code, line, column }], run);
  if (contains) expect(d!.message).toContain(contains);
  return d!;
}

describe("the operators compile", () => {
  it("a model using each of them has no diagnostic", () => {
    const src = `model m {\n${[...DECLS,
      "a = x ** q + pow(x, x) + atan2(x, q) + cumsum(x, axis=1) * cumprod(x, axis=-1) + cummax(x, axis=1)",
      "output a"].map((s) => `  ${s}`).join("\n")}\n}`;
    expect(run(src)).toEqual([]);
  });
});

describe("atan2", () => {
  it("TH201: operands that do not broadcast", () => { expectOne("y = atan2(x, p)", "TH201", undefined, "operands of 'atan2' do not broadcast: [B, 3] and [4]"); });
  it("TH104: one operand", () => { expectOne("y = atan2(x)", "TH104", undefined, "missing its argument 'other'"); });
});

describe("cumsum, cumprod, cummax", () => {
  it("TH208: along the batch axis", () => { expectOne("y = cumsum(x, axis=0)", "TH208", undefined, "cumsum over the batch axis (axis 0) would mix samples"); });
  it("TH208: cummax along the batch axis", () => { expectOne("y = cummax(x, -2)", "TH208"); });
  it("TH203: an axis out of range", () => { expectOne("y = cumprod(x, axis=2)", "TH203", undefined, "cumprod: axis 2 is out of range for shape [B, 3]"); });
  it("TH104: no axis", () => { expectOne("y = cummax(x)", "TH104", undefined, "cummax() is missing its argument 'axis'"); });
  it("TH105: a fractional axis", () => { expectOne("y = cumsum(x, axis=0.5)", "TH105", "0.5", "must be an integer"); });
});
