/**
 * Compile-time polynomial arithmetic for the derivative rules of elementwise
 * functions (coefficient lists, lowest degree first), and their emission as
 * Horner expression trees (codegen/nest.ts).
 */
import { add, mul, neg, num, paren, sub, type Expr } from "../codegen/nest.js";

/** Polynomial coefficients (lowest degree first) as a Horner expression tree in t. */
export function horner(coefs: readonly number[], t: Expr): Expr {
  let deg = coefs.length - 1;
  while (deg > 0 && coefs[deg] === 0) deg--;
  let e: Expr = num(coefs[deg] ?? 0);
  // no "* 1", "+ 0" or "+ -c": the same value in fewer operations
  for (let i = deg - 1; i >= 0; i--) {
    e = isNum(e, 1) ? t : isNum(e, -1) ? neg(t) : mul(paren(e), t);
    const c = coefs[i]!;
    if (c !== 0) e = c < 0 ? sub(e, num(-c)) : add(e, num(c));
  }
  return e;
}

/** Whether e is the literal c (0 and -0 print alike: 0). */
const isNum = (e: Expr, c: number): boolean => e.k === "num" && e.v === c;

export const derivPoly = (p: readonly number[]): number[] => (p.length <= 1 ? [0] : p.slice(1).map((c, i) => c * (i + 1)));

export const mulPoly = (a: readonly number[], b: readonly number[]): number[] => {
  const out = new Array<number>(a.length + b.length - 1).fill(0);
  a.forEach((x, i) => b.forEach((y, j) => { out[i + j]! += x * y; }));
  return out;
};

export const addPoly = (a: readonly number[], b: readonly number[]): number[] =>
  Array.from({ length: Math.max(a.length, b.length) }, (_, i) => (a[i] ?? 0) + (b[i] ?? 0));

export const scalePoly = (a: readonly number[], c: number): number[] => a.map((x) => x * c);

/**
 * Derivatives of f as polynomials in f itself, when f' = g(f) for a polynomial g:
 * P_0 = t, P_{m+1} = g(t) P_m'(t). tanh: g = 1 - t^2; sigmoid: g = t - t^2; tan: g = 1 + t^2.
 */
export function selfPolys(g: readonly number[], M: number): number[][] {
  const out = [[0, 1]];
  for (let m = 1; m <= M; m++) out.push(mulPoly(g, derivPoly(out[m - 1]!)));
  return out;
}
