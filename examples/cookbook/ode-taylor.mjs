// Taylor-mode integration of an ODE u' = f(u) (Lotka-Volterra) from thoad's
// derivatives of f. On a step from u0, the solution's Taylor coefficients c_k
// (u(t0 + t) = sum c_k t^k) follow from c_0 = u0 and
//     c_{k+1} = F_k / (k + 1),   F_k = [t^k] f(u0 + delta(t)),   delta(t) = sum_{j>=1} c_j t^j,
// and f(u0 + delta) = sum_m D^m f(u0)[delta, ..., delta] / m!, where thoad gives
// every D^m f(u0), m < K, in one call of the order-(K-1) model (packed: sorted
// index tuples, each standing for `permutations` dense entries). A step of size h
// is then u0 + sum_{k=1..K} c_k h^k, with local error O(h^(K+1)).
// The error at t = 10 against a fine RK4 reference falls with the order K.
//   node examples/cookbook/ode-taylor.mjs [--json]
import { sortedTuples } from "thoad/analysis";
import { Tensor } from "thoad/runtime";
import { json, load, say } from "./lib.mjs";

const d = 2, T = 10, u0 = [10, 5];
const field = ([x, y]) => [1.1 * x - 0.4 * x * y, 0.1 * x * y - 0.4 * y];

/** Truncated product of polynomials (coefficient arrays) up to degree n. */
const mul = (p, q, n) => { const r = new Array(n + 1).fill(0); for (let i = 0; i <= n; i++) for (let j = 0; j <= n - i; j++) r[i + j] += p[i] * q[j]; return r; };

/** Taylor coefficients c_0..c_K of the solution through u0, from the derivatives of f at u0. */
function jet(model, K, u) {
  const r = model({ u: new Tensor([1, d], Float64Array.from(u)) }).f;
  const D = [r.value.data, ...Array.from({ length: K - 1 }, (_, m) => r.packed(...Array(m + 1).fill("u")).data)];
  const tuples = Array.from({ length: K - 1 }, (_, m) => sortedTuples(d, m + 1));
  const c = [Array.from(u)];
  for (let k = 0; k < K; k++) {
    // delta_i(t) as polynomials of degree <= k (no constant term)
    const delta = Array.from({ length: d }, (_, i) => Array.from({ length: k + 1 }, (_, j) => (j === 0 ? 0 : c[j][i])));
    const F = Array.from({ length: d }, (_, comp) => (k === 0 ? D[0][comp] : 0));
    let fact = 1;
    for (let m = 1; m <= k; m++) {
      fact *= m;
      const t = tuples[m - 1], block = D[m];
      for (let p = 0; p < t.count; p++) {
        let poly = [1, ...new Array(k).fill(0)];
        for (let a = 0; a < m; a++) poly = mul(poly, delta[t.index[p * m + a]], k);
        const w = (t.permutations[p] / fact) * poly[k];
        if (w !== 0) for (let comp = 0; comp < d; comp++) F[comp] += w * block[comp * t.count + p];
      }
    }
    c.push(F.map((v) => v / (k + 1)));
  }
  return c;
}

function taylorIntegrate(K, h) {
  const model = load("./lotka_volterra.thd", { order: K - 1 });
  let u = u0.slice();
  for (let s = 0; s < Math.round(T / h); s++) {
    const c = jet(model, K, u);
    u = u.map((_, i) => c.reduce((acc, ck, k) => acc + ck[i] * h ** k, 0));
  }
  return u;
}

function rk4(h) {
  let u = u0.slice();
  const add = (a, b, s) => a.map((v, i) => v + s * b[i]);
  for (let s = 0; s < Math.round(T / h); s++) {
    const k1 = field(u), k2 = field(add(u, k1, h / 2)), k3 = field(add(u, k2, h / 2)), k4 = field(add(u, k3, h));
    u = u.map((v, i) => v + (h / 6) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]));
  }
  return u;
}

const ref = rk4(1e-4);
// the conserved quantity V = 0.1 x - 0.4 ln x + 0.4 y - 1.1 ln y
const V = ([x, y]) => 0.1 * x - 0.4 * Math.log(x) + 0.4 * y - 1.1 * Math.log(y);
say(`u' = f(u), Lotka-Volterra, u(0) = (${u0}), t = ${T}, step h = 0.1; reference: RK4 with h = 1e-4: u(${T}) = (${ref.map((v) => v.toFixed(10))})`);
const rows = [];
for (const K of [1, 2, 4, 6, 8]) {
  const u = taylorIntegrate(K, 0.1);
  const err = Math.hypot(u[0] - ref[0], u[1] - ref[1]);
  rows.push({ K, u, err, drift: Math.abs(V(u) - V(u0)) });
  say(`  order ${K}: u(${T}) = (${u.map((v) => v.toFixed(10))}), |error| = ${err.toExponential(2)}, |V drift| = ${Math.abs(V(u) - V(u0)).toExponential(2)}`);
}
if (json) console.log(JSON.stringify({ reference: ref, rows }));
if (!rows.every((r, i) => i === 0 || r.err < rows[i - 1].err) || !(rows.at(-1).err < 1e-8)) process.exitCode = 1;
