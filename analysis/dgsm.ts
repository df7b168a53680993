/**
 * Derivative-based global sensitivity measures (Sobol and Kucherenko 2009,
 * "Derivative based global sensitivity measures and their link with global
 * sensitivity indices", Math. Comput. Simul. 79(10); Kucherenko and Iooss 2017,
 * "Derivative-based global sensitivity measures", Handbook of Uncertainty
 * Quantification, Springer):
 *
 *   nu_ci = E[(dy_c/dx_i)^2]     (the mean over the N samples)
 *
 * and the upper bound they give on the total Sobol index of x_i when the
 * inputs are independent, through the Poincare inequality:
 *
 *   S_tot,ci <= C_i nu_ci / V_c,   V_c = Var(y_c)
 *
 * with the Poincare constant C_i = (b_i - a_i)^2 / pi^2 for x_i uniform on
 * [a_i, b_i], and C_i = sigma_i^2 for x_i normal with standard deviation
 * sigma_i (Lamboni, Iooss, Popelin and Gamboa 2013, "Derivative-based global
 * sensitivity measures: general links with Sobol' indices and numerical
 * tests", Math. Comput. Simul. 87). Here V_c is the unbiased sample variance of
 * y_c over the samples; [a_i, b_i] is the observed range of x_i unless a range
 * is given; sigma_i the sample standard deviation of x_i unless given.
 */

export type InputDistribution = "uniform" | "normal";

export interface InputSummary {
  readonly min: ArrayLike<number>;
  readonly max: ArrayLike<number>;
  readonly std: ArrayLike<number>;
}

/** C_i for each input element. `range`: one [a, b] for all, or one per element; `std`: one or one per element. */
export function poincareConstants(dist: InputDistribution, data: InputSummary, given: { range?: readonly [number, number] | readonly (readonly [number, number])[]; std?: number | readonly number[] } = {}): Float64Array {
  const d = data.min.length;
  const out = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    if (dist === "uniform") {
      const r = given.range === undefined ? [data.min[i]!, data.max[i]!] : typeof given.range[0] === "number" ? (given.range as readonly [number, number]) : (given.range as readonly (readonly [number, number])[])[i]!;
      const w = r[1]! - r[0]!;
      out[i] = (w * w) / (Math.PI * Math.PI);
    } else {
      const s = given.std === undefined ? data.std[i]! : typeof given.std === "number" ? given.std : given.std[i]!;
      out[i] = s * s;
    }
  }
  return out;
}

/** Upper bounds C_i nu_ci / V_c, [m, d] row-major; NaN where V_c is not positive. */
export function totalSobolBounds(nu: ArrayLike<number>, variance: ArrayLike<number>, constants: ArrayLike<number>): Float64Array {
  const m = variance.length, d = constants.length;
  const out = new Float64Array(m * d);
  for (let c = 0; c < m; c++) for (let i = 0; i < d; i++) out[c * d + i] = variance[c]! > 0 ? (constants[i]! * nu[c * d + i]!) / variance[c]! : NaN;
  return out;
}
