/**
 * Semantic diagnostics (TH1xx names and declarations, TH2xx shapes and the batch
 * axis): one source per error class, with the exact line and column of each
 * diagnostic. Sources are written with `model m {` on line 1 and one item per
 * line after it, indented by two spaces.
 */
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { runPipeline, type CompileOptions } from "../../compiler/pipeline.js";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import { expectDiagnostics } from "../helpers/expect-diagnostics.js";

const run = (src: string, opts: Partial<CompileOptions> = {}): readonly Diagnostic[] => runPipeline(src, { order: 1, ...opts }).diagnostics;
const withOpts = (opts: Partial<CompileOptions>) => (src: string) => run(src, opts);

/** `model m { ... }` with one item per line: item i is on line i + 2, starting at column 3. */
const model = (...items: string[]) => `model m {\n${items.map((s) => `  ${s}`).join("\n")}\n}`;

/** The source text a diagnostic's span covers. */
const covered = (src: string, d: Diagnostic) => src.slice(d.span!.offset, d.span!.offset + d.span!.length);

describe("baseline", () => {
  it("the mlp example compiles without diagnostics", () => {
    const src = readFileSync(new URL("../../examples/mlp.thd", import.meta.url), "utf8");
    expect(run(src)).toEqual([]);
  });
});

describe("names and declarations (TH1xx)", () => {
  it("TH101: undefined name", () => {
    const src = model("input x : [3]", "y = x + z", "output y");
    const [d] = expectDiagnostics(src, [{ code: "TH101", line: 3, column: 11 }], run);
    expect(d!.message).toBe("undefined name 'z'");
    expect(covered(src, d!)).toBe("z");
  });

  it("TH101: a name used before its assignment", () => {
    expectDiagnostics(model("input x : [3]", "y = z * 2", "z = x", "output y"), [{ code: "TH101", line: 3, column: 7 }], run);
  });

  it("TH102: a name assigned twice", () => {
    const [d] = expectDiagnostics(model("input x : [3]", "y = exp(x)", "y = x", "output y"), [{ code: "TH102", line: 4, column: 3 }], run);
    expect(d!.message).toContain("line 3");
  });

  it("TH102: an input redefined by an assignment", () => {
    expectDiagnostics(model("input x : [3]", "x = x * 2", "output x"), [{ code: "TH102", line: 3, column: 3 }], run);
  });

  it("TH102: an input declared twice", () => {
    expectDiagnostics(model("input x : [3]", "param x : [3]", "output x"), [{ code: "TH102", line: 3, column: 9 }], run);
  });

  it("TH102: a dim declared after an input of the same name is reported at the later line, once", () => {
    const [d] = expectDiagnostics(model("input x : [3]", "dim x = 3", "output x"), [{ code: "TH102", line: 3, column: 7 }], run);
    expect(d!.message).toBe("'x' is already defined at line 2");
  });

  it("TH102: an output listed twice", () => {
    expectDiagnostics(model("input x : [3]", "y = x", "output y, y"), [{ code: "TH102", line: 4, column: 13 }], run);
  });

  it("TH103: unknown function, with a did-you-mean", () => {
    const src = model("input x : [3]", "y = tahn(x)", "output y");
    const [d] = expectDiagnostics(src, [{ code: "TH103", line: 3, column: 7 }], run);
    expect(d!.message).toContain("'tahn'");
    expect(d!.message).toContain("did you mean 'tanh'?");
    expect(covered(src, d!)).toBe("tahn");
  });

  it("TH103: no suggestion when nothing is close", () => {
    const [d] = expectDiagnostics(model("input x : [3]", "y = frobnicate(x)", "output y"), [{ code: "TH103", line: 3, column: 7 }], run);
    expect(d!.message).not.toContain("did you mean");
  });

  it("TH104: wrong number of arguments", () => {
    const [d] = expectDiagnostics(model("input x : [3]", "y = exp(x, x)", "output y"), [{ code: "TH104", line: 3, column: 14 }], run);
    expect(d!.message).toBe("exp() takes 1 argument(s), got 2");
  });

  it("TH104: unknown keyword argument", () => {
    const [d] = expectDiagnostics(model("input x : [3]", "y = sum(x, axes=0)", "output y"), [{ code: "TH104", line: 3, column: 14 }], run);
    expect(d!.message).toContain("no keyword argument 'axes'");
    expect(d!.message).toContain("x, axis, keepdims");
  });

  it("TH104: missing argument", () => {
    const [d] = expectDiagnostics(model("input x : [3]", "y = reshape(x)", "output y"), [{ code: "TH104", line: 3, column: 7 }], run);
    expect(d!.message).toBe("reshape() is missing its argument 'shape'");
  });

  it("TH104: an argument given both by position and by keyword", () => {
    expectDiagnostics(model("input x : [2, 3]", "y = sum(x, 0, axis=1)", "output y"), [{ code: "TH104", line: 3, column: 17 }], run);
    // also when more positional arguments follow the doubled one
    expectDiagnostics(model("input x : [2, 3]", "y = sum(x, 0, true, axis=1)", "output y"), [{ code: "TH104", line: 3, column: 23 }], run);
  });

  it("TH104: a dim used as a tensor", () => {
    const [d] = expectDiagnostics(model("batch B", "input x : [B, 3]", "y = B", "output y"), [{ code: "TH104", line: 4, column: 7 }], run);
    expect(d!.message).toBe("'B' is a dimension, not a tensor");
  });

  it("TH105: non-constant axis", () => {
    const [d] = expectDiagnostics(model("input x : [3]", "y = sum(x, axis=x)", "output y"), [{ code: "TH105", line: 3, column: 19 }], run);
    expect(d!.message).toBe("sum(): 'axis' must be an integer or a list of integers");
  });

  it("TH105: bad bool", () => {
    const [d] = expectDiagnostics(model("input x : [3]", "y = sum(x, keepdims=1)", "output y"), [{ code: "TH105", line: 3, column: 23 }], run);
    expect(d!.message).toBe("sum(): 'keepdims' must be true or false");
  });

  it("TH105: a non-integer axis for softmax", () => {
    expectDiagnostics(model("input x : [2, 3]", "y = softmax(x, axis=1.5)", "output y"), [{ code: "TH105", line: 3, column: 23 }], run);
  });

  it("TH106: two batch declarations, and no cascade from the second one", () => {
    const [d] = expectDiagnostics(model("batch B", "batch C", "input x : [C, 3]", "output x"), [{ code: "TH106", line: 3, column: 3 }], run);
    expect(d!.message).toContain("'B'");
  });

  it("TH107: unknown dim in a shape", () => {
    const [d] = expectDiagnostics(model("dim H = 4", "input x : [K, 3]", "output x"), [{ code: "TH107", line: 3, column: 14 }], run);
    expect(d!.message).toContain("unknown dim 'K'");
    expect(d!.message).toContain("(known: H)");
  });

  it("TH107: unknown dim in a reshape", () => {
    expectDiagnostics(model("input x : [2, 3]", "y = reshape(x, [K, 3])", "output y"), [{ code: "TH107", line: 3, column: 19 }], run);
  });

  it("TH108: output of an undefined name", () => {
    const [d] = expectDiagnostics(model("input x : [3]", "output y"), [{ code: "TH108", line: 3, column: 10 }], run);
    expect(d!.message).toBe("output 'y' is not defined in model 'm'");
  });

  const two = "model a { input x : [3] output x }\nmodel b { input x : [3] output x }";

  it("TH109: --model names no model (no source position)", () => {
    const ds = run(two, { model: "c" });
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ code: "TH109", severity: "error", span: undefined });
    expect(ds[0]!.message).toBe("no model 'c' in this file (models: a, b)");
    expect(run(two, { model: "b" })).toEqual([]);
  });

  it("TH110: several models and no --model", () => {
    const [d] = expectDiagnostics(two, [{ code: "TH110", line: 2, column: 7 }], run);
    expect(d!.message).toContain("(a, b)");
  });

  it("TH102: two models with the same name", () => {
    const src = "model a {\n  input x : [2]\n  output x\n}\nmodel a {\n  input y : [2]\n  output y\n}\n";
    const [d] = expectDiagnostics(src, [{ code: "TH102", line: 5, column: 7 }], withOpts({ model: "a" }));
    expect(d!.message).toContain("line 1");
  });

  it("TH111: --wrt names something that is not an input or param", () => {
    const src = model("input x : [3]", "param W : [3]", "y = x * W", "output y");
    const [d] = expectDiagnostics(src, [{ code: "TH111", line: 1, column: 7 }], withOpts({ wrt: ["nope"] }));
    expect(d!.message).toContain("'nope'");
    expect(d!.message).toContain("x, W");
    expect(run(src, { wrt: ["W"] })).toEqual([]);
  });

  it("TH111: --wrt names an assigned (intermediate) name", () => {
    expectDiagnostics(model("input x : [3]", "y = x * 2", "output y"), [{ code: "TH111", line: 1, column: 7 }], withOpts({ wrt: ["y"] }));
  });

  it("TH112: --dim override of an unknown dim", () => {
    const [d] = expectDiagnostics(model("dim H = 2", "input x : [H]", "output x"), [{ code: "TH112", line: 1, column: 7 }], withOpts({ dims: new Map([["Q", 3]]) }));
    expect(d!.message).toContain("--dim Q");
    expect(d!.message).toContain("(dims: H)");
  });

  it("TH113: no output statement", () => {
    const [d] = expectDiagnostics(model("input x : [3]", "y = x * 2"), [{ code: "TH113", line: 1, column: 7 }], run);
    expect(d!.message).toBe("model 'm' has no 'output' statement");
  });

  it("TH114: zero-size dimension in a shape", () => {
    expectDiagnostics(model("input x : [0]", "output x"), [{ code: "TH114", line: 2, column: 14 }], run);
  });

  it("TH114: zero-size dim declaration, and no cascade where the dim is used", () => {
    const src = model("dim H = 0", "input x : [H]", "param w : [3]", "y = reshape(w, [H, 3])", "z = H", "output x, y, z");
    const [d] = expectDiagnostics(src, [{ code: "TH114", line: 2, column: 3 }], run);
    expect(d!.message).toBe("dim 'H' must be a positive integer, got 0");
  });

  it("TH114: a zero --dim override is reported at the dim's declaration, once", () => {
    expectDiagnostics(model("dim H = 3", "input x : [H]", "output x"), [{ code: "TH114", line: 2, column: 3 }], withOpts({ dims: new Map([["H", 0]]) }));
  });

  it("TH115: bad order (no source position)", () => {
    const ds = run(model("input x : [3]", "output x"), { order: -1 });
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ code: "TH115", span: undefined });
  });

  it("TH115: bad dtype from the API (no source position)", () => {
    const ds = run(model("input x : [3]", "output x"), { order: 1, dtype: "f16" as "f32" });
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ code: "TH115", span: undefined, message: 'dtype must be "f64" or "f32", got "f16"' });
  });
});

describe("shapes and the batch axis (TH2xx)", () => {
  it("TH201: '+' of shapes that do not broadcast names both shapes", () => {
    const src = model("batch B", "input x : [B, 8]", "param c : [3]", "y = x + c", "output y");
    const [d] = expectDiagnostics(src, [{ code: "TH201", line: 5, column: 9 }], run);
    expect(d!.message).toContain("'+'");
    expect(d!.message).toContain("[B, 8]");
    expect(d!.message).toContain("[3]");
    expect(covered(src, d!)).toBe("+");
  });

  it("TH201: '*' of shapes that do not broadcast names both shapes", () => {
    const [d] = expectDiagnostics(model("batch B", "input x : [B, 8]", "param c : [3]", "y = c * x", "output y"), [{ code: "TH201", line: 5, column: 9 }], run);
    expect(d!.message).toContain("'*'");
    expect(d!.message).toContain("[3]");
    expect(d!.message).toContain("[B, 8]");
  });

  it("TH201: a batched operand may not be aligned under a longer one", () => {
    expectDiagnostics(model("batch B", "input x : [B, 3]", "param c : [2, 1, 1]", "y = x - c", "output y"), [{ code: "TH201", line: 5, column: 9 }], run);
  });

  it("TH202: matmul of mismatched shapes names both shapes", () => {
    const [d] = expectDiagnostics(model("input x : [2, 3]", "param W : [4, 5]", "y = x @ W", "output y"), [{ code: "TH202", line: 4, column: 9 }], run);
    expect(d!.message).toContain("[2, 3]");
    expect(d!.message).toContain("[4, 5]");
  });

  it("TH202: matmul with a scalar", () => {
    expectDiagnostics(model("input x : [2, 3]", "y = x @ 2", "output y"), [{ code: "TH202", line: 3, column: 9 }], run);
  });

  it("TH203: axis out of range", () => {
    const [d] = expectDiagnostics(model("input x : [2, 3]", "y = sum(x, axis=2)", "output y"), [{ code: "TH203", line: 3, column: 7 }], run);
    expect(d!.message).toBe("sum: axis 2 is out of range for shape [2, 3]");
    expectDiagnostics(model("input x : [2, 3]", "y = softmax(x, axis=-3)", "output y"), [{ code: "TH203", line: 3, column: 7 }], run);
    expectDiagnostics(model("input x : [2, 3]", "y = mean(x, axis=[1, -1])", "output y"), [{ code: "TH203", line: 3, column: 7 }], run);
  });

  it("TH204: reshape changes the number of elements", () => {
    const [d] = expectDiagnostics(model("input x : [2, 3]", "y = reshape(x, [4])", "output y"), [{ code: "TH204", line: 3, column: 7 }], run);
    expect(d!.message).toContain("(6 vs 4)");
    expectDiagnostics(model("input x : [2, 3]", "y = reshape(x, [-1, -1])", "output y"), [{ code: "TH204", line: 3, column: 7 }], run);
    expectDiagnostics(model("input x : [2, 3]", "y = reshape(x, [4, -1])", "output y"), [{ code: "TH204", line: 3, column: 7 }], run);
  });

  it("TH205: bad transpose permutation", () => {
    const [d] = expectDiagnostics(model("input x : [2, 3]", "y = transpose(x, [0, 0])", "output y"), [{ code: "TH205", line: 3, column: 7 }], run);
    expect(d!.message).toContain("[0, 0]");
    expectDiagnostics(model("input x : [2, 3]", "y = transpose(x, [1, 0, 2])", "output y"), [{ code: "TH205", line: 3, column: 7 }], run);
  });

  it("TH206: einsum spec with the wrong number of operands", () => {
    const [d] = expectDiagnostics(model("input x : [2, 3]", 'y = einsum("ij,jk->ik", x)', "output y"), [{ code: "TH206", line: 3, column: 7 }], run);
    expect(d!.message).toContain("2 operand(s) but 1");
  });

  it("TH206: einsum spec whose rank does not match an operand", () => {
    const [d] = expectDiagnostics(model("input x : [2, 3]", 'y = einsum("ijk->i", x)', "output y"), [{ code: "TH206", line: 3, column: 7 }], run);
    expect(d!.message).toContain("rank 2");
  });

  it("TH206: einsum index with two different sizes", () => {
    const [d] = expectDiagnostics(model("input x : [2, 3]", "param w : [4]", 'y = einsum("ij,j->i", x, w)', "output y"), [{ code: "TH206", line: 4, column: 7 }], run);
    expect(d!.message).toContain("'j' has size 3 and 4");
  });

  it("TH206: einsum output letter in no input", () => {
    const [d] = expectDiagnostics(model("input x : [2, 3]", 'y = einsum("ij->k", x)', "output y"), [{ code: "TH206", line: 3, column: 7 }], run);
    expect(d!.message).toContain("'k' appears in no operand");
  });

  it("TH206: einsum output letter repeated, and characters other than letters (dots only as '...')", () => {
    expectDiagnostics(model("input x : [2, 2]", 'y = einsum("ij->ii", x)', "output y"), [{ code: "TH206", line: 3, column: 7 }], run);
    expectDiagnostics(model("input x : [2, 2]", 'y = einsum("i.j->j", x)', "output y"), [{ code: "TH206", line: 3, column: 7 }], run);
    expectDiagnostics(model("input x : [2, 2]", 'y = einsum("i$j->j", x)', "output y"), [{ code: "TH206", line: 3, column: 7 }], run);
  });

  it("TH207: batch not at axis 0 in a declaration", () => {
    const [d] = expectDiagnostics(model("batch B", "input x : [3, B]", "output x"), [{ code: "TH207", line: 3, column: 17 }], run);
    expect(d!.message).toBe("the batch axis 'B' may only be axis 0");
  });

  it("TH207: reshape puts the batch axis elsewhere", () => {
    expectDiagnostics(model("batch B", "input x : [B, 3]", "y = reshape(x, [3, B])", "output y"), [{ code: "TH207", line: 4, column: 7 }], run);
  });

  it("TH208: sum over the batch axis", () => {
    const [d] = expectDiagnostics(model("batch B", "input x : [B, 3]", "y = sum(x, axis=0)", "output y"), [{ code: "TH208", line: 4, column: 7 }], run);
    expect(d!.message).toContain("batch axis");
  });

  it("TH208: mean over all axes includes the batch axis", () => {
    expectDiagnostics(model("batch B", "input x : [B, 3]", "y = mean(x)", "output y"), [{ code: "TH208", line: 4, column: 7 }], run);
  });

  it("TH208: einsum contracts the batch axis", () => {
    const [d] = expectDiagnostics(model("batch B", "input x : [B, 3]", 'y = einsum("bi->i", x)', "output y"), [{ code: "TH208", line: 4, column: 7 }], run);
    expect(d!.message).toContain("contracts the batch axis");
  });

  it("TH208: matmul contracts the batch axis", () => {
    const [d] = expectDiagnostics(model("batch B", "input x : [B, 3]", "param v : [B]", "y = v @ x", "output y"), [{ code: "TH208", line: 5, column: 9 }], run);
    expect(d!.message).toContain("[B] @ [B, 3]");
  });

  it("TH208: softmax over the batch axis", () => {
    expectDiagnostics(model("batch B", "input x : [B, 3]", "y = softmax(x, axis=0)", "output y"), [{ code: "TH208", line: 4, column: 7 }], run);
    expectDiagnostics(model("batch B", "input x : [B, 3]", "y = log_softmax(x, axis=-2)", "output y"), [{ code: "TH208", line: 4, column: 7 }], run);
  });

  it("TH208: reshape merges the batch axis", () => {
    const [d] = expectDiagnostics(model("batch B", "input x : [B, 3]", "y = reshape(x, [-1])", "output y"), [{ code: "TH208", line: 4, column: 7 }], run);
    expect(d!.message).toContain("[B, 3] -> [3]");
  });

  it("TH208: transpose moves the batch axis", () => {
    expectDiagnostics(model("batch B", "input x : [B, 3]", "y = transpose(x, [1, 0])", "output y"), [{ code: "TH208", line: 4, column: 7 }], run);
    expectDiagnostics(model("batch B", "input x : [B, 3]", "y = transpose(x)", "output y"), [{ code: "TH208", line: 4, column: 7 }], run);
  });

  it("TH209 is no longer raised: a tensor exponent is exp(p log x); its shape errors are at the operator", () => {
    expect(run(model("input x : [3]", "param p : [3]", "y = x ** p + pow(x, p) + 2 ** -x + x ** sum(p)", "output y"))).toEqual([]);
    const src = model("input x : [3]", "param p : [2]", "y = x ** p", "output y");
    const [d] = expectDiagnostics(src, [{ code: "TH201", line: 4, column: 9 }], run);
    expect(d!.message).toBe("operands of '**' do not broadcast: [3] and [2]");
    expect(covered(src, d!)).toBe("**");
    expectDiagnostics(model("input x : [3]", "param p : [2]", "y = pow(x, p)", "output y"), [{ code: "TH201", line: 4, column: 7 }], run);
  });
});

describe("several errors, no cascades", () => {
  it("reports every independent error of a model", () => {
    const src = model(
      "batch B",
      "input x : [B, 8]",
      "param c : [3]",
      "a = x + c", // TH201 at 5:9
      "b = tahn(x)", // TH103 at 6:7
      "d = sum(x, axis=0)", // TH208 at 7:7
      "e = x * q", // TH101 at 8:11
      "output a, b, d, e, f", // TH108 at 9:22
    );
    expectDiagnostics(src, [
      { code: "TH201", line: 5, column: 9 },
      { code: "TH103", line: 6, column: 7 },
      { code: "TH208", line: 7, column: 7 },
      { code: "TH101", line: 8, column: 11 },
      { code: "TH108", line: 9, column: 22 },
    ], run);
  });

  it("an undefined name is reported once, not again where the broken name is used", () => {
    const src = model("input x : [3]", "y = x + q", "z = y * 2", "w = exp(z) + sum(y)", "output w, y");
    expectDiagnostics(src, [{ code: "TH101", line: 3, column: 11 }], run);
  });

  it("a shape error is reported once, not again where the broken name is used", () => {
    const src = model("input x : [2, 3]", "param W : [4, 5]", "h = x @ W", "y = tanh(h) @ W", "s = sum(h, axis=7)", "output y, s");
    expectDiagnostics(src, [{ code: "TH202", line: 4, column: 9 }], run);
  });

  it("an input with a bad shape is reported once", () => {
    const src = model("input x : [K]", "y = x * 2", "output x, y");
    expectDiagnostics(src, [{ code: "TH107", line: 2, column: 14 }], run);
  });

  it("an unknown function is reported once, not again where its result is used", () => {
    expectDiagnostics(model("input x : [3]", "y = tahn(x)", "z = y + [1]", "output z"), [
      { code: "TH103", line: 3, column: 7 },
      { code: "TH104", line: 4, column: 11 }, // the list literal is its own mistake
    ], run);
    expectDiagnostics(model("input x : [3]", "y = tahn(x)", "z = y * y", "output z"), [{ code: "TH103", line: 3, column: 7 }], run);
  });

  it("every diagnostic is an error with a span inside the source", () => {
    const src = model("batch B", "input x : [B, 8]", "param c : [3]", "a = x + c", "b = tahn(x)", "output a, b, f");
    const ds = run(src);
    expect(ds.length).toBe(3);
    for (const d of ds) {
      expect(d.severity).toBe("error");
      expect(d.span!.offset + d.span!.length).toBeLessThanOrEqual(src.length);
      expect(d.span!.length).toBeGreaterThanOrEqual(1);
    }
  });
});

describe("rendering", () => {
  it("the caret lines up under tab-indented source", async () => {
    const { renderDiagnostic } = await import("../../compiler/diagnostics/render.js");
    const src = "model m {\n\tinput x : [3]\n\ty = q\n\toutput y\n}\n";
    const [d] = run(src);
    expect(d!.code).toBe("TH101");
    const [, line, caret] = renderDiagnostic(d!, "m.thd", src).split("\n");
    expect(line).toBe("3 | \ty = q");
    expect(caret).toBe("    \t    ^");
  });
});

describe("planning limits (TH4xx)", () => {
  it("TH402: a plan over --max-memory is refused with its estimate", () => {
    const src = readFileSync(new URL("../../examples/mlp.thd", import.meta.url), "utf8");
    const [d] = expectDiagnostics(src, [{ code: "TH402", line: 2, column: 7 }], withOpts({ order: 4, maxMemory: 2 ** 20, batchHint: 1000 }));
    expect(d!.message).toMatch(/allocates about [\d.]+ MiB per call at B=1000, over the limit of 1\.0 MiB/);
    expect(run(src, { order: 4, maxMemory: 2 ** 30, batchHint: 1000 })).toEqual([]);
  });

  it("TH401: a forced reverse plan past its term budget", () => {
    const src = model("batch B", "input x : [B, 1]", "y = tanh(sin(exp(x) * x) * x)", "output y");
    const [d] = expectDiagnostics(src, [{ code: "TH401", line: 1, column: 7 }], withOpts({ order: 8, mode: "reverse" }));
    expect(d!.message).toContain("--mode forward");
    expect(run(src, { order: 8 })).toEqual([]); // auto falls back to forward
  }, 60_000);
});
