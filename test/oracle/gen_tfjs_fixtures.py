#!/usr/bin/env python3
"""PyTorch oracle for the TensorFlow.js Layers frontend: test/fixtures/tfjs/NAME_oK.json.

Usage (from the project root, or anywhere):
    python3 test/oracle/gen_tfjs_fixtures.py            # every case
    python3 test/oracle/gen_tfjs_fixtures.py cnn dense  # only these models

Reads what test/oracle/gen_tfjs_models.mjs wrote with @tensorflow/tfjs:
NAME/model.json, its weight shards, and NAME/tfjs_predict.json (seeded float32
inputs and tfjs's model.predict on them). It parses the Keras config itself
and re-implements each model in PyTorch float64: an independent
implementation that shares no code with compiler/frontends/tfjs/. Then it
computes every derivative up to the case's order with respect to every graph
input, as vmap over the batch of nested functorch.jacrev, in thoad's layout
(docs/design.md section 1): key "x" -> [B, *out\\B, *x\\B], "x,aux" ->
[B, *out\\B, *x\\B, *aux\\B]. Before writing, it checks that its value equals
tfjs's prediction within float32 accuracy (norm-wise relative error < 1e-5),
so the reimplementation is anchored to tfjs, not only to thoad.

Conventions it shares with the frontend's *specification* (not its code):
graph inputs are differentiated in the order of the model's input layers; a
Sequential model's input is named `x`, its output after its last layer;
functional inputs and outputs after their layers; names made identifiers as
compiler/frontends/imported.ts's identifier() documents.

Needs Debian's python3-torch 1.13 (with functorch); re-executes itself with
/usr/bin/python3 when the `python3` on PATH cannot import torch.
"""

import itertools
import json
import math
import os
import re
import sys
import time

try:
    import torch
    import functorch
except ImportError:
    if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3") \
            and not os.environ.get("THOAD_ORACLE_REEXEC"):
        os.environ["THOAD_ORACLE_REEXEC"] = "1"
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    raise

import torch.nn.functional as F

ROOT = os.path.realpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
FIXTURES = os.path.join(ROOT, "test", "fixtures", "tfjs")

# name, derivative order, method. The dense MLP is small enough for order 4; the
# 6x6x2 CNN's order-3 tensor would be 2 x 3 x 72^3 numbers, so it stops at 2 like
# cnn_o2. "jacrev" nests jacrev k deep; "fwd-over-rev" takes jacrev for the first
# key variable and jacfwd for the others (the same tensor): jacrev^3 over the 96
# outputs of the activations model exhausts memory.
CASES = [
    ("dense", 4, "jacrev"),
    ("functional", 3, "jacrev"),
    ("cnn", 2, "jacrev"),
    ("cnn_small", 3, "jacrev"),
    ("conv1d", 3, "jacrev"),
    ("activations", 3, "fwd-over-rev"),
    ("cnn_cf", 2, "jacrev"),
]

# --------------------------------------------------------------------------
# Names, as identifier() in compiler/frontends/imported.ts specifies them.
# --------------------------------------------------------------------------
KEYWORDS = {"model", "batch", "dim", "input", "param", "output", "fn", "true", "false"}


def identifier(name, taken):
    ident = re.sub(r"[^A-Za-z0-9_]", "_", name)
    if not re.match(r"[A-Za-z_]", ident):
        ident = "_" + ident
    if ident in KEYWORDS or ident in ("__proto__", "constructor", "prototype"):
        ident += "_"
    unique, k = ident, 2
    while unique in taken:
        unique = "%s_%d" % (ident, k)
        k += 1
    taken.add(unique)
    return unique


# --------------------------------------------------------------------------
# model.json and weights
# --------------------------------------------------------------------------
def load_weights(dirname, manifest):
    """Every manifest group: its shards concatenated, then its weights read in order (float32 only here)."""
    weights = {}
    for group in manifest:
        blob = b"".join(open(os.path.join(dirname, p), "rb").read() for p in group["paths"])
        offset = 0
        for w in group["weights"]:
            assert w["dtype"] == "float32" and "quantization" not in w, w
            n = math.prod(w["shape"])
            t = torch.frombuffer(bytearray(blob[offset:offset + 4 * n]), dtype=torch.float32)
            weights[w["name"]] = t.to(torch.float64).reshape(w["shape"])
            offset += 4 * n
        assert offset == len(blob), "shards hold %d bytes, manifest needs %d" % (len(blob), offset)
    return weights


def graph_of(topology):
    """(input tensors, [(layer, output tensor, [input tensors])] in order, output tensors).

    A tensor is (layer name, call index): a shared layer is called more than once."""
    cls, cfg = topology["class_name"], topology["config"]
    if cls == "Sequential":
        nodes, prev = [], ("__input__", 0)
        for layer in cfg["layers"]:
            nodes.append((layer, (layer["config"]["name"], 0), [prev]))
            prev = (layer["config"]["name"], 0)
        return [("__input__", 0)], nodes, [prev]
    assert cls in ("Model", "Functional"), cls
    nodes = []
    for layer in cfg["layers"]:
        for k, call in enumerate(layer["inbound_nodes"]):
            nodes.append((layer, (layer["config"]["name"], k), [(ref[0], ref[1]) for ref in call]))
    ins = [(r[0], r[1]) for r in cfg["input_layers"]]
    return ins, nodes, [(r[0], r[1]) for r in cfg["output_layers"]]


# --------------------------------------------------------------------------
# Keras layers in PyTorch. Tensors keep Keras's layout: [batch, ..., channels].
# --------------------------------------------------------------------------
SELU_ALPHA, SELU_SCALE = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946


def activation(name, x):
    if name in (None, "linear"):
        return x
    table = {
        "relu": torch.relu,
        "relu6": lambda v: torch.clamp(torch.relu(v), max=6.0),
        "elu": F.elu,
        "selu": lambda v: SELU_SCALE * torch.where(v > 0, v, SELU_ALPHA * torch.expm1(v)),
        "softplus": lambda v: torch.log1p(torch.exp(v)),
        "softsign": lambda v: v / (1 + torch.abs(v)),
        "sigmoid": torch.sigmoid,
        "hard_sigmoid": lambda v: torch.clamp(0.2 * v + 0.5, 0.0, 1.0),
        "tanh": torch.tanh,
        # written out: torch 1.13 has no forward AD for softmax's backward (fwd-over-rev)
        "softmax": lambda v: torch.exp(v - torch.logsumexp(v, dim=-1, keepdim=True)),
        "log_softmax": lambda v: v - torch.logsumexp(v, dim=-1, keepdim=True),
        "swish": lambda v: v * torch.sigmoid(v),
        "mish": lambda v: v * torch.tanh(torch.log1p(torch.exp(v))),
        "gelu": lambda v: 0.5 * v * (1 + torch.erf(v / math.sqrt(2))),
        "gelu_new": lambda v: 0.5 * v * (1 + torch.tanh(math.sqrt(2 / math.pi) * (v + 0.044715 * v ** 3))),
    }
    return table[name](x)


def tf_same_pads(size, kernel, stride, dilation):
    """TensorFlow's 'same' padding of one spatial axis: (before, after), the odd one after."""
    eff = (kernel - 1) * dilation + 1
    out = -(-size // stride)
    total = max((out - 1) * stride + eff - size, 0)
    return total // 2, total - total // 2


def spatial_pads(x_spatial, cfg, kernel, strides, dilation):
    """F.pad's argument (last axis first) for a channels-first tensor whose spatial sizes are x_spatial."""
    if cfg["padding"] == "valid":
        return [0, 0] * len(x_spatial)
    assert cfg["padding"] == "same", cfg["padding"]
    pads = []
    for size, k, s, d in reversed(list(zip(x_spatial, kernel, strides, dilation))):
        pads += list(tf_same_pads(size, k, s, d))
    return pads


def channels_first(x):
    return x.permute(0, x.dim() - 1, *range(1, x.dim() - 1))


def channels_last(x):
    return x.permute(0, *range(2, x.dim()), 1)


def is_channels_last(cfg):
    return cfg.get("data_format", "channels_last") == "channels_last"


def conv(cfg, x, W, b):
    nd = x.dim() - 2
    kernel, strides = cfg["kernel_size"], cfg["strides"]
    dilation = cfg.get("dilation_rate", [1] * nd)
    last = is_channels_last(cfg)
    xc = channels_first(x) if last else x
    xc = F.pad(xc, spatial_pads(xc.shape[2:], cfg, kernel, strides, dilation))
    # Keras kernel [k..., in, out] -> torch weight [out, in, k...]
    weight = W.permute(nd + 1, nd, *range(nd))
    convf = F.conv1d if nd == 1 else F.conv2d
    y = convf(xc, weight, b, stride=strides, dilation=dilation)
    return activation(cfg["activation"], channels_last(y) if last else y)


def pool(cfg, x, kind):
    nd = x.dim() - 2
    size, strides = cfg["pool_size"], cfg["strides"] or cfg["pool_size"]
    last = is_channels_last(cfg)
    xc = channels_first(x) if last else x
    pads = spatial_pads(xc.shape[2:], cfg, size, strides, [1] * nd)
    if kind == "max":
        y = (F.max_pool1d if nd == 1 else F.max_pool2d)(F.pad(xc, pads, value=-math.inf), size, strides)
    else:
        # TensorFlow's 'same' average leaves the padding out of the count
        avg = F.avg_pool1d if nd == 1 else F.avg_pool2d
        y = avg(F.pad(xc, pads), size, strides) / avg(F.pad(torch.ones_like(xc), pads), size, strides)
    return channels_last(y) if last else y


def normalize_affine(x, axes, mean, var, eps, gamma, beta):
    y = (x - mean) / torch.sqrt(var + eps)
    shape = [x.shape[a] if a in axes else 1 for a in range(x.dim())]
    if gamma is not None:
        y = y * gamma.reshape(shape)
    if beta is not None:
        y = y + beta.reshape(shape)
    return y


def apply_layer(layer, inputs, weights):
    cls, cfg = layer["class_name"], layer["config"]
    name = cfg["name"]
    w = lambda role: weights.get(name + "/" + role)
    x = inputs[0] if inputs else None
    if cls == "Dense":
        y = x @ w("kernel")
        if cfg["use_bias"]:
            y = y + w("bias")
        return activation(cfg["activation"], y)
    if cls == "Activation":
        return activation(cfg["activation"], x)
    if cls in ("Dropout", "GaussianNoise"):  # inference
        return x
    if cls == "ReLU":
        y = torch.relu(x)
        return y if cfg.get("max_value") is None else torch.clamp(y, max=cfg["max_value"])
    if cls == "LeakyReLU":
        return F.leaky_relu(x, cfg["alpha"])
    if cls == "ELU":
        assert cfg["alpha"] == 1
        return F.elu(x)
    if cls == "Softmax":
        return torch.exp(x - torch.logsumexp(x, dim=cfg["axis"], keepdim=True))
    if cls == "ThresholdedReLU":
        return x * (x > cfg["theta"])
    if cls == "PReLU":
        assert cfg.get("shared_axes") is None
        return torch.where(x > 0, x, w("alpha") * x)
    if cls == "BatchNormalization":
        # inference: the moving statistics
        axis = cfg["axis"] % x.dim()
        shape = [x.shape[a] if a == axis else 1 for a in range(x.dim())]
        mean, var = w("moving_mean").reshape(shape), w("moving_variance").reshape(shape)
        return normalize_affine(x, [axis], mean, var, cfg["epsilon"],
                                w("gamma") if cfg["scale"] else None, w("beta") if cfg["center"] else None)
    if cls == "LayerNormalization":
        # its definition with torch.mean: torch 1.13's F.layer_norm is wrong at order 3 (test/oracle/README.md)
        axes = [a % x.dim() for a in (cfg["axis"] if isinstance(cfg["axis"], list) else [cfg["axis"]])]
        mean = x.mean(dim=axes, keepdim=True)
        var = ((x - mean) ** 2).mean(dim=axes, keepdim=True)
        return normalize_affine(x, axes, mean, var, cfg["epsilon"],
                                w("gamma") if cfg["scale"] else None, w("beta") if cfg["center"] else None)
    if cls in ("Conv1D", "Conv2D"):
        return conv(cfg, x, w("kernel"), w("bias") if cfg["use_bias"] else None)
    if cls in ("MaxPooling1D", "MaxPooling2D"):
        return pool(cfg, x, "max")
    if cls in ("AveragePooling1D", "AveragePooling2D"):
        return pool(cfg, x, "avg")
    if cls in ("GlobalAveragePooling1D", "GlobalAveragePooling2D"):
        assert is_channels_last(cfg)
        return x.mean(dim=list(range(1, x.dim() - 1)))
    if cls in ("GlobalMaxPooling1D", "GlobalMaxPooling2D"):
        assert is_channels_last(cfg)
        return torch.amax(x, dim=list(range(1, x.dim() - 1)))
    if cls == "Flatten":
        if not is_channels_last(cfg):  # Keras flattens channels-last order
            x = channels_last(x)
        return x.reshape(x.shape[0], -1)
    if cls == "Reshape":
        return x.reshape(x.shape[0], *cfg["target_shape"])
    if cls == "Add":
        return sum(inputs[1:], inputs[0])
    if cls == "Multiply":
        return math.prod(inputs[1:], start=inputs[0])
    if cls == "Average":
        return sum(inputs[1:], inputs[0]) / len(inputs)
    if cls in ("Maximum", "Minimum"):
        y = inputs[0]
        for t in inputs[1:]:
            y = torch.maximum(y, t) if cls == "Maximum" else torch.minimum(y, t)
        return y
    if cls == "Concatenate":
        return torch.cat(inputs, dim=cfg["axis"])
    raise NotImplementedError(cls)


def build(dirname):
    doc = json.load(open(os.path.join(dirname, "model.json")))
    topo = doc["modelTopology"]
    topo = topo.get("model_config", topo)
    weights = load_weights(dirname, doc["weightsManifest"])
    ins, nodes, outs = graph_of(topo)

    def forward(*xs):
        values = dict(zip(ins, xs))
        pending = list(nodes)
        while pending:  # in dependency order
            ready = next(n for n in pending if all(s in values for s in n[2]))
            pending.remove(ready)
            layer, out, srcs = ready
            if layer["class_name"] == "InputLayer":  # a Sequential written by Keras may start with one
                values[out] = values[srcs[0]]
            else:
                values[out] = apply_layer(layer, [values[s] for s in srcs], weights)
        return tuple(values[o] for o in outs)

    sequential = topo["class_name"] == "Sequential"
    taken = set(["B"])
    thd_in = ["x"] if sequential else [identifier(n, taken) for n, _ in ins]
    if sequential:
        taken.add("x")
    thd_out = [identifier(n, taken) for n, _ in outs]
    return forward, thd_in, thd_out, doc


# --------------------------------------------------------------------------
# Derivatives: vmap over the batch of nested jacrev, one level per key variable.
# --------------------------------------------------------------------------
def derivative_fn(per_sample, out_index, key, method):
    f = lambda *xs: per_sample(*xs)[out_index]
    for level, arg in enumerate(key):
        outer = functorch.jacfwd if method == "fwd-over-rev" and level > 0 else functorch.jacrev
        f = outer(f, argnums=arg)
    return f


def rel_error(got, want):
    scale = want.abs().max().item()
    err = (got - want).abs().max().item()
    return err / scale if scale > 0 else err


def flat(t):
    return {"shape": list(t.shape), "data": [float(v) for v in t.reshape(-1).tolist()]}


def run_case(name, order, method):
    dirname = os.path.join(FIXTURES, name)
    forward, thd_in, thd_out, doc = build(dirname)
    pred = json.load(open(os.path.join(dirname, "tfjs_predict.json")))
    xs = [torch.tensor(pred["inputs"][n]["data"], dtype=torch.float64).reshape(pred["inputs"][n]["shape"])
          for n in pred["input_names"]]
    assert len(xs) == len(thd_in)

    values = forward(*xs)
    # anchor: tfjs computed the same model in float32
    for k, oname in enumerate(pred["output_names"]):
        want = torch.tensor(pred["outputs"][oname]["data"], dtype=torch.float64).reshape(pred["outputs"][oname]["shape"])
        err = rel_error(values[k], want)
        if not err < 1e-5:
            raise SystemExit("%s: output %s differs from tfjs's predict by %.3g (relative)" % (name, oname, err))
        print("  %s: %s matches tfjs predict to %.2g" % (name, oname, err))

    # the per-sample function sees unbatched slices and restores a batch axis of 1
    def per_sample(*samples):
        return tuple(y[0] for y in forward(*(s.unsqueeze(0) for s in samples)))

    batched = forward(*xs)
    check = functorch.vmap(per_sample)(*xs)
    for a, b in zip(batched, check):
        assert rel_error(b, a) < 1e-14, "per-sample evaluation differs from the batched one"

    outputs = {}
    for k, oname in enumerate(thd_out):
        derivs = {}
        for m in range(1, order + 1):
            for key in itertools.combinations_with_replacement(range(len(xs)), m):
                d = functorch.vmap(derivative_fn(per_sample, k, key, method))(*xs)
                want_shape = [xs[0].shape[0]] + list(values[k].shape[1:]) + [s for i in key for s in xs[i].shape[1:]]
                assert list(d.shape) == want_shape, (list(d.shape), want_shape)
                derivs[",".join(thd_in[i] for i in key)] = flat(d)
        outputs[oname] = {"value": flat(values[k]), "derivatives": derivs}

    fixture = {
        "case": "%s_o%d" % (name, order),
        "model_file": "test/fixtures/tfjs/%s/model.json" % name,
        "model": name,
        "order": order,
        "wrt": thd_in,
        "dims": {},
        "batch": xs[0].shape[0],
        "seed": pred["seed"],
        "inputs": {n: flat(x) for n, x in zip(thd_in, xs)},
        "outputs": outputs,
        "generator": {"torch": torch.__version__, "method": "vmap(jacrev^k)" if method == "jacrev" else "vmap(jacfwd^(k-1) . jacrev)", "script": "test/oracle/gen_tfjs_fixtures.py",
                      "tfjs_predict": "test/fixtures/tfjs/%s/tfjs_predict.json" % name},
    }
    path = os.path.join(FIXTURES, "%s_o%d.json" % (name, order))
    with open(path, "w") as fh:
        json.dump(fixture, fh)
        fh.write("\n")
    return path


def main():
    torch.set_num_threads(1)
    wanted = sys.argv[1:]
    for name, order, method in CASES:
        if wanted and name not in wanted:
            continue
        t0 = time.time()
        path = run_case(name, order, method)
        print("wrote %s (%.1f s)" % (os.path.relpath(path, ROOT), time.time() - t0))


if __name__ == "__main__":
    main()
