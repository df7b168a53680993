/**
 * Deep and long inputs give coded errors or compile, never a stack overflow:
 * nesting past MAX_NESTING is TH117 before the parser runs, fn inlining past
 * MAX_LOWER_DEPTH is TH117 at the call, and left-associative chains of any
 * length are lowered, folded and printed without recursion.
 */
import { describe, it, expect } from "vitest";
import { runPipeline, typescriptTarget } from "../../compiler/index.js";
import { PASSES } from "../../compiler/pipeline.js";
import { fusable } from "../../compiler/plan/fusable.js";
import { parse } from "../../compiler/syntax/parse.js";
import { MAX_NESTING } from "../../compiler/syntax/nesting.js";
import { MAX_LOWER_DEPTH } from "../../compiler/ir/lower.js";
import { printAst } from "../../compiler/syntax/print-ast.js";
import { expectDiagnostics } from "../helpers/expect-diagnostics.js";

const model = (rhs: string, extra = "") => `${extra}model m {\n  input x : [3]\n  y = ${rhs}\n  output y\n}\n`;
const nested: Record<string, (n: number) => string> = {
  parentheses: (n) => "(".repeat(n) + "x" + ")".repeat(n),
  "unary minus": (n) => "-".repeat(n) + "x",
  calls: (n) => "exp(".repeat(n) + "x" + ")".repeat(n),
  "'**'": (n) => Array(n + 1).fill("x").join(" ** "),
  indexing: (n) => "x" + "[0:3]".repeat(n),
  "list brackets": (n) => `x * sum(${"[".repeat(n)}x${"]".repeat(n)})`,
};

describe("nesting limit (TH117)", () => {
  it.each(Object.entries(nested))("%s far past the limit are TH117 at the first token too deep, not a stack overflow", (_, mk) => {
    const src = model(mk(5000));
    const ds = parse(src).diagnostics;
    expect(ds.map((d) => d.code)).toEqual(["TH117"]);
    expect(ds[0]!.span!.line).toBe(3);
    expect(ds[0]!.message).toContain(`more than ${MAX_NESTING} levels`);
  });

  it("200 parentheses (the parser overflowed near 195) are TH117 at the 101st", () => {
    expectDiagnostics(model(nested.parentheses!(200)), [{ code: "TH117", line: 3, column: 7 + MAX_NESTING }]);
  });

  it.each(Object.entries(nested).filter(([k]) => k !== "list brackets"))("%s at the limit compile through every pass", (_, mk) => {
    const r = runPipeline(model(mk(MAX_NESTING - 2)), { order: 2, emit: { flavor: "js", provenance: "t", runtimeImport: "thoad/runtime" } });
    expect(r.diagnostics).toEqual([]);
    expect(r.state.code).toContain("function $model");
  });

  it("long flat chains are not nesting: a + -b + -c ..., f(x)[0] + g(x)[0] ..., x[0] ** 2 + ...", () => {
    const terms = Array.from({ length: 3 * MAX_NESTING }, (_, i) => [`-x`, `exp(x)[1]`, `x[0] ** 2`, `(x * 2)`][i % 4]);
    expect(parse(model(terms.join(" + "))).diagnostics).toEqual([]);
  });
});

describe("fn inlining depth (TH117)", () => {
  const chain = (n: number, body: (call: string) => string) =>
    Array.from({ length: n }, (_, i) => `fn f${i}(a) = ${i ? body(`f${i - 1}(a)`) : "a"}\n`).join("") + model(`f${n - 1}(x)`);

  it("1000 nested fns are TH117 at the call in the model, naming the innermost and outermost calls only", () => {
    const r = runPipeline(chain(1000, (c) => `sin(${c})`), { order: 1 });
    expect(r.diagnostics.map((d) => `${d.code} ${d.span?.line}`)).toEqual(["TH117 1003"]);
    const m = r.diagnostics[0]!.message;
    expect(m).toContain(`more than ${MAX_LOWER_DEPTH} levels`);
    expect(m).toMatch(/\.\.\. \d+ more \.\.\./);
    expect(m).toContain("in fn 'f999' called at line 1003");
    expect(m.length).toBeLessThan(600);
  });

  it("5000 nested fns (lowering overflowed at about 1100) are TH117", () => {
    expect(runPipeline(chain(5000, (c) => c), { order: 1 }).diagnostics.map((d) => d.code)).toEqual(["TH117"]);
  });

  it("a fn calling the one before twice, 40 deep, inlines each body once (2^40 inlinings hung; 2^24 took 32 s)", () => {
    const src = Array.from({ length: 41 }, (_, i) => `fn f${i}(a) = ${i ? `f${i - 1}(a) * f${i - 1}(a)` : "sin(a)"}\n`).join("") + model("f40(x)");
    const t0 = performance.now();
    const r = runPipeline(src, { order: 1 }, "lower");
    expect(r.diagnostics).toEqual([]);
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(r.state.ir!.builder.g.nodes.filter((n) => n.op === "mul").length).toBe(40);
  });

  it("a chain of fns within the limit compiles", () => {
    expect(runPipeline(chain(60, (c) => `sin(${c})`), { order: 2 }).diagnostics).toEqual([]);
  });
});

describe("long left-associative chains", () => {
  const sum = (n: number, term = "x") => Array.from({ length: n }, () => term).join(" + ");

  it("a 6000-term sum lowers (lowerExpr recursed on the left operand) to one node per term", () => {
    const r = runPipeline(model(Array.from({ length: 6000 }, (_, i) => `${i + 1} * x`).join(" + ")), { order: 1 }, "lower");
    expect(r.diagnostics).toEqual([]);
    expect(r.state.ir!.builder.g.nodes.length).toBeGreaterThan(6000);
  });

  it("a 6000-term sum compiles to a module of reasonable size (its model line in every step's comment passed the longest string V8 holds)", () => {
    const r = runPipeline(model(Array.from({ length: 6000 }, (_, i) => (i % 3 ? "x" : "sin(x)")).join(" + ")), { order: 1, emit: { flavor: "js", provenance: "t", runtimeImport: "thoad/runtime" } });
    expect(r.diagnostics).toEqual([]);
    expect(r.state.code!.length).toBeLessThan(20e6);
    expect(r.state.code).toMatch(/@3: y = sin\(x\) \+ x \+ x .{80,}\.\.\.$/m);
  }, 60_000);

  it("constant chains fold without recursion: an exponent and an axis written as 30000-term sums", () => {
    const r = runPipeline(model(`x ** (${sum(30000, "1")} - 29998) + sum(x, axis=${sum(30000, "0")})`), { order: 1 }, "lower");
    expect(r.diagnostics).toEqual([]);
    expect(r.state.ir!.builder.g.nodes.some((n) => n.op === "unary" && n.attrs.exponent === 2)).toBe(true);
  });

  it("a fn whose body is a 6000-term sum is checked and inlined", () => {
    const r = runPipeline(model("f(x)", `fn f(a) = ${sum(6000, "a * a")}\n`), { order: 1 }, "lower");
    expect(r.diagnostics).toEqual([]);
  });

  it("explain --after parse prints a 20000-term sum (JSON.stringify recursed), as JSON", () => {
    const r = runPipeline(model(sum(20000)), { order: 1 }, "parse");
    const text = PASSES.find((p) => p.name === "parse")!.print(r.state);
    expect(JSON.parse(text).models[0].stmts[0].value.kind).toBe("binary");
    expect(text.length).toBeLessThan(20000 * 1000); // linear: indentation stops growing
  });

  it("the printed AST of an ordinary model is JSON.stringify's text", () => {
    const program = parse(model("tanh(x @ [[1, 2, 3]] + -x[0]) ** 2", "fn g(a) = a\n")).program;
    expect(printAst(program)).toBe(JSON.stringify(program, (k, v) => (k === "span" || k === "opSpan" ? undefined : v), 1));
  });
});

describe("long plans", () => {
  it("one step of 30000 terms emits (its lines were spread into one push, past the argument limit)", () => {
    const plan = runPipeline("model m {\n  input x : [3]\n  y = sum(tanh(x) * x)\n  output y\n}\n", { order: 2, mode: "forward" }).state.plan!;
    const i = plan.steps.findIndex((s) => s.kind === "contract" && !fusable(s)); // a nest per term
    const step = plan.steps[i]!;
    if (step.kind !== "contract") throw new Error("unreachable");
    const many = { ...step, terms: Array.from({ length: 30_000 }, (_, k) => step.terms[k % step.terms.length]!) };
    const big = { ...plan, steps: plan.steps.map((s, j) => (j === i ? many : s)) };
    const code = typescriptTarget.module(big, { flavor: "js", provenance: "t", runtimeImport: "thoad/runtime" });
    expect(code.split("\n").length).toBeGreaterThan(130_000);
  });

  it("a 6000-statement chain in reverse mode emits (its kernels pushed as one spread passed the argument limit)", () => {
    let src = "model m {\n  input x : [3]\n  h0 = x\n";
    for (let i = 1; i <= 6000; i++) src += `  h${i} = sin(h${i - 1})\n`;
    const r = runPipeline(src + "  output h6000\n}\n", { order: 1, mode: "reverse" });
    expect(r.diagnostics).toEqual([]);
    const code = typescriptTarget.module(r.state.plan!, { flavor: "js", provenance: "t", runtimeImport: "thoad/runtime" });
    expect(code.split("\n").length).toBeGreaterThan(200_000);
    expect(code).toContain("function k11998("); // two kernels a statement, less the seed product symbolic seeds drop (684520b)
  }, 60_000);
});
