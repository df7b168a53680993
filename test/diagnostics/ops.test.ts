/**
 * Shape errors of the non-elementwise operators (indexing, comparisons,
 * selection, reductions, normalisation, shape ops, convolution, pooling):
 * each is a coded diagnostic at the right line and column, with a message
 * that names the shapes or the argument.
 */
import { describe, it, expect } from "vitest";
import { runPipeline } from "../../compiler/pipeline.js";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import type { Code } from "../../compiler/diagnostics/codes.js";
import { expectDiagnostics } from "../helpers/expect-diagnostics.js";

const run = (src: string): readonly Diagnostic[] => runPipeline(src, { order: 1 }).diagnostics;

const DECLS = ["batch B", "input x : [B, 3]", "input img : [B, 2, 5, 5]", "param p : [4]", "param q : [3]", "param w : [4, 1, 3, 3]", "param u : [3, 2, 3]"];

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

describe("the declarations compile", () => {
  it("a model using every operator has no diagnostic", () => {
    const src = `model m {\n${[...DECLS,
      "a = concat([x[:, 1:] * x[..., ::-1][:, :2], x[:, 0:1]], axis=1) + x[:, -1:] * (x > 0) * (x >= q) + (x < 1) * (x <= q)",
      "c = where(x > 0, x, q) * maximum(x, q) * minimum(x, 0.5) * clamp(x, -1, 1)",
      "r = prod(x, axis=1) + max(x, axis=1) + min(x, axis=-1) + logsumexp(x, axis=1) + norm(x, axis=1) + var(x, axis=1) + std(x, axis=1, unbiased=false)",
      "l = layer_norm(x, eps=0.1, weight=q, bias=q) + squeeze(unsqueeze(x, 1), axis=1) + expand(x[:, 0:1], [B, 3]) + broadcast_to(q, [2, 3])[1]",
      "s = concat([x, x], axis=1) + reshape(stack([x, x], axis=2), [B, 6]) + repeat(flip(x, axis=1), [1, 2]) + reshape(permute(stack([x, x], axis=1), [0, 2, 1]), [B, 6])",
      "k = conv2d(img, w, p, groups=2) + max_pool2d(conv2d(img, w, groups=2), 3, stride=1, padding=1) * avg_pool2d(conv2d(img, w, groups=2), [1, 1])",
      "e = conv1d(img[:, :, 0, :], u, stride=2, dilation=1)",
      "y = sum(a, axis=1) * sum(c, axis=1) * r * sum(l, axis=1) * sum(s, axis=1) * sum(k, axis=[1, 2, 3]) * sum(e, axis=[1, 2])",
      "output y"].map((s) => `  ${s}`).join("\n")}\n}`;
    expect(run(src).map((d) => `${d.code} ${d.span?.line}:${d.span?.column} ${d.message}`)).toEqual([]);
  });
});

describe("indexing x[...]", () => {
  it("TH203: an index out of range, at the subscript", () => { expectOne("y = x[:, 5]", "TH203", "5", "index 5 is out of range for axis 1 of size 3"); });
  it("TH203: a negative index out of range", () => { expectOne("y = x[:, -4]", "TH203", "-4"); });
  it("TH203: too many indices, at the indexed expression", () => { expectOne("y = x[:, 0, 1]", "TH203", undefined, "too many indices (3)"); });
  it("TH203: two ellipses, at the second", () => { expectOne("y = x[..., 0, ...]", "TH203", "...]"); });
  it("TH203: an empty slice", () => { expectOne("y = x[:, 2:1]", "TH203", "2:1", "selects no element"); });
  it("TH105: a zero step", () => { expectOne("y = x[:, ::0]", "TH105", "::0", "must not be 0"); });
  it("TH105: a bound that is not a constant integer", () => { expectOne("y = x[:, q]", "TH105", "q]"); });
  it("TH105: a fractional bound", () => { expectOne("y = x[:, 0.5:]", "TH105", "0.5"); });
  it("TH208: indexing the batch axis", () => { expectOne("y = x[0]", "TH208", "0]", "batch axis"); });
  it("TH208: slicing the batch axis", () => { expectOne("y = x[1:, :]", "TH208", "1:"); });
});

describe("comparisons and selection", () => {
  it("TH201: comparison operands that do not broadcast, at the operator", () => { expectOne("y = x > p", "TH201", ">", "operands of '>' do not broadcast: [B, 3] and [4]"); });
  it("TH201: where with operands that do not broadcast", () => { expectOne("y = where(x > 0, x, p)", "TH201"); });
  it("TH201: maximum", () => { expectOne("y = maximum(x, p)", "TH201", undefined, "'maximum'"); });
  it("TH201: minimum", () => { expectOne("y = minimum(p, x)", "TH201"); });
  it("TH104: clamp without bounds", () => { expectOne("y = clamp(x)", "TH104", undefined, "'min', 'max' or both"); });
  it("TH105: clamp with min above max", () => { expectOne("y = clamp(x, 1, 0)", "TH105"); });
  it("TH201: clamp with a tensor bound that does not broadcast (tensor bounds are allowed)", () => { expectOne("y = clamp(x, p)", "TH201", undefined, "operands of 'clamp' do not broadcast: [B, 3] and [4]"); });
});

describe("reductions and normalisation", () => {
  it("TH208: prod over the batch axis", () => { expectOne("y = prod(x)", "TH208", undefined, "prod over the batch axis"); });
  it("TH203: max over an axis out of range", () => { expectOne("y = max(x, axis=2)", "TH203", undefined, "max: axis 2 is out of range"); });
  it("TH208: min over the batch axis", () => { expectOne("y = min(x, axis=[0, 1])", "TH208"); });
  it("TH208: logsumexp over the batch axis", () => { expectOne("y = logsumexp(x, axis=0)", "TH208"); });
  it("TH105: norm with p other than 2", () => { expectOne("y = norm(x, 1, axis=1)", "TH105", undefined, "p=2"); });
  it("TH210: unbiased var over one element", () => { expectOne("y = var(x[:, 0:1], axis=1)", "TH210", undefined, "unbiased=false"); });
  it("TH203: std over an axis out of range", () => { expectOne("y = std(x, axis=-3)", "TH203"); });
  it("TH203: layer_norm over axes that are not trailing", () => { expectOne("y = layer_norm(img, axis=[1, 2])", "TH203", undefined, "trailing axes"); });
  it("TH208: layer_norm over the batch axis", () => { expectOne("y = layer_norm(x, axis=[0, 1])", "TH208"); });
  it("TH210: layer_norm weight of the wrong shape", () => { expectOne("y = layer_norm(x, weight=p)", "TH210", undefined, "'weight' must have the normalised shape [3], got [4]"); });
});

describe("shape operators", () => {
  it("TH204: squeeze of an axis that is not 1", () => { expectOne("y = squeeze(x, axis=1)", "TH204", undefined, "has size 3, not 1"); });
  it("TH208: squeeze of the batch axis", () => { expectOne("y = squeeze(x, axis=0)", "TH208"); });
  it("TH203: unsqueeze out of range", () => { expectOne("y = unsqueeze(x, 3)", "TH203"); });
  it("TH208: unsqueeze before the batch axis", () => { expectOne("y = unsqueeze(x, 0)", "TH208"); });
  it("TH204: expand of a size other than 1", () => { expectOne("y = expand(x, [B, 6])", "TH204", undefined, "cannot expand to 6"); });
  it("TH204: expand to fewer axes", () => { expectOne("y = broadcast_to(x, [3])", "TH204"); });
  it("TH208: expand that adds a batch axis", () => { expectOne("y = expand(q, [B, 3])", "TH208", undefined, "cannot add a batch axis"); });
  it("TH208: expand that moves the batch axis", () => { expectOne("y = expand(x, [2, B, 3])", "TH208"); });
  it("TH210: concat of different ranks", () => { expectOne("y = concat([x, q], axis=1)", "TH210", undefined, "operand 2 has shape [3], expected rank 2"); });
  it("TH210: concat of different sizes off the axis", () => { expectOne("y = concat([img, img[:, :, 0:2, :]], axis=1)", "TH210", undefined, "at axis 2"); });
  it("TH208: concat along the batch axis", () => { expectOne("y = concat([x, x], axis=0)", "TH208"); });
  it("TH203: concat along an axis out of range", () => { expectOne("y = concat([x, x], axis=2)", "TH203"); });
  it("TH105: concat of something that is not a list", () => { expectOne("y = concat(x, axis=1)", "TH105", "x,", "a non-empty list of tensors"); });
  it("TH210: stack of unequal shapes", () => { expectOne("y = stack([x, x[:, 0:2]], axis=1)", "TH210"); });
  it("TH208: stack at axis 0 of batched tensors", () => { expectOne("y = stack([x, x])", "TH208"); });
  it("TH208: flip of the batch axis", () => { expectOne("y = flip(x, axis=0)", "TH208"); });
  it("TH203: flip of an axis out of range", () => { expectOne("y = flip(x, axis=2)", "TH203"); });
  it("TH204: repeat with fewer counts than axes", () => { expectOne("y = repeat(x, [2])", "TH204"); });
  it("TH208: repeat of the batch axis", () => { expectOne("y = repeat(x, [2, 1])", "TH208"); });
  it("TH105: repeat with a zero count", () => { expectOne("y = repeat(x, [1, 0])", "TH105"); });
  it("TH205: permute with a bad permutation", () => { expectOne("y = permute(x, [1, 1])", "TH205"); });
  it("TH105: pad with an odd count", () => { expectOne("y = pad(x, [1])", "TH105", undefined, "(before, after) pairs"); });
  it("TH208: pad of the batch axis", () => { expectOne("y = pad(x, [0, 0, 1, 0])", "TH208"); });
  it("TH204: pad that crops an axis away", () => { expectOne("y = pad(x, [-2, -1])", "TH204", undefined, "would have 0 elements"); });
});

describe("convolution and pooling", () => {
  it("TH210: conv2d weight channels that do not match the input", () => { expectOne("y = conv2d(img, w)", "TH210", undefined, "the weight [4, 1, 3, 3] expects 1 input channels per group, the input [B, 2, 5, 5] has 2 (groups=1)"); });
  it("TH210: conv2d groups that do not divide the channels", () => { expectOne("y = conv2d(img, w, groups=3)", "TH210", undefined, "groups=3 must divide"); });
  it("TH210: conv2d weight of the wrong rank", () => { expectOne("y = conv2d(img, u)", "TH210", undefined, "the weight must be [O, C/groups, kh, kw]"); });
  it("TH210: conv2d bias of the wrong size", () => { expectOne("y = conv2d(img, w, q, groups=2)", "TH210", undefined, "the bias must be [4]"); });
  it("TH210: conv2d input of the wrong rank", () => { expectOne("y = conv2d(x, w)", "TH210", undefined, "[N, C, H, W] or [C, H, W]"); });
  it("TH208: a batched conv2d input without channels", () => { expectOne("y = conv2d(img[:, 0], w)", "TH208", undefined, "would be read as the channels"); });
  it("TH210: a kernel larger than the padded input", () => { expectOne("y = conv2d(img, w, dilation=3, groups=2)", "TH210", undefined, "smaller than the kernel"); });
  it("TH105: a zero stride", () => { expectOne("y = conv2d(img, w, stride=0, groups=2)", "TH105", undefined, "'stride' must be positive"); });
  it("TH105: three paddings for two spatial axes", () => { expectOne("y = conv2d(img, w, padding=[1, 1, 1], groups=2)", "TH105", undefined, "a list of 2 integers"); });
  it("TH210: conv1d weight channels", () => { expectOne("y = conv1d(img[:, :, 0, :], w[:, 0])", "TH210"); });
  it("TH105: pooling padding above half the kernel", () => { expectOne("y = max_pool2d(img, 2, padding=2)", "TH105", undefined, "at most half the kernel size"); });
  it("TH210: pooling window larger than the input", () => { expectOne("y = avg_pool2d(img, 6)", "TH210"); });
  it("TH208: pooling a batched input without channels", () => { expectOne("y = avg_pool2d(img[:, 0], 2)", "TH208"); });
});
