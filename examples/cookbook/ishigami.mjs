// Ishigami and Sobol G: DGSM estimated by thoad (exact derivatives at sampled
// points) against their closed forms, with the z-score of each estimate.
//   node examples/cookbook/ishigami.mjs [--json] [--n 20000]
import { sensitivity } from "thoad/analysis";
import { fmt, json, load, say, uniformBox } from "./lib.mjs";

const N = Number(process.argv[process.argv.indexOf("--n") + 1]) || 20000;
const PI = Math.PI, a = 7, b = 0.1;

// Ishigami, f = sin x1 + a sin^2 x2 + b x3^4 sin x1 on U(-pi, pi)^3:
//   nu1 = E[cos^2 x1] E[(1 + b x3^4)^2] = (1 + 2b pi^4/5 + b^2 pi^8/9) / 2
//   nu2 = E[(a sin 2x2)^2] = a^2 / 2
//   nu3 = E[(4b x3^3 sin x1)^2] = 16 b^2 (pi^6/7) (1/2)
const ishigamiNu = [(1 + (2 * b * PI ** 4) / 5 + (b * b * PI ** 8) / 9) / 2, (a * a) / 2, (8 * b * b * PI ** 6) / 7];
// Sobol G, f = prod (|4x_i - 2| + a_i) / (1 + a_i) on U(0, 1)^6: |dg_i/dx_i| = 4 / (1 + a_i)
// except at the kink x_i = 1/2 (probability 0), so nu_i = 16/(1 + a_i)^2 prod_{j != i} E[g_j^2],
// E[g_j^2] = 1 + 1/(3 (1 + a_j)^2).
const A = [0, 0.5, 3, 9, 99, 99];
const gNu = A.map((ai, i) => (16 / (1 + ai) ** 2) * A.reduce((p, aj, j) => (j === i ? p : p * (1 + 1 / (3 * (1 + aj) ** 2))), 1));

const summary = {};
for (const [name, d, lo, hi, exact, extra] of [
  ["ishigami", 3, -PI, PI, ishigamiNu, {}],
  ["sobol_g", 6, 0, 1, gNu, { a: { shape: [6], data: A } }],
]) {
  const fn = load(`./${name}.thd`, { order: 1 }), valueModel = load(`./${name}.thd`, { order: 0 });
  const x = uniformBox(N, Array(d).fill(lo), Array(d).fill(hi), 1);
  const res = sensitivity(fn, { x: { shape: [N, d], data: x }, ...extra }, { inputDist: "uniform", range: [lo, hi], valueModel, radii: [], bootstrap: 0 });
  const y = res.outputs.y;
  say(`\n${name}, N = ${N}: DGSM nu_i = E[(df/dx_i)^2]`);
  say("  input   estimate     exact        z (estimate - exact) / se   Sobol bound");
  const z = exact.map((e, i) => (y.dgsm[0][i] - e) / y.dgsm_se[0][i]);
  exact.forEach((e, i) => say(`  x${i + 1}      ${fmt(y.dgsm[0][i]).padEnd(12)} ${fmt(e).padEnd(12)} ${z[i].toFixed(2).padStart(6)}                      ${fmt(y.dgsm_bound.total_sobol_upper[0][i])}`));
  summary[name] = { N, dgsm: y.dgsm[0], se: y.dgsm_se[0], exact, z };
  if (z.some((v) => !(Math.abs(v) <= 4))) process.exitCode = 1;
}
if (json) console.log(JSON.stringify(summary));
else console.log(process.exitCode ? "\nsome estimate is more than 4 standard errors off" : "\nevery estimate is within 4 standard errors of its closed form");
