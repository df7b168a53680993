#!/usr/bin/python3
"""PyTorch's derivatives at the edge points of test/models/edges.thd: where()
with a branch not taken that is NaN (and has NaN or finite derivatives), norm
at a zero row, std at constant rows. Writes test/fixtures/edge/edges_o3.json.

    /usr/bin/python3 test/oracle/gen_edge_fixtures.py

The model is written out in torch below (not parsed from the .thd). Per
sample, nested jacrev up to order 3 (PyTorch's reverse mode, as every fixture
of gen_fixtures.py), vmapped over the batch. Non-finite numbers are written as
the strings "NaN", "Infinity" and "-Infinity" (JSON has no such numbers).
"""
import json
import math
import os

import torch
from functorch import jacrev, vmap

torch.set_default_dtype(torch.float64)
ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "../.."))
K = 3
X = [[-1.0, 2.0, 0.5], [0.0, 0.0, 0.0], [1.5, 1.5, 1.5]]

OUTPUTS = {
    "a": lambda x: torch.where(x > 0, torch.sqrt(x), torch.zeros_like(x)),
    "b": lambda x: torch.where(x > 0, torch.log(x), x * x),
    "n": lambda x: torch.linalg.norm(x),
    "s": lambda x: torch.std(x),
}


def enc(v):
    return v if math.isfinite(v) else ("NaN" if math.isnan(v) else ("Infinity" if v > 0 else "-Infinity"))


def tensor(t):
    return {"shape": list(t.shape), "data": [enc(v) for v in t.flatten().tolist()]}


def main():
    x = torch.tensor(X)
    outputs = {}
    for name, f in OUTPUTS.items():
        ders, g = {}, f
        for k in range(1, K + 1):
            g = jacrev(g)
            ders[",".join(["x"] * k)] = tensor(vmap(g)(x))
        outputs[name] = {"value": tensor(vmap(f)(x)), "derivatives": ders}
    fx = {"case": "edges_o3", "model_file": "test/models/edges.thd", "model": "edges", "order": K, "wrt": ["x"],
          "inputs": {"x": tensor(x)}, "outputs": outputs,
          "generator": {"torch": torch.__version__, "method": "vmap over the batch of nested jacrev"}}
    path = os.path.join(ROOT, "test/fixtures/edge/edges_o3.json")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as fh:
        json.dump(fx, fh, indent=1)
        fh.write("\n")
    print("wrote", os.path.relpath(path, ROOT))


if __name__ == "__main__":
    main()
