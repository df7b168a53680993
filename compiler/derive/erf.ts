/**
 * The error function in f64: W. J. Cody, "Rational Chebyshev approximations
 * for the error function", Math. Comp. 23 (1969) 631-638 (Netlib SPECFUN
 * CALERF, mode 0). About 1e-16 relative. JavaScript has no Math.erf, so the
 * same algorithm exists twice below: as a function (constant folding, tests)
 * and as emitted statements (kernels), with erfc and erfinv beside it; test/derive/elementwise-orders.test.ts
 * checks both against reference values.
 */
import { horner } from "./poly.js";

// coefficient lists lowest degree first (Cody's a, b, c, d, p, q reordered)
/** erf(y) = y A(z) / B(z), z = y^2, for |y| <= 0.46875. */
const A = [3.20937758913846947e3, 3.77485237685302021e2, 1.13864154151050156e2, 3.16112374387056560e0, 1.85777706184603153e-1];
const B = [2.84423683343917062e3, 1.28261652607737228e3, 2.44024637934444173e2, 2.36012909523441209e1, 1];
/** erfc(y) = e^(-y^2) C(y) / D(y) for 0.46875 < y <= 4. */
const C = [1.23033935479799725e3, 2.05107837782607147e3, 1.71204761263407058e3, 8.81952221241769090e2, 2.98635138197400131e2, 6.61191906371416295e1, 8.88314979438837594e0, 5.64188496988670089e-1, 2.15311535474403846e-8];
const D = [1.23033935480374942e3, 3.43936767414372164e3, 4.36261909014324716e3, 3.29079923573345963e3, 1.62138957456669019e3, 5.37181101862009858e2, 1.17693950891312499e2, 1.57449261107098347e1, 1];
/** erfc(y) = e^(-y^2) (1/sqrt(pi) - z P(z) / Q(z)) / y, z = 1/y^2, for y > 4. */
const P = [6.58749161529837803e-4, 1.60837851487422766e-2, 1.25781726111229246e-1, 3.60344899949804439e-1, 3.05326634961232344e-1, 1.63153871373020978e-2];
const Q = [2.33520497626869185e-3, 6.05183413124413191e-2, 5.27905102951428412e-1, 1.87295284992346047e0, 2.56852019228982242e0, 1];
const SQRPI = 5.6418958354775628695e-1; // 1 / sqrt(pi)
/** Above this, erfc(y) underflows: erf(y) = +-1. */
const XBIG = 26.543;

const evalPoly = (c: readonly number[], t: number): number => {
  let r = c[c.length - 1]!;
  for (let i = c.length - 2; i >= 0; i--) r = r * t + c[i]!;
  return r;
};

/** erf(x) in f64 (Cody). */
export function erf(x: number): number {
  const y = Math.abs(x);
  if (!(y > 0.46875)) return (x * evalPoly(A, y * y)) / evalPoly(B, y * y); // also NaN
  let r = 0; // erfc(y)
  if (y < XBIG) {
    if (y <= 4) r = evalPoly(C, y) / evalPoly(D, y);
    else { const z = 1 / (y * y); r = (SQRPI - (z * evalPoly(P, z)) / evalPoly(Q, z)) / y; }
    const s = Math.trunc(y * 16) / 16; // e^(-y^2) in two factors: y^2 is not exact in f64
    r *= Math.exp(-s * s) * Math.exp(-(y - s) * (y + s));
  }
  return x < 0 ? r - 1 : 1 - r;
}

/** Statements assigning erf(x) (or erfc(x), `complement`) to `out`; x is a variable. Locals: ey, ez, er, es. */
export function erfLines(x: string, out: string, complement = false): string[] {
  return [
    `const ey = Math.abs(${x});`,
    `if (!(ey > 0.46875)) {`,
    `  const ez = ey * ey;`,
    `  ${out} = ${complement ? "1 - " : ""}${x} * (${horner(A, "ez")}) / (${horner(B, "ez")});`,
    `} else {`,
    `  let er = 0;`,
    `  if (ey < ${XBIG}) {`,
    `    if (ey <= 4) er = (${horner(C, "ey")}) / (${horner(D, "ey")});`,
    `    else { const ez = 1 / (ey * ey); er = (${SQRPI} - ez * (${horner(P, "ez")}) / (${horner(Q, "ez")})) / ey; }`,
    `    const es = Math.trunc(ey * 16) / 16;`,
    `    er *= Math.exp(-es * es) * Math.exp(-(ey - es) * (ey + es));`,
    `  }`,
    complement ? `  ${out} = ${x} < 0 ? 2 - er : er;` : `  ${out} = ${x} < 0 ? er - 1 : 1 - er;`,
    `}`,
  ];
}

/** erfc(x) = 1 - erf(x) in f64 without cancellation for large x (Cody's erfc branches; erfc(-y) = 2 - erfc(y)). */
export function erfc(x: number): number {
  const y = Math.abs(x);
  if (!(y > 0.46875)) return 1 - (x * evalPoly(A, y * y)) / evalPoly(B, y * y); // also NaN
  let r = 0; // erfc(y)
  if (y < XBIG) {
    if (y <= 4) r = evalPoly(C, y) / evalPoly(D, y);
    else { const z = 1 / (y * y); r = (SQRPI - (z * evalPoly(P, z)) / evalPoly(Q, z)) / y; }
    const s = Math.trunc(y * 16) / 16;
    r *= Math.exp(-s * s) * Math.exp(-(y - s) * (y + s));
  }
  return x < 0 ? 2 - r : r;
}

/** Statements assigning erfc(x) to `out` (erfLines' branches). */
export const erfcLines = (x: string, out: string): string[] => erfLines(x, out, true);

/** Giles' single-precision erfinv approximation (M. Giles, "Approximating the erfinv function", GPU Computing Gems, 2010), w = -log(1 - x^2). */
const GILES_CENTRAL = [1.50140941, 0.246640727, -0.00417768164, -0.00125372503, 0.00021858087, -4.39150654e-6, -3.5233877e-6, 3.43273939e-7, 2.81022636e-8];
const GILES_TAIL = [2.83297682, 1.00167406, 0.00943887047, -0.0076224613, 0.00573950773, -0.00367342844, 0.00134934322, 0.000100950558, -0.000200214257];
const TWO_OVER_SQRTPI = 1.1283791670955126; // 2 / sqrt(pi)
/**
 * At most this many Halley steps on erf(f) = |x| from Giles' guess, stopping when a step is
 * below 1e-17 relative: cubic convergence takes Giles' 1e-7 below an ulp in two steps; in the far
 * tail (1 - |x| < 1e-12, beyond the single-precision fit) up to seven.
 */
const ERFINV_STEPS = 12;

/**
 * erfinv(x) in f64: Giles' approximation, then Halley steps on erf(f) = a (a = |x|), the
 * residual computed as erf(f) - a for a <= 0.5 and as (1 - a) - erfc(f) above (1 - a is exact
 * there), so it stays accurate up to the last double below 1. erfinv(+-1) = +-Infinity, NaN outside.
 */
export function erfinv(x: number): number {
  const a = Math.abs(x);
  if (!(a < 1)) return a === 1 ? x * Infinity : NaN;
  if (a === 0) return x;
  const w = -Math.log((1 - a) * (1 + a));
  const p = w < 5 ? evalPoly(GILES_CENTRAL, w - 2.5) : evalPoly(GILES_TAIL, Math.sqrt(w) - 3);
  let f = p * a;
  for (let i = 0; i < ERFINV_STEPS; i++) {
    const r = a > 0.5 ? 1 - a - erfc(f) : erf(f) - a;
    const dd = r / (TWO_OVER_SQRTPI * Math.exp(-f * f));
    const step = dd / (1 + f * dd);
    f -= step;
    if (!(Math.abs(step) > 1e-17 * f)) break;
  }
  return x < 0 ? -f : f;
}

/** Statements assigning erfinv(x) to `out`, the same operations as erfinv(); x is a variable. Locals: ia, iw, ip, it, ir, id, is, ik and erf's. */
export function erfinvLines(x: string, out: string): string[] {
  const inner = (fn: string[]) => fn.map((l) => `      ${l}`);
  return [
    `{`,
    `  const ia = Math.abs(${x});`,
    `  if (!(ia < 1)) ${out} = ia === 1 ? ${x} * Infinity : NaN;`,
    `  else if (ia === 0) ${out} = ${x};`,
    `  else {`,
    `    const iw = -Math.log((1 - ia) * (1 + ia));`,
    `    const ip = iw < 5 ? ${horner(GILES_CENTRAL, "(iw - 2.5)")} : ${horner(GILES_TAIL, "(Math.sqrt(iw) - 3)")};`,
    `    let it = ip * ia;`,
    `    for (let ik = 0; ik < ${ERFINV_STEPS}; ik++) {`,
    `      let ir = 0;`,
    `      if (ia > 0.5) {`,
    ...inner(erfcLines("it", "ir")).map((l) => `  ${l}`),
    `        ir = 1 - ia - ir;`,
    `      } else {`,
    ...inner(erfLines("it", "ir")).map((l) => `  ${l}`),
    `        ir = ir - ia;`,
    `      }`,
    `      const id = ir / (${TWO_OVER_SQRTPI} * Math.exp(-it * it));`,
    `      const is = id / (1 + it * id);`,
    `      it -= is;`,
    `      if (!(Math.abs(is) > 1e-17 * it)) break;`,
    `    }`,
    `    ${out} = ${x} < 0 ? -it : it;`,
    `  }`,
    `}`,
  ];
}
