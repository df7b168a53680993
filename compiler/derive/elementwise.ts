/**
 * Elementwise functions: for each, code computing f^(0..M) at x, and a plain
 * reference implementation of f for finite differences and constant folding.
 * Closed forms or recurrences give every order (derivatives.md section 3).
 */
import type { UnaryFn } from "../ir/node.js";

export interface UnaryRule {
  /** Highest derivative order that is not identically zero (Infinity: none vanish). */
  maxNonzero(exponent?: number): number;
  /**
   * JS statements computing f^(m)(x) for m = 0..M into d[0..M] (each d[m] is a
   * variable name to assign). x is a variable holding the argument.
   */
  emit(x: string, d: readonly string[], exponent?: number): string[];
}

/** Polynomial coefficients (lowest degree first) as a Horner expression in t. */
export function horner(coefs: readonly number[], t: string): string {
  let deg = coefs.length - 1;
  while (deg > 0 && coefs[deg] === 0) deg--;
  let e = num(coefs[deg] ?? 0);
  for (let i = deg - 1; i >= 0; i--) e = `(${e}) * ${t} + ${num(coefs[i]!)}`;
  return e;
}

const num = (v: number): string => (Object.is(v, -0) ? "0" : Number.isInteger(v) ? `${v}` : `${v}`);

const derivPoly = (p: readonly number[]): number[] => p.slice(1).map((c, i) => c * (i + 1));
const mulPoly = (a: readonly number[], b: readonly number[]): number[] => {
  const out = new Array<number>(a.length + b.length - 1).fill(0);
  a.forEach((x, i) => b.forEach((y, j) => { out[i + j]! += x * y; }));
  return out;
};

/**
 * Derivatives of f as polynomials in f itself, when f' = g(f) for a polynomial g:
 * P_0 = t, P_{m+1} = g(t) P_m'(t). tanh: g = 1 - t^2; sigmoid: g = t - t^2.
 */
export function selfPolys(g: readonly number[], M: number): number[][] {
  const out = [[0, 1]];
  for (let m = 1; m <= M; m++) out.push(mulPoly(g, derivPoly(out[m - 1]!)));
  return out;
}

const polyRule = (g: readonly number[], base: (x: string) => string): UnaryRule => ({
  maxNonzero: () => Infinity,
  emit: (x, d) => {
    const polys = selfPolys(g, d.length - 1);
    return [`const t = ${base(x)};`, ...d.map((v, m) => `${v} = ${m === 0 ? "t" : horner(polys[m]!, "t")};`)];
  },
});

/** Falling factorial p (p-1) ... (p-m+1). */
const falling = (p: number, m: number): number => { let r = 1; for (let i = 0; i < m; i++) r *= p - i; return r; };

export const UNARY: Record<UnaryFn, UnaryRule> = {
  exp: { maxNonzero: () => Infinity, emit: (x, d) => [`const e = Math.exp(${x});`, ...d.map((v) => `${v} = e;`)] },
  // log^(m) = (-1)^(m-1) (m-1)! / x^m
  log: {
    maxNonzero: () => Infinity,
    emit: (x, d) => {
      const lines = [`${d[0]} = Math.log(${x});`];
      if (d.length > 1) lines.push(`const r = 1 / ${x};`);
      let c = 1;
      for (let m = 1; m < d.length; m++) { lines.push(`${d[m]} = ${num(c)} * ${"r * ".repeat(m - 1)}r;`); c *= -m; }
      return lines;
    },
  },
  sqrt: { maxNonzero: () => Infinity, emit: (x, d) => powEmit(x, d, 0.5) },
  pow: { maxNonzero: (p) => (Number.isInteger(p) && p! >= 0 ? p! : Infinity), emit: (x, d, p) => powEmit(x, d, p!) },
  tanh: polyRule([1, 0, -1], (x) => `Math.tanh(${x})`),
  sigmoid: polyRule([0, 1, -1], (x) => `1 / (1 + Math.exp(-${x}))`),
  // softplus' = sigmoid: derivatives m >= 1 are sigmoid's of order m - 1
  softplus: {
    maxNonzero: () => Infinity,
    emit: (x, d) => {
      const polys = selfPolys([0, 1, -1], Math.max(0, d.length - 2));
      return [
        // PyTorch: threshold 20, above which softplus(x) = x
        `${d[0]} = ${x} > 20 ? ${x} : Math.max(${x}, 0) + Math.log1p(Math.exp(-Math.abs(${x})));`,
        ...(d.length > 1 ? [`const t = 1 / (1 + Math.exp(-${x}));`] : []),
        ...d.slice(1).map((v, i) => `${v} = ${i === 0 ? "t" : horner(polys[i]!, "t")};`),
      ];
    },
  },
  // sin^(m)(x) = sin(x + m pi/2): the cycle sin, cos, -sin, -cos
  sin: { maxNonzero: () => Infinity, emit: (x, d) => trig(x, d, 0) },
  cos: { maxNonzero: () => Infinity, emit: (x, d) => trig(x, d, 1) },
  // PyTorch: relu'(0) = 0
  relu: { maxNonzero: () => 1, emit: (x, d) => [`${d[0]} = ${x} > 0 ? ${x} : 0;`, ...d.slice(1).map((v, m) => `${v} = ${m === 0 ? `${x} > 0 ? 1 : 0` : "0"};`)] },
};

/** (x^p)^(m) = p (p-1) ... (p-m+1) x^(p-m). */
function powEmit(x: string, d: readonly string[], p: number): string[] {
  const exact = (q: number): string =>
    q === 0 ? "1" : q === 1 ? x : q === 2 ? `${x} * ${x}` : q === -1 ? `1 / ${x}` : q === 0.5 ? `Math.sqrt(${x})` : `Math.pow(${x}, ${num(q)})`;
  return d.map((v, m) => {
    const c = falling(p, m);
    return `${v} = ${c === 0 ? "0" : c === 1 ? exact(p - m) : `${num(c)} * ${exact(p - m)}`};`;
  });
}

function trig(x: string, d: readonly string[], shift: number): string[] {
  const lines = [`const s = Math.sin(${x}), c = Math.cos(${x});`];
  const cyc = ["s", "c", "-s", "-c"];
  d.forEach((v, m) => lines.push(`${v} = ${cyc[(m + shift) % 4]};`));
  return lines;
}
