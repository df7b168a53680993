/**
 * The loop-nest IR (compiler/codegen/nest.ts) and the TypeScript target's
 * printer (print-ts.ts): printed trees evaluate, under JavaScript's own
 * parser, to what a separate evaluator of the tree computes (so the printer
 * adds every parenthesis precedence needs), recorded grouping is kept, and
 * statement layouts print as the kernels write them.
 */
import { describe, expect, it } from "vitest";
import * as n from "../../compiler/codegen/nest.js";
import { printExpr, printStmts } from "../../compiler/codegen/print-ts.js";

type E = n.Expr;

/** An evaluator of expression trees written apart from the printer, with JavaScript's value semantics (comparisons give booleans). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type J = any;
function evaluate(e: E, env: Record<string, number>): J {
  switch (e.k) {
    case "num": return e.v;
    case "var": return env[e.name]!;
    case "elem": throw new Error("no arrays here");
    case "paren": return evaluate(e.a, env);
    case "neg": return -evaluate(e.a, env);
    case "not": return !evaluate(e.a, env);
    case "cond": return evaluate(e.test, env) ? evaluate(e.then, env) : evaluate(e.else, env);
    case "call": return (Math[e.fn] as (...a: J[]) => J)(...e.args.map((a) => evaluate(a, env)));
    case "bin": {
      const a: J = evaluate(e.a, env), b: J = evaluate(e.b, env);
      switch (e.op) {
        case "+": return a + b; case "-": return a - b; case "*": return a * b; case "/": return a / b; case "%": return a % b;
        case "<": return a < b; case "<=": return a <= b; case ">": return a > b; case ">=": return a >= b;
        case "===": return a === b; case "!==": return a !== b; case "&&": return a && b;
      }
    }
  }
}

/** A deterministic random tree over x, y of depth at most d. */
function tree(rand: () => number, d: number): E {
  const leaf = (): E => (rand() < 0.5 ? n.v(rand() < 0.5 ? "x" : "y") : n.num(Math.round(rand() * 8) - 3));
  if (d === 0) return leaf();
  const r = rand();
  const sub = () => tree(rand, d - 1);
  if (r < 0.5) {
    const ops = [n.add, n.sub, n.mul, n.div, n.lt, n.gt, n.eq, n.ne, n.mod] as const;
    return ops[Math.floor(rand() * ops.length)]!(sub(), sub());
  }
  if (r < 0.6) return n.neg(sub());
  if (r < 0.65) return n.not(sub());
  if (r < 0.75) return n.cond(sub(), sub(), sub());
  if (r < 0.85) return n.call(rand() < 0.5 ? "abs" : "max", ...(rand() < 0.5 ? [sub()] : [sub(), sub()]));
  if (r < 0.9) return n.paren(sub());
  return leaf();
}


describe("printed expression trees", () => {
  it("parse back to the tree's value (2000 random trees, two points each)", () => {
    let s = 12345;
    const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let t = 0; t < 2000; t++) {
      const e = tree(rand, 5);
      const text = printExpr(e);
      const f = new Function("x", "y", `return (${text});`) as (x: number, y: number) => number;
      for (const [x, y] of [[1.5, -2], [-0.25, 3]] as const) {
        const got: J = f(x, y), want: J = evaluate(e, { x, y });
        expect(Object.is(got, want), `${text} at x=${x}, y=${y}: ${got} vs ${want}`).toBe(true);
      }
    }
  });

  it("adds the parentheses precedence needs, keeps recorded ones, and no others", () => {
    const x = n.v("x"), y = n.v("y");
    expect(printExpr(n.mul(n.add(x, y), x))).toBe("(x + y) * x");
    expect(printExpr(n.sub(x, n.sub(y, x)))).toBe("x - (y - x)");
    expect(printExpr(n.sub(n.sub(x, y), x))).toBe("x - y - x");
    expect(printExpr(n.mul(n.paren(n.num(3)), x))).toBe("(3) * x");
    expect(printExpr(n.neg(n.add(x, y)))).toBe("-(x + y)");
    expect(printExpr(n.not(n.gt(x, y)))).toBe("!(x > y)");
    expect(printExpr(n.cond(n.lt(x, n.num(0)), n.num(-1), n.cond(n.gt(x, n.num(0)), n.num(1), n.num(0))))).toBe("x < 0 ? -1 : x > 0 ? 1 : 0");
    // c * e as the text would parse: 2 * 1 / x is (2 * 1) / x
    expect(printExpr(n.scaleLeft(n.num(2), n.div(n.num(1), x)))).toBe("2 * 1 / x");
    expect(printExpr(n.elem("t3", n.add(x, n.num(1))), "!")).toBe("t3[x + 1]!");
    expect(printExpr(n.num(-0))).toBe("0");
  });
});

describe("statement layouts", () => {
  const x = n.v("x"), r = n.v("r");
  it("bare, inline and line bodies, else chains, loops", () => {
    const s = n.ifThen(n.not(n.lt(x, n.num(1))), n.bare(n.assign(r, 1)),
      n.bare(n.ifThen(n.eq(x, n.num(0)), n.bare(n.assign(r, x)), n.lines(n.constDecl("a", n.num(2)), n.forUp("i", 3, n.lines(n.assign(r, n.v("a"), "+=")))))));
    expect(printStmts([s], "  ")).toEqual([
      "  if (!(x < 1)) r = 1;",
      "  else if (x === 0) r = x;",
      "  else {",
      "    const a = 2;",
      "    for (let i = 0; i < 3; i++) {",
      "      r += a;",
      "    }",
      "  }",
    ]);
    expect(printStmts([n.ifThen(n.gt(x, n.num(0)), n.lines(n.assign(r, 1)), n.inline(n.constDecl("z", x), n.assign(r, n.v("z"))))])).toEqual(["if (x > 0) {", "  r = 1;", "} else { const z = x; r = z; }"]);
    expect(printStmts([n.block(n.letDecl("q"), n.brk)])).toEqual(["{", "  let q;", "  break;", "}"]);
  });
});
