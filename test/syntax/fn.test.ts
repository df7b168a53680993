/** `fn` definitions: at file level (before or after the models) and inside a model; spans; syntax errors. */
import { describe, it, expect } from "vitest";
import type { Expr, FnDef } from "../../compiler/syntax/ast.js";
import { parse } from "../../compiler/syntax/parse.js";
import { expectDiagnostics } from "../helpers/expect-diagnostics.js";

const SRC = `fn dense(x, W, b) = tanh(x @ W + b)   # file level, before the models
model a {
  input x : [3]
  fn sq(u) = u * u
  y = dense(sq(x), W=x, b=x)
  fn one() = 1
  output y
}
model b { input x : [3] y = scale(x) output y }
fn scale(v) = 2 * v
`;

const text = (s: { offset: number; length: number }) => SRC.slice(s.offset, s.offset + s.length);

function show(e: Expr): string {
  switch (e.kind) {
    case "num": return String(e.value);
    case "name": return e.name;
    case "binary": return `(${e.op} ${show(e.left)} ${show(e.right)})`;
    case "call": return `${e.callee.name}(${[...e.args.map(show), ...e.kwargs.map((k) => `${k.name.name}=${show(k.value)}`)].join(" ")})`;
    default: return e.kind;
  }
}
const brief = (f: FnDef) => `${f.name.name}(${f.params.map((p) => p.name).join(", ")}) = ${show(f.body)}`;

describe("parse: fn definitions", () => {
  const { program, diagnostics } = parse(SRC);

  it("parses file-level fns before and after the models", () => {
    expect(diagnostics).toEqual([]);
    expect(program.models.map((m) => m.name.name)).toEqual(["a", "b"]);
    expect(program.fns!.map(brief)).toEqual(["dense(x, W, b) = tanh((+ (@ x W) b))", "scale(v) = (* 2 v)"]);
  });

  it("gives every model the file-level fns, and each model its own", () => {
    const [a, b] = program.models;
    expect(a!.fileFns).toBe(program.fns);
    expect(b!.fileFns).toBe(program.fns);
    expect(a!.fns!.map(brief)).toEqual(["sq(u) = (* u u)", "one() = 1"]);
    expect(b!.fns).toBeUndefined();
    // fns are neither declarations nor statements
    expect(a!.decls.map((d) => d.name.name)).toEqual(["x"]);
    expect(a!.stmts.map((s) => s.kind)).toEqual(["assign", "output"]);
  });

  it("a file without fns has no fns fields", () => {
    const r = parse("model m { input x : [3] output x }");
    expect(r.program.fns).toBeUndefined();
    expect(r.program.models[0]!.fileFns).toBeUndefined();
    expect(r.program.models[0]!.fns).toBeUndefined();
  });

  it("parses calls with keyword arguments", () => {
    const y = program.models[0]!.stmts[0]!;
    expect(y.kind === "assign" && show(y.value)).toBe("dense(sq(x) W=x b=x)");
  });

  it("spans: the definition, its name, parameters and body", () => {
    const dense = program.fns![0]!;
    expect(text(dense.span)).toBe("fn dense(x, W, b) = tanh(x @ W + b)");
    expect(dense.span).toMatchObject({ line: 1, column: 1 });
    expect(dense.name.span).toMatchObject({ line: 1, column: 4, length: 5 });
    expect(dense.params.map((p) => `${p.span.line}:${p.span.column}`)).toEqual(["1:10", "1:13", "1:16"]);
    expect(text(dense.body.span)).toBe("tanh(x @ W + b)");
    const sq = program.models[0]!.fns![0]!;
    expect(text(sq.span)).toBe("fn sq(u) = u * u");
    expect(sq.span).toMatchObject({ line: 4, column: 3 });
    expect(text(program.fns![1]!.span)).toBe("fn scale(v) = 2 * v");
  });

  it("'fn' is a keyword, but longer words starting with it are names", () => {
    const r = parse("model m { input fnx : [3] fns = fnx output fns }");
    expect(r.diagnostics).toEqual([]);
    expect(r.program.models[0]!.decls[0]!.name.name).toBe("fnx");
  });
});

describe("parse: fn syntax errors", () => {
  it("a fn without a name", () => {
    const [d] = expectDiagnostics("fn (x) = x\nmodel m { }", [{ code: "TH002", line: 1, column: 4 }]);
    expect(d!.message).toBe("expected a name but found '('");
  });

  it("a fn without a body", () => {
    const [d] = expectDiagnostics("fn f(x) =\nmodel m { }", [{ code: "TH002", line: 2, column: 1 }]);
    expect(d!.message).toBe("expected an expression but found 'model'");
  });

  it("a fn without '='", () => {
    const [d] = expectDiagnostics("model m {\n  fn f(x) x\n}", [{ code: "TH002", line: 2, column: 11 }]);
    expect(d!.message).toBe("expected '=' but found 'x'");
  });

  it("a trailing comma in the parameters", () => {
    const [d] = expectDiagnostics("model m {\n  fn f(x, ) = x\n}", [{ code: "TH002", line: 2, column: 11 }]);
    expect(d!.message).toBe("expected a name but found ')'");
  });

  it("a parameter that is not a name", () => {
    expectDiagnostics("fn f(1) = 1\nmodel m { }", [{ code: "TH002", line: 1, column: 6 }]);
  });

  it("junk after the last model names both things a file may hold", () => {
    const [d] = expectDiagnostics("model m { }\nfoo", [{ code: "TH002", line: 2, column: 1 }]);
    expect(d!.message).toBe("expected 'model' or 'fn' but found 'foo'");
  });

  it("'fn' can no longer be a tensor name", () => {
    expectDiagnostics("model m {\n  fn = 1\n}", [{ code: "TH002", line: 2, column: 6 }]);
  });
});
