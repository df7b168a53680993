#!/usr/bin/env node
// tfjs baseline for the thoad benchmark suite (bench/suite.mjs): nested tf.grad.
//
// Loads @tensorflow/tfjs-node when it loads (native TensorFlow), else the pure
// JS @tensorflow/tfjs (backend "cpu"); the first output line says which. tfjs
// computes in float32 (thoad and PyTorch in float64).
//
// Models (bench/models/*.thd written again in tfjs, same shapes): for each
// model, order k and batch B, the derivatives of orders 1..k of the per-sample
// sum s[b] = sum_i y[b, i] w.r.t. x, per sample (samples are independent, so
// the gradient of sum_b s[b] is the per-sample gradient). Order j nests j
// tf.grad calls and loops over the components of the order j-1 tensor
// (n^(j-1) evaluations, no symmetry used); tfjs has no vmap and no
// create_graph, so nothing is shared between orders. For trig the output is
// already the per-sample scalar: the same tensors thoad computes. For the other
// models s is 1/m of thoad's (and PyTorch's) output.
//
// Ops (--ops): which ops nested tf.grad fails on at order 2 (and 3): each op
// alone, sum(w * op(x)) with fixed weights w, and inside a chain,
// sum(w * sin(op(x))); every result that comes back is checked against central
// differences of the order below along a fixed direction (float32, h = 1e-2,
// 2% of the largest entry).
//
// Usage: node bench/tfjs_baseline.mjs [--models a,b] [--orders 1,2,3]
//        [--batches 16,128] [--reps 3] [--ops] [--no-models] [--budget-s 60]
// Output: JSON lines on stdout.

const args = process.argv.slice(2);
const opt = (name, def) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : def; };
const list = (s) => s.split(",").filter(Boolean);

let tf, pkg;
try {
  tf = await import("@tensorflow/tfjs-node");
  pkg = "@tensorflow/tfjs-node";
} catch {
  tf = await import("@tensorflow/tfjs");
  pkg = "@tensorflow/tfjs";
}
await tf.ready();
const out = (o) => process.stdout.write(JSON.stringify(o) + "\n");
out({ tfjs: tf.version.tfjs, package: pkg, backend: tf.getBackend(), dtype: "float32" });

// ------------------------------------------------------------------ models
function rng(seed) { // deterministic normals (Box-Muller over an LCG)
  let s = seed >>> 0;
  const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 4294967296;
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}
function randn(r, shape, scale = 1) {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: n }, () => r() * scale), shape, "float32");
}
function dense(r, i, o) { return [randn(r, [i, o], 1 / Math.sqrt(i)), randn(r, [o], 0.1)]; }

/** The per-sample sum s: [B, n] -> [B], and n. */
function makeModel(name) {
  const r = rng(12345);
  if (name === "mlp" || name === "pinn") {
    const n = name === "mlp" ? 8 : 2, m = name === "mlp" ? 4 : 1;
    const [W1, b1] = dense(r, n, 32), [W2, b2] = dense(r, 32, 32), [W3, b3] = dense(r, 32, m);
    return [(x) => tf.sum(tf.add(tf.matMul(tf.tanh(tf.add(tf.matMul(tf.tanh(tf.add(tf.matMul(x, W1), b1)), W2), b2)), W3), b3), 1), n];
  }
  if (name === "softmax_classifier") {
    const [W1, b1] = dense(r, 8, 32), [W2, b2] = dense(r, 32, 5);
    return [(x) => tf.sum(tf.softmax(tf.add(tf.matMul(tf.tanh(tf.add(tf.matMul(x, W1), b1)), W2), b2)), 1), 8];
  }
  if (name === "trig") { // s = sum_i sin(x_i c_i + a.x) * log(x_i^2 + 1)^2
    const a = randn(r, [8], 0.5), c = randn(r, [8]);
    return [(x) => {
      const u = tf.sum(tf.mul(x, a), 1, true);
      return tf.sum(tf.mul(tf.sin(tf.add(tf.mul(x, c), u)), tf.pow(tf.log(tf.add(tf.mul(x, x), 1)), 2)), 1);
    }, 8];
  }
  throw new Error(`unknown model ${name}`);
}

/**
 * Every derivative of orders 1..K of s w.r.t. x, per sample: returns the
 * number of [B, n] gradient blocks computed. Level j holds the functions
 * x -> d^j s / dx dx_c1 ... dx_c(j-1), one per (c1..c(j-1)).
 */
function allOrders(s, x, K, n) {
  const B = x.shape[0];
  let level = [s];
  let blocks = 0;
  for (let j = 1; j <= K; j++) {
    const next = level.map((f) => tf.grad((z) => tf.sum(f(z))));
    for (const g of next) tf.tidy(() => { g(x).dataSync(); });
    blocks += next.length;
    if (j < K) level = next.flatMap((g) => Array.from({ length: n }, (_, c) => (z) => tf.slice(g(z), [0, c], [B, 1])));
  }
  return blocks;
}

function timeCase(model, K, B, reps, budgetMs) {
  const [s, n] = makeModel(model);
  const r = rng(7);
  const x = randn(r, [B, n]);
  const base = { model, order: K, batch: B, method: "nested tf.grad", dtype: "float32" };
  try {
    const once = () => { const t0 = performance.now(); allOrders(s, x, K, n); return performance.now() - t0; };
    const t00 = performance.now();
    // warm-up (kernel registration, first-call costs) untimed when cheap (< 1 s); an expensive first call counts as a rep
    let t = once();
    const times = t >= 1000 ? [t] : [];
    // at least `reps`; cheap cases repeat for about a second (up to 20 reps), all within the budget
    const more = () => times.length < reps || (times.length < 20 && performance.now() - t00 < 1000);
    while (more() && performance.now() - t00 + t <= budgetMs) times.push((t = once()));
    times.sort((a, b) => a - b);
    const h = times.length >> 1;
    const median = times.length % 2 ? times[h] : (times[h - 1] + times[h]) / 2;
    return { ...base, status: "ok", reps: times.length, best_ms: +times[0].toFixed(4), median_ms: +median.toFixed(4), max_ms: +times[times.length - 1].toFixed(4) };
  } catch (e) {
    return { ...base, status: "error", error: String(e.message ?? e).split("\n")[0].slice(0, 200) };
  } finally {
    x.dispose();
  }
}

// ------------------------------------------------------------------ ops
const W = tf.tensor2d([[0.3, -0.2, 0.5], [0.1, 0.4, -0.3], [-0.5, 0.2, 0.1], [0.2, -0.1, 0.6]]);
const OPS = {
  tanh: (x) => tf.tanh(x),
  sigmoid: (x) => tf.sigmoid(x),
  exp: (x) => tf.exp(x),
  log: (x) => tf.log(x),
  sin: (x) => tf.sin(x),
  cos: (x) => tf.cos(x),
  sqrt: (x) => tf.sqrt(x),
  pow: (x) => tf.pow(x, 3),
  softplus: (x) => tf.softplus(x),
  relu: (x) => tf.relu(x),
  elu: (x) => tf.elu(x),
  softmax: (x) => tf.softmax(x),
  logSoftmax: (x) => tf.logSoftmax(x),
  matMul: (x) => tf.matMul(x, W), // as in a layer: x @ W, W constant
  "matMul (x @ xT)": (x) => tf.matMul(x, tf.transpose(x)),
};
const POSITIVE = new Set(["log", "sqrt", "pow"]);

/** Fixed non-uniform weights, so that sum(w * op(x)) is not constant (sum(softmax(x)) is). */
const weights = (t) => tf.add(tf.mul(tf.reshape(tf.range(0, t.size), t.shape), 0.37), 0.5).sin();
/** A direction that is not along ones (softmax is invariant under x + c). */
const V = tf.tensor2d([[1, 0.3, -0.7, 0.5], [-0.4, 0.8, 0.2, -1]]);
/** g_0 = sum(w * f), g_j(x) = d/dx sum(v * g_{j-1}(x)): the order-j tensor contracted with v (j-1 times). */
function nested(f, j) {
  let g = (z) => { const y = f(z); return tf.sum(tf.mul(y, weights(y))); };
  for (let i = 0; i < j; i++) { const h = g; g = i === 0 ? tf.grad(h) : tf.grad((z) => tf.sum(tf.mul(h(z), V))); }
  return g;
}

/**
 * Order `order` of op `f` by nested tf.grad against central differences of
 * order - 1 along v (order - 1 must work): "ok", "wrong" (a value came back
 * and it is off) or "fails" (tf.grad threw; zero_exact when the exact
 * derivative is identically zero, e.g. matMul by a constant at order 2).
 */
function checkOp(name, f, order) {
  const vals = POSITIVE.has(name) ? [[0.6, 1.3, 0.9, 1.7], [1.1, 0.7, 1.4, 0.8]] : [[0.3, -0.5, 0.7, -0.2], [-0.8, 0.9, -0.4, 0.6]];
  const x = tf.tensor2d(vals);
  let fd = null;
  try {
    const h = 1e-2, lo = nested(f, order - 1);
    fd = tf.tidy(() => tf.div(tf.sub(lo(tf.add(x, tf.mul(V, h))), lo(tf.sub(x, tf.mul(V, h)))), 2 * h).arraySync()).flat();
    const got = tf.tidy(() => nested(f, order)(x).arraySync()).flat();
    const scale = Math.max(1e-3, ...fd.map(Math.abs));
    const err = Math.max(...got.map((v, i) => Math.abs(v - fd[i]))) / scale;
    return err < 2e-2 ? { status: "ok", fd_err: +err.toExponential(1) } : { status: "wrong", error: `differs from finite differences by ${err.toExponential(1)} (relative to the largest entry)` };
  } catch (e) {
    const r = { status: "fails", error: String(e.message ?? e).split("\n")[0].slice(0, 160) };
    if (fd && Math.max(...fd.map(Math.abs)) < 1e-6) r.zero_exact = true;
    if (!fd) r.error = `order ${order - 1} already fails: ${r.error}`;
    return r;
  } finally {
    x.dispose();
  }
}

// ------------------------------------------------------------------ main
if (args.includes("--ops")) {
  for (const [name, f] of Object.entries(OPS)) {
    out({ op: name, order2: checkOp(name, f, 2), order2_in_chain: checkOp(name, (x) => tf.sin(f(x)), 2), order3: checkOp(name, f, 3) });
  }
}
if (!args.includes("--no-models")) {
  const budget = Number(opt("--budget-s", "60")) * 1000;
  for (const model of list(opt("--models", "mlp,softmax_classifier,pinn,trig"))) {
    for (const K of list(opt("--orders", "1,2,3,4")).map(Number)) {
      for (const B of list(opt("--batches", "16,128,1024")).map(Number)) {
        out(timeCase(model, K, B, Number(opt("--reps", "3")), budget));
      }
    }
  }
}
