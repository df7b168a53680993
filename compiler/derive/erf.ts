/**
 * The error function in f64: W. J. Cody, "Rational Chebyshev approximations
 * for the error function", Math. Comp. 23 (1969) 631-638 (Netlib SPECFUN
 * CALERF, mode 0). About 1e-16 relative. JavaScript has no Math.erf, so the
 * same algorithm exists twice below: as a function (constant folding, tests)
 * and as emitted statements (kernels); test/derive/elementwise-orders.test.ts
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

/** Statements assigning erf(x) to `out`; x is a variable. Locals: ey, ez, er, es. */
export function erfLines(x: string, out: string): string[] {
  return [
    `const ey = Math.abs(${x});`,
    `if (!(ey > 0.46875)) {`,
    `  const ez = ey * ey;`,
    `  ${out} = ${x} * (${horner(A, "ez")}) / (${horner(B, "ez")});`,
    `} else {`,
    `  let er = 0;`,
    `  if (ey < ${XBIG}) {`,
    `    if (ey <= 4) er = (${horner(C, "ey")}) / (${horner(D, "ey")});`,
    `    else { const ez = 1 / (ey * ey); er = (${SQRPI} - ez * (${horner(P, "ez")}) / (${horner(Q, "ez")})) / ey; }`,
    `    const es = Math.trunc(ey * 16) / 16;`,
    `    er *= Math.exp(-es * es) * Math.exp(-(ey - es) * (ey + es));`,
    `  }`,
    `  ${out} = ${x} < 0 ? er - 1 : 1 - er;`,
    `}`,
  ];
}
