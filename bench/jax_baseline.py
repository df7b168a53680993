#!/usr/bin/env python3
"""JAX baseline for thoad's benchmarks (bench/structured.mjs; any bench that wants JAX).

Independent of thoad: the model is written again here in jax.numpy, float64
(jax_enable_x64), per sample f: x[n] -> y, vmapped over the batch and jitted.
Quantities (--what, comma-separated), each the textbook JAX way:

  value         f(x)
  jacobian      jax.jacrev(f)
  hessian       jax.hessian(f)                        (= jacfwd(jacrev(f)))
  laplacian     jnp.trace(jax.hessian(f)) over x's axes, per element of y
  hessian_diag  jnp.diagonal(jax.hessian(f)) over x's axes
  hvp           jax.jvp(jax.grad(f), (x,), (v,)) with v = ones (f a scalar per sample)
  order:K       the K-th derivative, jacfwd^(K-1)(jacrev(f))
  orders:K      every order 1..K in one jitted function: the tuple of
                jacfwd^(j-1)(jacrev(f)) for j = 1..K (what thoad's modules
                compute; the issue's comparison); --dump writes order:1..order:K
  jet:K         jax.experimental.jet.jet along --v (default ones): Taylor
                coefficients 1..K of t -> f(x + t v) (Taylor-mode, the issue's "jet")

Models (--model): mlp, a tanh perceptron with the sizes --sizes n,h1,...,m
(weights W1,b1,W2,b2,...; the last layer linear; m = 1 gives a scalar y per
sample, as a thoad model whose last weight is a vector wL without bias:
`u = h @ wL`; m > 1 adds the last bias bL, as bench/models/mlp.thd with
--sizes 8,32,32,4). The other bench models, written again from
bench/models/*.thd (their --sizes are fixed): softmax_classifier (8-32-5,
softmax of the logits), pinn (2-32-32-1 tanh, u = h2 @ W3 + b3 of shape [1]),
trig (s = sum_i sin(x_i c_i + a.x) log(x_i^2 + 1)^2, a scalar). Weights:
--inputs FILE in thoadc eval's format ({"x": {"shape", "data"}, "W1": ...},
the .thd names) or seeded normal ones (--seed).

Timing: one call to compile (reported as compile_ms), --warmup more, then
--reps calls each ended by block_until_ready (with --budget-ms: as many as fit
in that time, at least --reps, at most --max-reps, sized by one more call; with
--slow-ms too, a call slower than that gets --slow-reps reps); median and min. XLA uses every
core unless --threads 1 (XLA_FLAGS single-threaded Eigen, one intra-op thread).
Output: one JSON object per line on stdout, the first describing jax;
--dump FILE writes each quantity's values ({"what": {"shape", "data"}}).

Usage: /work/jaxenv/bin/python bench/jax_baseline.py --sizes 128,64,64,1 --batch 256
       --what laplacian,hessian_diag [--reps 10] [--threads 1] [--inputs in.json] [--dump out.json]
"""

import argparse
import json
import os
import sys
import time


def parse():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", default="mlp")
    p.add_argument("--sizes", default=None, help="layer sizes n,h1,...,m (mlp; default 8,64,64,1)")
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--what", default="laplacian")
    p.add_argument("--reps", type=int, default=10)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--budget-ms", type=float, default=0, help="more reps (up to --max-reps) until about this much time is timed")
    p.add_argument("--max-reps", type=int, default=200)
    p.add_argument("--slow-ms", type=float, default=0, help="with --budget-ms: a call slower than this gets --slow-reps reps and no more warm-up")
    p.add_argument("--slow-reps", type=int, default=1)
    p.add_argument("--threads", type=int, default=0, help="1: single-threaded XLA; 0: XLA's default (all cores)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--inputs", help="thoadc eval inputs JSON (x and the weights)")
    p.add_argument("--dump", help="write the computed values here (JSON)")
    return p.parse_args()


def main():
    a = parse()
    if a.threads == 1:
        # must be set before jax is imported
        os.environ["XLA_FLAGS"] = (os.environ.get("XLA_FLAGS", "") + " --xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1").strip()
    import numpy as np
    import jax
    import jax.numpy as jnp

    jax.config.update("jax_enable_x64", True)
    print(json.dumps({"jax": jax.__version__, "backend": jax.default_backend(), "devices": len(jax.devices()), "threads": a.threads or "default"}), flush=True)

    if a.model not in MODELS:
        sys.exit("unknown --model %r (models: %s)" % (a.model, ", ".join(MODELS)))
    if a.model != "mlp" and a.sizes and a.sizes != FIXED[a.model]:
        sys.exit("--sizes is fixed for --model %s: %s" % (a.model, FIXED[a.model]))
    sizes = [int(s) for s in (a.sizes or FIXED.get(a.model, "8,64,64,1")).split(",")]
    params, x = load(a, sizes, np)
    f = MODELS[a.model](params, jnp)
    out = {}
    for what in a.what.split(","):
        fn = jax.jit(jax.vmap(quantity(what, f, x.shape[1:], jax, jnp)))
        xs = jnp.asarray(x)
        t0 = time.perf_counter()
        r = fn(xs)
        jax.block_until_ready(r)
        compile_ms = (time.perf_counter() - t0) * 1e3
        reps = a.reps
        if a.budget_ms > 0:
            # one more timed call sizes the reps: small kernels get many (the median then is the steady state);
            # a call over --slow-ms is timed --slow-reps times, without more warm-up (it is warm: this was its second call)
            t0 = time.perf_counter()
            jax.block_until_ready(fn(xs))
            one = (time.perf_counter() - t0) * 1e3
            reps = max(a.reps, min(a.max_reps, int(a.budget_ms / max(one, 1e-3))))
            if a.slow_ms > 0 and one > a.slow_ms:
                reps = a.slow_reps
        if not (a.slow_ms > 0 and reps == a.slow_reps and a.budget_ms > 0):
            for _ in range(a.warmup):
                jax.block_until_ready(fn(xs))
        times = []
        for _ in range(reps):
            t0 = time.perf_counter()
            jax.block_until_ready(fn(xs))
            times.append((time.perf_counter() - t0) * 1e3)
        times.sort()
        med = times[len(times) // 2] if len(times) % 2 else (times[len(times) // 2 - 1] + times[len(times) // 2]) / 2
        print(json.dumps({"model": a.model, "sizes": sizes, "batch": a.batch, "what": what, "status": "ok", "median_ms": round(med, 4), "min_ms": round(times[0], 4), "reps": reps, "compile_ms": round(compile_ms, 1)}), flush=True)
        if what.startswith("orders:"):
            for j, rj in enumerate(r, 1):  # order j: [B, shape(y), n^j]
                out["order:%d" % j] = {"shape": list(rj.shape), "data": np.asarray(rj).ravel().tolist()}
            continue
        if isinstance(r, tuple):
            r = jnp.stack(r, axis=1)  # jet: [B, K, ...]
        out[what] = {"shape": list(r.shape), "data": np.asarray(r).ravel().tolist()}
    if a.dump:
        with open(a.dump, "w") as fh:
            json.dump(out, fh)


def load(a, sizes, np):
    """The weights and x: from --inputs (thoadc eval format), else seeded normal ones scaled 1/sqrt(fan-in)."""
    if a.model == "trig":
        return load_trig(a, np)
    names = []
    for i in range(1, len(sizes)):
        last = i == len(sizes) - 1
        names.append(("W%d" % i, "w%d" % i if last and sizes[-1] == 1 and a.model == "mlp" else "W%d" % i))
        if not last or has_last_bias(a.model, sizes):
            names.append(("b%d" % i, "b%d" % i))
    if a.inputs:
        with open(a.inputs) as fh:
            data = json.load(fh)
        arr = lambda v: np.asarray(v["data"], dtype=np.float64).reshape(v["shape"]) if isinstance(v, dict) else np.asarray(v, dtype=np.float64)
        params = {}
        for key, name in names:
            params[key] = arr(data[name] if name in data else data[key])
        x = arr(data["x"])
        return params, x
    rng = np.random.default_rng(a.seed)
    params = {}
    for i in range(1, len(sizes)):
        params["W%d" % i] = rng.standard_normal((sizes[i - 1], sizes[i])) / np.sqrt(sizes[i - 1])
        if i < len(sizes) - 1 or has_last_bias(a.model, sizes):
            params["b%d" % i] = rng.standard_normal(sizes[i]) * 0.1
    x = rng.uniform(-1, 1, (a.batch, sizes[0]))
    return params, x


def has_last_bias(model, sizes):
    """mlp: a bias on the last layer when it has several outputs (bench/models/mlp.thd); softmax_classifier, pinn: always."""
    return model != "mlp" or sizes[-1] > 1


def load_trig(a, np):
    """trig's a [8] and c [8] and x [B, 8]: from --inputs, else seeded."""
    if a.inputs:
        with open(a.inputs) as fh:
            data = json.load(fh)
        arr = lambda v: np.asarray(v["data"], dtype=np.float64).reshape(v["shape"])
        return {"a": arr(data["a"]), "c": arr(data["c"])}, arr(data["x"])
    rng = np.random.default_rng(a.seed)
    return {"a": rng.standard_normal(8) * 0.5, "c": rng.standard_normal(8)}, rng.uniform(-1, 1, (a.batch, 8))


def mlp(params, jnp):
    L = sum(1 for k in params if k.startswith("W"))

    def f(x):
        h = x
        for i in range(1, L):
            h = jnp.tanh(h @ params["W%d" % i] + params["b%d" % i])
        W = params["W%d" % L]
        if "b%d" % L in params:
            return h @ W + params["b%d" % L]
        return h @ W if W.ndim == 1 else (h @ W)[..., 0] if W.shape[1] == 1 else h @ W

    return f


def softmax_classifier(params, jnp):
    """bench/models/softmax_classifier.thd: p = softmax(tanh(x @ W1 + b1) @ W2 + b2) as exp(z) / sum(exp(z)):
    JAX's fastest form here (the logits are bounded: tanh times W2). jax.nn.softmax and a max shift written
    out took 20x longer at order 3 (B = 128: about 200 ms against 9 ms), so using them would flatter thoad."""
    def f(x):
        e = jnp.exp(jnp.tanh(x @ params["W1"] + params["b1"]) @ params["W2"] + params["b2"])
        return e / jnp.sum(e)

    return f


def pinn(params, jnp):
    """bench/models/pinn.thd: u = tanh(tanh(x @ W1 + b1) @ W2 + b2) @ W3 + b3, u of shape [1]."""
    def f(x):
        h1 = jnp.tanh(x @ params["W1"] + params["b1"])
        h2 = jnp.tanh(h1 @ params["W2"] + params["b2"])
        return h2 @ params["W3"] + params["b3"]

    return f


def trig(params, jnp):
    """bench/models/trig.thd: s = sum_i sin(x_i c_i + sum_j x_j a_j) * log(x_i^2 + 1)^2, a scalar per sample."""
    def f(x):
        u = jnp.sum(x * params["a"])
        return jnp.sum(jnp.sin(x * params["c"] + u) * jnp.log(x * x + 1) ** 2)

    return f


MODELS = {"mlp": mlp, "softmax_classifier": softmax_classifier, "pinn": pinn, "trig": trig}
# the bench models' sizes (n, ..., m), fixed by their .thd files
FIXED = {"softmax_classifier": "8,32,5", "pinn": "2,32,32,1", "trig": "8,1"}


def quantity(what, f, xshape, jax, jnp):
    """Per-sample function computing `what` of f at one x (xshape: x's per-sample shape)."""
    n = 1
    for d in xshape:
        n *= d
    if what == "value":
        return f
    if what == "jacobian":
        return jax.jacrev(f)
    if what == "hessian":
        return jax.hessian(f)
    if what in ("laplacian", "hessian_diag"):
        def g(x):
            H = jax.hessian(f)(x)  # shape(y) ++ shape(x) ++ shape(x)
            ny = H.ndim - 2 * len(xshape)
            H = H.reshape(H.shape[:ny] + (n, n))
            return jnp.trace(H, axis1=-2, axis2=-1) if what == "laplacian" else jnp.diagonal(H, axis1=-2, axis2=-1).reshape(H.shape[:ny] + tuple(xshape))
        return g
    if what.startswith("orders:"):
        k = int(what.split(":")[1])
        gs = [jax.jacrev(f)]
        for _ in range(k - 1):
            gs.append(jax.jacfwd(gs[-1]))
        return lambda x: tuple(g(x) for g in gs)
    if what.startswith("order:"):
        k = int(what.split(":")[1])
        g = jax.jacrev(f)
        for _ in range(k - 1):
            g = jax.jacfwd(g)
        return g
    if what == "hvp":
        # forward over reverse along v = ones (f a scalar per sample), JAX's recommended Hessian-vector product
        return lambda x: jax.jvp(jax.grad(f), (x,), (jnp.ones_like(x),))[1]
    if what.startswith("jet:"):
        from jax.experimental import jet
        k = int(what.split(":")[1])

        def g(x):
            v = jnp.ones_like(x)
            _, series = jet.jet(f, (x,), ((v,) + tuple(jnp.zeros_like(x) for _ in range(k - 1)),))
            return tuple(series)
        return g
    sys.exit("unknown --what %r" % what)


if __name__ == "__main__":
    main()
