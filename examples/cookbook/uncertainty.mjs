// Uncertainty propagation against Monte Carlo: the borehole flow at 500 nominal
// designs z (inputs scaled to [-1, 1], drawn in [-1/2, 1/2]^8), each input
// perturbed by N(0, sigma^2) in scaled units. The second-order prediction
// (mean = f + sigma^2/2 tr H, variance = sigma^2 |g|^2 + sigma^4/2 |H|_F^2, from
// the exact gradient and Hessian) against 64 Monte Carlo draws per design, in
// standard errors of the Monte Carlo estimate.
//   node examples/cookbook/uncertainty.mjs [--json]
import { sensitivity } from "thoad/analysis";
import { fmt, json, load, say, uniformBox } from "./lib.mjs";

const lo = [0.05, 100, 63070, 990, 63.1, 700, 1120, 9855], hi = [0.15, 50000, 115600, 1110, 116, 820, 1680, 12045];
const fn = load("./borehole_scaled.thd", { order: 2, wrt: ["z"] }), valueModel = load("./borehole_scaled.thd", { order: 0, wrt: ["z"] });
const N = 500, z = uniformBox(N, Array(8).fill(-0.5), Array(8).fill(0.5), 7);
const data = { z: { shape: [N, 8], data: z }, lo: { shape: [8], data: lo }, hi: { shape: [8], data: hi } };
const rows = [];
say("sigma    mean: Taylor     Monte Carlo (se)          z     variance: Taylor   Monte Carlo (se)          z");
for (const sigma of [0.01, 0.03, 0.1]) {
  const mo = sensitivity(fn, data, { sigma, mcDraws: 64, valueModel, radii: [], bootstrap: 0, seed: 3 }).outputs.y.moments;
  const mc = mo.monte_carlo;
  const zm = (mo.mean[0] - mc.mean[0]) / mc.mean_se[0], zv = (mo.variance[0] - mc.variance[0]) / mc.variance_se[0];
  rows.push({ sigma, mean: mo.mean[0], variance: mo.variance[0], mc_mean: mc.mean[0], mc_variance: mc.variance[0], mean_se: mc.mean_se[0], variance_se: mc.variance_se[0], z_mean: zm, z_variance: zv });
  say(`${String(sigma).padEnd(8)} ${fmt(mo.mean[0], 7).padEnd(16)} ${`${fmt(mc.mean[0], 7)} (${fmt(mc.mean_se[0], 2)})`.padEnd(25)} ${zm.toFixed(2).padStart(6)}     ${fmt(mo.variance[0], 6).padEnd(18)} ${`${fmt(mc.variance[0], 6)} (${fmt(mc.variance_se[0], 2)})`.padEnd(25)} ${zv.toFixed(2).padStart(6)}`);
}
say("Within a few standard errors at small sigma: the local (second-order) picture is enough there.");
if (json) console.log(JSON.stringify(rows));
if (!(Math.abs(rows[0].z_mean) < 4 && Math.abs(rows[0].z_variance) < 4)) process.exitCode = 1;
