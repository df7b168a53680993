// A PINN residual: train u(t) (pinn.thd) to solve u'' + u = 0 on [0, 3] with
// u(0) = 0, u'(0) = 1 (solution sin t). The residual r = u_tt + u needs the
// network's second derivative in its input, and the gradient of the loss
//     L = mean_n r(t_n)^2 + u(0)^2 + (u_t(0) - 1)^2
// w.r.t. a weight w needs the mixed third derivative:
//     dL/dw = 2 mean_n r (u_ttw + u_w) + 2 u(0) u_w(0) + 2 (u_t(0) - 1) u_tw(0).
// One call of the order-3 model (wrt t and the weights) gives all of them,
// exactly, per collocation point. Full-batch Adam.   node examples/cookbook/pinn.mjs [--json]
import { Rng } from "thoad/analysis";
import { Tensor } from "thoad/runtime";
import { json, load, say } from "./lib.mjs";

const W = ["w1", "b1", "w2"], H = 16;
const model = load("./pinn.thd", { order: 3, wrt: ["t", ...W] }), value = load("./pinn.thd", { order: 0 });
const M = 32, ts = Float64Array.from({ length: M + 1 }, (_, n) => (3 * n) / M); // t_0 = 0 is also the boundary point
const rng = new Rng(5);
const params = Object.fromEntries(W.map((k) => [k, new Tensor([H], Float64Array.from({ length: H }, () => rng.normal()))]));
const adam = Object.fromEntries(W.map((k) => [k, { m: new Float64Array(H), v: new Float64Array(H) }]));

function lossAndGrad() {
  const r = model({ t: new Tensor([M + 1, 1], ts), ...params }).u;
  const u = r.value.data, ut = r.d("t").data, utt = r.d("t", "t").data;
  const res = Array.from({ length: M + 1 }, (_, n) => utt[n] + u[n]);
  const L = res.reduce((s, v) => s + v * v, 0) / (M + 1) + u[0] ** 2 + (ut[0] - 1) ** 2;
  const grad = {};
  for (const k of W) {
    const uw = r.d(k).data, utw = r.d("t", k).data, uttw = r.d("t", "t", k).data; // [B, H], [B, 1, H], [B, 1, 1, H]
    grad[k] = Float64Array.from({ length: H }, (_, j) => {
      let g = 0;
      for (let n = 0; n <= M; n++) g += (2 / (M + 1)) * res[n] * (uttw[n * H + j] + uw[n * H + j]);
      return g + 2 * u[0] * uw[j] + 2 * (ut[0] - 1) * utw[j];
    });
  }
  return { L, grad };
}

let L0 = NaN, L = NaN;
const steps = 1000;
for (let step = 1; step <= steps; step++) {
  const r = lossAndGrad();
  L = r.L;
  if (step === 1) L0 = L;
  for (const k of W) {
    const { m, v } = adam[k], p = params[k].data, g = r.grad[k];
    for (let j = 0; j < H; j++) {
      m[j] = 0.9 * m[j] + 0.1 * g[j]; v[j] = 0.999 * v[j] + 0.001 * g[j] * g[j];
      p[j] -= (0.01 * (m[j] / (1 - 0.9 ** step))) / (Math.sqrt(v[j] / (1 - 0.999 ** step)) + 1e-8);
    }
  }
  if (step === 1 || step % 300 === 0) say(`step ${String(step).padStart(4)}: loss ${L.toExponential(3)}`);
}
const grid = Float64Array.from({ length: 301 }, (_, n) => (3 * n) / 300);
const u = value({ t: new Tensor([301, 1], grid), ...params }).u.value.data;
const err = Math.max(...Array.from(grid, (t, n) => Math.abs(u[n] - Math.sin(t))));
say(`loss ${L0.toExponential(2)} -> ${L.toExponential(2)}; max |u(t) - sin t| on [0, 3]: ${err.toExponential(2)}`);
if (json) console.log(JSON.stringify({ L0, L, err }));
if (!(L < 1e-3 * L0 && err < 0.05)) process.exitCode = 1;
