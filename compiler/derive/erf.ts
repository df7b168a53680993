/**
 * The error function in f64: W. J. Cody, "Rational Chebyshev approximations
 * for the error function", Math. Comp. 23 (1969) 631-638 (Netlib SPECFUN
 * CALERF, mode 0). About 1e-16 relative. JavaScript has no Math.erf, so the
 * same algorithm exists twice below: as a function (constant folding, tests)
 * and as emitted statements (kernels), with erfc and erfinv beside it; test/derive/elementwise-orders.test.ts
 * checks both against reference values.
 */
import { horner } from "./poly.js";
import { add, assign, bare, block, brk, call, cond, constDecl, div, eq, forUp, gt, ifThen, inline, le, letDecl, lines, lt, mul, neg, not, num, paren, sub, v, type LValue, type Stmt } from "../codegen/nest.js";

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
export function erfLines(x: string, out: LValue, complement = false): Stmt[] {
  const X = v(x), ey = v("ey"), ez = v("ez"), er = v("er"), es = v("es");
  const small = div(mul(X, paren(horner(A, ez))), paren(horner(B, ez)));
  return [
    constDecl("ey", call("abs", X)),
    ifThen(not(gt(ey, num(0.46875))), lines(
      constDecl("ez", mul(ey, ey)),
      assign(out, complement ? sub(num(1), small) : small),
    ), lines(
      letDecl("er", num(0)),
      ifThen(lt(ey, num(XBIG)), lines(
        ifThen(le(ey, num(4)), bare(assign(er, div(paren(horner(C, ey)), paren(horner(D, ey))))),
          inline(constDecl("ez", div(num(1), paren(mul(ey, ey)))), assign(er, div(paren(sub(num(SQRPI), div(mul(ez, paren(horner(P, ez))), paren(horner(Q, ez))))), ey)))),
        constDecl("es", div(call("trunc", mul(ey, num(16))), num(16))),
        assign(er, mul(call("exp", mul(neg(es), es)), call("exp", mul(neg(paren(sub(ey, es))), paren(add(ey, es))))), "*="),
      )),
      assign(out, complement ? cond(lt(X, num(0)), sub(num(2), er), er) : cond(lt(X, num(0)), sub(er, num(1)), sub(num(1), er))),
    )),
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
export const erfcLines = (x: string, out: LValue): Stmt[] => erfLines(x, out, true);

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
export function erfinvLines(x: string, out: LValue): Stmt[] {
  const X = v(x), ia = v("ia"), iw = v("iw"), it = v("it"), ir = v("ir"), id = v("id"), is = v("is");
  return [block(
    constDecl("ia", call("abs", X)),
    ifThen(not(lt(ia, num(1))), bare(assign(out, cond(eq(ia, num(1)), mul(X, num(Infinity)), num(NaN)))),
      bare(ifThen(eq(ia, num(0)), bare(assign(out, X)), lines(
        constDecl("iw", neg(call("log", mul(paren(sub(num(1), ia)), paren(add(num(1), ia)))))),
        constDecl("ip", cond(lt(iw, num(5)), horner(GILES_CENTRAL, paren(sub(iw, num(2.5)))), horner(GILES_TAIL, paren(sub(call("sqrt", iw), num(3)))))),
        letDecl("it", mul(v("ip"), ia)),
        forUp("ik", ERFINV_STEPS, lines(
          letDecl("ir", num(0)),
          ifThen(gt(ia, num(0.5)), lines(
            ...erfcLines("it", ir),
            assign(ir, sub(sub(num(1), ia), ir)),
          ), lines(
            ...erfLines("it", ir),
            assign(ir, sub(ir, ia)),
          )),
          constDecl("id", div(ir, paren(mul(num(TWO_OVER_SQRTPI), call("exp", mul(neg(it), it)))))),
          constDecl("is", div(id, paren(add(num(1), mul(it, id))))),
          assign(it, is, "-="),
          ifThen(not(gt(call("abs", is), mul(num(1e-17), it))), bare(brk)),
        )),
        assign(out, cond(lt(X, num(0)), neg(it), it)),
      )))),
  )];
}
