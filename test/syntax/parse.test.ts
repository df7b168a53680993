import { describe, it, expect } from "vitest";
import type { Expr, Stmt } from "../../compiler/syntax/ast.js";
import { parse } from "../../compiler/syntax/parse.js";
import { expectDiagnostics } from "../helpers/expect-diagnostics.js";

const MLP = `# examples/mlp.thd: a tanh perceptron
model mlp {
  batch B                 # B is a batch axis
  dim H = 32              # a named size
  input x  : [B, 8]
  param W1 : [8, H]
  param b1 : [H]
  h1 = tanh(x @ W1 + b1)
  s = sum(h1 * h1, axis=[0, 1], keepdims=false)
  z = einsum("bi,ij->bj", h1, W1)
  r = reshape(transpose(z, [1, 0]), [H, B])
  y  = -h1 ** 2 / 2.5e-1
  output y, s
}
model other { input inputs : [] dims = inputs output dims }
`;

/** A compact S-expression of an expression, to check tree shape without spans. */
function show(e: Expr): string {
  switch (e.kind) {
    case "num": return String(e.value);
    case "str": return JSON.stringify(e.value);
    case "name": return e.name;
    case "list": return `[${e.items.map(show).join(" ")}]`;
    case "unary": return `(neg ${show(e.arg)})`;
    case "binary": return `(${e.op} ${show(e.left)} ${show(e.right)})`;
    case "call": return `${e.callee.name}(${[...e.args.map(show), ...e.kwargs.map((k) => `${k.name.name}=${show(k.value)}`)].join(" ")})`;
    case "index": return `${show(e.target)}[${e.items.map((it) => (it.kind === "ellipsis" ? "..." : it.kind === "at" ? show(it.index) : `${it.start ? show(it.start) : ""}:${it.stop ? show(it.stop) : ""}${it.step ? `:${show(it.step)}` : ""}`)).join(" ")}]`;
  }
}

/** Parse `model m { v = <expr> }` without errors and return the expression. */
function expr(src: string): Expr {
  const { program, diagnostics } = parse(`model m { v = ${src} }`);
  expect(diagnostics).toEqual([]);
  const stmt = program.models[0]!.stmts[0] as Extract<Stmt, { kind: "assign" }>;
  return stmt.value;
}

/** The text a span covers. */
const text = (src: string, s: { offset: number; length: number }) => src.slice(s.offset, s.offset + s.length);

describe("parse: AST shape", () => {
  it("parses the mlp example", () => {
    const { program, diagnostics } = parse(MLP);
    expect(diagnostics).toEqual([]);
    expect(program.models.map((m) => m.name.name)).toEqual(["mlp", "other"]);
    const mlp = program.models[0]!;
    expect(mlp.decls.map((d) => `${d.kind} ${d.name.name}`)).toEqual(["batch B", "dim H", "input x", "param W1", "param b1"]);
    expect(mlp.decls[1]).toMatchObject({ kind: "dim", value: 32 });
    expect(mlp.decls[2]).toMatchObject({ shape: [{ kind: "name", name: "B" }, { kind: "int", value: 8 }] });
    const assigns = mlp.stmts.filter((s) => s.kind === "assign");
    expect(assigns.map((s) => `${s.target.name} = ${show(s.value)}`)).toEqual([
      "h1 = tanh((+ (@ x W1) b1))",
      "s = sum((* h1 h1) axis=[0 1] keepdims=false)",
      'z = einsum("bi,ij->bj" h1 W1)',
      "r = reshape(transpose(z [1 0]) [H B])",
      "y = (/ (neg (** h1 2)) 0.25)",
    ]);
    expect(mlp.stmts.at(-1)).toMatchObject({ kind: "output", names: [{ name: "y" }, { name: "s" }] });
  });

  it("lexes identifiers that start with a keyword as identifiers", () => {
    const other = parse(MLP).program.models[1]!;
    expect(other.decls).toMatchObject([{ kind: "input", name: { name: "inputs" }, shape: [] }]);
    expect(other.stmts).toMatchObject([{ kind: "assign", target: { name: "dims" } }, { kind: "output", names: [{ name: "dims" }] }]);
  });

  it("follows Python precedence and associativity", () => {
    expect(show(expr("-x**2"))).toBe("(neg (** x 2))");
    expect(show(expr("a+b*c@d"))).toBe("(+ a (@ (* b c) d))");
    expect(show(expr("2**3**2"))).toBe("(** 2 (** 3 2))");
    expect(show(expr("2**-1"))).toBe("(** 2 (neg 1))");
    expect(show(expr("a-b-c"))).toBe("(- (- a b) c)");
    expect(show(expr("a/b*c"))).toBe("(* (/ a b) c)");
    expect(show(expr("(a+b)*c"))).toBe("(* (+ a b) c)");
    expect(show(expr("- -x"))).toBe("(neg (neg x))");
  });

  it("reads numbers, strings, lists and calls", () => {
    expect(show(expr("f(.5, 1., 1e-3, 2.5E+2, 7)"))).toBe("f(0.5 1 0.001 250 7)");
    expect(show(expr("f()"))).toBe("f()");
    expect(show(expr("f([], [[1], x])"))).toBe("f([] [[1] x])");
    expect(show(expr('einsum("ij,jk->ik", a, b)'))).toBe('einsum("ij,jk->ik" a b)');
    expect(show(expr("g(k=1)"))).toBe("g(k=1)");
  });
});

describe("parse: spans", () => {
  const { program } = parse(MLP);
  const mlp = program.models[0]!;
  const stmt = (name: string) => mlp.stmts.find((s) => s.kind === "assign" && s.target.name === name) as Extract<Stmt, { kind: "assign" }>;

  it("gives 1-based line/column and 0-based offset", () => {
    expect(mlp.name.span).toEqual({ line: 2, column: 7, offset: MLP.indexOf("mlp {"), length: 3 });
    expect(mlp.decls[1]!.span).toMatchObject({ line: 4, column: 3 });
    expect(text(MLP, mlp.decls[1]!.span)).toBe("dim H = 32");
    expect(text(MLP, mlp.decls[3]!.span)).toBe("param W1 : [8, H]");
    expect(text(MLP, mlp.span)).toMatch(/^model mlp \{[^]*output y, s\n\}$/);
  });

  it("covers whole statements, calls and binary expressions", () => {
    const h1 = stmt("h1");
    expect(text(MLP, h1.span)).toBe("h1 = tanh(x @ W1 + b1)");
    expect(h1.value.span).toMatchObject({ line: 8, column: 8 });
    expect(text(MLP, h1.value.span)).toBe("tanh(x @ W1 + b1)");
    const sum = (h1.value as Extract<Expr, { kind: "call" }>).args[0]!;
    expect(sum.kind === "binary" && text(MLP, sum.opSpan)).toBe("+");
    expect(sum.span).toMatchObject({ line: 8, column: 13 });
    expect(text(MLP, sum.span)).toBe("x @ W1 + b1");
    const y = stmt("y").value;
    expect(text(MLP, y.span)).toBe("-h1 ** 2 / 2.5e-1");
    expect(y.kind === "binary" && y.opSpan).toMatchObject({ line: 12, column: 17, length: 1 });
    expect(text(MLP, stmt("r").span)).toBe("r = reshape(transpose(z, [1, 0]), [H, B])");
    expect(text(MLP, mlp.stmts.at(-1)!.span)).toBe("output y, s");
  });

  it("includes parentheses in the enclosing expression", () => {
    const src = "model m { v = (a + b) * c }";
    const v = (parse(src).program.models[0]!.stmts[0] as Extract<Stmt, { kind: "assign" }>).value;
    expect(text(src, v.span)).toBe("(a + b) * c");
    expect(v.kind === "binary" && text(src, v.left.span)).toBe("a + b");
  });
});

describe("parse: errors", () => {
  it("reports an unexpected character (TH001)", () => {
    const [d] = expectDiagnostics("model m {\n  x = a $\n}", [{ code: "TH001", line: 2, column: 9 }]);
    expect(d!.message).toBe("unexpected character '$'");
  });

  it("reports an unterminated string (TH001)", () => {
    const [d] = expectDiagnostics('model m {\n  x = "ab\n}', [{ code: "TH001", line: 2, column: 7 }]);
    expect(d!.message).toBe("unterminated string");
  });

  it("reports a missing ')'", () => {
    const [d] = expectDiagnostics("model m {\n  x = f(a, b\n}", [{ code: "TH002", line: 3, column: 1 }]);
    expect(d!.message).toBe("expected ')' but found '}'");
  });

  it("reports a missing '}' at the end of the file", () => {
    const [d] = expectDiagnostics("model m {\n  x = a", [{ code: "TH002", line: 2, column: 8 }]);
    expect(d!.message).toBe("expected '}' but found end of file");
  });

  it("reports a model without a name", () => {
    const [d] = expectDiagnostics("model {\n  x = a\n}", [{ code: "TH002", line: 1, column: 7 }]);
    expect(d!.message).toBe("expected a name but found '{'");
  });

  it("reports an expression that is missing", () => {
    const [d] = expectDiagnostics("model m { x = }", [{ code: "TH002", line: 1, column: 15 }]);
    expect(d!.message).toBe("expected an expression but found '}'");
  });

  it("requires integers in shapes and dim values", () => {
    const ds = expectDiagnostics("model m {\n  input x : [B, 1.5]\n  dim H = 2.0\n}", [
      { code: "TH002", line: 2, column: 17 },
      { code: "TH002", line: 3, column: 11 },
    ]);
    expect(ds.map((d) => d.message)).toEqual([
      "expected an integer or a dim name but found '1.5'",
      "expected an integer but found '2.0'",
    ]);
  });

  it("rejects a positional argument after a keyword argument", () => {
    const [d] = expectDiagnostics("model m { y = sum(axis=0, x) }", [{ code: "TH002", line: 1, column: 27 }]);
    expect(d!.message).toBe("positional argument after keyword argument");
  });

  it("reports two errors on different lines and keeps the good statements", () => {
    const src = "model m {\n  a = (x +\n  b = 2\n  c = f(x))\n  output b\n}";
    const { program } = parse(src);
    expectDiagnostics(src, [
      { code: "TH002", line: 3, column: 5 },
      { code: "TH002", line: 4, column: 11 },
    ]);
    expect(program.models[0]!.stmts.some((s) => s.kind === "output")).toBe(true);
  });

  it("reports an empty file and junk after the last model", () => {
    expectDiagnostics("# nothing\n", [{ code: "TH002", line: 2, column: 1 }]);
    expectDiagnostics("model m { }\nfoo", [{ code: "TH002", line: 2, column: 1 }]);
  });

  it("stops after 20 errors with TH003", () => {
    const src = `model m {\n${"  x = )\n".repeat(25)}}`;
    const ds = parse(src).diagnostics;
    expect(ds).toHaveLength(21);
    expect(ds.slice(0, 20).every((d) => d.code === "TH002")).toBe(true);
    expect(ds[20]!.code).toBe("TH003");
    expect(ds.map((d) => d.span!.offset)).toEqual([...ds.map((d) => d.span!.offset)].sort((a, b) => a - b));
  });

  it("never throws on garbage, and every span lies inside the source", () => {
    const pieces = ["model", "m", "{", "}", "(", ")", "[", "]", "=", ",", ":", "x", "1", "2.5", "-", "**", "*", "@", "input", "dim", "output", '"s"', "$", "\n"];
    let seed = 1;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let i = 0; i < 300; i++) {
      const src = Array.from({ length: 1 + rand(40) }, () => pieces[rand(pieces.length)]).join(" ");
      const { diagnostics } = parse(src);
      for (const d of diagnostics) {
        expect(d.span!.offset).toBeGreaterThanOrEqual(0);
        expect(d.span!.offset).toBeLessThanOrEqual(src.length);
        expect(Number.isFinite(d.span!.line + d.span!.column + d.span!.length)).toBe(true);
      }
    }
  });
});

describe("parse: comparisons and indexing", () => {
  it("comparisons bind below + and - (Python precedence) and do not chain", () => {
    expect(show(expr("x + 1 > y * 2"))).toBe("(> (+ x 1) (* y 2))");
    expect(show(expr("x >= -y"))).toBe("(>= x (neg y))");
    expect(show(expr("(x < y) * (x <= 0)"))).toBe("(* (< x y) (<= x 0))");
    // the second '<' ends the statement; recovery then expects an assignment
    expectDiagnostics("model m { v = x < y < z }", [{ code: "TH002", line: 1, column: 21 }, { code: "TH002", line: 1, column: 25 }]);
  });

  it("indexing is postfix, binds tighter than ** and unary minus, and chains", () => {
    expect(show(expr("x[:, 1:5]"))).toBe("x[: 1:5]");
    expect(show(expr("x[..., ::2]"))).toBe("x[... ::2]");
    expect(show(expr("-x[0, -1] ** 2"))).toBe("(neg (** x[0 (neg 1)] 2))");
    expect(show(expr("f(x)[1:][::-1, 2]"))).toBe("f(x)[1:][::(neg 1) 2]");
    expect(show(expr("x[a:b:c, :b, a::c]"))).toBe("x[a:b:c :b a::c]");
  });

  it("an index spans from its target to ']'", () => {
    const src = "model m { v = exp(x)[0, 1:] }";
    const e = parse(src).program.models[0]!.stmts[0] as Extract<Stmt, { kind: "assign" }>;
    expect(text(src, e.value.span)).toBe("exp(x)[0, 1:]");
  });

  it("reports an empty subscript", () => {
    expectDiagnostics("model m { v = x[] }", [{ code: "TH002", line: 1, column: 17 }]);
  });
});
