#!/usr/bin/python3
"""PyTorch baseline for the thoad benchmark suite (bench/suite.mjs).

Independent of thoad: the bench models (bench/models/*.thd) are written again
here in torch, same shapes, float64. For each (model, order k, batch B, method)
it times the computation of ALL derivative orders 1..k of the output w.r.t. x,
per sample (samples are independent):

  fwd-over-rev  vmap over the batch of jacfwd^(j-1)(jacrev(f)), j = 1..k
                (functorch 1.13; the reference method of the performance issue)
  rev           vmap of jacrev^j(f): only run where fwd-over-rev raises
                NotImplementedError (softmax: forward AD through
                _softmax_backward_data is missing in torch 1.13)
  autograd      nested torch.autograd.grad(create_graph=True) on the batched
                model: gradient of sum_b y[b, i] (per-sample by independence),
                then of each component of that, and so on; no symmetry used
                (m * n^(j-1) calls at order j)

An untimed warm-up call when it takes under 1 s, then at least --reps (3)
timed reps, and more while their total stays under --budget-s (default 0:
none) up to --max-reps: a sub-millisecond case timed 3 times gives a median
that moves by 1.5x between runs, 100 times a stable one. The best and the
median are reported. Every case runs in a worker process
limited to --mem-gb of address space (RLIMIT_AS) with a --timeout; out of
memory, timeouts, NotImplementedError and other RuntimeErrors are reported,
never fatal. A case that fails by memory or time makes the same method skip
larger orders and batches of that model. Output: one JSON object per line on
stdout; the first line describes torch.

Usage: /usr/bin/python3 bench/torch_baseline.py [--models a,b] [--orders 1,2,3]
       [--batches 16,128] [--methods fwd-over-rev,autograd] [--reps 3]
       [--budget-s 1] [--max-reps 100]
       [--timeout 120] [--mem-gb 12] [--shared-worker] [--skip model:order[:method]]
"""

import argparse
import json
import math
import os
import queue
import re
import resource
import subprocess
import sys
import threading
import time

MODELS = ["mlp", "softmax_classifier", "pinn", "trig"]


# ---------------------------------------------------------------- the models
def make_model(name, seed=0):
    """(per-sample f: [n] -> [m] or [], batched f: [B, n] -> [B, m] or [B], n, params by their .thd names)."""
    import torch

    g = torch.Generator().manual_seed(seed)

    def rnd(*shape, scale=1.0):
        return torch.randn(*shape, generator=g, dtype=torch.float64) * scale

    def dense(i, o):
        return rnd(i, o, scale=1 / math.sqrt(i)), rnd(o, scale=0.1)

    if name == "mlp":  # 8-32-32-4 tanh
        W1, b1 = dense(8, 32); W2, b2 = dense(32, 32); W3, b3 = dense(32, 4)

        def f(x):
            h1 = torch.tanh(x @ W1 + b1)
            h2 = torch.tanh(h1 @ W2 + b2)
            return h2 @ W3 + b3
        return f, f, 8, dict(W1=W1, b1=b1, W2=W2, b2=b2, W3=W3, b3=b3)
    if name == "softmax_classifier":  # 8-32-5
        W1, b1 = dense(8, 32); W2, b2 = dense(32, 5)

        def f(x):
            return torch.softmax(torch.tanh(x @ W1 + b1) @ W2 + b2, dim=-1)
        return f, f, 8, dict(W1=W1, b1=b1, W2=W2, b2=b2)
    if name == "pinn":  # 2-32-32-1 tanh
        W1, b1 = dense(2, 32); W2, b2 = dense(32, 32); W3, b3 = dense(32, 1)

        def f(x):
            h1 = torch.tanh(x @ W1 + b1)
            h2 = torch.tanh(h1 @ W2 + b2)
            return h2 @ W3 + b3
        return f, f, 2, dict(W1=W1, b1=b1, W2=W2, b2=b2, W3=W3, b3=b3)
    if name == "trig":  # s = sum_i sin(x_i c_i + a.x) * log(x_i^2 + 1)^2
        a = rnd(8, scale=0.5); c = rnd(8)

        def f(x):  # [..., 8] -> [...]
            u = (x * a).sum(-1, keepdim=True)
            return (torch.sin(x * c + u) * torch.log(x * x + 1) ** 2).sum(-1)
        return f, f, 8, dict(a=a, c=c)
    raise ValueError(f"unknown model {name}")


def derivatives(method, f_sample, f_batch, x, k):
    """All derivative tensors of orders 1..k (list), per sample, leading B."""
    import torch
    from functorch import jacfwd, jacrev, vmap

    out = []
    if method in ("fwd-over-rev", "rev"):
        for j in range(1, k + 1):
            g = jacrev(f_sample)
            for _ in range(j - 1):
                g = jacfwd(g) if method == "fwd-over-rev" else jacrev(g)
            out.append(vmap(g)(x))
        return out
    if method == "autograd":
        xr = x.detach().requires_grad_(True)
        y = f_batch(xr)
        y = y.reshape(y.shape[0], -1)
        B, n = x.shape
        # level[j]: list over (i, j1..j_{j-1}) of [B, n] gradients
        level = [y[:, i] for i in range(y.shape[1])]
        for j in range(1, k + 1):
            nxt = [torch.autograd.grad(t.sum(), xr, retain_graph=True, create_graph=j < k, allow_unused=True)[0] for t in level]
            nxt = [t if t is not None else torch.zeros_like(xr) for t in nxt]
            out.append(torch.stack(nxt, 1).reshape(B, y.shape[1], *([n] * j)))
            if j < k:
                level = [t[:, c] for t in nxt for c in range(n)]
        return out
    raise ValueError(f"unknown method {method}")


# ---------------------------------------------------------------- the worker
def worker(mem_gb):
    if mem_gb > 0:
        lim = int(mem_gb * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (lim, lim))
    import torch
    torch.set_default_dtype(torch.float64)
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        case = json.loads(line)
        res = dict(case)
        try:
            f_s, f_b, n, _ = make_model(case["model"])
            x = torch.randn(case["batch"], n, generator=torch.Generator().manual_seed(1), dtype=torch.float64)

            def once():
                t0 = time.perf_counter()
                derivatives(case["method"], f_s, f_b, x, case["order"])  # result dropped at once
                return time.perf_counter() - t0

            start = time.perf_counter()
            # The first call pays functorch/autograd set-up: an untimed warm-up when
            # it is cheap (< 1 s); an expensive first call counts as a rep.
            t = once()
            times = [t * 1e3] if t >= 1 else []
            # no rep that would overrun the time limit
            def more():
                if len(times) < case["reps"]:
                    return True
                return bool(times) and len(times) < case.get("max_reps", 0) and sum(times) + times[-1] <= 1e3 * case.get("budget_s", 0)
            while more() and time.perf_counter() - start + t <= 0.85 * case["timeout"]:
                t = once()
                times.append(t * 1e3)
            times_sorted = sorted(times)
            res.update(status="ok", reps=len(times), best_ms=round(times_sorted[0], 4),
                       median_ms=round(times_sorted[len(times) // 2] if len(times) % 2 else
                                       (times_sorted[len(times) // 2 - 1] + times_sorted[len(times) // 2]) / 2, 4),
                       max_ms=round(times_sorted[-1], 4), times_ms=[round(t, 4) for t in times])
        except NotImplementedError as e:
            res.update(status="not_implemented", error=first_line(e))
        except (RuntimeError, MemoryError) as e:
            msg = first_line(e)
            asked = re.search(r"allocate (\d+) bytes", msg)
            if isinstance(e, MemoryError) or asked or "memory" in msg.lower():
                res.update(status="oom", error=msg)
                if asked:
                    res["asked_bytes"] = int(asked.group(1))
            else:
                res.update(status="error", error=msg)
        except Exception as e:  # anything else: report, keep serving
            res.update(status="error", error=f"{type(e).__name__}: {first_line(e)}")
        res["peak_rss_bytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        print(json.dumps(res), flush=True)


def first_line(e):
    s = str(e).strip().split("\n")[0]
    return s[:300] if s else type(e).__name__


# ---------------------------------------------------------------- the driver
class Worker:
    def __init__(self, mem_gb):
        self.p = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--worker", "--mem-gb", str(mem_gb)],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.q = queue.Queue()
        self.err = []
        threading.Thread(target=self._pump, args=(self.p.stdout, self.q), daemon=True).start()
        threading.Thread(target=self._drain, daemon=True).start()
        first = self.get(120)
        if not first or not first.get("ready"):
            raise RuntimeError("torch worker did not start: " + " ".join(self.err[-3:]))

    @staticmethod
    def _pump(stream, q):
        for line in stream:
            q.put(line)
        q.put(None)

    def _drain(self):
        for line in self.p.stderr:
            self.err.append(line.strip())

    def get(self, timeout):
        try:
            line = self.q.get(timeout=timeout)
        except queue.Empty:
            return "timeout"
        return None if line is None else json.loads(line)

    def run(self, case):
        self.p.stdin.write(json.dumps(case) + "\n")
        self.p.stdin.flush()
        return self.get(case["timeout"] + 10)

    def close(self):
        if self.p.poll() is None:
            try:
                self.p.stdin.close()
                self.p.wait(timeout=10)
            except Exception:
                self.p.kill()
                self.p.wait()

    def kill(self):
        if self.p.poll() is None:
            self.p.kill()
        self.p.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--worker", action="store_true")
    ap.add_argument("--models", default=",".join(MODELS))
    ap.add_argument("--orders", default="1,2,3,4")
    ap.add_argument("--batches", default="16,128,1024")
    ap.add_argument("--methods", default="fwd-over-rev,autograd")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--budget-s", type=float, default=0, help="time more reps while their total stays under this (s)")
    ap.add_argument("--max-reps", type=int, default=100)
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("--mem-gb", type=float, default=12)
    ap.add_argument("--shared-worker", action="store_true",
                    help="one worker for all cases (faster start; peak RSS is then cumulative)")
    ap.add_argument("--skip", action="append", default=[],
                    help="model:order[:method]: do not run (reported as skipped, 'slow')")
    a = ap.parse_args()
    if a.worker:
        return worker(a.mem_gb)

    import torch
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(),
                      "python": sys.version.split()[0], "mem_gb": a.mem_gb, "timeout_s": a.timeout}), flush=True)
    orders = [int(s) for s in a.orders.split(",")]
    batches = sorted(int(s) for s in a.batches.split(","))
    methods = a.methods.split(",")
    skip = set(a.skip)
    w = None

    def run(case):
        """Runs one case in the worker (started on demand); timeouts and deaths become results."""
        nonlocal w
        if w is None:
            w = Worker(a.mem_gb)
        res = w.run(case)
        if res == "timeout":
            w.kill(); w = None
            return {**case, "status": "timeout", "error": f"killed after {a.timeout:.0f} s"}
        if res is None:  # the worker died (e.g. a failed allocation outside torch's checks)
            code = w.p.wait()
            tail = " | ".join(w.err[-2:])
            w = None
            oom = "alloc" in tail.lower() or "memory" in tail.lower()
            return {**case, "status": "oom" if oom else "crashed", "error": f"worker exit {code}: {tail}"[:300]}
        return res

    for model in a.models.split(","):
        for method in methods:
            failed = []  # (order, batch, status) that ran out of memory or time
            fallback = False  # fwd-over-rev not implemented: use "rev"
            for k in orders:
                for B in batches:
                    m = "rev" if fallback else method
                    case = {"model": model, "order": k, "batch": B, "method": m, "reps": a.reps, "timeout": a.timeout,
                            "budget_s": a.budget_s, "max_reps": a.max_reps}
                    if f"{model}:{k}" in skip or f"{model}:{k}:{method}" in skip:
                        print(json.dumps({**case, "status": "skipped", "error": "slow: skipped in --quick"}), flush=True)
                        continue
                    dom = next(((k0, b0, s0) for k0, b0, s0 in failed if k0 <= k and b0 <= B), None)
                    if dom:
                        what = {"oom": f"ran out of memory ({a.mem_gb:g} GB limit)", "timeout": f"timed out ({a.timeout:g} s)"}.get(dom[2], "crashed")
                        print(json.dumps({**case, "status": "skipped", "error": f"order {dom[0]} at B={dom[1]} already {what}"}), flush=True)
                        continue
                    res = run(case)
                    if res["status"] == "not_implemented" and m == "fwd-over-rev":
                        print(json.dumps(res), flush=True)
                        fallback = True
                        res = run({**case, "method": "rev"})
                    if res["status"] in ("oom", "timeout", "crashed"):
                        failed.append((k, B, res["status"]))
                    if not a.shared_worker and w is not None:
                        w.close(); w = None
                    print(json.dumps(res), flush=True)
    if w is not None:
        w.close()


if __name__ == "__main__":
    main()
