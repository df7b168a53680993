#!/usr/bin/python3
"""Checks that the PyTorch baseline computes what thoad computes.

For every bench model, at a small batch and order K (default 3): the baseline's
methods (fwd-over-rev, or jacrev^k for softmax, and nested autograd.grad) and
`thoadc eval` on the same parameters and inputs must give the same derivative
tensors of orders 1..K (relative 1e-10). The baseline shares no code with
thoad; this script only compares outputs. Needs dist/ (npm run build).

Usage: /usr/bin/python3 bench/check_baselines.py [K]
"""

import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch  # noqa: E402

from torch_baseline import MODELS, derivatives, make_model  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    K = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    torch.set_default_dtype(torch.float64)
    worst = 0.0
    for name in MODELS:
        f_s, f_b, n, params = make_model(name)
        x = torch.randn(3, n, generator=torch.Generator().manual_seed(5))
        ref = derivatives("rev" if name == "softmax_classifier" else "fwd-over-rev", f_s, f_b, x, K)
        ag = derivatives("autograd", f_s, f_b, x, K)
        inputs = {k: {"shape": list(v.shape), "data": v.flatten().tolist()} for k, v in {**params, "x": x}.items()}
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(inputs, f)
        try:
            r = subprocess.run(["node", "dist/cli/main.js", "eval", f"bench/models/{name}.thd", "--order", str(K), "--inputs", f.name],
                               cwd=ROOT, capture_output=True, text=True, check=True)
        finally:
            os.unlink(f.name)
        (out,) = json.loads(r.stdout)["outputs"].values()
        for j in range(1, K + 1):
            t = out["derivatives"][",".join(["x"] * j)]
            th = torch.tensor(t["data"]).reshape(ref[j - 1].shape)
            scale = float(ref[j - 1].abs().max())
            e_ag = float((ag[j - 1].reshape(th.shape) - ref[j - 1]).abs().max()) / scale
            e_th = float((th - ref[j - 1]).abs().max()) / scale
            worst = max(worst, e_ag, e_th)
            print(f"{name:20s} order {j}: autograd vs reference {e_ag:.1e}, thoad vs reference {e_th:.1e} (relative to max {scale:.3g})")
    print(f"worst relative difference {worst:.1e}")
    sys.exit(0 if worst < 1e-10 else 1)


if __name__ == "__main__":
    main()
