#!/usr/bin/env python3
"""PyTorch oracle for the ONNX frontend: exported models and their derivatives.

Usage (from anywhere):
    python3 test/oracle/gen_onnx_fixtures.py            # every case and the bad files
    python3 test/oracle/gen_onnx_fixtures.py CASE ...   # only the named cases
    python3 test/oracle/gen_onnx_fixtures.py --list     # print the case table

For each case it builds a torch model (fixed seed, float32 weights), exports it
with torch.onnx.export (batch axis 0 dynamic, via dynamic_axes) to
test/fixtures/onnx/CASE.onnx, and writes CASE.json: the value and every
derivative up to the case's order with respect to the graph inputs, computed in
float64 from the same model (model.double(): exactly the float32 weights,
upcast) with functorch: vmap over the batch of nested jacrev (or jacfwd over
jacrev where recorded), in thoad's layout (see test/oracle/README.md):
    key "x"   -> [B, *out_without_B, *x_without_B]
    key "x,t" -> [B, *out_without_B, *x_without_B, *t_without_B]
The JSON format is the one of test/fixtures/*.json; `inputs` holds only the
graph inputs, `model_file` the .onnx file.

Two things the oracle does differently from the exported graph, on purpose:
* torch 1.13's layer_norm has wrong derivatives from order 3 (test/oracle/README.md):
  the oracle's nn.LayerNorm computes (x - mean) / sqrt(var + eps) * w + b written
  out, on the same weights; the export still comes from nn.LayerNorm.
* Literals of the model (0.5, sqrt 2, eps) are float64 in the oracle; ONNX stores
  them as float32, and the importer reads them back as the decimals they were.

Also writes deliberately bad files (bad_*.onnx) for the error tests.
Needs Debian's python3-torch 1.13 (with functorch) and python3-onnx.
"""

import copy
import io
import itertools
import json
import math
import os
import sys
import tempfile

try:
    import torch
    import functorch
    import onnx
except ImportError:
    # `python3` on PATH may be a pyenv/venv interpreter without torch (see gen_fixtures.py)
    if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3") \
            and not os.environ.get("THOAD_ORACLE_REEXEC"):
        os.environ["THOAD_ORACLE_REEXEC"] = "1"
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    raise

import warnings
import torch.nn as nn
import torch.nn.functional as F

warnings.filterwarnings("ignore")
torch.set_num_threads(1)

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
OUT_DIR = os.path.join(ROOT, "test", "fixtures", "onnx")


# --------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------

class OracleLayerNorm(nn.LayerNorm):
    """nn.LayerNorm for the export; its definition written out for the float64 oracle."""
    oracle = False

    def forward(self, x):
        if not self.oracle:
            return super().forward(x)
        dims = tuple(range(-len(self.normalized_shape), 0))
        mean = x.mean(dim=dims, keepdim=True)
        var = ((x - mean) ** 2).mean(dim=dims, keepdim=True)
        return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.fc2, self.fc3 = nn.Linear(5, 12), nn.Linear(12, 12), nn.Linear(12, 3)

    def forward(self, x):
        return self.fc3(torch.tanh(self.fc2(torch.tanh(self.fc1(x)))))


class CNN(nn.Module):
    """Conv2d, GELU, BatchNorm2d (not fused: it follows the activation), MaxPool2d,
    softplus, AvgPool2d without counting padding, Flatten, Linear, softmax."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 3, 3, padding=1)
        self.bn = nn.BatchNorm2d(3)
        self.fc = nn.Linear(27, 3)

    def forward(self, x):
        h = self.bn(F.gelu(self.conv(x)))              # [B, 3, 4, 5]
        h = F.max_pool2d(h, 2)                          # [B, 3, 2, 2]
        h = F.avg_pool2d(F.softplus(h), 2, stride=1, padding=1, count_include_pad=False)  # [B, 3, 3, 3]
        return torch.softmax(self.fc(torch.flatten(h, 1)), dim=-1)


class Residual(nn.Module):
    """x + W2 gelu(W1 LN(x)), then LN again."""

    def __init__(self):
        super().__init__()
        self.ln1, self.ln2 = OracleLayerNorm(6), OracleLayerNorm(6)
        self.fc1, self.fc2 = nn.Linear(6, 8), nn.Linear(8, 6)
        self.act = nn.GELU()

    def forward(self, x):
        return self.ln2(x + self.fc2(self.act(self.fc1(self.ln1(x)))))


class PINN(nn.Module):
    """u(x, t): two inputs, concatenated, a tanh MLP, one output."""

    def __init__(self):
        super().__init__()
        self.fc1, self.fc2, self.fc3 = nn.Linear(2, 16), nn.Linear(16, 16), nn.Linear(16, 1)

    def forward(self, x, t):
        h = torch.cat([x, t], dim=1)
        return self.fc3(torch.tanh(self.fc2(torch.tanh(self.fc1(h)))))


class Attention(nn.Module):
    """Single-head self-attention on [B, 3, 4]: softmax(q k^T / sqrt(4)) v, then an output projection."""

    def __init__(self):
        super().__init__()
        self.q, self.k, self.v, self.o = (nn.Linear(4, 4) for _ in range(4))

    def forward(self, x):
        a = torch.softmax(self.q(x) @ self.k(x).transpose(-2, -1) / math.sqrt(4), dim=-1)
        return self.o(a @ self.v(x))


class MultiHead(nn.Module):
    """GPT-style block on [B, 3, 4]: a position table, LayerNorm, one qkv Linear
    split three ways (Split), two heads through view/transpose (the B and T of
    x.shape go through Shape/Gather), scores scaled by 1/sqrt(2) (a float32
    literal read back as sqrt(1/2)), softmax, heads merged, a residual."""

    def __init__(self):
        super().__init__()
        self.qkv, self.o, self.ln = nn.Linear(4, 12), nn.Linear(4, 4), OracleLayerNorm(4)
        self.pos = nn.Parameter(0.5 * torch.randn(1, 3, 4))

    def forward(self, x):
        B, T, C = x.shape
        x = x + self.pos
        q, k, v = self.qkv(self.ln(x)).split(4, dim=-1)
        q, k, v = (t.view(B, T, 2, 2).transpose(1, 2) for t in (q, k, v))
        a = torch.softmax(q @ k.transpose(-2, -1) * (1.0 / math.sqrt(2)), dim=-1)
        return x + self.o((a @ v).transpose(1, 2).contiguous().view(B, T, C))


class Ops(nn.Module):
    """Many ops at once on x [B, 2, 6]: conv1d (stride, dilation, groups), BatchNorm1d,
    1-D max and average pooling with padding, slicing, gather by index list and by
    scalar, squeeze/unsqueeze, transpose, reshape through Shape/Gather/Concat,
    reductions, the activations, log_softmax, clamp, erf, pow, sqrt, exp, log, div."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(2, 4, 3, stride=1, padding=2, dilation=2, groups=2)
        self.bn = nn.BatchNorm1d(4)
        self.fc = nn.Linear(6, 3)

    def forward(self, x):
        h = self.bn(torch.tanh(self.conv(x)))  # [B, 4, 6]; BatchNorm after the activation (conv + bn is fused in float32 by the exporter)
        p = F.max_pool1d(h, 3, stride=2, padding=1)                 # [B, 4, 3]
        a = F.avg_pool1d(h, 2, stride=2, padding=1, count_include_pad=False)  # [B, 4, 4]
        s = x[:, 1:, ::2]                                           # [B, 1, 3]
        g = x[:, :, [0, 2, 3, 5]]                                   # [B, 2, 4]
        e = x[:, 0, 4]                                              # [B]
        u = s.squeeze(1).unsqueeze(-1)                              # [B, 3, 1]
        r = x.view(x.size(0), 3, -1).transpose(1, 2)                # [B, 4, 3]
        parts = [
            p.sum(-1),                                              # [B, 4]
            a.mean(dim=(1, 2), keepdim=True).flatten(1),            # [B, 1]
            g.amax(dim=1),                                          # [B, 4]
            F.leaky_relu(r, 0.1).sum(-1),                           # [B, 4]
            F.elu(g).mean(1) + F.selu(g).mean(1),                   # [B, 4]
            F.softplus(u).flatten(1) * torch.sigmoid(e).unsqueeze(1),  # [B, 3]
            F.log_softmax(self.fc(x.reshape(-1, 2, 6).sum(1)), dim=-1),  # [B, 3]
            torch.sqrt(x[:, 0] ** 2 + 1.0) - torch.exp(-x[:, 1] / 3),   # [B, 6]
            torch.log(1.5 + torch.erf(x[:, 1])) * torch.clamp(x[:, 0], -2.5, 2.5),  # [B, 6]
        ]
        return torch.cat(parts, dim=1)                              # [B, 38]


class Acts(nn.Module):
    """The ops the other models miss: relu, abs, sin, cos, reciprocal, GlobalMaxPool,
    ReduceMin, ReduceProd, Cast to double and back, Dropout in eval mode."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 2, 2)
        self.drop = nn.Dropout(0.3)

    def forward(self, x):
        h = self.conv(self.drop(x))                                     # [B, 2, 2, 3]
        r = (torch.relu(h) + torch.abs(h)).sum(1).flatten(1)            # [B, 6]
        g = F.adaptive_max_pool2d(torch.sin(h), 1).flatten(1)           # [B, 2]
        c = torch.cos(h).amin(dim=(2, 3))                               # [B, 2]
        p = torch.prod(1.5 + torch.tanh(h), dim=3).flatten(1)           # [B, 4]
        q = torch.reciprocal(2 + (h * h).double()).to(h.dtype).mean(dim=(1, 2, 3)).unsqueeze(1)  # [B, 1]; .to: the oracle stays float64
        return torch.cat([r, g, c, p, q], dim=1)


# --------------------------------------------------------------------------
# Cases: name, model class, graph inputs (name -> shape without B), opset,
# order K, batch size, seed, method.
# method: "rev" = nested jacrev; "fwd-over-rev" = jacrev for the first key
# variable, jacfwd for the others (not through softmax/log_softmax: torch 1.13
# has no forward AD for their backward). acts_o3 with plain jacrev^3 takes about
# 10 minutes (prod's backward under vmap falls back to a loop) and agrees with
# forward over reverse to 3e-16 relative.
# --------------------------------------------------------------------------
CASES = [
    ("mlp_o4",          MLP,       {"x": [5]},               16, 4, 2, 3101, "fwd-over-rev"),
    ("cnn_o3",          CNN,       {"x": [1, 4, 5]},         13, 3, 2, 3102, "rev"),
    ("residual_ln_o3",  Residual,  {"x": [6]},               17, 3, 2, 3103, "rev"),
    ("residual_ln13_o3", Residual, {"x": [6]},               13, 3, 2, 3104, "rev"),
    ("pinn_o4",         PINN,      {"x": [1], "t": [1]},     13, 4, 3, 3105, "fwd-over-rev"),
    ("attention_o3",    Attention, {"x": [3, 4]},            14, 3, 2, 3106, "rev"),
    ("multihead_o3",    MultiHead, {"x": [3, 4]},            17, 3, 2, 3109, "rev"),
    ("ops_o2",          Ops,       {"x": [2, 6]},            13, 2, 2, 3107, "rev"),
    ("acts_o3",         Acts,      {"x": [1, 3, 4]},         15, 3, 2, 3108, "fwd-over-rev"),
]


def build(cls, seed):
    torch.manual_seed(seed)
    m = cls()
    # non-trivial running statistics, so BatchNormalization's folding is tested
    for mod in m.modules():
        if isinstance(mod, nn.modules.batchnorm._BatchNorm):
            mod.running_mean.copy_(0.3 * torch.randn_like(mod.running_mean))
            mod.running_var.copy_(0.5 + torch.rand_like(mod.running_var))
            with torch.no_grad():
                mod.weight.copy_(1 + 0.2 * torch.randn_like(mod.weight))
                mod.bias.copy_(0.2 * torch.randn_like(mod.bias))
        if isinstance(mod, nn.LayerNorm):
            with torch.no_grad():
                mod.weight.copy_(1 + 0.2 * torch.randn_like(mod.weight))
                mod.bias.copy_(0.2 * torch.randn_like(mod.bias))
    return m.eval()


def export(model, names, shapes, opset, path, batch=2, dynamic=None):
    args = tuple(torch.randn(batch, *shapes[n]) for n in names)
    dyn = dynamic or {**{n: {0: "batch"} for n in names}, "y": {0: "batch"}}
    f = io.BytesIO()
    torch.onnx.export(model, args, f, input_names=list(names), output_names=["y"], dynamic_axes=dyn, opset_version=opset)
    with open(path, "wb") as out:
        out.write(f.getvalue())
    return onnx.load_from_string(f.getvalue())


def derivative(f, key_positions, method):
    """Nested jacobians: innermost w.r.t. the first key variable, so the result is [..y, ..v1, ..v2, ...]."""
    g = f
    for level, pos in enumerate(key_positions):
        jac = functorch.jacrev if method == "rev" or level == 0 else functorch.jacfwd
        g = jac(g, argnums=pos)
    return g


def flat(t):
    return {"shape": list(t.shape), "data": [float(v) for v in t.reshape(-1).tolist()]}


def generate(case):
    name, cls, shapes, opset, order, B, seed, method = case
    names = list(shapes)
    model = build(cls, seed)
    os.makedirs(OUT_DIR, exist_ok=True)
    proto = export(model, names, shapes, opset, os.path.join(OUT_DIR, name + ".onnx"))
    assert [i.name for i in proto.graph.input] == names, [i.name for i in proto.graph.input]

    oracle = copy.deepcopy(model).double()
    for mod in oracle.modules():
        if isinstance(mod, OracleLayerNorm):
            mod.oracle = True
    torch.manual_seed(seed + 1)
    xs = [0.8 * torch.randn(B, *shapes[n], dtype=torch.float64) for n in names]

    def per_sample(*vs):
        return oracle(*[v.unsqueeze(0) for v in vs]).squeeze(0)

    with torch.no_grad():
        value = oracle(*xs)
        # the per-sample form reproduces the batched forward pass, and the float32 model agrees
        assert torch.allclose(functorch.vmap(per_sample)(*xs), value, rtol=1e-12, atol=1e-12)
        assert torch.allclose(model(*[x.float() for x in xs]).double(), value, rtol=1e-4, atol=1e-5)
        if any(isinstance(m, OracleLayerNorm) for m in oracle.modules()):
            plain = copy.deepcopy(oracle)
            for mod in plain.modules():
                if isinstance(mod, OracleLayerNorm):
                    mod.oracle = False
            assert torch.allclose(plain(*xs), value, rtol=1e-12, atol=1e-12)

    derivs = {}
    for k in range(1, order + 1):
        for key in itertools.combinations_with_replacement(range(len(names)), k):
            d = functorch.vmap(derivative(per_sample, key, method))(*xs)
            expect = [B, *value.shape[1:]] + [s for p in key for s in shapes[names[p]]]
            assert list(d.shape) == expect, (name, key, d.shape, expect)
            derivs[",".join(names[p] for p in key)] = flat(d)

    fixture = {
        "case": name,
        "model_file": f"test/fixtures/onnx/{name}.onnx",
        "model": name,
        "order": order,
        "wrt": names,
        "dims": {},
        "batch": B,
        "seed": seed,
        "opset": opset,
        "inputs": {n: flat(x) for n, x in zip(names, xs)},
        "outputs": {"y": {"value": flat(value), "derivatives": derivs}},
        "generator": {"torch": torch.__version__, "onnx": onnx.__version__,
                      "method": "vmap(jacrev^k)" if method == "rev" else "vmap(jacfwd^(k-1) o jacrev)",
                      "script": "test/oracle/gen_onnx_fixtures.py"},
    }
    with open(os.path.join(OUT_DIR, name + ".json"), "w") as out:
        json.dump(fixture, out, separators=(",", ":"))
        out.write("\n")
    size = os.path.getsize(os.path.join(OUT_DIR, name + ".json"))
    print(f"{name}: order {order}, {len(derivs)} keys, {size / 1e6:.2f} MB")


# --------------------------------------------------------------------------
# A graph written by hand with onnx.helper: what exporters rarely produce
# (auto_pad SAME_UPPER/SAME_LOWER, asymmetric pads, AveragePool counting
# padding or not, ceil_mode where it changes nothing, Gemm alpha/beta, a
# negative-step Slice, a 2-D Gather, Unsqueeze of two axes, Squeeze without
# axes, Expand, Pad with a value, LayerNormalization over two axes, Softmax
# over axis 1, Reshape with 0 and -1, two graph outputs). The oracle is torch
# code written from the ONNX operator definitions, independently of the importer.
# --------------------------------------------------------------------------

def same_pads(n, k, s, d, upper):
    out = -(-n // s)
    total = max(0, (out - 1) * s + (k - 1) * d + 1 - n)
    small, big = total // 2, total - total // 2
    return (small, big) if upper else (big, small)


def handmade(name="handmade_o2", order=2, B=2, seed=3201):
    from onnx import helper, numpy_helper, TensorProto
    torch.manual_seed(seed)
    C, H, W = 2, 4, 5
    w = {
        "W1": 0.5 * torch.randn(4, 1, 2, 3), "b1": 0.2 * torch.randn(4),
        "W2": 0.4 * torch.randn(2, 4, 2, 2),
        "W3": 0.4 * torch.randn(2, 2, 3, 3), "b3": 0.2 * torch.randn(2),
        "Wg": 0.3 * torch.randn(0, 12),  # shape fixed below, once K is known
        "Cg": 0.2 * torch.randn(1, 12),
        "ln_scale": 1 + 0.2 * torch.randn(3, 4), "ln_bias": 0.2 * torch.randn(3, 4),
    }

    def forward(x, w, onnx_k=None):
        """The oracle: each node's ONNX definition in torch ops (float64)."""
        # Conv, group 2, strides [2, 1], auto_pad SAME_UPPER
        ph, pw = same_pads(H, 2, 2, 1, True), same_pads(W, 3, 1, 1, True)
        h1 = torch.tanh(F.conv2d(F.pad(x, (*pw, *ph)), w["W1"], w["b1"], stride=(2, 1), groups=2))
        H1, W1 = h1.shape[2], h1.shape[3]
        # Conv, dilations [1, 2], auto_pad SAME_LOWER, no bias
        ph, pw = same_pads(H1, 2, 1, 1, False), same_pads(W1, 2, 1, 2, False)
        h2 = torch.tanh(F.conv2d(F.pad(h1, (*pw, *ph)), w["W2"], dilation=(1, 2)))
        # Conv, pads [top 0, left 1, bottom 1, right 0]
        h3 = F.conv2d(F.pad(h2, (1, 0, 0, 1)), w["W3"], w["b3"])
        # AveragePool counting padding, pads [1, 0, 1, 1], strides [1, 2]
        a1 = F.avg_pool2d(F.pad(h2, (0, 1, 1, 1)), 2, stride=(1, 2))
        # AveragePool not counting padding, kernel 3, strides 2, SAME_UPPER
        ph, pw = same_pads(h2.shape[2], 3, 2, 1, True), same_pads(h2.shape[3], 3, 2, 1, True)
        pad = (*pw, *ph)
        ones = torch.ones_like(h2)
        a2 = F.avg_pool2d(F.pad(h2, pad), 3, stride=2) / F.avg_pool2d(F.pad(ones, pad), 3, stride=2)
        # MaxPool kernel [3, 2], strides 1, pads [1, 0, 1, 0], ceil_mode 1 (stride 1: no change)
        m1 = F.max_pool2d(h3, (3, 2), stride=1, padding=(1, 0))
        g1 = h3.mean(dim=(2, 3), keepdim=True)
        feats = torch.cat([t.flatten(1) for t in (a1, a2, m1, g1)], dim=1)
        if onnx_k is not None:
            return feats.shape[1]
        # Gemm alpha 0.5, beta 2, C [1, 12]
        z = 0.5 * (feats @ w["Wg"]) + 2 * w["Cg"]
        r = z.reshape(z.shape[0], 3, 4)
        mean = r.mean(dim=(1, 2), keepdim=True)
        var = ((r - mean) ** 2).mean(dim=(1, 2), keepdim=True)
        ln = (r - mean) / torch.sqrt(var + 1e-3) * w["ln_scale"] + w["ln_bias"]
        sm = torch.softmax(ln, dim=1)
        sl = sm.index_select(2, torch.tensor([2, 1, 0]))                       # [B, 3, 3]
        ga = sl.index_select(1, torch.tensor([0, 2, 1, 1])).reshape(-1, 2, 2, 3)  # [B, 2, 2, 3]
        rm = ga.amax(dim=2, keepdim=True).expand(-1, 2, 2, 3)                  # [B, 2, 2, 3]
        pd = F.pad(rm, (0, 2, 1, 0), value=0.25)                               # [B, 2, 3, 5]
        y1 = torch.log_softmax(pd.sum(3), dim=-1).flatten(1)                   # [B, 6]
        return y1, z

    K = forward(torch.zeros(1, C, H, W), w, onnx_k=True)
    w["Wg"] = 0.3 * torch.randn(K, 12)

    ints = lambda n, v: numpy_helper.from_array(__import__("numpy").array(v, dtype="int64"), n)
    inits = [numpy_helper.from_array(t.numpy(), n) for n, t in w.items()] + [
        ints("shape_0_3_m1", [0, 3, -1]), ints("starts", [2]), ints("ends", [-100]), ints("axes2", [2]), ints("steps", [-1]),
        ints("gidx", [[0, 2], [1, 1]]), ints("uaxes", [1, -1]), ints("rmax_axes", [2]), ints("exp_shape", [1, 1, 2, 1]),
        ints("pads", [0, 0, 1, 0, 0, 0, 0, 2]), ints("sum_axes", [3]), ints("flat_shape", [0, -1]),
    ]
    pad_value = helper.make_tensor("pad_value", TensorProto.FLOAT, [], [0.25])
    N = helper.make_node
    nodes = [
        N("Conv", ["x", "W1", "b1"], ["c1"], name="/conv_same_upper", group=2, strides=[2, 1], auto_pad="SAME_UPPER"),
        N("Tanh", ["c1"], ["h1"], name="/tanh1"),
        N("Conv", ["h1", "W2"], ["c2"], name="/conv_same_lower", dilations=[1, 2], auto_pad="SAME_LOWER"),
        N("Tanh", ["c2"], ["h2"], name="/tanh2"),
        N("Conv", ["h2", "W3", "b3"], ["h3"], name="/conv_asym", pads=[0, 1, 1, 0]),
        N("AveragePool", ["h2"], ["a1"], name="/avg_incl", kernel_shape=[2, 2], pads=[1, 0, 1, 1], strides=[1, 2], count_include_pad=1),
        N("AveragePool", ["h2"], ["a2"], name="/avg_excl_same", kernel_shape=[3, 3], strides=[2, 2], auto_pad="SAME_UPPER"),
        N("MaxPool", ["h3"], ["m1"], name="/maxpool", kernel_shape=[3, 2], pads=[1, 0, 1, 0], ceil_mode=1),
        N("GlobalAveragePool", ["h3"], ["g1"], name="/gap"),
    ]
    for t in ("a1", "a2", "m1", "g1"):
        nodes.append(N("Reshape", [t, "flat_shape"], [t + "_flat"], name=f"/flat_{t}"))
    nodes += [
        N("Concat", ["a1_flat", "a2_flat", "m1_flat", "g1_flat"], ["feats"], name="/concat", axis=1),
        N("Gemm", ["feats", "Wg", "Cg"], ["z"], name="/gemm", alpha=0.5, beta=2.0),
        N("Reshape", ["z", "shape_0_3_m1"], ["r"], name="/reshape"),
        N("LayerNormalization", ["r", "ln_scale", "ln_bias"], ["ln"], name="/ln", axis=-2, epsilon=1e-3),
        N("Softmax", ["ln"], ["sm"], name="/softmax", axis=1),
        N("Slice", ["sm", "starts", "ends", "axes2", "steps"], ["sl"], name="/slice_rev"),
        N("Gather", ["sl", "gidx"], ["ga"], name="/gather2d", axis=1),
        N("Unsqueeze", ["ga", "uaxes"], ["un"], name="/unsqueeze2"),
        N("Squeeze", ["un"], ["sq"], name="/squeeze_all"),
        N("ReduceMax", ["sq"], ["rm0"], name="/reducemax", axes=[2], keepdims=1),
        N("Expand", ["rm0", "exp_shape"], ["rm"], name="/expand"),
        N("Constant", [], ["pv"], name="/pad_value", value=pad_value),
        N("Pad", ["rm", "pads", "pv"], ["pd"], name="/pad"),
        N("ReduceSum", ["pd", "sum_axes"], ["rs"], name="/reducesum", keepdims=0),
        N("LogSoftmax", ["rs"], ["lsm"], name="/logsoftmax"),
        N("Flatten", ["lsm"], ["y1"], name="/flatten"),
    ]
    x_info = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", C, H, W])
    outs = [helper.make_tensor_value_info("y1", TensorProto.FLOAT, ["batch", 6]), helper.make_tensor_value_info("z", TensorProto.FLOAT, ["batch", 12])]
    graph = helper.make_graph(nodes, "handmade", [x_info], outs, inits)
    model = helper.make_model(graph, producer_name="gen_onnx_fixtures.py", opset_imports=[helper.make_opsetid("", 17)])
    onnx.checker.check_model(model)
    with open(os.path.join(OUT_DIR, name + ".onnx"), "wb") as f:
        f.write(model.SerializeToString())

    w64 = {k: v.double() for k, v in w.items()}
    torch.manual_seed(seed + 1)
    x = 0.8 * torch.randn(B, C, H, W, dtype=torch.float64)
    outputs = {}
    for oi, oname in enumerate(("y1", "z")):
        def per_sample(v, oi=oi):
            return forward(v.unsqueeze(0), w64)[oi].squeeze(0)
        with torch.no_grad():
            value = forward(x, w64)[oi]
            assert torch.allclose(functorch.vmap(per_sample)(x), value, rtol=1e-12, atol=1e-12)
        derivs = {}
        for k in range(1, order + 1):
            d = functorch.vmap(derivative(per_sample, (0,) * k, "rev"))(x)
            derivs[",".join(["x"] * k)] = flat(d)
        outputs[oname] = {"value": flat(value), "derivatives": derivs}
    fixture = {
        "case": name, "model_file": f"test/fixtures/onnx/{name}.onnx", "model": name, "order": order, "wrt": ["x"],
        "dims": {}, "batch": B, "seed": seed, "opset": 17,
        "inputs": {"x": flat(x)}, "outputs": outputs,
        "generator": {"torch": torch.__version__, "onnx": onnx.__version__, "method": "vmap(jacrev^k)",
                      "script": "test/oracle/gen_onnx_fixtures.py (handmade graph)"},
    }
    with open(os.path.join(OUT_DIR, name + ".json"), "w") as out:
        json.dump(fixture, out, separators=(",", ":"))
        out.write("\n")
    print(f"{name}: order {order}, outputs y1, z, {os.path.getsize(os.path.join(OUT_DIR, name + '.json')) / 1e6:.2f} MB")


def static_graph(name="static_o3", order=3, seed=3301):
    """A graph without a batch axis (fully static input [3, 4]): Gemm with transA,
    Transpose without perm, GlobalMaxPool, ReduceSum over all axes, Flatten at
    axis 0, ConstantOfShape, Identity; two outputs, one of them a scalar."""
    from onnx import helper, numpy_helper, TensorProto
    import numpy as np
    torch.manual_seed(seed)
    w = {"W": 0.5 * torch.randn(3, 5), "c": 0.2 * torch.randn(5)}

    def forward(x, w):
        t = torch.tanh(x.t() @ w["W"] + w["c"]).t()                  # [5, 4]
        gm = t.reshape(1, 5, 2, 2).amax(dim=(2, 3), keepdim=True)    # [1, 5, 1, 1]
        y = gm.reshape(1, 5) + 0.5
        s = t.sum()
        return y, s * s

    N = helper.make_node
    inits = [numpy_helper.from_array(t.numpy(), n) for n, t in w.items()] + [
        numpy_helper.from_array(np.array(v, dtype="int64"), n) for n, v in (("r_shape", [1, 5, 2, 2]), ("five", [1, 5]))]
    half = helper.make_tensor("half", TensorProto.FLOAT, [1], [0.5])
    nodes = [
        N("Gemm", ["x", "W", "c"], ["g"], name="/gemm_transA", transA=1),
        N("Tanh", ["g"], ["t0"], name="/tanh"),
        N("Transpose", ["t0"], ["t"], name="/transpose"),
        N("Reshape", ["t", "r_shape"], ["r"], name="/reshape"),
        N("GlobalMaxPool", ["r"], ["gm"], name="/gmp"),
        N("Flatten", ["gm"], ["f"], name="/flatten0", axis=0),
        N("ConstantOfShape", ["five"], ["halves"], name="/halves", value=half),
        N("Add", ["f", "halves"], ["y"], name="/add"),
        N("ReduceSum", ["t"], ["s0"], name="/sum_all", keepdims=0),
        N("Identity", ["s0"], ["s1"], name="/identity"),
        N("Mul", ["s1", "s1"], ["s"], name="/square"),
    ]
    graph = helper.make_graph(nodes, "static", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [3, 4])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 5]), helper.make_tensor_value_info("s", TensorProto.FLOAT, [])], inits)
    model = helper.make_model(graph, producer_name="gen_onnx_fixtures.py", opset_imports=[helper.make_opsetid("", 15)])
    onnx.checker.check_model(model)
    with open(os.path.join(OUT_DIR, name + ".onnx"), "wb") as f:
        f.write(model.SerializeToString())

    w64 = {k: v.double() for k, v in w.items()}
    torch.manual_seed(seed + 1)
    x = 0.8 * torch.randn(3, 4, dtype=torch.float64)
    outputs = {}
    for oi, oname in enumerate(("y", "s")):
        f = lambda v, oi=oi: forward(v, w64)[oi]
        with torch.no_grad():
            value = f(x)
        derivs = {}
        for k in range(1, order + 1):
            derivs[",".join(["x"] * k)] = flat(derivative(f, (0,) * k, "rev")(x))
        outputs[oname] = {"value": flat(value), "derivatives": derivs}
    fixture = {
        "case": name, "model_file": f"test/fixtures/onnx/{name}.onnx", "model": name, "order": order, "wrt": ["x"],
        "dims": {}, "batch": None, "seed": seed, "opset": 15,
        "inputs": {"x": flat(x)}, "outputs": outputs,
        "generator": {"torch": torch.__version__, "onnx": onnx.__version__, "method": "jacrev^k",
                      "script": "test/oracle/gen_onnx_fixtures.py (handmade graph, no batch axis)"},
    }
    with open(os.path.join(OUT_DIR, name + ".json"), "w") as out:
        json.dump(fixture, out, separators=(",", ":"))
        out.write("\n")
    print(f"{name}: order {order}, outputs y, s, {os.path.getsize(os.path.join(OUT_DIR, name + '.json')) / 1e6:.2f} MB")


# --------------------------------------------------------------------------
# Bad files for the error tests
# --------------------------------------------------------------------------

class CumSum(nn.Module):
    def forward(self, x):
        return torch.tanh(torch.cumsum(x, dim=1))


def bad_files():
    torch.manual_seed(0)
    # an op outside the supported set: CumSum
    export(CumSum(), ["x"], {"x": [4]}, 13, os.path.join(OUT_DIR, "bad_cumsum.onnx"))
    # a dynamic dim that is not the batch axis: the sequence length
    export(Attention(), ["x"], {"x": [3, 4]}, 14, os.path.join(OUT_DIR, "bad_dynamic_seq.onnx"),
           dynamic={"x": {0: "batch", 1: "seq"}, "y": {0: "batch", 1: "seq"}})
    # weights stored as external data (the .data file is deliberately not kept)
    proto = export(MLP(), ["x"], {"x": [5]}, 13, os.path.join(OUT_DIR, "bad_external.onnx"))
    with tempfile.TemporaryDirectory() as tmp:
        onnx.save_model(proto, os.path.join(tmp, "m.onnx"), save_as_external_data=True, all_tensors_to_one_file=True,
                        location="bad_external.onnx.data", size_threshold=0)
        with open(os.path.join(tmp, "m.onnx"), "rb") as src, open(os.path.join(OUT_DIR, "bad_external.onnx"), "wb") as dst:
            dst.write(src.read())
    # single-node graphs with one unsupported or inconsistent detail each
    from onnx import helper, TensorProto
    import numpy as np

    def one_node(fname, node, x_shape, y_shape, inits=(), opset=17):
        g = helper.make_graph([node], fname, [helper.make_tensor_value_info("x", TensorProto.FLOAT, x_shape)],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, y_shape)], list(inits))
        m = helper.make_model(g, producer_name="gen_onnx_fixtures.py", opset_imports=[helper.make_opsetid("", opset)])
        with open(os.path.join(OUT_DIR, fname + ".onnx"), "wb") as f:
            f.write(m.SerializeToString())

    # ceil_mode=1 that adds a partial window (5 -> 3 instead of 2)
    one_node("bad_ceil_mode", helper.make_node("AveragePool", ["x"], ["y"], name="/pool/AveragePool", kernel_shape=[2, 2], strides=[2, 2], ceil_mode=1),
             ["batch", 1, 5, 5], ["batch", 1, 3, 3])
    # a 4x4 weight whose raw data holds 8 floats
    short = helper.make_tensor("W", TensorProto.FLOAT, [4, 4], np.arange(16, dtype=np.float32).tobytes(), raw=True)
    short.raw_data = short.raw_data[:32]  # make_tensor checks the size; cut it afterwards
    one_node("bad_weight_size", helper.make_node("MatMul", ["x", "W"], ["y"], name="/fc/MatMul"), ["batch", 4], ["batch", 4], [short])
    # an opset before 13 (Softmax had other semantics)
    one_node("bad_opset11", helper.make_node("Softmax", ["x"], ["y"], name="/Softmax", axis=1), ["batch", 4], ["batch", 4], opset=11)
    # integer inputs (token ids for an embedding)
    g = helper.make_graph([helper.make_node("Gather", ["E", "ids"], ["y"], name="/emb/Gather")], "emb",
                          [helper.make_tensor_value_info("ids", TensorProto.INT64, ["batch", 3])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 3, 2])],
                          [helper.make_tensor("E", TensorProto.FLOAT, [5, 2], np.ones(10, dtype=np.float32))])
    with open(os.path.join(OUT_DIR, "bad_int_input.onnx"), "wb") as f:
        f.write(helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)]).SerializeToString())
    print("bad files: bad_cumsum, bad_dynamic_seq, bad_external, bad_ceil_mode, bad_weight_size, bad_opset11, bad_int_input")


def main(argv):
    if "--list" in argv:
        for c in CASES:
            print(f"{c[0]:20s} {c[1].__name__:10s} inputs {c[2]} opset {c[3]} order {c[4]} B {c[5]} {c[7]}")
        return
    wanted = [a for a in argv if not a.startswith("-")]
    for c in CASES:
        if not wanted or c[0] in wanted:
            generate(c)
    if not wanted or "handmade_o2" in wanted:
        handmade()
    if not wanted or "static_o3" in wanted:
        static_graph()
    if not wanted or "bad" in wanted:
        bad_files()


if __name__ == "__main__":
    main(sys.argv[1:])
