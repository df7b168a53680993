// Input sensitivity of a trained classifier. Data: 4 features uniform on
// [-1, 1]^4; the class depends on x0 and x1 only (x2, x3 are noise):
// class 0 if x0 + x1 > 0.3, else class 1 if x0 - x1 > -0.2, else class 2.
// Training: full-batch Adam on the mean cross-entropy, its gradient w.r.t. the
// weights from thoad (model clf_loss, order 1, wrt the weights; per-sample
// blocks summed). Then `sensitivity` of the class probabilities p (model clf,
// order 2, wrt x) over the data, with an HTML report in
// examples/cookbook/out/classifier.html. The noise features come out negligible.
//   node examples/cookbook/classifier.mjs [--json]
import { mkdirSync, writeFileSync } from "node:fs";
import { Rng, renderReport, sensitivity } from "thoad/analysis";
import { compile, instantiate } from "thoad/compiler";
import { readFileSync } from "node:fs";
import { fmt, json, say, uniformBox } from "./lib.mjs";

const source = readFileSync(new URL("./classifier.thd", import.meta.url), "utf8");
const build = (model, order, wrt) => instantiate(compile(source, { model, order, wrt, dims: new Map() }).state.plan);
const lossModel = build("clf_loss", 1, ["W1", "b1", "W2", "b2"]);
const clf = build("clf", 2, ["x"]), clfValue = build("clf", 0, ["x"]);

const N = 600, x = uniformBox(N, [-1, -1, -1, -1], [1, 1, 1, 1], 11);
const label = (x0, x1) => (x0 + x1 > 0.3 ? 0 : x0 - x1 > -0.2 ? 1 : 2);
const t = new Float64Array(N * 3);
for (let n = 0; n < N; n++) t[n * 3 + label(x[4 * n], x[4 * n + 1])] = 1;

const rng = new Rng(12);
const shapes = { W1: [4, 8], b1: [8], W2: [8, 3], b2: [3] };
const params = Object.fromEntries(Object.entries(shapes).map(([k, s]) => [k, { shape: s, data: Float64Array.from({ length: s.reduce((a, b) => a * b, 1) }, () => (k.startsWith("W") ? 0.5 * rng.normal() : 0)) }]));
const adam = Object.fromEntries(Object.keys(shapes).map((k) => [k, { m: new Float64Array(params[k].data.length), v: new Float64Array(params[k].data.length) }]));
const inputs = { x: { shape: [N, 4], data: x }, t: { shape: [N, 3], data: t } };
let loss = NaN;
for (let step = 1; step <= 400; step++) {
  const r = lossModel({ ...inputs, ...params }).loss;
  loss = r.value.data.reduce((a, b) => a + b, 0) / N;
  for (const k of Object.keys(shapes)) {
    const g = r.d(k).data, P = params[k].data.length; // [N, ...shape]: per-sample gradients
    const { m, v } = adam[k];
    for (let j = 0; j < P; j++) {
      let gj = 0;
      for (let n = 0; n < N; n++) gj += g[n * P + j];
      gj /= N;
      m[j] = 0.9 * m[j] + 0.1 * gj; v[j] = 0.999 * v[j] + 0.001 * gj * gj;
      params[k].data[j] -= (0.05 * (m[j] / (1 - 0.9 ** step))) / (Math.sqrt(v[j] / (1 - 0.999 ** step)) + 1e-8);
    }
  }
  if (step % 100 === 0) say(`step ${step}: mean cross-entropy ${loss.toFixed(4)}`);
}
const p = clfValue({ x: inputs.x, ...params }).p.value.data;
let correct = 0;
for (let n = 0; n < N; n++) { const row = [0, 1, 2].map((c) => p[n * 3 + c]); if (row.indexOf(Math.max(...row)) === label(x[4 * n], x[4 * n + 1])) correct++; }
const accuracy = correct / N;
say(`training accuracy ${(100 * accuracy).toFixed(1)}%`);

const res = sensitivity(clf, { x: inputs.x, ...params }, { valueModel: clfValue, name: "clf", inputDist: "uniform", range: [-1, 1], sigma: 0.05 });
mkdirSync(new URL("./out/", import.meta.url), { recursive: true });
writeFileSync(new URL("./out/classifier.html", import.meta.url), renderReport(res, { title: "Trained classifier: sensitivity of the class probabilities to the features" }));
writeFileSync(new URL("./out/classifier.json", import.meta.url), JSON.stringify(res));
const nu = res.outputs.p.dgsm; // [3 classes][4 features]
say("DGSM nu = E[(dp_c/dx_i)^2]:        x0          x1          x2          x3");
nu.forEach((row, c) => say(`  class ${c}                ${row.map((v) => fmt(v).padEnd(11)).join(" ")}`));
const share = [0, 1, 2, 3].map((i) => nu.reduce((s, row) => s + row[i], 0));
const total = share.reduce((a, b) => a + b, 0);
say(`share of the total DGSM: ${share.map((s, i) => `x${i} ${(100 * s / total).toFixed(1)}%`).join(", ")}`);
say("wrote examples/cookbook/out/classifier.html and classifier.json");
if (json) console.log(JSON.stringify({ loss, accuracy, share: share.map((s) => s / total) }));
if (!(accuracy > 0.9 && (share[2] + share[3]) / total < 0.05)) process.exitCode = 1;
