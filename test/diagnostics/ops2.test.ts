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
      "v = conv3d(vol, w3, p, padding=\"same\", dilation=[1, 2, 1], groups=2) + conv3d(vol, w3, padding=[1, 1, 2], stride=2, groups=2)[:, :, 0:1, 0:1, 0:1]",
      "u = conv1d(reshape(x, [B, 1, 3]), reshape(q, [1, 1, 3]), padding=\"valid\") + conv2d(reshape(x, [B, 1, 1, 3]), reshape(q, [1, 1, 1, 3]), padding=\"same\")[:, 0, :, 1:2]",
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

describe("conv3d and padding strings", () => {
  it("TH105: padding=\"same\" with a stride", () => { expectOne("y = conv3d(vol, w3, padding=\"same\", stride=2, groups=2)", "TH105", undefined, "padding=\"same\" needs stride 1"); });
  it("TH105: another padding string", () => { expectOne("y = conv3d(vol, w3, padding=\"full\", groups=2)", "TH105", undefined, "'padding' must be \"same\", \"valid\", an integer or a list of 3 integers"); });
  it("TH105: a padding that is neither a string nor integers, at the argument", () => { expectOne("y = conv3d(vol, w3, padding=q, groups=2)", "TH105", "q,", "a string, an integer or a list of integers"); });
  it("TH105: a padding list of the wrong length", () => { expectOne("y = conv3d(vol, w3, padding=[1, 1], groups=2)", "TH105", undefined, "a list of 3 integers"); });
  it("TH210: an input of the wrong rank", () => { expectOne("y = conv3d(x, w3)", "TH210", undefined, "the input must be [N, C, D, H, W] or [C, D, H, W], got [B, 3]"); });
  it("TH210: a weight of the wrong rank", () => { expectOne("y = conv3d(vol, reshape(p, [4, 1, 1, 1]))", "TH210", undefined, "the weight must be [O, C/groups, kd, kh, kw]"); });
  it("TH210: channels that do not match", () => { expectOne("y = conv3d(vol, w3)", "TH210", undefined, "expects 1 input channels per group, the input [B, 2, 4, 4, 4] has 2"); });
  it("TH208: a batched input without an N axis", () => { expectOne("y = conv3d(reshape(vol, [B, 8, 4, 4]), w3)", "TH208", undefined, "declare the input as [B, C, D, H, W]"); });
});

describe("cross_entropy and nll_loss with class indices", () => {
  it("TH210: nll_loss with a target that is not class indices", () => { expectOne("y = nll_loss(vol[:, :, 0, 0, :], x)", "TH210", undefined, "nll_loss: the target must hold class indices with the input's shape without the class axis, [B, 2], got [B, 3]"); });
  it("TH210: class weights of the wrong shape", () => { expectOne("y = cross_entropy(x, x[:, 0], reduction=\"none\", weight=p)", "TH210", undefined, "'weight' must have one value per class, [3], got [4]"); });
  it("TH105: ignore_index with probability targets", () => { expectOne("y = cross_entropy(x, x, reduction=\"none\", ignore_index=1)", "TH105", undefined, "'ignore_index' needs class-index targets"); });
  it("TH105: a fractional ignore_index", () => { expectOne("y = nll_loss(x, x[:, 0], reduction=\"none\", ignore_index=0.5)", "TH105", "0.5", "must be an integer"); });
  it("TH208: the mean over the batch axis", () => { expectOne("y = cross_entropy(x, x[:, 0])", "TH208", undefined, "use reduction=\"none\""); });
});
