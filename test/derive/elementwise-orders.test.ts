/**
 * "Every order", not just 1..4: each elementwise rule's emitted code, run with
 * new Function, gives f^(m) for m = 0..8 equal to an independent reference,
 * the Taylor coefficients of f(x0 + h) computed by truncated power-series
 * arithmetic (f^(m) = m! c_m). The series library below shares nothing with
 * the rules (no polynomial recurrences in f's value). Compositions (silu,
 * mish, gelu, ...) go through the whole compiler at order 8 on a scalar input.
 * Also: erf (Cody) against reference values, and the rules' value() against
 * the emitted d[0].
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { UNARY } from "../../compiler/derive/elementwise.js";
import { elem, num } from "../../compiler/codegen/nest.js";
import { printStmts } from "../../compiler/codegen/print-ts.js";
import { randomInputs } from "../../compiler/tools/random-inputs.js";
import { erf, erfc, erfinv } from "../../compiler/derive/erf.js";
import type { UnaryFn } from "../../compiler/ir/node.js";
import { compileOk, ROOT, testEmitTarget } from "../helpers/compile.js";
import { Tensor } from "../../runtime/index.js";

const N = 8; // highest order checked
type S = number[]; // Taylor coefficients c_0..c_N of a function of h

const cst = (v: number): S => [v, ...Array<number>(N).fill(0)];
const vari = (x0: number): S => [x0, 1, ...Array<number>(N - 1).fill(0)];
const add = (a: S, b: S): S => a.map((v, i) => v + b[i]!);
const scale = (a: S, c: number): S => a.map((v) => v * c);
const mul = (a: S, b: S): S => a.map((_, k) => { let s = 0; for (let j = 0; j <= k; j++) s += a[j]! * b[k - j]!; return s; });
const div = (a: S, b: S): S => {
  const q: S = [];
  for (let k = 0; k <= N; k++) { let s = a[k]!; for (let j = 1; j <= k; j++) s -= b[j]! * q[k - j]!; q.push(s / b[0]!); }
  return q;
};
const exp = (a: S): S => {
  const e: S = [Math.exp(a[0]!)];
  for (let k = 1; k <= N; k++) { let s = 0; for (let j = 1; j <= k; j++) s += j * a[j]! * e[k - j]!; e.push(s / k); }
  return e;
};
/** a^p for a[0] > 0 (or p a non-negative integer). */
const pow = (a: S, p: number): S => {
  const b: S = [Math.pow(a[0]!, p)];
  for (let k = 1; k <= N; k++) { let s = 0; for (let j = 1; j <= k; j++) s += (p * j - (k - j)) * a[j]! * b[k - j]!; b.push(s / (k * a[0]!)); }
  return b;
};
/** f(a) from f(a0) and the series of f'(a) a'. */
const integrate = (f0: number, dfa: S): S => [f0, ...dfa.slice(0, N).map((v, k) => v / (k + 1))];
const deriv = (a: S): S => [...a.slice(1).map((v, k) => v * (k + 1)), 0];
const compose = (a: S, f0: number, fprime: (a: S) => S): S => integrate(f0, mul(fprime(a), deriv(a)));
const log = (a: S): S => compose(a, Math.log(a[0]!), (u) => div(cst(1), u));
function sinCos(a: S, hyperbolic: boolean): [S, S] {
  const s: S = [hyperbolic ? Math.sinh(a[0]!) : Math.sin(a[0]!)], c: S = [hyperbolic ? Math.cosh(a[0]!) : Math.cos(a[0]!)];
  for (let k = 1; k <= N; k++) {
    let ss = 0, cc = 0;
    for (let j = 1; j <= k; j++) { ss += j * a[j]! * c[k - j]!; cc += j * a[j]! * s[k - j]!; }
    s.push(ss / k); c.push((hyperbolic ? cc : -cc) / k);
  }
  return [s, c];
}
const oneMinusSq = (u: S): S => add(cst(1), scale(mul(u, u), -1));
const onePlusSq = (u: S): S => add(cst(1), mul(u, u));
const sigmoid = (a: S): S => div(cst(1), add(cst(1), exp(scale(a, -1))));
const softplus = (a: S): S => compose(a, Math.log1p(Math.exp(a[0]!)), sigmoid);
const erfS = (a: S): S => compose(a, erf(a[0]!), (u) => scale(exp(scale(mul(u, u), -1)), 2 / Math.sqrt(Math.PI)));
const tanhS = (a: S): S => { const [s, c] = sinCos(a, true); return div(s, c); };
/** erfinv(a) by Newton's method on power series, erf(F) = a: each step doubles the correct terms. */
const erfinvS = (a: S): S => {
  let F = cst(erfinv(a[0]!));
  for (let i = 0; i < 5; i++) { const r = add(erfS(F), scale(a, -1)); F = add(F, scale(div(r, scale(exp(scale(mul(F, F), -1)), 2 / Math.sqrt(Math.PI))), -1)); F[0] = erfinv(a[0]!); }
  return F;
};
const SELU = [1.6732632423543772848170429916717, 1.0507009873554804934193349852946] as const;

/** Reference series of every unary primitive (pow: exponent p). */
const REF: Record<UnaryFn, (a: S, p: number) => S> = {
  exp: (a) => exp(a),
  expm1: (a) => { const e = exp(a); e[0] = Math.expm1(a[0]!); return e; },
  log: (a) => log(a),
  log1p: (a) => log(add(cst(1), a)),
  log2: (a) => scale(log(a), 1 / Math.log(2)),
  log10: (a) => scale(log(a), 1 / Math.log(10)),
  sqrt: (a) => pow(a, 0.5),
  norm_sqrt: (a) => pow(a, 0.5),
  std_sqrt: (a) => pow(a, 0.5),
  pow: (a, p) => pow(a, p),
  tanh: tanhS,
  sigmoid,
  softplus: (a) => (a[0]! > 20 ? a : softplus(a)),
  relu: (a) => (a[0]! > 0 ? a : cst(0)),
  abs: (a) => scale(a, Math.sign(a[0]!)),
  elu: (a) => (a[0]! > 0 ? a : add(exp(a), cst(-1))),
  selu: (a) => scale(a[0]! > 0 ? a : scale(add(exp(a), cst(-1)), SELU[0]), SELU[1]),
  erf: erfS,
  sin: (a) => sinCos(a, false)[0],
  cos: (a) => sinCos(a, false)[1],
  tan: (a) => { const [s, c] = sinCos(a, false); return div(s, c); },
  asin: (a) => compose(a, Math.asin(a[0]!), (u) => pow(oneMinusSq(u), -0.5)),
  acos: (a) => compose(a, Math.acos(a[0]!), (u) => scale(pow(oneMinusSq(u), -0.5), -1)),
  atan: (a) => compose(a, Math.atan(a[0]!), (u) => div(cst(1), onePlusSq(u))),
  sinh: (a) => sinCos(a, true)[0],
  cosh: (a) => sinCos(a, true)[1],
  asinh: (a) => compose(a, Math.asinh(a[0]!), (u) => pow(onePlusSq(u), -0.5)),
  atanh: (a) => compose(a, Math.atanh(a[0]!), (u) => div(cst(1), oneMinusSq(u))),
  acosh: (a) => compose(a, Math.acosh(a[0]!), (u) => pow(add(mul(u, u), cst(-1)), -0.5)),
  erfc: (a) => compose(a, erfc(a[0]!), (u) => scale(exp(scale(mul(u, u), -1)), -2 / Math.sqrt(Math.PI))),
  erfinv: erfinvS,
  sign: (a) => cst(a[0]! > 0 ? 1 : a[0]! < 0 ? -1 : 0),
  floor: (a) => cst(Math.floor(a[0]!)),
  ceil: (a) => cst(Math.ceil(a[0]!)),
  // half to even, written independently of the rule's Math.round form
  round: (a) => { const v = a[0]!, f = Math.floor(v), r = v - f; return cst(r < 0.5 ? f : r > 0.5 ? f + 1 : f % 2 === 0 ? f : f + 1); },
  trunc: (a) => cst(Math.trunc(a[0]!)),
};

const factorial = (m: number): number => (m <= 1 ? 1 : m * factorial(m - 1));
const derivatives = (s: S): number[] => s.map((c, m) => c * factorial(m));

/** f^(0..N) at x by the rule's emitted statements. */
function emitted(fn: UnaryFn, x: number, p?: number): number[] {
  const d = Array.from({ length: N + 1 }, (_, m) => elem("d", num(m)));
  const body = ["const d = new Array(" + (N + 1) + ").fill(NaN);", ...printStmts(UNARY[fn].emit("x", d, p)), "return d;"].join("\n");
  return (new Function("x", body) as (x: number) => number[])(x);
}

/** Largest |got - want| over orders, each relative to max(|want|, floor). */
function worst(got: readonly number[], want: readonly number[], floor = 1e-6): number {
  return Math.max(...want.map((w, m) => Math.abs(got[m]! - w) / Math.max(Math.abs(w), floor)));
}

// points inside each domain, away from kinks; several per function
const POINTS: Partial<Record<UnaryFn, number[]>> & { default: number[] } = {
  default: [-1.7, -0.6, 0.35, 1.1, 2.3],
  log: [0.3, 1.2, 4.5], log2: [0.3, 1.2, 4.5], log10: [0.3, 1.2, 4.5], sqrt: [0.3, 1.2, 4.5], norm_sqrt: [0.3, 1.2, 4.5], std_sqrt: [0.3, 1.2, 4.5],
  log1p: [-0.6, 0.2, 3.1],
  tan: [-1.2, -0.4, 0.3, 1.0],
  asin: [-0.9, -0.3, 0.05, 0.6, 0.95], acos: [-0.9, -0.3, 0.05, 0.6, 0.95], atanh: [-0.9, -0.3, 0.05, 0.6, 0.95],
  softplus: [-3, -0.5, 0.7, 19.5, 20.5, 30],
  erf: [-3.2, -0.7, 0.2, 0.46, 0.5, 1.4, 3.9, 4.2, 5.5],
  erfc: [-3.2, -0.7, 0.2, 0.46, 0.5, 1.4, 3.9, 4.2, 5.5],
  erfinv: [-0.95, -0.5, 0.05, 0.3, 0.7, 0.99],
  acosh: [1.05, 1.5, 3, 10],
  sign: [-1.7, -0, 0, 0.35, 2], floor: [-1.7, -1, 0, 0.35, 2], ceil: [-1.7, -1, 0, 0.35, 2], trunc: [-1.7, -1, -0.3, 0.35, 2],
  round: [-3.5, -2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 2.4999999999999996, -0.7, 4503599627370495.5],
};
const POW_EXPONENTS = [3, 2, -1, -0.5, 0.5, 2.5, -3, 1 / 3];

describe("f^(m) for m = 0..8 of every elementwise rule = Taylor coefficients of f(x0 + h)", () => {
  for (const fn of Object.keys(UNARY) as UnaryFn[]) {
    const exps = fn === "pow" ? POW_EXPONENTS : [undefined];
    it(fn, () => {
      for (const p of exps) {
        for (const x of POINTS[fn] ?? POINTS.default) {
          const xx = fn === "pow" && !Number.isInteger(p) ? Math.abs(x) : x;
          const want = derivatives(REF[fn](vari(xx), p ?? 1));
          const got = emitted(fn, xx, p);
          expect(worst(got, want), `${fn}${p === undefined ? "" : `^${p}`} at ${xx}: ${got.join(", ")} vs ${want.join(", ")}`).toBeLessThan(1e-10);
          expect(UNARY[fn].value(xx, p), `${fn} value()`).toBe(got[0]);
        }
      }
    });
  }

  it("pieces at their kinks follow PyTorch 1.13 (all orders)", () => {
    expect(emitted("relu", 0)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(emitted("abs", 0)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(emitted("elu", 0)).toEqual([0, 1, 0, 0, 0, 0, 0, 0, 0]);
    expect(emitted("selu", 0)).toEqual([0, SELU[0] * SELU[1], 0, 0, 0, 0, 0, 0, 0]);
    expect(emitted("softplus", 25)).toEqual([25, 1, 0, 0, 0, 0, 0, 0, 0]);
    // piecewise constants: 0 at every order, at the jumps too (PyTorch's gradient is 0 everywhere); round: half to even
    expect(emitted("floor", 2)).toEqual([2, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(emitted("ceil", -1)).toEqual([-1, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(emitted("sign", 0)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(emitted("trunc", -2)).toEqual([-2, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect([0.5, 1.5, 2.5, -0.5, -1.5, -2.5].map((x) => emitted("round", x)[0])).toEqual([0, 2, 2, -0, -2, -2]); // torch.round
    expect(emitted("sign", NaN)[0]).toBe(0); // torch.sign(nan) is 0 in 1.13
  });

  it("the check catches a wrong coefficient at order 8 (a reference one off in c_8)", () => {
    const want = derivatives(REF.atan(vari(0.35), 1));
    want[8]! *= 1 + 1e-8;
    expect(worst(emitted("atan", 0.35), want)).toBeGreaterThan(1e-9);
  });
});

describe("the series reference itself (mpmath, 30 digits: mp.diff(f, x0, 8))", () => {
  // computed once: /usr/bin/python3 -c "import mpmath as M; M.mp.dps = 40; print(float(M.diff(M.atan, M.mpf(0.35), 8)))"
  const MP: [string, (a: S) => S, number, number][] = [
    ["atan", REF.atan, 0.35, 1375.6647872491685],
    ["asin", REF.asin, 0.6, 715077.3326429768],
    ["erf", REF.erf, 0.7, 165.1211826112411],
    ["tan", REF.tan, 1.0, 6268872.650501313],
    ["atanh", REF.atanh, -0.3, -43404.6389660327],
    ["erfinv", REF.erfinv, 0.3, 24637.79347076037],
    ["acosh", REF.acosh, 1.5, -136511.08948722857],
    ["erfc", REF.erfc, 0.7, -165.1211826112411],
  ];
  for (const [name, f, x0, want] of MP) {
    it(`${name}^(8)(${x0})`, () => {
      const got = derivatives(f(vari(x0)))[8]!;
      expect(Math.abs(got - want) / Math.abs(want)).toBeLessThan(1e-12);
    });
  }
});

describe("erf (Cody) to f64 accuracy", () => {
  // mpmath (40 digits) rounded to f64; the three branches, their boundaries 0.46875 and 4, saturation
  const REFS: [number, number][] = [
    [-30.0, -1.0], [-6.2, -1.0], [-4.5, -0.9999999998033839], [-4.0, -0.9999999845827421], [-3.2, -0.9999939742388483], [-1.0, -0.8427007929497149],
    [-0.46875, -0.49261347321793797], [-0.3, -0.3286267594591274], [-1e-300, -1.1283791670955126e-300], [0.0, 0.0], [1e-08, 1.1283791670955126e-08],
    [0.1, 0.1124629160182849], [0.46875, 0.49261347321793797], [0.46876, 0.4926225311068465], [0.5, 0.5204998778130465], [0.9, 0.7969082124228322],
    [1.4, 0.9522851197626488], [2.5, 0.999593047982555], [3.9, 0.9999999652077514], [4.0, 0.9999999845827421], [4.0001, 0.9999999845954353],
    [5.5, 0.9999999999999927], [5.9, 0.9999999999999999], [6.5, 1.0], [27.0, 1.0],
  ];
  it("the function and the emitted statements, within 2 ulp", () => {
    for (const [x, want] of REFS) {
      const tol = 2 * Number.EPSILON * Math.abs(want);
      expect(Math.abs(erf(x) - want), `erf(${x}) = ${erf(x)}`).toBeLessThanOrEqual(tol);
      expect(emitted("erf", x)[0], `emitted erf(${x})`).toBe(erf(x));
    }
  });
  it("NaN and infinities", () => {
    expect(erf(NaN)).toBeNaN();
    expect(erf(Infinity)).toBe(1);
    expect(erf(-Infinity)).toBe(-1);
    expect(emitted("erf", -Infinity)[0]).toBe(-1);
  });
});

describe("erfc and erfinv to f64 accuracy", () => {
  // mpmath (40 digits) rounded to f64: Cody's branches and their boundaries; erfinv's residual switch at 0.5,
  // Giles' two fits (w = 5 at |x| = 0.99663) and the far tail up to the last double below 1
  const ERFC: [number, number][] = [
    [-6, 2.0], [-3.2, 1.9999939742388482], [-1, 1.8427007929497148], [-0.46875, 1.492613473217938], [-0.1, 1.1124629160182848], [0, 1.0],
    [0.2, 0.7772974107895215], [0.46875, 0.507386526782062], [0.46876, 0.5073774688931535], [0.9, 0.20309178757716786], [1.4, 0.0477148802373512],
    [2.5, 0.0004069520174449589], [3.9, 3.4792248597231765e-08], [4, 1.541725790028002e-08], [4.0001, 1.5404564743590145e-08], [5.5, 7.357847917974398e-15],
    [9, 4.13703174651381e-37], [15, 7.212994172451207e-100], [26.5, 2.2109076642637343e-307],
  ];
  const ERFINV: [number, number][] = [
    [-0.999999999, -4.320005388105362], [-0.9966, -2.071150939906553], [-0.5000000001, -0.4769362763157284], [-0.5, -0.4769362762044699], [-0.2, -0.1791434546212917],
    [-1e-10, -8.862269254527581e-11], [1e-12, 8.86226925452758e-13], [0.05, 0.044340387910005497], [0.25, 0.2253120550121781], [0.4999999999, 0.4769362760932114],
    [0.5, 0.4769362762044699], [0.75, 0.8134198475976185], [0.9, 1.1630871536766743], [0.99662, 2.0724472803450715], [0.99663, 2.073098071740635],
    [0.9999, 2.75106390571208], [0.99999999, 4.052237243268763], [1 - 2 ** -40, 5.05125408524939], [1 - 2 ** -52, 5.805018683193453], [1 - 2 ** -53, 5.8635847487551676],
  ];
  it("the functions and the emitted statements, within 2 ulp", () => {
    for (const [fn, f, refs] of [["erfc", erfc, ERFC], ["erfinv", erfinv, ERFINV]] as const) {
      for (const [x, want] of refs) {
        expect(Math.abs(f(x) - want), `${fn}(${x}) = ${f(x)}`).toBeLessThanOrEqual(2 * Number.EPSILON * Math.abs(want));
        expect(emitted(fn, x)[0], `emitted ${fn}(${x})`).toBe(f(x));
      }
    }
  });
  it("erfinv inverts erf, and its edges: +-1, outside (-1, 1), NaN, signed zeros", () => {
    for (let i = -99; i <= 99; i++) { const a = i / 100; expect(Math.abs(erf(erfinv(a)) - a)).toBeLessThanOrEqual(2 * Number.EPSILON); }
    expect([erfinv(1), erfinv(-1), emitted("erfinv", 1)[0], emitted("erfinv", -1)[0]]).toEqual([Infinity, -Infinity, Infinity, -Infinity]);
    for (const x of [1.5, -2, NaN]) { expect(erfinv(x)).toBeNaN(); expect(emitted("erfinv", x)[0]).toBeNaN(); }
    expect(Object.is(erfinv(-0), -0) && Object.is(erfinv(0), 0)).toBe(true);
    // erfc underflows to 0 beyond 26.543 (Cody's XBIG), where the true value is subnormal (5.2e-319 at 27)
    expect([erfc(27), erfc(-27), erfc(Infinity), erfc(-Infinity)]).toEqual([0, 2, 0, 2]);
    expect(erfc(NaN)).toBeNaN();
  });
});

describe("compositions at order 8 through the compiler (scalar input)", () => {
  const model = (body: string) => `model m {\n  input x : []\n  z = ${body}\n  output z\n}\n`;
  const gelu = (a: S) => mul(scale(a, 0.5), add(cst(1), erfS(scale(a, Math.SQRT1_2))));
  const geluTanh = (a: S) => {
    const inner = scale(add(a, scale(pow(a, 3), 0.044715)), Math.sqrt(2 / Math.PI));
    return mul(scale(a, 0.5), add(cst(1), tanhS(inner)));
  };
  const CASES: [string, (a: S) => S, number[]][] = [
    ["silu(x)", (a) => mul(a, sigmoid(a)), [-1.3, 0.4, 2.2]],
    ["mish(x)", (a) => mul(a, tanhS(softplus(a))), [-1.3, 0.4, 2.2]],
    ["gelu(x)", gelu, [-1.3, 0.4, 2.2]],
    ["gelu(x, approximate=\"tanh\")", geluTanh, [-1.3, 0.4, 2.2]],
    ["softplus(x, beta=2)", (a) => scale(softplus(scale(a, 2)), 0.5), [-1.3, 0.4, 2.2]],
    ["celu(x, alpha=0.5)", (a) => scale(add(exp(scale(a, 2)), cst(-1)), 0.5), [-1.3, -0.4]],
    ["elu(x, alpha=0.5)", (a) => scale(add(exp(a), cst(-1)), 0.5), [-1.3, -0.4]],
    ["xlogy(x, 2 + x)", (a) => mul(a, log(add(cst(2), a))), [-1.3, 0.4, 2.2]],
    ["log2(x) + rsqrt(x) + square(x) * reciprocal(x + 3)", (a) => add(add(scale(log(a), 1 / Math.LN2), pow(a, -0.5)), div(mul(a, a), add(a, cst(3)))), [0.4, 2.2]],
  ];
  for (const [body, ref, points] of CASES) {
    it(body, () => {
      const { fn } = compileOk(model(body), { order: N });
      for (const x0 of points) {
        const r = fn({ x: new Tensor([], Float64Array.from([x0])) }).z!;
        const got = [r.value.data[0]!, ...Array.from({ length: N }, (_, k) => r.d(...Array<string>(k + 1).fill("x")).data[0]!)];
        const want = derivatives(ref(vari(x0)));
        expect(worst(got, want), `${body} at ${x0}: ${got.join(", ")} vs ${want.join(", ")}`).toBeLessThan(1e-10);
      }
    });
  }
});

describe("the emitted statements of every function are valid strict TypeScript and plain JavaScript", () => {
  const fns = ["exp", "expm1", "log", "log1p", "log2", "log10", "sqrt", "rsqrt", "square", "reciprocal", "abs", "neg", "sin", "cos", "tan", "asin", "acos", "atan",
    "sinh", "cosh", "tanh", "asinh", "atanh", "erf", "erfc", "erfinv", "sign", "floor", "ceil", "round", "trunc", "sigmoid", "softplus", "relu", "leaky_relu", "elu", "celu", "selu", "silu", "gelu", "mish"];
  const body = [
    ...fns.map((f) => `  y_${f} = ${f}(x) * y`),
    "  y_pow = pow(x, 2.5) * y",
    "  y_acosh = acosh(1 + x) * y + hypot(x, y)",
    "  y_gelu_tanh = gelu(x, approximate=\"tanh\") * y",
    "  y_params = elu(x, alpha=0.5) + celu(x, 0.75) + leaky_relu(x, 0.2) + softplus(x, beta=2) + xlogy(x, y)",
  ];
  const outs = [...fns.map((f) => `y_${f}`), "y_pow", "y_acosh", "y_gelu_tanh", "y_params"];
  const src = `model every {\n  batch B\n  input x : [B, 2]\n  input y : [B, 2]\n${body.join("\n")}\n  output ${outs.join(", ")}\n}\n`;

  it("tsc --strict accepts the standalone module; the JavaScript module gives the in-memory numbers", async () => {
    const { plan, fn } = compileOk(src, { order: 3 });
    mkdirSync(ROOT + "test/.tmp", { recursive: true });
    const d = mkdtempSync(ROOT + "test/.tmp/every-");
    writeFileSync(`${d}/every.ts`, testEmitTarget().module(plan, { flavor: "ts", provenance: "every.thd", runtimeImport: "thoad/runtime", standalone: true }));
    writeFileSync(`${d}/tsconfig.json`, JSON.stringify({ compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, skipLibCheck: true, types: [] }, include: ["*.ts"] }));
    const r = spawnSync(process.execPath, [ROOT + "node_modules/typescript/bin/tsc", "-p", `${d}/tsconfig.json`], { encoding: "utf8" });
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);

    writeFileSync(`${d}/every.js`, testEmitTarget().module(plan, { flavor: "js", provenance: "every.thd", runtimeImport: "thoad/runtime", standalone: true }));
    const mod = (await import(`${d}/every.js`)) as { every: typeof fn };
    const inputs = randomInputs(plan, 2, 5, [0.1, 0.9]);
    const want = fn(inputs), got = mod.every(inputs);
    for (const o of outs) {
      expect(Array.from(got[o]!.value.data), o).toEqual(Array.from(want[o]!.value.data));
      expect(Array.from(got[o]!.d("x", "x", "y").data), o).toEqual(Array.from(want[o]!.d("x", "x", "y").data));
    }
  }, 60_000);
});
