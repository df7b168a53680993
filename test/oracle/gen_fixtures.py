#!/usr/bin/env python3
"""PyTorch oracle for thoad: generates the JSON derivative fixtures in test/fixtures/.

Usage (from the project root, or anywhere):
    python3 test/oracle/gen_fixtures.py            # regenerate every case
    python3 test/oracle/gen_fixtures.py CASE ...   # only the named cases
    python3 test/oracle/gen_fixtures.py --list     # print the case table
    python3 test/oracle/gen_fixtures.py --pure-jacrev [CASE ...]
        # ignore the per-case METHOD table: nested jacrev everywhere (mlp_o4
        # then takes ~7 minutes)
    python3 test/oracle/gen_fixtures.py --check [CASE ...]
        # also check every order-k tensor against central differences of the
        # order-(k-1) tensor (slow-ish; does not change the written files)

Needs only torch (Debian python3-torch 1.13, which ships functorch).

The .thd parser below is an independent, minimal reimplementation of the
language subset (it deliberately shares nothing with the TypeScript compiler).
Derivative layout follows docs/design.md (section 1):
    shape(D[key]) = [B]? ++ shape(y)\\B ++ shape(w_i1)\\B? ++ ... ++ shape(w_ik)\\B?
computed as vmap over the batch of nested jacrev (batched models) or nested
jacrev alone (models without a batch axis).
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
    # `python3` on PATH may be a pyenv/venv interpreter without torch; the
    # Debian package python3-torch lives under /usr/bin/python3.
    if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3") \
            and not os.environ.get("THOAD_ORACLE_REEXEC"):
        os.environ["THOAD_ORACLE_REEXEC"] = "1"
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    raise

# --------------------------------------------------------------------------
# Case list.
#   name, model file (relative to the project root), model name, order K,
#   wrt (None = every input in declaration order), dims overrides, batch size
#   (ignored / null when the model has no batch axis), seed, input scale
#   (float, or dict {name: scale, "*": default}), positive (names drawn from
#   U(0.5, 2) instead of scale * N(0, 1)).
# --------------------------------------------------------------------------
CASES = [
    # name               file                          model               K  wrt          dims                 B  seed  scale                        positive
    ("mlp_o1",           "examples/mlp.thd",           "mlp",              1, None,        {},                  3, 101, {"*": 0.3, "x": 1.0},       []),
    ("mlp_o2",           "examples/mlp.thd",           "mlp",              2, None,        {},                  3, 102, {"*": 0.3, "x": 1.0},       []),
    ("mlp_o3",           "examples/mlp.thd",           "mlp",              3, None,        {},                  3, 103, {"*": 0.3, "x": 1.0},       []),
    ("mlp_o4",           "examples/mlp.thd",           "mlp",              4, None,        {},                  2, 104, {"*": 0.3, "x": 1.0},       []),
    ("residual_o3",      "test/models/residual.thd",   "residual",         3, None,        {},                  3, 201, {"*": 0.5},                  []),
    ("product_o3",       "test/models/product.thd",    "product",          3, None,        {},                  3, 301, {"*": 0.5},                  []),
    ("softmax_o3",       "test/models/heads.thd",      "softmax_head",     3, None,        {},                  3, 401, {"*": 0.6},                  []),
    ("log_softmax_o3",   "test/models/heads.thd",      "log_softmax_head", 3, None,        {"H": 5, "K": 4},    3, 402, {"*": 0.6},                  []),
    ("loss_Wx_o2",       "test/models/loss.thd",       "loss",             2, ["W", "x"],  {},                  None, 501, {"*": 0.6},               []),
    ("loss_W_o3",        "test/models/loss.thd",       "loss",             3, ["W"],       {"I": 2, "O": 3},    None, 502, {"*": 0.6},               []),
    ("einsum_o3",        "test/models/einsum.thd",     "einsum_ops",       3, None,        {},                  2, 601, {"*": 0.5},                  []),
    ("shapes_o3",        "test/models/shapes.thd",     "shapes",           3, None,        {},                  2, 701, {"*": 0.4},                  ["p"]),
    ("tiny_o5",          "test/models/tiny.thd",       "tiny",             5, None,        {},                  2, 801, {"*": 0.7},                  []),
    ("two_heads_xb1_o2", "test/models/two_heads.thd",  "two_heads",        2, ["x", "b1"], {},                  3, 901, {"*": 0.6},                  []),
    ("two_heads_xW1_o3", "test/models/two_heads.thd",  "two_heads",        3, ["x", "W1"], {"D": 2, "H": 3},    2, 902, {"*": 0.6},                  []),
    ("acts_o3",          "test/models/activations.thd", "acts",            3, None,        {},                  3, 1001, {"*": 0.8},                 []),
    ("elementwise_smooth_o4",   "test/models/elementwise.thd", "smooth",   4, None,        {},                  2, 1101, {"*": 0.6, "x": 0.8},      []),
    ("elementwise_acts_o4",     "test/models/elementwise.thd", "acts2",    4, None,        {},                  2, 1117, {"*": 0.8, "x": 1.0},      []),
    ("elementwise_positive_o4", "test/models/elementwise.thd", "positive", 4, None,        {},                  2, 1103, {"*": 0.6},                 ["p"]),
    ("elementwise_unit_o4",     "test/models/elementwise.thd", "unit",     4, None,        {},                  2, 1104, {"*": 0.6, "u": 0.3},      []),
    ("xlogy_o4",                "test/models/elementwise.thd", "xlogy2",   4, None,        {},                  2, 1105, {"*": 0.8},                 ["b"]),
    ("contractions_o3",         "test/models/contractions.thd", "contractions", 3, None,   {},                  2, 1201, {"*": 0.6},                 []),
    ("ellipsis_o3",             "test/models/contractions.thd", "ellipsis", 3, None,       {},                  None, 1202, {"*": 0.7},              []),
    ("losses_o3",               "test/models/losses.thd",      "losses",   3, None,        {"N": 2, "C": 3},    None, 1301, {"*": 0.8},              []),
    ("robust_o4",               "test/models/losses.thd",      "robust",   4, None,        {"N": 2, "C": 3},    None, 1302, {"*": 0.8},              []),
    ("per_sample_losses_o3",    "test/models/losses.thd",      "per_sample", 3, None,      {},                  2, 1303, {"*": 0.8},                 []),
    ("shape_ops_o4",            "test/models/ops.thd",         "shape_ops", 4, None,       {},                  2, 1401, {"*": 0.7},                 []),
    ("select_ops_o4",           "test/models/ops.thd",         "select_ops", 4, None,      {},                  2, 1402, {"*": 0.8},                 []),
    ("reductions_o4",           "test/models/ops.thd",         "reductions", 4, None,      {},                  2, 1403, {"*": 0.7},                 []),
    ("reductions_all_o4",       "test/models/ops.thd",         "reductions_all", 4, None,  {},                  None, 1404, {"*": 0.8},              []),
    ("layer_norms_o2",          "test/models/ops.thd",         "layer_norms", 2, None,     {},                  2, 1405, {"*": 0.8},                 []),
    ("layer_norms_composed_o4", "test/models/ops.thd",         "layer_norms", 4, None,     {},                  2, 1409, {"*": 0.8},                 []),
    ("conv_ops_o3",             "test/models/ops.thd",         "conv_ops", 3, None,        {},                  2, 1406, {"*": 0.6},                 []),
    ("conv_nobatch_o3",         "test/models/ops.thd",         "conv_nobatch", 3, None,    {},                  None, 1407, {"*": 0.7},              []),
    ("conv_small_o4",           "test/models/ops.thd",         "conv_small", 4, None,      {},                  2, 1408, {"*": 0.6},                 []),
    ("cnn_o2",                  "examples/cnn.thd",            "cnn",      2, None,        {},                  2, 1408, {"*": 0.4, "x": 1.0},      []),
    # issue 12, section 4: reverse mode through convolution and pooling with respect to kernels (the
    # frontier expands through the patches of a dependent input: test/models/cnn2.thd, reverse-patches.ts)
    ("conv_ops_w_o3",           "test/models/ops.thd",         "conv_ops", 3, ["w"],       {},                  1, 1410, {"*": 0.6},                 []),
    ("conv_nobatch_wk_o3",      "test/models/ops.thd",         "conv_nobatch", 3, ["w", "k"], {},               None, 1411, {"*": 0.7},              []),
    ("conv3d_w_o3",             "test/models/ops2.thd",        "conv3d_ops", 3, ["w"],     {},                  1, 2013, {"*": 0.6},                 []),
    ("conv_padding_k1_o3",      "test/models/ops2.thd",        "conv_padding", 3, ["k1"],  {},                  1, 2014, {"*": 0.6},                 []),
    ("cnn2_o4",                 "test/models/cnn2.thd",        "cnn2",     4, ["K1", "c1"], {},                 2, 1416, {"*": 0.6},                 []),
    # issue 12, section 3: operators for porting real models (test/models/ops2.thd)
    ("pow_tensor_o4",           "test/models/ops2.thd",        "pow_tensor", 4, None,      {},                  2, 2001, {"*": 0.6},                 ["x"]),
    ("atan2_o4",                "test/models/ops2.thd",        "atan2_ops", 4, None,       {},                  3, 2002, {"*": 1.0},                 []),
    ("scans_o4",                "test/models/ops2.thd",        "scans",    4, None,        {},                  2, 2003, {"*": 0.8},                 []),
    ("conv3d_o3",               "test/models/ops2.thd",        "conv3d_ops", 3, None,      {},                  2, 2004, {"*": 0.6},                 []),
    ("conv_padding_o3",         "test/models/ops2.thd",        "conv_padding", 3, None,    {},                  2, 2005, {"*": 0.6},                 []),
    ("clamp_tensor_o3",         "test/models/ops2.thd",        "clamp_tensor", 3, ["x", "lo", "hi"], {},         3, 2006, {"*": 0.8},                 []),
    ("special_o4",              "test/models/ops2.thd",        "special",  4, None,        {},                  2, 2007, {"*": 0.8},                 []),
    ("steps_o4",                "test/models/ops2.thd",        "steps",    4, None,        {},                  2, 2008, {"*": 1.0},                 []),
    ("label_losses_o3",         "test/models/ops2.thd",        "label_losses", 3, ["z"],   {},                  None, 2009, {"*": 0.8},              ["w"]),
    ("label_losses_batched_o3", "test/models/ops2.thd",        "label_losses_batched", 3, ["x"], {},            4, 2010, {"*": 0.8},                 ["w"]),
    ("dims_numbers_o3",         "test/models/ops2.thd",        "dims_numbers", 3, None,    {},                  2, 2011, {"*": 0.7},                 []),
    ("dims_numbers_E5_o3",      "test/models/ops2.thd",        "dims_numbers", 3, None,    {"E": 5},            2, 2012, {"*": 0.7},                 []),
    # issue 12, section 1: d(...) inside models (test/models/derivs.thd, examples/burgers.thd); inner + outer orders up to 4
    ("burgers_o2",              "examples/burgers.thd",        "burgers",  2, ["W1", "b1"], {},                 None, 2101, {"*": 0.7},              []),
    ("d_batched_o2",            "test/models/derivs.thd",      "d_batched", 2, ["x", "W"], {},                  2, 2102, {"*": 0.6},                 []),
    ("d_ops_o2",                "test/models/derivs.thd",      "d_ops",    2, ["x", "p"],  {},                  2, 2103, {"*": 0.8},                 []),
    ("d_nobatch_o1",            "test/models/derivs.thd",      "d_nobatch", 1, ["a", "W"], {},                  None, 2104, {"*": 0.5},              []),
    ("burgers_per_point_o2",    "examples/burgers_per_point.thd", "burgers_per_point", 2, ["W1", "b1"], {},     4, 2105, {"*": 0.7},                 []),
    # issue 12, section 2: laplacian and hessian_diag inside models (test/models/structured.thd), differentiated again
    ("structured_poisson_o2",   "test/models/structured.thd",  "poisson",  2, ["W1", "b1"], {},                 2, 2301, {"*": 0.6},                 []),
    ("structured_ops_o2",       "test/models/structured.thd",  "diag_ops", 2, ["x", "p"],  {},                  2, 2302, {"*": 0.7},                 []),
    ("structured_nobatch_o2",   "test/models/structured.thd",  "nobatch",  2, ["a", "W"],  {},                  None, 2303, {"*": 0.5},              []),
    # issue 12, section 2: hvp and jet inside models (test/models/hvp-jet.thd), differentiated again
    ("hvp_mlp_o1",              "test/models/hvp-jet.thd",     "hvp_mlp",  1, ["x", "W1"], {},                  3, 2201, {"*": 0.6},                 []),
    ("hvp_ops_o1",              "test/models/hvp-jet.thd",     "hvp_ops",  1, ["x", "p"],  {},                  2, 2202, {"*": 0.7},                 []),
    ("hvp_param_o1",            "test/models/hvp-jet.thd",     "hvp_param", 1, ["W", "a"], {},                  2, 2203, {"*": 0.6},                 []),
    ("hvp_conv_o1",             "test/models/hvp-jet.thd",     "hvp_conv", 1, ["x", "k"],  {},                  None, 2204, {"*": 0.6},              []),
    ("hvp_einsum_o1",           "test/models/hvp-jet.thd",     "hvp_einsum", 1, ["x", "M"], {},                 2, 2209, {"*": 0.7},                 []),
    ("hvp_shared_o1",           "test/models/hvp-jet.thd",     "hvp_shared", 1, ["x", "u"], {},                 3, 2210, {"*": 0.7},                 []),
    ("hvp_param2_o1",           "test/models/hvp-jet.thd",     "hvp_param2", 1, ["W", "a"], {},                 2, 2211, {"*": 0.6},                 []),
    ("hvp_loss_o2",             "test/models/hvp-jet.thd",     "hvp_loss", 2, ["W1", "b1"], {},                 2, 2205, {"*": 0.6},                 []),
    ("jet_mlp_o1",              "test/models/hvp-jet.thd",     "jet_mlp",  1, ["x", "W"],  {},                  2, 2206, {"*": 0.6},                 []),
    ("jet_ops_o1",              "test/models/hvp-jet.thd",     "jet_ops",  1, ["x"],       {},                  2, 2207, {"*": 0.6},                 []),
    ("jet_loss_o2",             "test/models/hvp-jet.thd",     "jet_loss", 2, ["W"],       {},                  2, 2208, {"*": 0.6},                 []),
]

# Per-case differentiation method (default "rev": nested jacrev, all levels).
# "fwd-over-rev": jacrev for the first key variable, jacfwd for the others.
# Pure jacrev^4 of the 8-32-32-4 MLP takes ~7 minutes and tens of GB
# unchunked in functorch 1.13; forward-over-reverse takes 0.03 s and agrees
# with it to 9e-16 (run with --pure-jacrev to redo that comparison).
# Never use it for softmax/log_softmax: forward AD through their backward
# (_softmax_backward_data, _log_softmax_backward_data) is not implemented in
# 1.13, so jacfwd over jacrev raises NotImplementedError.
METHOD = {
    "mlp_o4": "fwd-over-rev",
    # torch.prod's backward nested four deep under jacrev takes ~30 s per key (vmap
    # falls back to a loop for cumprod_backward); forward over reverse takes 0.01 s.
    # layer_norm by composition (see LAYER_NORM_COMPOSED): every op has forward AD.
    "layer_norms_composed_o4": "fwd-over-rev",
    # For the three models whose files were first generated with plain jacrev^4
    # (shape_ops_o4, select_ops_o4, reductions_all_o4), both agree to 1e-15.
    "shape_ops_o4": "fwd-over-rev",
    "select_ops_o4": "fwd-over-rev",
    "reductions_o4": "fwd-over-rev",
    "reductions_all_o4": "fwd-over-rev",
    # nested jacrev^4 through cumprod/cummax backward (vmap falls back to loops) grows past 20 GB
    "scans_o4": "fwd-over-rev",
}

# Class-index targets (cross_entropy, nll_loss): per case, the inputs drawn as integers in
# [0, n) (stored as floats, as thoad takes them): {case: {name: n}}. Never in wrt.
LABELS = {
    "label_losses_o3": {"t": 3},
    "label_losses_batched_o3": {"t": 3},
}

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
FIXTURE_DIR = os.path.join(ROOT, "test", "fixtures")
DTYPE = torch.float64


# --------------------------------------------------------------------------
# Tokenizer
# --------------------------------------------------------------------------
class ThdError(Exception):
    pass


TOKEN_RE = re.compile(r"""
    (?P<ws>[ \t\r]+)
  | (?P<comment>\#[^\n]*)
  | (?P<newline>\n)
  | (?P<number>(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?)
  | (?P<name>[A-Za-z_][A-Za-z_0-9]*)
  | (?P<string>"[^"\n]*"|'[^'\n]*')
  | (?P<op>\*\*|>=|<=|\.\.\.|[-+*/@()\[\]{},=:<>])
""", re.VERBOSE)


class Tok:
    __slots__ = ("kind", "text", "line", "col")

    def __init__(self, kind, text, line, col):
        self.kind, self.text, self.line, self.col = kind, text, line, col

    def __repr__(self):
        return "%s(%r)@%d:%d" % (self.kind, self.text, self.line, self.col)


def tokenize(src, fname="<thd>"):
    toks = []
    pos, line, line_start = 0, 1, 0
    depth = 0  # ( and [ nesting: newlines inside are not statement breaks
    while pos < len(src):
        m = TOKEN_RE.match(src, pos)
        if not m:
            raise ThdError("%s:%d:%d: unexpected character %r" % (fname, line, pos - line_start + 1, src[pos]))
        kind = m.lastgroup
        text = m.group(kind)
        col = pos - line_start + 1
        if kind == "newline":
            if depth == 0:
                toks.append(Tok("newline", "\n", line, col))
            line += 1
            line_start = m.end()
        elif kind in ("ws", "comment"):
            pass
        else:
            if kind == "op" and text in "([":
                depth += 1
            elif kind == "op" and text in ")]":
                depth = max(0, depth - 1)
            toks.append(Tok(kind, text, line, col))
        pos = m.end()
    toks.append(Tok("newline", "\n", line, 1))
    toks.append(Tok("eof", "", line, 1))
    return toks


# --------------------------------------------------------------------------
# Parser (recursive descent).  Expression AST nodes are tuples:
#   ("num", value) ("name", id) ("str", s) ("list", [items])
#   ("neg", e) ("bin", op, a, b) ("call", fname, [args], {kw: e})
# each wrapped as (node, line) for error messages: Node(kind, line, *fields).
# --------------------------------------------------------------------------
class Node:
    __slots__ = ("kind", "line", "a")

    def __init__(self, kind, line, *a):
        self.kind, self.line, self.a = kind, line, a


class Decl:
    def __init__(self, kind, name, dims, line):
        self.kind, self.name, self.dims, self.line = kind, name, dims, line


class Model:
    def __init__(self, name):
        self.name = name
        self.batch = None
        self.dims = {}        # name -> int (declaration order kept by dict)
        self.decls = []       # inputs and params, declaration order
        self.stmts = []       # (target, expr, line)
        self.outputs = []
        self.fns = {}         # fn definitions inside the model: name -> FnDef
        self.file_fns = {}    # the file's fn definitions (shared by every model of the file)

    def decl(self, name):
        for d in self.decls:
            if d.name == name:
                return d
        return None

    @property
    def inputs(self):
        return [d.name for d in self.decls if d.kind == "input"]


class FnDef:
    """`fn NAME(params) = body`; a call substitutes the argument expressions for the
    parameters in the body and evaluates the result (macro expansion)."""
    def __init__(self, name, params, body, line):
        self.name, self.params, self.body, self.line = name, params, body, line


class Parser:
    def __init__(self, toks, fname):
        self.t, self.i, self.fname = toks, 0, fname

    def peek(self, k=0):
        return self.t[self.i + k]

    def err(self, msg, tok=None):
        tok = tok or self.peek()
        raise ThdError("%s:%d:%d: %s (at %r)" % (self.fname, tok.line, tok.col, msg, tok.text))

    def next(self):
        tok = self.t[self.i]
        self.i += 1
        return tok

    def at(self, kind, text=None):
        tok = self.peek()
        return tok.kind == kind and (text is None or tok.text == text)

    def expect(self, kind, text=None):
        if not self.at(kind, text):
            self.err("expected %s" % (text if text is not None else kind))
        return self.next()

    def skip_newlines(self):
        while self.at("newline"):
            self.next()

    def parse_file(self):
        models = {}
        file_fns = {}
        self.skip_newlines()
        while not self.at("eof"):
            if self.at_fn():
                self.parse_fn(file_fns)
                self.expect("newline")
            else:
                if not self.at("name", "model"):
                    self.err("expected 'model' or 'fn'")
                m = self.parse_model()
                if m.name in models:
                    self.err("duplicate model %r" % m.name)
                models[m.name] = m
            self.skip_newlines()
        for m in models.values():
            m.file_fns = file_fns
        return models

    def at_fn(self):
        return self.at("name", "fn") and self.peek(1).kind == "name" and self.peek(2).text == "("

    def parse_fn(self, table):
        tok = self.expect("name", "fn")
        name = self.expect("name").text
        self.expect("op", "(")
        params = []
        if not self.at("op", ")"):
            params.append(self.expect("name").text)
            while self.at("op", ","):
                self.next()
                params.append(self.expect("name").text)
        self.expect("op", ")")
        self.expect("op", "=")
        if name in table:
            self.err("fn %r defined twice" % name, tok)
        table[name] = FnDef(name, params, self.parse_expr(), tok.line)

    def parse_model(self):
        self.expect("name", "model")
        m = Model(self.expect("name").text)
        self.skip_newlines()
        self.expect("op", "{")
        while True:
            self.skip_newlines()
            if self.at("op", "}"):
                self.next()
                break
            self.parse_stmt(m)
            if self.at("op", "}"):
                continue
            self.expect("newline")
        return m

    def parse_dims(self):
        self.expect("op", "[")
        dims = []
        if not self.at("op", "]"):
            while True:
                tok = self.next()
                if tok.kind == "number" and re.fullmatch(r"\d+", tok.text):
                    dims.append(int(tok.text))
                elif tok.kind == "name":
                    dims.append(tok.text)
                else:
                    self.err("expected an integer or a dim name", tok)
                if self.at("op", ","):
                    self.next()
                    continue
                break
        self.expect("op", "]")
        return dims

    def parse_stmt(self, m):
        tok = self.peek()
        kw = tok.text if tok.kind == "name" else None
        if kw == "batch" and self.peek(1).kind == "name":
            self.next()
            if m.batch is not None:
                self.err("second batch declaration", tok)
            m.batch = self.expect("name").text
        elif kw == "dim" and self.peek(1).kind == "name":
            self.next()
            name = self.expect("name").text
            self.expect("op", "=")
            num = self.expect("number")
            if not re.fullmatch(r"\d+", num.text):
                self.err("dim size must be an integer", num)
            m.dims[name] = int(num.text)
        elif kw in ("input", "param") and self.peek(1).kind == "name":
            self.next()
            name = self.expect("name").text
            self.expect("op", ":")
            dims = self.parse_dims()
            if m.decl(name):
                self.err("duplicate declaration of %r" % name, tok)
            m.decls.append(Decl(kw, name, dims, tok.line))
        elif kw == "fn" and self.at_fn():
            self.parse_fn(m.fns)
        elif kw == "output" and self.peek(1).kind == "name":
            self.next()
            m.outputs.append(self.expect("name").text)
            while self.at("op", ","):
                self.next()
                m.outputs.append(self.expect("name").text)
        elif tok.kind == "name" and self.peek(1).kind == "op" and self.peek(1).text == "=":
            self.next()
            self.next()
            m.stmts.append((tok.text, self.parse_expr(), tok.line))
        else:
            self.err("expected a declaration or an assignment")

    # precedence (low to high): comparison (not chained)  |  + -  |  * / @  |  unary -  |  **  |  x[...]  |  primary
    def parse_expr(self):
        e = self.parse_sum()
        if any(self.at("op", c) for c in (">", ">=", "<", "<=")):
            op = self.next()
            e = Node("bin", op.line, op.text, e, self.parse_sum())
        return e

    def parse_sum(self):
        e = self.parse_term()
        while self.at("op", "+") or self.at("op", "-"):
            op = self.next()
            e = Node("bin", op.line, op.text, e, self.parse_term())
        return e

    def parse_term(self):
        e = self.parse_unary()
        while self.at("op", "*") or self.at("op", "/") or self.at("op", "@"):
            op = self.next()
            e = Node("bin", op.line, op.text, e, self.parse_unary())
        return e

    def parse_unary(self):
        if self.at("op", "-"):
            op = self.next()
            return Node("neg", op.line, self.parse_unary())
        if self.at("op", "+"):
            self.next()
            return self.parse_unary()
        return self.parse_power()

    def parse_power(self):
        base = self.parse_postfix()
        if self.at("op", "**"):
            op = self.next()
            # right-associative; the exponent may carry a unary sign (2 ** -1)
            return Node("bin", op.line, "**", base, self.parse_unary())
        return base

    def parse_postfix(self):
        """primary, then any number of `[subscripts]`: ("index", target, items) with items
        ("ell",), ("at", expr) or ("slice", start, stop, step) (None where absent)."""
        e = self.parse_primary()
        while self.at("op", "["):
            tok = self.next()
            items = []
            while True:
                if self.at("op", "..."):
                    self.next()
                    items.append(("ell",))
                else:
                    start = None if self.at("op", ":") else self.parse_expr()
                    if self.at("op", ":"):
                        self.next()
                        stop = None if self.at("op", ":") or self.at("op", ",") or self.at("op", "]") else self.parse_expr()
                        step = None
                        if self.at("op", ":"):
                            self.next()
                            step = None if self.at("op", ",") or self.at("op", "]") else self.parse_expr()
                        items.append(("slice", start, stop, step))
                    else:
                        items.append(("at", start))
                if self.at("op", ","):
                    self.next()
                    continue
                break
            self.expect("op", "]")
            e = Node("index", tok.line, e, items)
        return e

    def parse_primary(self):
        tok = self.next()
        if tok.kind == "number":
            v = float(tok.text) if re.search(r"[.eE]", tok.text) else int(tok.text)
            return Node("num", tok.line, v)
        if tok.kind == "string":
            return Node("str", tok.line, tok.text[1:-1])
        if tok.kind == "name":
            if self.at("op", "("):
                self.next()
                args, kwargs = [], {}
                if not self.at("op", ")"):
                    while True:
                        if self.at("name") and self.peek(1).kind == "op" and self.peek(1).text == "=":
                            k = self.next().text
                            self.next()
                            if k in kwargs:
                                self.err("repeated keyword %r" % k)
                            kwargs[k] = self.parse_expr()
                        else:
                            if kwargs:
                                self.err("positional argument after keyword argument")
                            args.append(self.parse_expr())
                        if self.at("op", ","):
                            self.next()
                            continue
                        break
                self.expect("op", ")")
                return Node("call", tok.line, tok.text, args, kwargs)
            return Node("name", tok.line, tok.text)
        if tok.kind == "op" and tok.text == "(":
            e = self.parse_expr()
            self.expect("op", ")")
            return e
        if tok.kind == "op" and tok.text == "[":
            items = []
            if not self.at("op", "]"):
                while True:
                    items.append(self.parse_expr())
                    if self.at("op", ","):
                        self.next()
                        continue
                    break
            self.expect("op", "]")
            return Node("list", tok.line, items)
        self.err("expected an expression", tok)


def parse_file(path):
    with open(path) as f:
        src = f.read()
    return Parser(tokenize(src, path), os.path.relpath(path, ROOT)).parse_file()


# --------------------------------------------------------------------------
# Evaluator: model + concrete tensors -> output tensors, with torch ops of the
# same semantics.  `batch_size` is what the batch name means in reshape.
# --------------------------------------------------------------------------
F = torch.nn.functional

# one tensor argument, no parameters (PyTorch 1.13 semantics)
ELEMENTWISE = {
    "exp": torch.exp,
    "expm1": torch.expm1,
    "log": torch.log,
    "log1p": torch.log1p,
    "log2": torch.log2,
    "log10": torch.log10,
    "sqrt": torch.sqrt,
    "rsqrt": torch.rsqrt,
    "square": torch.square,
    "reciprocal": torch.reciprocal,
    "abs": torch.abs,
    "neg": torch.neg,
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "sin": torch.sin,
    "cos": torch.cos,
    "tan": torch.tan,
    "asin": torch.asin,
    "acos": torch.acos,
    "atan": torch.atan,
    "sinh": torch.sinh,
    "cosh": torch.cosh,
    "asinh": torch.asinh,
    "atanh": torch.atanh,
    "erf": torch.special.erf,
    "erfc": torch.special.erfc,
    "erfinv": torch.special.erfinv,
    "acosh": torch.acosh,
    "sign": torch.sign,
    "floor": torch.floor,
    "ceil": torch.ceil,
    "round": torch.round,
    "trunc": torch.trunc,
    "relu": torch.relu,
    "selu": F.selu,
    "silu": F.silu,
    "mish": F.mish,
}

# one tensor, then constant parameters (positional or keyword): name -> (fn, [(param, default)]);
# a default of None means the parameter is required
PARAMETRIC = {
    "softplus": (lambda t, beta, threshold: F.softplus(t, beta, threshold), [("beta", 1), ("threshold", 20)]),
    "leaky_relu": (lambda t, negative_slope: F.leaky_relu(t, negative_slope), [("negative_slope", 0.01)]),
    "elu": (lambda t, alpha: F.elu(t, alpha), [("alpha", 1.0)]),
    "celu": (lambda t, alpha: F.celu(t, alpha), [("alpha", 1.0)]),
    "gelu": (lambda t, approximate: F.gelu(t, approximate=approximate), [("approximate", "none")]),
}

# two tensors
BINARY = {
    "xlogy": torch.xlogy,
    "hypot": torch.hypot,
}


def _dot(a, b):
    # torch.dot of 1-D tensors; with a batch axis (a leading axis on either operand), per sample
    return torch.dot(a, b) if a.dim() == 1 and b.dim() == 1 else (a * b).sum(-1)


def _outer(a, b):
    return torch.outer(a, b) if a.dim() == 1 and b.dim() == 1 else a.unsqueeze(-1) * b.unsqueeze(-2)


def _is_labels(x, t):
    """Class-index targets: the scores' shape without the class axis (thoad's rule; torch's is a long dtype)."""
    return list(t.shape) == list(x.shape[:-1])


def _cross_entropy(x, t, reduction, weight=None, ignore_index=-100):
    # thoad's class axis is the last one; torch's is dim 1 (dim 0 for a 1-D input).
    # Class-index targets are stored as floats in thoad: torch takes them as long.
    if _is_labels(x, t):
        x = x.movedim(-1, 1) if x.dim() > 2 else x
        return F.cross_entropy(x, t.long(), weight=weight, ignore_index=ignore_index, reduction=reduction)
    if x.dim() > 2:
        x, t = x.movedim(-1, 1), t.movedim(-1, 1)
    return F.cross_entropy(x, t, weight=weight, reduction=reduction)


def _nll_loss(x, t, reduction, weight=None, ignore_index=-100):
    if not _is_labels(x, t):
        raise ThdError("nll_loss: the target must hold class indices")
    x = x.movedim(-1, 1) if x.dim() > 2 else x
    return F.nll_loss(x, t.long(), weight=weight, ignore_index=ignore_index, reduction=reduction)


# torch functions with their parameters, in thoad's positional order:
# name -> (fn, [(param, kind, default)]), kind "t" (tensor), "t?" (optional tensor),
# "str", "num", "bool"; a default of None (for a non-optional kind) means required
def _dims(x, axis):
    """None -> every axis; int or list -> a sorted list of non-negative axes."""
    if axis is None:
        return list(range(x.dim()))
    axis = axis if isinstance(axis, list) else [axis]
    return sorted(a % x.dim() for a in axis)


def _keep(r, x, dims, keepdims):
    return r.reshape([1 if i in dims else d for i, d in enumerate(x.shape)]) if keepdims else r


def _prod(x, axis, keepdims):
    dims = _dims(x, axis)
    r = x
    for d in reversed(dims):  # torch.prod takes one dim at a time
        r = torch.prod(r, dim=d, keepdim=True)
    return r if keepdims else r.reshape([d for i, d in enumerate(x.shape) if i not in dims])


def _extreme(x, axis, keepdims, is_max):
    """torch.max(x) (ties share equally), torch.max(x, dim) (first), torch.amax for several dims."""
    if axis is None:
        r = torch.max(x) if is_max else torch.min(x)
        return _keep(r, x, _dims(x, None), keepdims)
    dims = _dims(x, axis)
    if len(dims) == 1:
        return (torch.max if is_max else torch.min)(x, dim=dims[0], keepdim=keepdims)[0]
    return (torch.amax if is_max else torch.amin)(x, dim=dims, keepdim=keepdims)


def _var(x, axis, unbiased, keepdims, std=False):
    return (torch.std if std else torch.var)(x, dim=_dims(x, axis), unbiased=unbiased, keepdim=keepdims)


# torch 1.13's layer_norm is exact to order 2 only: its third derivative (nested jacrev or
# autograd.grad, through native_layer_norm_backward's double backward) differs from the
# one of its definition (x - mean) / sqrt(var + eps) by O(1), and --check flags it against
# finite differences of its own second derivative. So layer_norm fixtures use
# F.layer_norm up to order 2 (layer_norms_o2) and the definition, written with
# torch.mean, for higher orders (the cases listed here).
LAYER_NORM_COMPOSED = {"layer_norms_composed_o4"}
CURRENT_CASE = [None]


def _layer_norm(x, axis, eps, weight, bias):
    dims = _dims(x, axis)
    if dims != list(range(x.dim() - len(dims), x.dim())):
        raise ThdError("layer_norm: axes %s are not the trailing ones" % dims)
    if CURRENT_CASE[0] in LAYER_NORM_COMPOSED:
        d = x - x.mean(dim=dims, keepdim=True)
        y = d / torch.sqrt((d * d).mean(dim=dims, keepdim=True) + eps)
        y = y if weight is None else y * weight
        return y if bias is None else y + bias
    # the affine part applied after torch's normalisation (the same definition): functorch 1.13
    # cannot nest jacrev over layer_norm's fused weight when the weight is not vmapped
    y = F.layer_norm(x, list(x.shape[x.dim() - len(dims):]), None, None, eps)
    y = y if weight is None else y * weight
    return y if bias is None else y + bias


def _squeeze(x, axis):
    if axis is None:
        raise ThdError("squeeze without an axis is ambiguous in the per-sample evaluation (the batch axis has size 1); give the axis")
    for d in reversed(_dims(x, axis)):
        x = x.squeeze(d)
    return x


def _pair(v):
    return v if isinstance(v, list) else [v]


def _clamp(x, lo, hi):
    """torch.clamp with number bounds (as floats), or tensor bounds (torch 1.13 takes both of one
    kind: a number beside a tensor becomes a tensor)."""
    if torch.is_tensor(lo) or torch.is_tensor(hi):
        lo, hi = (_tensor(v) if v is not None else None for v in (lo, hi))
        return torch.clamp(x, min=lo, max=hi)
    return torch.clamp(x, min=None if lo is None else float(lo), max=None if hi is None else float(hi))


def _spatial(v, d):
    """An int, a list of one or d ints, or a padding string, as torch's convolutions take it."""
    if isinstance(v, str):
        return v
    v = _pair(v)
    return v * d if len(v) == 1 else v


def _tensor(v):
    return torch.tensor(float(v), dtype=DTYPE) if is_num(v) else v


TORCH_FUNCS = {
    # the exponent: a constant number (as written, int or float) or a tensor
    "pow": (torch.pow, [("input", "t", None), ("exponent", "num|t", None)]),
    "atan2": (torch.atan2, [("input", "t", None), ("other", "t", None)]),
    "cumsum": (lambda x, a: torch.cumsum(x, dim=a), [("input", "t", None), ("axis", "int", None)]),
    "cumprod": (lambda x, a: torch.cumprod(x, dim=a), [("input", "t", None), ("axis", "int", None)]),
    "cummax": (lambda x, a: torch.cummax(x, dim=a).values, [("input", "t", None), ("axis", "int", None)]),
    # selection (the first argument of where is a condition: bool, or nonzero)
    "where": (lambda c, x, y: torch.where(c if c.dtype == torch.bool else c != 0, x, y),
              [("condition", "t", None), ("x", "t", None), ("y", "t", None)]),
    "maximum": (torch.maximum, [("input", "t", None), ("other", "t", None)]),
    "minimum": (torch.minimum, [("input", "t", None), ("other", "t", None)]),
    "clamp": (_clamp, [("input", "t", None), ("min", "num|t?", None), ("max", "num|t?", None)]),
    # reductions and normalisation
    "prod": (_prod, [("input", "t", None), ("axis", "ints?", None), ("keepdims", "bool", False)]),
    "max": (lambda x, a, k: _extreme(x, a, k, True), [("input", "t", None), ("axis", "ints?", None), ("keepdims", "bool", False)]),
    "min": (lambda x, a, k: _extreme(x, a, k, False), [("input", "t", None), ("axis", "ints?", None), ("keepdims", "bool", False)]),
    "logsumexp": (lambda x, a, k: torch.logsumexp(x, dim=_dims(x, a), keepdim=k), [("input", "t", None), ("axis", "ints?", None), ("keepdims", "bool", False)]),
    "norm": (lambda x, p, a, k: torch.linalg.vector_norm(x, ord=p, dim=_dims(x, a), keepdim=k),
             [("input", "t", None), ("p", "num", 2.0), ("axis", "ints?", None), ("keepdims", "bool", False)]),
    "var": (_var, [("input", "t", None), ("axis", "ints?", None), ("unbiased", "bool", True), ("keepdims", "bool", False)]),
    "std": (lambda x, a, u, k: _var(x, a, u, k, std=True), [("input", "t", None), ("axis", "ints?", None), ("unbiased", "bool", True), ("keepdims", "bool", False)]),
    "layer_norm": (_layer_norm, [("input", "t", None), ("axis", "ints", -1), ("eps", "num", 1e-5), ("weight", "t?", None), ("bias", "t?", None)]),
    # shape ops
    "squeeze": (_squeeze, [("input", "t", None), ("axis", "ints?", None)]),
    "unsqueeze": (torch.unsqueeze, [("input", "t", None), ("axis", "int", None)]),
    "expand": (lambda x, s: x.expand(*s), [("input", "t", None), ("shape", "ints", None)]),
    "broadcast_to": (torch.broadcast_to, [("input", "t", None), ("shape", "ints", None)]),
    "concat": (lambda xs, a: torch.cat(xs, dim=a), [("tensors", "tlist", None), ("axis", "int", 0)]),
    "stack": (lambda xs, a: torch.stack(xs, dim=a), [("tensors", "tlist", None), ("axis", "int", 0)]),
    "flip": (lambda x, a: torch.flip(x, _pair(a)), [("input", "t", None), ("axis", "ints", None)]),
    "repeat": (lambda x, r: x.repeat(*r), [("input", "t", None), ("repeats", "ints", None)]),
    "permute": (lambda x, p: x.permute(*p), [("input", "t", None), ("perm", "ints", None)]),
    "pad": (lambda x, p, v: F.pad(x, _pair(p), "constant", v), [("input", "t", None), ("pad", "ints", None), ("value", "num", 0.0)]),
    # convolution and pooling (int or list parameters as torch takes them)
    # padding: ints, or "same" / "valid" (a string, passed to torch as it is)
    "conv1d": (lambda x, w, b, s, p, d, g: F.conv1d(x, w, b, _pair(s), _spatial(p, 1), _pair(d), g),
               [("input", "t", None), ("weight", "t", None), ("bias", "t?", None), ("stride", "ints", 1), ("padding", "ints|str", 0), ("dilation", "ints", 1), ("groups", "int", 1)]),
    "conv2d": (lambda x, w, b, s, p, d, g: F.conv2d(x, w, b, _pair(s) * (3 - len(_pair(s))), _spatial(p, 2), _pair(d) * (3 - len(_pair(d))), g),
               [("input", "t", None), ("weight", "t", None), ("bias", "t?", None), ("stride", "ints", 1), ("padding", "ints|str", 0), ("dilation", "ints", 1), ("groups", "int", 1)]),
    "conv3d": (lambda x, w, b, s, p, d, g: F.conv3d(x, w, b, _spatial(s, 3), _spatial(p, 3), _spatial(d, 3), g),
               [("input", "t", None), ("weight", "t", None), ("bias", "t?", None), ("stride", "ints", 1), ("padding", "ints|str", 0), ("dilation", "ints", 1), ("groups", "int", 1)]),
    "avg_pool2d": (lambda x, k, s, p: F.avg_pool2d(x, k, s, p), [("input", "t", None), ("kernel_size", "ints", None), ("stride", "ints?", None), ("padding", "ints", 0)]),
    "max_pool2d": (lambda x, k, s, p: F.max_pool2d(x, k, s, p), [("input", "t", None), ("kernel_size", "ints", None), ("stride", "ints?", None), ("padding", "ints", 0)]),
    "dot": (_dot, [("input", "t", None), ("other", "t", None)]),
    "outer": (_outer, [("input", "t", None), ("vec2", "t", None)]),
    "linear": (F.linear, [("input", "t", None), ("weight", "t", None), ("bias", "t?", None)]),
    "mse_loss": (lambda i, t, reduction: F.mse_loss(i, t, reduction=reduction),
                 [("input", "t", None), ("target", "t", None), ("reduction", "str", "mean")]),
    "bce": (lambda i, t, reduction: F.binary_cross_entropy(i, t, reduction=reduction),
            [("input", "t", None), ("target", "t", None), ("reduction", "str", "mean")]),
    "bce_with_logits": (lambda i, t, reduction: F.binary_cross_entropy_with_logits(i, t, reduction=reduction),
                        [("input", "t", None), ("target", "t", None), ("reduction", "str", "mean")]),
    "cross_entropy": (_cross_entropy, [("input", "t", None), ("target", "t", None), ("reduction", "str", "mean"), ("weight", "t?", None), ("ignore_index", "int", -100)]),
    "nll_loss": (_nll_loss, [("input", "t", None), ("target", "t", None), ("reduction", "str", "mean"), ("weight", "t?", None), ("ignore_index", "int", -100)]),
    "huber": (lambda i, t, delta, reduction: F.huber_loss(i, t, reduction=reduction, delta=delta),
              [("input", "t", None), ("target", "t", None), ("delta", "num", 1.0), ("reduction", "str", "mean")]),
    "smooth_l1": (lambda i, t, beta, reduction: F.smooth_l1_loss(i, t, reduction=reduction, beta=beta),
                  [("input", "t", None), ("target", "t", None), ("beta", "num", 1.0), ("reduction", "str", "mean")]),
    "kl_div": (lambda i, t, reduction, log_target: F.kl_div(i, t, reduction=reduction, log_target=log_target),
               [("input", "t", None), ("target", "t", None), ("reduction", "str", "mean"), ("log_target", "bool", False)]),
}


def is_num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def substitute(node, bound):
    """A copy of the expression `node` with names in `bound` replaced by their expressions."""
    k = node.kind
    if k == "name":
        return bound.get(node.a[0], node)
    if k == "neg":
        return Node(k, node.line, substitute(node.a[0], bound))
    if k == "bin":
        return Node(k, node.line, node.a[0], substitute(node.a[1], bound), substitute(node.a[2], bound))
    if k == "call":
        f, args, kw = node.a
        return Node(k, node.line, f, [substitute(a, bound) for a in args], {n: substitute(e, bound) for n, e in kw.items()})
    if k == "list":
        return Node(k, node.line, [substitute(a, bound) for a in node.a[0]])
    if k == "index":
        sub = lambda e: None if e is None else substitute(e, bound)
        return Node(k, node.line, substitute(node.a[0], bound), [(it[0],) + tuple(sub(e) for e in it[1:]) for it in node.a[1]])
    return node


class Evaluator:
    def __init__(self, model, dims, batch_size, fname):
        self.m, self.dims, self.batch_size, self.fname = model, dims, batch_size, fname

    def fail(self, node, msg):
        raise ThdError("%s:%d: %s" % (self.fname, node.line, msg))

    def run(self, env):
        env = self.run_prefix(env, len(self.m.stmts))
        out = {}
        for o in self.m.outputs:
            if o not in env:
                raise ThdError("%s: output %r is not defined" % (self.fname, o))
            v = env[o]
            if not torch.is_tensor(v):
                v = torch.tensor(v, dtype=DTYPE)
            out[o] = v
        return out

    def run_prefix(self, inputs, upto):
        """The environment after the first `upto` statements, from the inputs (d() re-runs them)."""
        env = dict(inputs)
        saved = getattr(self, "_at", None)
        try:
            for i, (target, expr, line) in enumerate(self.m.stmts[:upto]):
                if target in env or target in self.dims or target == self.m.batch:
                    raise ThdError("%s:%d: %r is already defined" % (self.fname, line, target))
                self._at = (inputs, i)
                env[target] = self.ev(expr, env)
        finally:
            self._at = saved
        return env

    def deriv(self, node, env):
        """d(y, x1, ..., xk): y as a function of the inputs x1..xk (the statements before this
        one re-run from the inputs, the others held), differentiated by nested functorch.jacrev,
        x1 innermost. A batched x's axis is the diagonal with y's batch axis (samples are
        independent): shape(y) ++ shape(x1)\\B ++ ... (docs/design.md section 1)."""
        f, args, kw = node.a
        if kw or len(args) < 2:
            self.fail(node, "d takes a tensor and at least one input or param name")
        names = []
        for a in args[1:]:
            if a.kind != "name" or self.m.decl(a.a[0]) is None:
                self.fail(a, "d: the variables must be declared inputs or params")
            names.append(a.a[0])
        inputs, upto = self._at
        expr = args[0]

        def value(inp):
            env = self.run_prefix(inp, upto)
            saved = self._at
            self._at = (inp, upto)  # a d() inside y reads these inputs
            try:
                v = self.ev(expr, env)
            finally:
                self._at = saved
            return v if torch.is_tensor(v) else torch.tensor(float(v), dtype=DTYPE)

        g = value
        for var in names:
            g = self.jac_of(g, var)
        return g(inputs)

    def jac_of(self, g, var):
        decl = self.m.decl(var)
        batched = self.m.batch is not None and len(decl.dims) > 0 and decl.dims[0] == self.m.batch

        def h(inp):
            x = inp[var]
            J = functorch.jacrev(lambda v: g({**inp, var: v}))(x)
            ydim = J.dim() - x.dim()
            if batched and ydim > 0 and J.shape[0] == x.shape[0]:
                # [B, y.., B, x..] -> [B, y.., x..]: the per-sample blocks (with B = 1, per sample, a squeeze)
                J = torch.movedim(torch.diagonal(J, 0, 0, ydim), -1, 0)
            return J
        return h

    def structured(self, node, env):
        """laplacian(y, x) and hessian_diag(y, x) (issue 12, section 2): the trace and the
        diagonal of d(y, x, x) (functorch.jacrev twice, as d()) over x's per-sample elements:
        [B]? ++ shape(y)\\B, and ++ shape(x)\\B for the diagonal."""
        f, args, kw = node.a
        if kw or len(args) != 2 or args[1].kind != "name" or self.m.decl(args[1].a[0]) is None:
            self.fail(node, "%s takes a tensor and a declared input or param" % f)
        var = args[1].a[0]
        H = self.deriv(Node(node.kind, node.line, "d", [args[0], args[1], args[1]], {}), env)
        decl = self.m.decl(var)
        batched = self.m.batch is not None and len(decl.dims) > 0 and decl.dims[0] == self.m.batch
        xs = tuple(self._at[0][var].shape[1:] if batched else self._at[0][var].shape)
        n = 1
        for d in xs:
            n *= d
        lead = H.shape[:H.dim() - 2 * len(xs)]
        D = torch.diagonal(H.reshape(tuple(lead) + (n, n)), 0, -2, -1)
        return D.sum(-1) if f == "laplacian" else D.reshape(tuple(lead) + xs)

    def hvp_jet(self, node, env):
        """hvp(y, x, v) and jet(y, x, v, k) (issue 12, section 2), y as a function of x as in d()
        (the statements before re-run from the inputs), v held constant (a direction). hvp = grad
        of <grad y, v> (functorch.grad nested, reverse over reverse); jet = d^j/dt^j y(x + t v) at
        t = 0, j = 1..k (JAX's jet normalisation) by nested functorch.jvp in t, stacked after the
        batch axis: [B]? ++ [k] ++ shape(y)\\B. Samples are independent, so a batched x is
        differentiated whole (the sum over samples separates); a param x with a per-sample y or v is
        done sample by sample. In a batched model y is taken as per sample (every test model's is)."""
        f, args, kw = node.a
        nargs = 3 if f == "hvp" else 4
        if kw or len(args) != nargs:
            self.fail(node, "%s takes %d arguments" % (f, nargs))
        if args[1].kind != "name" or self.m.decl(args[1].a[0]) is None:
            self.fail(args[1], "%s: x must be a declared input or param" % f)
        var = args[1].a[0]
        decl = self.m.decl(var)
        batched = self.m.batch is not None
        xb = batched and len(decl.dims) > 0 and decl.dims[0] == self.m.batch
        inputs, upto = self._at
        x = inputs[var]
        v = self.tensor_arg(args[2], env)
        vb = batched and v.dim() == x.dim() + (0 if xb else 1)
        expr = args[0]

        def value(xx):
            inp = {**inputs, var: xx}
            env2 = self.run_prefix(inp, upto)
            saved = self._at
            self._at = (inp, upto)
            try:
                y = self.ev(expr, env2)
            finally:
                self._at = saved
            return y if torch.is_tensor(y) else torch.tensor(float(y), dtype=DTYPE)

        # (function of x, direction) per sample for a param x in a batched model, else once
        nb = v.shape[0] if vb else value(x).shape[0] if batched else 1
        parts = [(value, v)] if xb or not batched else \
            [((lambda b: lambda xx: value(xx)[b])(b), v[b] if vb else v) for b in range(nb)]
        if f == "hvp":
            outs = []
            for fn, d in parts:
                grad = functorch.grad(lambda xx, fn=fn: fn(xx).sum())
                outs.append(functorch.grad(lambda xx, grad=grad, d=d: (grad(xx) * d).sum())(x))
            return outs[0] if xb or not batched else torch.stack(outs, 0)
        k = self.ev(args[3], env)
        if not is_num(k) or float(k) != int(k) or k < 1:
            self.fail(args[3], "jet: k must be a positive integer")
        one, zero = torch.ones((), dtype=DTYPE), torch.zeros((), dtype=DTYPE)
        stacked = []
        for fn, d in parts:
            h = (lambda fn, d: lambda t: fn(x + t * d))(fn, d)
            out = []
            for _ in range(int(k)):
                h = (lambda p: (lambda t: functorch.jvp(p, (t,), (one,))[1]))(h)
                out.append(h(zero))
            stacked.append(torch.stack(out, 1 if xb else 0))
        return stacked[0] if xb or not batched else torch.stack(stacked, 0)

    def size_of(self, node, v):
        """An int in a reshape list: integer, dim name, batch name or -1."""
        if node.kind == "name":
            if node.a[0] == self.m.batch:
                return self.batch_size
            if node.a[0] in self.dims:
                return self.dims[node.a[0]]
            self.fail(node, "%r is not a dim name" % node.a[0])
        if node.kind == "num" and isinstance(node.a[0], int):
            return node.a[0]
        if node.kind == "neg" and node.a[0].kind == "num" and isinstance(node.a[0].a[0], int):
            return -node.a[0].a[0]
        if node.kind in ("bin", "neg"):
            # a constant expression of numbers and dims (x[:, E - 1])
            v = self.ev(node, {})
            if is_num(v) and float(v).is_integer():
                return int(v)
        self.fail(node, "expected an integer")

    def int_list(self, node):
        if node.kind == "list":
            return [self.size_of(n, None) for n in node.a[0]]
        return self.size_of(node, None)

    def bool_of(self, node):
        if node.kind == "name" and node.a[0] in ("true", "false"):
            return node.a[0] == "true"
        self.fail(node, "expected true or false")

    def ev(self, node, env):
        k = node.kind
        if k == "num":
            return node.a[0]
        if k == "name":
            n = node.a[0]
            if n in env:
                return env[n]
            if n in self.dims:
                return self.dims[n]
            self.fail(node, "unknown name %r" % n)
        if k == "neg":
            return -self.ev(node.a[0], env)
        if k == "bin":
            op, a, b = node.a
            x = self.ev(a, env)
            if op == "**":
                y = self.ev(b, env)
                if not is_num(y):
                    # a tensor exponent (torch.pow(Tensor, Tensor) / torch.pow(Scalar, Tensor))
                    return torch.pow(x if torch.is_tensor(x) else float(x), y)
                if is_num(x):
                    return float(x) ** y
                if isinstance(y, float) and y.is_integer():
                    y = int(y)
                return torch.pow(x, y)
            y = self.ev(b, env)
            if op == "+":
                return x + y
            if op == "-":
                return x - y
            if op == "*":
                return x * y
            if op == "/":
                if is_num(x) and is_num(y):
                    return float(x) / y
                return x / y
            if op == "@":
                if is_num(x) or is_num(y):
                    self.fail(node, "@ needs tensor operands")
                return torch.matmul(x, y)
            if op in (">", ">=", "<", "<="):
                # a bool tensor, as in torch: float where multiplied, a condition in where()
                x, y = (torch.tensor(float(v), dtype=DTYPE) if is_num(v) else v for v in (x, y))
                return {">": torch.gt, ">=": torch.ge, "<": torch.lt, "<=": torch.le}[op](x, y)
        if k == "index":
            return self.index(node, env)
        if k == "call":
            return self.call(node, env)
        if k in ("str", "list"):
            self.fail(node, "a %s is only allowed as a function argument" % ("string" if k == "str" else "list"))
        self.fail(node, "cannot evaluate %s" % k)

    def index(self, node, env):
        """NumPy basic indexing with constant integers: select for an integer,
        index_select with the slice's indices (any step sign) for a slice."""
        x = self.tensor_arg(node.a[0], env)
        items = node.a[1]
        const = lambda e: None if e is None else self.size_of(e, None)
        used = sum(1 for it in items if it[0] != "ell")
        per = []
        for it in items:
            if it[0] == "ell":
                per += [("slice", None, None, None)] * (x.dim() - used)
            elif it[0] == "at":
                per.append(("at", const(it[1])))
            else:
                per.append(("slice", const(it[1]), const(it[2]), const(it[3])))
        if len(per) > x.dim():
            self.fail(node, "too many indices")
        dim = 0
        for it in per:
            if it[0] == "at":
                x = x.select(dim, it[1])
                continue
            idx = list(range(*slice(it[1], it[2], it[3]).indices(x.shape[dim])))
            if idx != list(range(x.shape[dim])):
                x = torch.index_select(x, dim, torch.tensor(idx, dtype=torch.long))
            dim += 1
        return x

    def tensor_arg(self, node, env):
        v = self.ev(node, env)
        if is_num(v):
            v = torch.tensor(float(v), dtype=DTYPE)
        return v

    def inline(self, node, fdef, env, depth=[0]):
        """A fn call: the body with each parameter replaced by its argument expression."""
        f, args, kw = node.a
        if len(args) > len(fdef.params):
            self.fail(node, "%s takes %d argument(s), got %d" % (f, len(fdef.params), len(args)))
        bound = dict(zip(fdef.params, args))
        for key, e in kw.items():
            if key not in fdef.params or key in bound:
                self.fail(node, "%s: bad keyword %r" % (f, key))
            bound[key] = e
        missing = [p for p in fdef.params if p not in bound]
        if missing:
            self.fail(node, "%s: missing %s" % (f, ", ".join(missing)))
        if depth[0] > 50:
            self.fail(node, "fn %r: recursion" % f)
        depth[0] += 1
        try:
            return self.ev(substitute(fdef.body, bound), env)
        finally:
            depth[0] -= 1

    def call(self, node, env):
        f, args, kw = node.a

        def want(npos, allowed):
            if len(args) != npos:
                self.fail(node, "%s takes %d positional argument(s), got %d" % (f, npos, len(args)))
            for key in kw:
                if key not in allowed:
                    self.fail(node, "%s: unknown keyword %r" % (f, key))

        fdef = self.m.fns.get(f) or self.m.file_fns.get(f)
        if fdef is not None:
            return self.inline(node, fdef, env)
        if f == "d":
            return self.deriv(node, env)
        if f in ("laplacian", "hessian_diag"):
            return self.structured(node, env)
        if f in ("hvp", "jet"):
            return self.hvp_jet(node, env)
        if f in TORCH_FUNCS:
            fn, params = TORCH_FUNCS[f]
            if len(args) > len(params):
                self.fail(node, "%s takes at most %d argument(s)" % (f, len(params)))
            names = [p for p, _, _ in params]
            for key in kw:
                if key not in names or names.index(key) < len(args):
                    self.fail(node, "%s: bad keyword %r" % (f, key))
            vals = []
            for i, (pname, kind, default) in enumerate(params):
                given = args[i] if i < len(args) else kw.get(pname)
                if given is None:
                    if default is None and not kind.endswith("?"):
                        self.fail(node, "%s: missing %r" % (f, pname))
                    vals.append(default)
                elif kind in ("t", "t?"):
                    vals.append(self.tensor_arg(given, env))
                elif kind in ("ints", "ints?", "int"):
                    vals.append(self.int_list(given))
                elif kind == "ints|str":
                    vals.append(given.a[0] if given.kind == "str" else self.int_list(given))
                elif kind == "tlist":
                    if given.kind != "list":
                        self.fail(node, "%s: %r must be a list of tensors" % (f, pname))
                    vals.append([self.tensor_arg(e, env) for e in given.a[0]])
                elif kind == "str":
                    if given.kind != "str":
                        self.fail(node, "%s: %r must be a string" % (f, pname))
                    vals.append(given.a[0])
                elif kind == "bool":
                    vals.append(self.bool_of(given))
                elif kind in ("num|t", "num|t?"):
                    vals.append(self.ev(given, env))
                else:
                    v = self.ev(given, env)
                    if not is_num(v):
                        self.fail(node, "%s: %r must be a constant number" % (f, pname))
                    vals.append(float(v))
            return fn(*vals)
        if f in ELEMENTWISE:
            want(1, ())
            return ELEMENTWISE[f](self.tensor_arg(args[0], env))
        if f in BINARY:
            want(2, ())
            return BINARY[f](self.tensor_arg(args[0], env), self.tensor_arg(args[1], env))
        if f in PARAMETRIC:
            fn, params = PARAMETRIC[f]
            if not args or len(args) > 1 + len(params):
                self.fail(node, "%s takes a tensor and at most %d parameter(s)" % (f, len(params)))
            for key in kw:
                if key not in [p for p, _ in params]:
                    self.fail(node, "%s: unknown keyword %r" % (f, key))
            vals = {}
            for i, (pname, default) in enumerate(params):
                given = args[1 + i] if 1 + i < len(args) else kw.get(pname)
                if given is not None and pname in kw and 1 + i < len(args):
                    self.fail(node, "%s: %r given twice" % (f, pname))
                if given is None:
                    if default is None:
                        self.fail(node, "%s: missing %r" % (f, pname))
                    vals[pname] = default
                elif given.kind == "str":
                    vals[pname] = given.a[0]
                else:
                    v = self.ev(given, env)
                    if not is_num(v):
                        self.fail(node, "%s: %r must be a constant number" % (f, pname))
                    vals[pname] = v
            return fn(self.tensor_arg(args[0], env), **vals)
        if f in ("sum", "mean"):
            want(1, ("axis", "keepdims"))
            x = self.tensor_arg(args[0], env)
            keep = self.bool_of(kw["keepdims"]) if "keepdims" in kw else False
            red = torch.sum if f == "sum" else torch.mean
            if "axis" not in kw:
                r = red(x)
                if keep:
                    r = r.reshape([1] * x.dim())
                return r
            ax = self.int_list(kw["axis"])
            ax = tuple(ax) if isinstance(ax, list) else ax
            return red(x, dim=ax, keepdim=keep)
        if f in ("softmax", "log_softmax"):
            want(1, ("axis",))
            x = self.tensor_arg(args[0], env)
            ax = self.size_of(kw["axis"], None) if "axis" in kw else -1
            return torch.softmax(x, dim=ax) if f == "softmax" else torch.log_softmax(x, dim=ax)
        if f == "reshape":
            want(2, ())
            x = self.tensor_arg(args[0], env)
            shape = self.int_list(args[1])
            if not isinstance(shape, list):
                self.fail(node, "reshape needs a list of sizes")
            return torch.reshape(x, shape)
        if f == "transpose":
            want(2, ())
            x = self.tensor_arg(args[0], env)
            perm = self.int_list(args[1])
            if not isinstance(perm, list) or sorted(p % max(x.dim(), 1) for p in perm) != list(range(x.dim())):
                self.fail(node, "transpose needs a permutation of the %d axes" % x.dim())
            return x.permute(perm)
        if f == "einsum":
            if not args or args[0].kind != "str":
                self.fail(node, "einsum needs a string spec first")
            if kw:
                self.fail(node, "einsum takes no keywords")
            ops = [self.tensor_arg(a, env) for a in args[1:]]
            return torch.einsum(args[0].a[0], *ops)
        self.fail(node, "unknown function %r" % f)


# --------------------------------------------------------------------------
# Oracle
# --------------------------------------------------------------------------
def resolve_shape(model, decl, dims, batch_size):
    shape = []
    for i, d in enumerate(decl.dims):
        if isinstance(d, int):
            shape.append(d)
        elif d == model.batch:
            if i != 0:
                raise ThdError("%s: the batch axis must be axis 0" % decl.name)
            shape.append(batch_size)
        elif d in dims:
            shape.append(dims[d])
        else:
            raise ThdError("%s: unknown dim %r" % (decl.name, d))
    return shape


def derivative_keys(wrt, order):
    keys = []
    for k in range(1, order + 1):
        for combo in itertools.combinations_with_replacement(range(len(wrt)), k):
            keys.append(tuple(wrt[i] for i in combo))
    return keys


def scale_of(scale, name):
    if isinstance(scale, dict):
        return float(scale.get(name, scale.get("*", 1.0)))
    return float(scale)


JAC_CHUNK = 64
PURE_JACREV = False


def jacrev_chunked(f, argnum, chunk):
    """functorch.jacrev(f, argnums=argnum) computed `chunk` basis vectors at a time."""
    def jf(*args):
        def f1(a):
            return f(*args[:argnum], a, *args[argnum + 1:])
        out, vjp_fn = functorch.vjp(f1, args[argnum])
        n = out.numel()
        if n <= chunk:
            return functorch.jacrev(f1)(args[argnum])
        rows = []
        for s in range(0, n, chunk):
            m = min(chunk, n - s)
            basis = torch.zeros(m, n, dtype=out.dtype)
            basis[torch.arange(m), torch.arange(s, s + m)] = 1.0
            (g,) = functorch.vmap(vjp_fn)(basis.reshape(m, *out.shape))
            rows.append(g)
        return torch.cat(rows, 0).reshape(*out.shape, *args[argnum].shape)
    return jf


class Case:
    def __init__(self, row):
        (self.name, self.model_file, self.model_name, self.order, self.wrt, self.dim_overrides,
         self.batch_size, self.seed, self.scale, self.positive) = row
        path = os.path.join(ROOT, self.model_file)
        models = parse_file(path)
        if self.model_name not in models:
            raise ThdError("%s: no model %r" % (self.model_file, self.model_name))
        self.m = m = models[self.model_name]
        for d in self.dim_overrides:
            if d not in m.dims:
                raise ThdError("case %s: override of undeclared dim %r" % (self.name, d))
        self.dims = dict(m.dims)
        self.dims.update(self.dim_overrides)
        if m.batch is None:
            self.batch_size = None
        self.wrt = list(self.wrt) if self.wrt is not None else m.inputs
        for w in self.wrt:
            if m.decl(w) is None:
                raise ThdError("case %s: wrt %r is not an input or param" % (self.name, w))
        self.names = [d.name for d in m.decls]
        self.batched = {d.name: (m.batch is not None and len(d.dims) > 0 and d.dims[0] == m.batch)
                        for d in m.decls}
        self.fname = self.model_file
        self.method = "rev" if PURE_JACREV else METHOD.get(self.name, "rev")

    def draw_inputs(self):
        torch.manual_seed(self.seed)
        vals = {}
        labels = LABELS.get(self.name, {})
        for d in self.m.decls:
            shape = resolve_shape(self.m, d, self.dims, self.batch_size)
            if d.name in labels:
                v = torch.randint(0, labels[d.name], shape).to(DTYPE)
            elif d.name in self.positive:
                v = 0.5 + 1.5 * torch.rand(shape, dtype=DTYPE)
            else:
                v = scale_of(self.scale, d.name) * torch.randn(shape, dtype=DTYPE)
            vals[d.name] = v
        return vals

    def full_forward(self, vals):
        ev = Evaluator(self.m, self.dims, self.batch_size, self.fname)
        return ev.run(vals)

    def per_sample_fn(self, out_name):
        """f(*args) -> output `out_name`; batched args arrive without their batch axis."""
        m, names, batched = self.m, self.names, self.batched
        if m.batch is None:
            ev = Evaluator(m, self.dims, None, self.fname)

            def f(*args):
                return ev.run(dict(zip(names, args)))[out_name]
            return f
        ev = Evaluator(m, self.dims, 1, self.fname)

        def f(*args):
            env = {n: (a.unsqueeze(0) if batched[n] else a) for n, a in zip(names, args)}
            y = ev.run(env)[out_name]
            if y.dim() == 0 or y.shape[0] != 1:
                raise ThdError("output %r does not carry the batch axis" % out_name)
            return y.squeeze(0)
        return f

    def derivative(self, out_name, key, vals):
        g = self.per_sample_fn(out_name)
        for i, var in enumerate(key):
            argnum = self.names.index(var)
            if i > 0 and self.method == "fwd-over-rev":
                g = functorch.jacfwd(g, argnums=argnum)
            elif i == len(key) - 1 and i > 0:
                # outermost level: same vjp-per-basis-vector as jacrev, but in
                # chunks (functorch 1.13's jacrev has no chunk_size; vmapping
                # the whole basis at order 4 of the MLP asks for 34 GB)
                g = jacrev_chunked(g, argnum, JAC_CHUNK)
            else:
                g = functorch.jacrev(g, argnums=argnum)
        args = [vals[n] for n in self.names]
        if self.m.batch is None:
            return g(*args)
        in_dims = tuple(0 if self.batched[n] else None for n in self.names)
        return functorch.vmap(g, in_dims=in_dims)(*args)

    def expected_shape(self, y_shape, key, vals):
        b = self.m.batch is not None
        shape = list(y_shape)
        for var in key:
            s = list(vals[var].shape)
            shape += s[1:] if (b and self.batched[var]) else s
        return shape


METHOD_TEXT = {
    "rev": "jacrev^k",
    "fwd-over-rev": "jacfwd^(k-1)(jacrev)",
}


def tensor_json(t):
    t = t.detach().contiguous()
    data = t.reshape(-1).tolist()
    for v in data:
        if not math.isfinite(v):
            raise ThdError("non-finite value in a fixture tensor")
    return {"shape": list(t.shape), "data": data}


def dump_json(obj, indent=0):
    """JSON with one tensor 'data' list per line (readable diffs, compact data)."""
    pad = "  " * indent
    if isinstance(obj, dict):
        if not obj:
            return "{}"
        if set(obj.keys()) == {"shape", "data"}:
            return "{\"shape\": %s, \"data\": %s}" % (json.dumps(obj["shape"]),
                                                     json.dumps(obj["data"], separators=(",", ":")))
        items = ["%s  %s: %s" % (pad, json.dumps(k), dump_json(v, indent + 1)) for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    return json.dumps(obj)


def generate(case, check=False):
    CURRENT_CASE[0] = case.name
    m = case.m
    vals = case.draw_inputs()
    full = case.full_forward(vals)
    outputs = {}
    nderiv = 0
    for o in m.outputs:
        y = full[o]
        if m.batch is not None:
            if y.dim() == 0 or y.shape[0] != case.batch_size:
                raise ThdError("case %s: output %r does not carry the batch axis" % (case.name, o))
            # per-sample evaluation must reproduce the batched forward (no batch mixing)
            args = [vals[n] for n in case.names]
            in_dims = tuple(0 if case.batched[n] else None for n in case.names)
            y_ps = functorch.vmap(case.per_sample_fn(o), in_dims=in_dims)(*args)
            if y_ps.shape != y.shape or not torch.allclose(y_ps, y, rtol=1e-12, atol=1e-12):
                raise ThdError("case %s: per-sample evaluation of %r differs from the batched one" % (case.name, o))
        derivs = {}
        for key in derivative_keys(case.wrt, case.order):
            d = case.derivative(o, key, vals)
            exp = case.expected_shape(y.shape, key, vals)
            if list(d.shape) != exp:
                raise ThdError("case %s: %s d/%s has shape %s, expected %s"
                               % (case.name, o, ",".join(key), list(d.shape), exp))
            derivs[",".join(key)] = d
            nderiv += 1
        if check:
            check_fd(case, o, vals, derivs)
        outputs[o] = {"value": tensor_json(y),
                      "derivatives": {k: tensor_json(v) for k, v in derivs.items()}}
    doc = {
        "case": case.name,
        "model_file": case.model_file,
        "model": case.model_name,
        "order": case.order,
        "wrt": case.wrt,
        "dims": case.dim_overrides,
        "batch": case.batch_size,
        "seed": case.seed,
        "inputs": {n: tensor_json(vals[n]) for n in case.names},
        "outputs": outputs,
        "generator": {
            "torch": torch.__version__,
            "method": ("vmap(%s)" if m.batch is not None else "%s") % METHOD_TEXT[case.method],
            "script": "test/oracle/gen_fixtures.py",
        },
    }
    return doc, nderiv


def check_fd(case, out_name, vals, derivs, eps=1e-5, max_probes=6):
    """Order k vs central differences of order k-1 (order 1 vs the value), along
    random directions in the last key variable. Prints the worst relative error."""
    gen = torch.Generator().manual_seed(12345)
    worst = 0.0
    b = case.m.batch is not None

    def lower(key, v):
        if len(key) == 0:
            return case.full_forward(v)[out_name]
        return case.derivative(out_name, key, v)

    for key, d in derivs.items():
        key = tuple(key.split(","))
        var, prev = key[-1], key[:-1]
        for _ in range(max_probes if len(key) < 4 else 2):
            direction = torch.randn(vals[var].shape, dtype=DTYPE, generator=gen)
            vp = dict(vals)
            vm = dict(vals)
            vp[var] = vals[var] + eps * direction
            vm[var] = vals[var] - eps * direction
            fd = (lower(prev, vp) - lower(prev, vm)) / (2 * eps)
            # contract the last variable's axes of d with the direction
            if b and case.batched[var]:
                dirn = direction.reshape(direction.shape[0], *([1] * (d.dim() - direction.dim())), *direction.shape[1:])
                nax = direction.dim() - 1
            else:
                dirn = direction
                nax = direction.dim()
            prod = d * dirn
            an = prod.sum(dim=tuple(range(d.dim() - nax, d.dim()))) if nax > 0 else prod
            scale = max(an.abs().max().item(), 1e-3)
            worst = max(worst, (an - fd).abs().max().item() / scale)
    print("    fd-check %-20s worst rel err %.2e%s" % (out_name, worst, "  <-- SUSPICIOUS" if worst > 1e-6 else ""))
    return worst


def main(argv):
    torch.set_num_threads(1)
    global PURE_JACREV
    check = "--check" in argv
    PURE_JACREV = "--pure-jacrev" in argv
    argv = [a for a in argv if a not in ("--check", "--pure-jacrev")]
    if "--list" in argv:
        for row in CASES:
            print("%-18s %-28s %-18s K=%d wrt=%s dims=%s B=%s" % (row[0], row[1], row[2], row[3], row[4], row[5], row[6]))
        return 0
    names = [r[0] for r in CASES]
    wanted = argv or names
    for w in wanted:
        if w not in names:
            print("unknown case %r; known: %s" % (w, ", ".join(names)), file=sys.stderr)
            return 2
    os.makedirs(FIXTURE_DIR, exist_ok=True)
    t_all = time.time()
    failed = []
    for row in CASES:
        if row[0] not in wanted:
            continue
        t0 = time.time()
        try:
            case = Case(row)
            doc, nderiv = generate(case, check=check)
        except Exception as e:  # report and continue with the other cases
            print("FAILED %s: %s: %s" % (row[0], type(e).__name__, e), file=sys.stderr)
            failed.append(row[0])
            continue
        path = os.path.join(FIXTURE_DIR, case.name + ".json")
        with open(path, "w") as f:
            f.write(dump_json(doc) + "\n")
        print("%-18s K=%d wrt=%-12s B=%-4s %3d tensors  %8.1f KB  %6.2f s"
              % (case.name, case.order, ",".join(case.wrt), case.batch_size, nderiv,
                 os.path.getsize(path) / 1024, time.time() - t0))
    print("total %.1f s" % (time.time() - t_all))
    if failed:
        print("failed: %s" % ", ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
