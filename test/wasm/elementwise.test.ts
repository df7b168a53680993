// Vectorised elementwise chains against the tree evaluated on numbers.
// Exact: the vector body and the scalar tail apply the same operations in the
// same order as evalExpr (which rounds with Math.fround after each operation
// for f32, equal to f32 arithmetic for +, -, * of f32 values), so any mix-up of
// lanes, offsets, tail or operands is a mismatch, not a tolerance question.
import { describe, expect, test } from "vitest";
import { add, addElementwise, constant, evalExpr, F32, F64, input, ModuleBuilder, mul, sub, type Element, type Expr } from "../../compiler/wasm/index.js";
import { WasmArena } from "../../runtime/wasm.js";
import { instantiate, rng } from "./run.js";

const x = input(0), a = input(1), b = input(2);
const CHAINS: [string, Expr][] = [
  ["y = a*x + b", add(mul(a, x), b)],
  ["y = 2.5*x - 0.1", sub(mul(constant(2.5), x), constant(0.1))],
  ["y = ((x*x - a)*b + x)*0.3", mul(add(mul(sub(mul(x, x), a), b), x), constant(0.3))],
  ["y = b - a (operand order)", sub(b, a)],
];

function check(el: Element, e: Expr, n: number, seed: number, alias: boolean): void {
  const mod = new ModuleBuilder().importMemory(1);
  addElementwise(mod, "k", e, el, 3);
  const { memory, exports } = instantiate(mod);
  const arena = new WasmArena(memory);
  const ptr = [0, 1, 2, 3].map(() => arena.reserve(n, el.bytes));
  arena.commit();
  const views = ptr.map((p) => (el === F64 ? arena.f64(p, n) : arena.f32(p, n)));
  const r = rng(seed);
  for (const v of views) for (let i = 0; i < n; i++) v[i] = r() * 4 - 2;
  const [out, ...ins] = views;
  const want = Array.from({ length: n }, (_, i) => evalExpr(e, ins.map((v) => v[i]), el));
  exports.k(n, alias ? ptr[1] : ptr[0], ptr[1], ptr[2], ptr[3]);
  expect([...(alias ? ins[0] : out)]).toEqual(want);
}

describe.each([["f64", F64], ["f32", F32]] as const)("elementwise %s", (_, el) => {
  test.each(CHAINS)("%s for n = 0..9, 31, 1000", (_, e) => {
    for (const n of [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 31, 1000]) check(el, e, n, n + 1, false);
  });
  test("out may be the same array as an input", () => {
    for (const n of [7, 64]) check(el, CHAINS[2][1], n, 5, true);
  });
});

test("an input index beyond the declared inputs is refused", () => {
  expect(() => addElementwise(new ModuleBuilder(), "k", input(3), F64, 2)).toThrow(RangeError);
});
