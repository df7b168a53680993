// Newton's method with exact Hessians: minimise the 6-d Rosenbrock function from
// the origin. Each iteration is one call of the order-2 model:
// the gradient d("x") and the Hessian d("x", "x"), exact. Steps solve H p = -g by
// Cholesky (adding lambda I while H is not positive definite) and backtrack
// until f decreases; near the minimum the full step is taken and |g| falls
// quadratically.   node examples/cookbook/newton.mjs [--json]
import { Tensor } from "thoad/runtime";
import { json, load, say } from "./lib.mjs";

const model = load("./rosenbrock.thd", { order: 2 });
const d = 6;

/** Solves (H + lambda I) p = -g by Cholesky, increasing lambda until it succeeds. */
function newtonStep(H, g) {
  for (let lambda = 0; ; lambda = lambda ? lambda * 10 : 1e-3) {
    const L = new Float64Array(d * d);
    let ok = true;
    for (let i = 0; i < d && ok; i++) for (let j = 0; j <= i; j++) {
      let s = H[i * d + j] + (i === j ? lambda : 0);
      for (let k = 0; k < j; k++) s -= L[i * d + k] * L[j * d + k];
      if (i === j) { if (s <= 0) { ok = false; break; } L[i * d + i] = Math.sqrt(s); } else L[i * d + j] = s / L[j * d + j];
    }
    if (!ok) continue;
    const y = new Float64Array(d), p = new Float64Array(d);
    for (let i = 0; i < d; i++) { let s = -g[i]; for (let k = 0; k < i; k++) s -= L[i * d + k] * y[k]; y[i] = s / L[i * d + i]; }
    for (let i = d - 1; i >= 0; i--) { let s = y[i]; for (let k = i + 1; k < d; k++) s -= L[k * d + i] * p[k]; p[i] = s / L[i * d + i]; }
    return { p, lambda };
  }
}

let x = new Float64Array(d); // from the origin (from (-1.2, 1, -1.2, ...) Newton finds the local minimum near x1 = -1)
const f = (v) => model({ x: new Tensor([d], v) }).f.value.data[0];
const history = [];
for (let it = 0; it < 100; it++) {
  const r = model({ x: new Tensor([d], x) }).f;
  const g = r.d("x").data, H = r.d("x", "x").data;
  const gnorm = Math.hypot(...g);
  history.push({ it, f: r.value.data[0], gnorm });
  say(`${String(it).padStart(3)}  f = ${r.value.data[0].toExponential(6)}  |g| = ${gnorm.toExponential(3)}`);
  if (gnorm < 1e-12) break;
  const { p } = newtonStep(H, g);
  let t = 1;
  while (f(x.map((v, i) => v + t * p[i])) > r.value.data[0] && t > 1e-10) t /= 2;
  x = x.map((v, i) => v + t * p[i]);
}
const err = Math.max(...x.map((v) => Math.abs(v - 1)));
say(`minimum at x = [${Array.from(x, (v) => v.toFixed(12)).join(", ")}], max |x_i - 1| = ${err.toExponential(2)} after ${history.length - 1} Newton steps`);
if (json) console.log(JSON.stringify({ x: Array.from(x), err, history }));
if (!(err < 1e-9)) process.exitCode = 1;
