#!/usr/bin/env python3
"""Quick start, step 1: train a small PyTorch regressor and export it to ONNX.

    /usr/bin/python3 examples/quickstart/export_model.py

writes examples/quickstart/regressor.onnx (opset 17, batch axis dynamic).
Needs only torch (Debian's python3-torch).
"""
import os
import torch

torch.manual_seed(0)
model = torch.nn.Sequential(
    torch.nn.Linear(4, 16), torch.nn.Tanh(),
    torch.nn.Linear(16, 16), torch.nn.GELU(),
    torch.nn.Linear(16, 3),
)

# a few hundred steps on a toy target, so the weights are trained, not random
X = torch.randn(512, 4)
Y = torch.stack([X[:, 0] * X[:, 1], torch.sin(X[:, 2]), 0.5 * X[:, 3] ** 2], dim=1)
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
for step in range(300):
    opt.zero_grad()
    loss = ((model(X) - Y) ** 2).mean()
    loss.backward()
    opt.step()
print(f"trained: mse {loss.item():.4f}")

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "regressor.onnx")
torch.onnx.export(
    model.eval(), torch.randn(1, 4), out,
    input_names=["x"], output_names=["y"],
    dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}},
    opset_version=17,
)
print(f"wrote {out}")
