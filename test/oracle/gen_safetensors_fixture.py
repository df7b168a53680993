#!/usr/bin/env python3
"""Reference safetensors files for test/runtime/safetensors.test.ts.

Writes test/fixtures/safetensors/{all_dtypes,f64_f32}.safetensors and
expected.json (every tensor's dtype, shape and values as float64, from torch).

The bytes come from a writer here that follows the format's specification and
the reference implementation's serialisation rules, sharing no code with
runtime/safetensors.ts:
  - 8-byte little-endian header length N, N bytes of JSON, then the data;
  - tensors ordered by descending dtype (the reference's Dtype enum order,
    BOOL < U8 < I8 < ... < F32 < F64 < I64 < U64), then by name (UTF-8 bytes);
  - compact JSON, "__metadata__" first, per tensor {"dtype","shape","data_offsets"};
  - the header padded with spaces to a multiple of 8 bytes.
The tensor bytes are torch's own (numpy .tobytes(), little-endian). When the
`safetensors` Python package is installed, its safetensors.torch.save output is
checked to be identical (it is not installable on the project's machines:
neither PyPI nor a Debian package is reachable there, so it is optional).

Run: /usr/bin/python3 test/oracle/gen_safetensors_fixture.py
"""
import json
import math
import os
import struct
import sys

import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "safetensors")

# the reference implementation's Dtype enum, in declaration (= sort) order
DTYPE_ORDER = ["BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "F64", "I64", "U64"]
TORCH_DTYPE = {
    torch.float64: "F64", torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16",
    torch.int64: "I64", torch.int32: "I32", torch.int16: "I16", torch.int8: "I8", torch.uint8: "U8", torch.bool: "BOOL",
}


def raw_bytes(t):
    t = t.contiguous()
    if t.dtype == torch.bfloat16:  # numpy has no bfloat16: the same 16 bits as int16
        t = t.view(torch.int16)
    return t.numpy().tobytes()


def serialize(tensors, metadata=None):
    """tensors: dict name -> torch tensor."""
    assert sys.byteorder == "little"
    names = sorted(tensors, key=lambda n: (-DTYPE_ORDER.index(TORCH_DTYPE[tensors[n].dtype]), n.encode("utf-8")))
    header, blobs, offset = {}, [], 0
    if metadata is not None:
        header["__metadata__"] = dict(sorted(metadata.items()))
    for n in names:
        b = raw_bytes(tensors[n])
        header[n] = {"dtype": TORCH_DTYPE[tensors[n].dtype], "shape": list(tensors[n].shape), "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    pad = (8 - len(text) % 8) % 8
    return struct.pack("<Q", len(text) + pad) + text + b" " * pad + b"".join(blobs), pad


def expected_values(t):
    out = []
    for v in t.double().flatten().tolist():
        out.append("NaN" if math.isnan(v) else ("Infinity" if v == math.inf else ("-Infinity" if v == -math.inf else v)))
    return out


def main():
    inf, nan = float("inf"), float("nan")
    files = {
        # every dtype torch 1.13 has, with the special values of each
        "all_dtypes": ({
            "f64": torch.tensor([[1.5, -0.0, 1e-310], [1e308, -2.25, math.pi]], dtype=torch.float64),
            "f32": torch.tensor([0.1, -3.5, 3.4e38, 1e-45, inf, -inf], dtype=torch.float32),
            "f16": torch.tensor([1.0, -2.5, 65504.0, 6e-8, 0.0, -0.0, inf, nan], dtype=torch.float16),
            "bf16": torch.tensor([[1.0, -3.140625], [1e38, 1e-40]], dtype=torch.bfloat16),
            "i64": torch.tensor([0, -1, 2**53 + 1, -(2**63), 2**62 + 12345, 123456789012], dtype=torch.int64),
            "i32": torch.tensor([[-(2**31), 2**31 - 1], [7, -7]], dtype=torch.int32),
            "i16": torch.tensor([-32768, 32767, -1], dtype=torch.int16),
            "i8": torch.tensor([-128, 127, 0, -1], dtype=torch.int8),
            "u8": torch.tensor([0, 255, 128], dtype=torch.uint8),
            "mask": torch.tensor([[True, False, True]], dtype=torch.bool),
            "scalar": torch.tensor(2.5, dtype=torch.float64),
        }, {"format": "pt"}),
        # only F64 and F32, which runtime/safetensors.ts also writes: its bytes must be these
        "f64_f32": ({
            "weight": torch.tensor([[0.5, -1.25, 2.0], [1e-3, 3.0, -7.5]], dtype=torch.float64),
            "bias": torch.tensor([0.1, 0.2, -0.3], dtype=torch.float32),
            "a.scale": torch.tensor(1.0 / 3.0, dtype=torch.float64),
            "empty": torch.zeros((0, 3), dtype=torch.float64),
            "Z_last": torch.tensor([[1.0], [2.0]], dtype=torch.float32),
        }, {"format": "pt"}),
    }
    os.makedirs(OUT, exist_ok=True)
    expected = {}
    try:
        from safetensors.torch import save as reference_save
    except ImportError:
        reference_save = None
        print("safetensors is not installed: bytes from the writer here only")
    for name, (tensors, metadata) in files.items():
        data, pad = serialize(tensors, metadata)
        assert pad > 0, f"{name}: choose names so that the header needs padding"
        if reference_save is not None:
            assert reference_save(tensors, metadata) == data, f"{name}: differs from safetensors.torch.save"
        with open(os.path.join(OUT, f"{name}.safetensors"), "wb") as f:
            f.write(data)
        expected[f"{name}.safetensors"] = {
            "metadata": metadata,
            "tensors": {n: {"dtype": TORCH_DTYPE[t.dtype], "shape": list(t.shape), "values": expected_values(t)} for n, t in tensors.items()},
        }
        print(f"{name}.safetensors: {len(data)} bytes, header padded with {pad} spaces")
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
