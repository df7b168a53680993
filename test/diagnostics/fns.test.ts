/**
 * Diagnostics of fn definitions and calls, and of dot / outer / linear / einsum
 * '...' / the losses: exact code, line and column of each, and the message
 * parts that matter (the fn named, the call site's line, the hint).
 */
import { describe, it, expect } from "vitest";
import { runPipeline } from "../../compiler/pipeline.js";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import { renderDiagnostics } from "../../compiler/diagnostics/render.js";
import { expectDiagnostics } from "../helpers/expect-diagnostics.js";

const run = (src: string): readonly Diagnostic[] => runPipeline(src, { order: 1 }).diagnostics;
/** `model m { ... }` with one item per line: item i is on line i + 2 (after `pre` lines), at column 3. */
const model = (...items: string[]) => `model m {\n${items.map((s) => `  ${s}`).join("\n")}\n}`;
const covered = (src: string, d: Diagnostic) => src.slice(d.span!.offset, d.span!.offset + d.span!.length);

const DENSE = "fn dense(x, W, b) = tanh(x @ W + b)";

describe("fn definitions", () => {
  it("TH102: a fn named like a built-in function, at its name", () => {
    const src = `fn tanh(x) = x\n${model("input x : [3]", "y = tanh(x)", "output y")}`;
    const [d] = expectDiagnostics(src, [{ code: "TH102", line: 1, column: 4 }], run);
    expect(d!.message).toBe("fn 'tanh' clashes with the built-in function 'tanh'; choose another name");
    expect(covered(src, d!)).toBe("tanh");
  });

  it("TH102: two fns of the same name, at file level and across file and model", () => {
    const [d] = expectDiagnostics(`fn f(x) = x\nfn f(y) = y\n${model("input x : [3]", "output x")}`, [{ code: "TH102", line: 2, column: 4 }], run);
    expect(d!.message).toBe("fn 'f' is already defined at line 1");
    const [e] = expectDiagnostics(`${model("input x : [3]", "fn f(y) = y", "output x")}\nfn f(x) = x`, [{ code: "TH102", line: 3, column: 6 }], run);
    expect(e!.message).toBe("fn 'f' is already defined at file level at line 6");
  });

  it("TH102: a parameter listed twice", () => {
    const [d] = expectDiagnostics(`fn f(x, y, x) = x\n${model("input x : [3]", "output x")}`, [{ code: "TH102", line: 1, column: 12 }], run);
    expect(d!.message).toBe("fn 'f': parameter 'x' is listed twice");
  });

  it("TH101: a file-level fn sees only its parameters (reported without any call)", () => {
    const src = `fn f(x) = x @ W\n${model("input x : [3]", "param W : [3, 3]", "output x")}`;
    const [d] = expectDiagnostics(src, [{ code: "TH101", line: 1, column: 15 }], run);
    expect(d!.message).toBe("undefined name 'W' in fn 'f' (a file-level fn body sees only its parameters)");
  });

  it("TH101: a fn inside a model sees the model's inputs and params, not its assigned tensors", () => {
    expect(run(model("input x : [3]", "param W : [3, 3]", "fn f(v) = v @ W + x", "y = f(x)", "output y"))).toEqual([]);
    const [d] = expectDiagnostics(model("input x : [3]", "h = x * 2", "fn f(v) = v + h", "y = f(x)", "output y"), [{ code: "TH101", line: 4, column: 17 }], run);
    expect(d!.message).toContain("a fn body sees its parameters and the model's inputs and params");
  });

  it("TH103: an unknown function in a body, at the definition", () => {
    const [d] = expectDiagnostics(`fn f(x) = tahn(x)\n${model("input x : [3]", "output x")}`, [{ code: "TH103", line: 1, column: 11 }], run);
    expect(d!.message).toBe("unknown function 'tahn'; did you mean 'tanh'?");
  });

  it("TH103: a misspelt fn call suggests the user's fns too", () => {
    const [d] = expectDiagnostics(`${DENSE}\n${model("input x : [3]", "y = dence(x, x, x)", "output y")}`, [{ code: "TH103", line: 4, column: 7 }], run);
    expect(d!.message).toBe("unknown function 'dence'; did you mean 'dense'?");
  });

  it("TH116: direct recursion, once, at the fn's name; its calls report nothing more", () => {
    const src = `fn f(x) = f(x) + 1\n${model("input x : [3]", "y = f(x) * f(x)", "output y")}`;
    const [d] = expectDiagnostics(src, [{ code: "TH116", line: 1, column: 4 }], run);
    expect(d!.message).toBe("fn 'f' calls itself (f -> f): a fn is inlined at each call, so it cannot be recursive");
  });

  it("TH116: mutual recursion through three fns is one error at the first of them", () => {
    const src = `fn a(x) = b(x) * 2\nfn b(x) = exp(c(x))\nfn c(x) = a(x) + b(x)\nfn d(x) = a(x)\n${model("input x : [3]", "y = d(x)", "output y")}`;
    const [d] = expectDiagnostics(src, [{ code: "TH116", line: 1, column: 4 }], run);
    expect(d!.message).toBe("fns 'a', 'b', 'c' call each other (a -> b -> c -> a): a fn is inlined at each call, so it cannot be recursive");
  });

  it("TH116: recursion between a model's fn and a file-level fn", () => {
    const src = `fn g(x) = h(x)\n${model("input x : [3]", "fn h(x) = g(x) * 2", "output x")}`;
    const [d] = expectDiagnostics(src, [{ code: "TH116", line: 1, column: 4 }], run);
    expect(d!.message).toContain("(g -> h -> g)");
  });

  it("a fn that is defined but never called is still checked; an unused correct one costs nothing", () => {
    expect(run(`fn unused(x) = x @ x\n${model("input x : [3]", "output x")}`)).toEqual([]);
  });
});

describe("fn calls", () => {
  const m = (...items: string[]) => `${DENSE}\n${model("batch B", "input x : [B, 8]", "param W : [8, 4]", "param c : [4]", ...items)}`;

  it("TH104: too many arguments, at the first extra one", () => {
    const [d] = expectDiagnostics(m("y = dense(x, W, c, c)", "output y"), [{ code: "TH104", line: 7, column: 22 }], run);
    expect(d!.message).toBe("dense() takes 3 argument(s), got 4");
  });

  it("TH104: a missing argument, at the call", () => {
    const src = m("y = dense(x, W)", "output y");
    const [d] = expectDiagnostics(src, [{ code: "TH104", line: 7, column: 7 }], run);
    expect(d!.message).toBe("dense() is missing its argument 'b'");
    expect(covered(src, d!)).toBe("dense(x, W)");
  });

  it("TH104: an unknown keyword and a parameter given twice, at the keyword", () => {
    const [d] = expectDiagnostics(m("y = dense(x, W, bias=c)", "output y"), [{ code: "TH104", line: 7, column: 19 }], run);
    expect(d!.message).toBe("dense() has no keyword argument 'bias' (it takes: x, W, b)");
    const [e] = expectDiagnostics(m("y = dense(x, W, c, W=W)", "output y"), [{ code: "TH104", line: 7, column: 22 }], run);
    expect(e!.message).toBe("dense(): 'W' is given twice");
  });

  it("a shape error inside the body points at the call site and names the fn", () => {
    const src = `${DENSE}\n${model("batch B", "input x : [B, 8]", "param W : [8, 4]", "param c : [3]", "h = dense(x, W, c)", "output h")}`;
    const [d] = expectDiagnostics(src, [{ code: "TH201", line: 7, column: 7 }], run);
    expect(d!.message).toBe("operands of '+' do not broadcast: [B, 4] and [3] (in fn 'dense' called at line 7; the error is at line 1, column 32)");
    expect(covered(src, d!)).toBe("dense(x, W, c)");
    expect(renderDiagnostics([d!], "m.thd", src)).toBe([
      "m.thd:7:7: error TH201: operands of '+' do not broadcast: [B, 4] and [3] (in fn 'dense' called at line 7; the error is at line 1, column 32)",
      "7 |   h = dense(x, W, c)",
      "          ^^^^^^^^^^^^^^",
      "1 error",
    ].join("\n"));
  });

  it("every call is checked with its own shapes: only the bad call is reported", () => {
    const [d] = expectDiagnostics(m("param V : [4, 5]", "h = dense(x, W, c)", "k = dense(h, V, c)", "output k"), [{ code: "TH201", line: 9, column: 7 }], run);
    expect(d!.message).toContain("[B, 5] and [4] (in fn 'dense' called at line 9;");
  });

  it("nested calls: the context lists every fn, innermost first, and points at the call in the model", () => {
    const src = `${DENSE}\nfn twice(x, W, b) = dense(dense(x, W, b), W, b)\n${model("batch B", "input x : [B, 8]", "param W : [8, 4]", "param c : [4]", "y = twice(x, W, c)", "output y")}`;
    const [d] = expectDiagnostics(src, [{ code: "TH202", line: 8, column: 7 }], run);
    expect(d!.message).toBe("matmul [B, 4] @ [8, 4]: contracted sizes 4 and 8 differ (in fn 'dense' called at line 2, in fn 'twice' called at line 8; the error is at line 1, column 28)");
  });

  it("an error in an argument keeps its own position (it is not in the body)", () => {
    const [d] = expectDiagnostics(m("y = dense(x @ c, W, c)", "output y"), [{ code: "TH202", line: 7, column: 15 }], run);
    expect(d!.message).not.toContain("in fn");
  });

  it("a parameter used as an exponent: bound to a constant or to a tensor (exp(k log x))", () => {
    const fn = "fn pw(x, k) = x ** k";
    expect(run(`${fn}\n${model("input x : [3]", "y = pw(x, 3) + pw(x, 1 / 2)", "output y")}`)).toEqual([]);
    expect(run(`${fn}\n${model("input x : [3]", "y = pw(x, x)", "output y")}`)).toEqual([]);
    const [d] = expectDiagnostics(`${fn}\n${model("input x : [3]", "param p : [2]", "y = pw(x, p)", "output y")}`, [{ code: "TH201", line: 5, column: 7 }], run);
    expect(d!.message).toBe("operands of '**' do not broadcast: [3] and [2] (in fn 'pw' called at line 5; the error is at line 1, column 17)");
  });

  it("a batch-mixing error inside a body (TH208) and a dim used as a tensor (TH104) get the context too", () => {
    const src = `fn total(v) = sum(v)\nfn bad(v) = v * B\n${model("batch B", "input x : [B, 3]", "y = total(x)", "z = bad(x)", "output y")}`;
    const ds = expectDiagnostics(src, [{ code: "TH208", line: 6, column: 7 }, { code: "TH104", line: 7, column: 7 }], run);
    expect(ds[0]!.message).toBe("sum over the batch axis (axis 0) would mix samples (in fn 'total' called at line 6; the error is at line 1, column 15)");
    expect(ds[1]!.message).toBe("'B' is a dimension, not a tensor (in fn 'bad' called at line 7; the error is at line 2, column 17)");
  });
});

describe("dot, outer, linear", () => {
  const m = (...items: string[]) => model("batch B", "input x : [B, 3]", "param p : [4]", "param Q : [2, 3]", ...items);

  it("TH202: dot and outer need 1-D operands (per sample)", () => {
    const [d] = expectDiagnostics(m("y = dot(x, Q)", "output y"), [{ code: "TH202", line: 6, column: 7 }], run);
    expect(d!.message).toBe("dot needs two 1-D operands (per sample), got [B, 3] and [2, 3]");
    const [e] = expectDiagnostics(m("y = outer(Q, x)", "output y"), [{ code: "TH202", line: 6, column: 7 }], run);
    expect(e!.message).toBe("outer needs two 1-D operands (per sample), got [2, 3] and [B, 3]");
  });

  it("TH202: dot of different sizes", () => {
    const [d] = expectDiagnostics(m("y = dot(x, p)", "output y"), [{ code: "TH202", line: 6, column: 7 }], run);
    expect(d!.message).toBe("dot [B, 3] . [4]: sizes 3 and 4 differ");
  });

  it("TH202: linear's weight is [out, in] and must match the input's features", () => {
    const [d] = expectDiagnostics(m("y = linear(x, p)", "output y"), [{ code: "TH202", line: 6, column: 7 }], run);
    expect(d!.message).toBe("linear: the weight must be [out, in] (rank 2, no batch axis), got [4]");
    const [e] = expectDiagnostics(m("param V : [3, 2]", "y = linear(x, V)", "output y"), [{ code: "TH202", line: 7, column: 7 }], run);
    expect(e!.message).toBe("linear: the input [B, 3] has 3 features but the weight [3, 2] takes 2");
  });

  it("TH201: linear's bias must be [out]", () => {
    const [d] = expectDiagnostics(m("y = linear(x, Q, p)", "output y"), [{ code: "TH201", line: 6, column: 7 }], run);
    expect(d!.message).toBe("linear: the bias must be [2] for the weight [2, 3], got [4]");
  });

  it("TH104: linear without its weight", () => {
    expectDiagnostics(m("y = linear(x)", "output y"), [{ code: "TH104", line: 6, column: 7 }], run);
  });
});

describe("einsum with '...'", () => {
  const m = (...items: string[]) => model("batch B", "input x : [B, 3]", "param Q : [4, 3]", "param R : [2, 1, 3]", ...items);

  it("TH206: dots other than one '...' per operand", () => {
    const [d] = expectDiagnostics(m('y = einsum("..i", x)', "output y"), [{ code: "TH206", line: 6, column: 7 }], run);
    expect(d!.message).toBe("einsum spec \"..i\": '.' must come as '...', at most once per operand and in the output");
    expectDiagnostics(m('y = einsum("...i...", x)', "output y"), [{ code: "TH206", line: 6, column: 7 }], run);
  });

  it("TH206: more letters than the operand has axes", () => {
    const [d] = expectDiagnostics(m('y = einsum("...ijk", x)', "output y"), [{ code: "TH206", line: 6, column: 7 }], run);
    expect(d!.message).toBe("einsum operand 1 has shape [B, 3] (rank 2) but spec \"...ijk\" has 3 indices besides '...'");
  });

  it("TH206: '...' dims that do not broadcast", () => {
    const [d] = expectDiagnostics(m('y = einsum("...ij,...j->...i", R, Q)', "output y"), [{ code: "TH206", line: 6, column: 7 }], run);
    expect(d!.message).toBe("einsum: the dims covered by '...' do not broadcast: 2 and 4");
  });

  it("TH208: the batch axis broadcast against another size, or summed by an explicit output without '...'", () => {
    const [d] = expectDiagnostics(m('y = einsum("...i,...i->...", x, Q)', "output y"), [{ code: "TH208", line: 6, column: 7 }], run);
    expect(d!.message).toBe("einsum: the dims covered by '...' do not broadcast: B and 4");
    expectDiagnostics(m('y = einsum("...i->i", x)', "output y"), [{ code: "TH208", line: 6, column: 7 }], run);
  });

  it("accepts the batch axis in '...' and a size-1 dim broadcast", () => {
    expect(run(m('y = einsum("...i,ji->...j", x, Q)', "z = einsum(\"...i,a...i->...a\", x, R)", "output y"))).toEqual([]);
  });
});

describe("losses", () => {
  const m = (...items: string[]) => model("batch B", "input x : [B, 3]", "param t : [3]", "param u : [2, 3]", ...items);

  it("TH208: the default reduction over the batch axis, with the hint", () => {
    const src = m("y = mse_loss(x, t)", "output y");
    const [d] = expectDiagnostics(src, [{ code: "TH208", line: 6, column: 7 }], run);
    expect(d!.message).toBe("mse_loss(reduction=\"mean\") reduces over the batch axis and would mix samples; use reduction=\"none\" for per-sample losses (then sum or mean over the other axes)");
    expect(covered(src, d!)).toBe("mse_loss(x, t)");
    for (const [call, fn] of [["bce(sigmoid(x), t, reduction=\"sum\")", "bce(reduction=\"sum\")"], ["cross_entropy(x, t)", "cross_entropy(reduction=\"mean\")"], ["kl_div(x, t, reduction=\"batchmean\")", "kl_div(reduction=\"batchmean\")"], ["huber(x, t)", "huber("], ["smooth_l1(x, t)", "smooth_l1("], ["bce_with_logits(x, t)", "bce_with_logits("]]) {
      const [e] = expectDiagnostics(m(`y = ${call}`, "output y"), [{ code: "TH208", line: 6, column: 7 }], run);
      expect(e!.message.startsWith(fn)).toBe(true);
      expect(e!.message).toContain('use reduction="none"');
    }
  });

  it("reduction=\"none\" keeps the samples; without a batch axis every reduction is allowed", () => {
    expect(run(m('y = mse_loss(x, t, reduction="none") + cross_entropy(x, t, reduction="none")', "output y"))).toEqual([
      expect.objectContaining({ code: "TH201" }), // [B, 3] + [B]: the per-sample loss of cross_entropy has no class axis
    ]);
    expect(run(m('y = mean(mse_loss(x, t, reduction="none"), axis=1) + cross_entropy(x, t, reduction="none")', "output y"))).toEqual([]);
    expect(run(m('y = mse_loss(u, t) + bce(sigmoid(u), t, reduction="sum") + kl_div(u, t, reduction="batchmean")', "output y"))).toEqual([]);
  });

  it("TH105: a reduction that does not exist", () => {
    const [d] = expectDiagnostics(m('y = mse_loss(u, t, reduction="avg")', "output y"), [{ code: "TH105", line: 6, column: 7 }], run);
    expect(d!.message).toBe("mse_loss(): 'reduction' must be \"none\", \"sum\" or \"mean\"");
    const [e] = expectDiagnostics(m('y = kl_div(u, t, reduction="avg")', "output y"), [{ code: "TH105", line: 6, column: 7 }], run);
    expect(e!.message).toBe("kl_div(): 'reduction' must be \"none\", \"sum\", \"mean\" or \"batchmean\"");
  });

  it("TH105: huber's delta must be positive, smooth_l1's beta not negative", () => {
    const [d] = expectDiagnostics(m("y = huber(u, t, delta=0)", "output y"), [{ code: "TH105", line: 6, column: 7 }], run);
    expect(d!.message).toBe("huber(): 'delta' must be positive, got 0");
    const [e] = expectDiagnostics(m("y = smooth_l1(u, t, beta=-1)", "output y"), [{ code: "TH105", line: 6, column: 7 }], run);
    expect(e!.message).toBe("smooth_l1(): 'beta' must not be negative, got -1");
    expect(run(m("y = smooth_l1(u, t, beta=0)", "output y"))).toEqual([]);
  });

  it("TH203: cross_entropy needs a class axis; TH201: operands that do not broadcast", () => {
    const [d] = expectDiagnostics(m("y = cross_entropy(sum(u), t)", "output y"), [{ code: "TH203", line: 6, column: 7 }], run);
    expect(d!.message).toBe("cross_entropy: the logits need a class axis (the last), got []");
    expectDiagnostics(m("param w : [4]", "y = mse_loss(u, w)", "output y"), [{ code: "TH201", line: 7, column: 7 }], run);
  });
});
