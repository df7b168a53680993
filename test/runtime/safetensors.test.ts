/**
 * runtime/safetensors.ts and runtime/base64.ts: reading the reference files of
 * test/fixtures/safetensors (written by test/oracle/gen_safetensors_fixture.py,
 * independently of our writer), writing them again byte for byte, every dtype,
 * and clear errors (never a crash or a hang) on corrupt or truncated files.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { Tensor } from "../../runtime/tensor.js";
import { decodeSafetensors, encodeSafetensors, loadSafetensors, readSafetensorsHeader, type SafetensorsInput } from "../../runtime/safetensors.js";
import { base64ToBytes } from "../../runtime/base64.js";
import { ROOT } from "../helpers/compile.js";

const FIX = new URL("../fixtures/safetensors/", import.meta.url);
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(name, FIX)));
type Expected = Record<string, { metadata: Record<string, string>; tensors: Record<string, { dtype: string; shape: number[]; values: (number | string)[] }> }>;
const EXPECTED = JSON.parse(readFileSync(new URL("expected.json", FIX), "utf8")) as Expected;
const num = (v: number | string): number => (typeof v === "number" ? v : Number(v)); // "NaN", "Infinity", "-Infinity"

/** Same values, telling -0 from 0 and NaN equal to NaN. */
function expectSame(got: ArrayLike<number>, want: ArrayLike<number>, label: string): void {
  expect(got.length, label).toBe(want.length);
  for (let i = 0; i < want.length; i++) if (!Object.is(got[i], want[i])) expect(`${label}[${i}] = ${got[i]}`).toBe(`${label}[${i}] = ${want[i]}`);
}

const ascii = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0));
const u64 = (n: number): number[] => [n & 255, (n >> 8) & 255, (n >> 16) & 255, n >>> 24, 0, 0, 0, 0];

/** A file from a header object and raw data bytes, for the dtypes we only read and for corrupt cases. */
function file(header: unknown, data: ArrayLike<number> = [], opts: { rawHeader?: string; pad?: boolean } = {}): Uint8Array {
  let json = new TextEncoder().encode(opts.rawHeader ?? JSON.stringify(header));
  if (opts.pad !== false && json.length % 8) json = Uint8Array.from([...json, ...Array(8 - (json.length % 8)).fill(0x20)]);
  return Uint8Array.from([...u64(json.length), ...json, ...Array.from(data)]);
}
const bytesOf = (a: ArrayBufferView): number[] => Array.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));

describe("reference files (gen_safetensors_fixture.py)", () => {
  for (const [name, want] of Object.entries(EXPECTED)) {
    it(`${name}: every tensor's shape and values, and the metadata`, () => {
      const bytes = fixture(name);
      const got = decodeSafetensors(bytes);
      expect([...got.keys()].sort()).toEqual(Object.keys(want.tensors).sort());
      for (const [t, w] of Object.entries(want.tensors)) {
        const g = got.get(t)!;
        expect(g, t).toBeInstanceOf(Tensor);
        expect(g.data, t).toBeInstanceOf(Float64Array);
        expect(g.shape, t).toEqual(w.shape);
        expectSame(g.data, w.values.map(num), t);
      }
      const header = readSafetensorsHeader(bytes);
      expect({ ...header.metadata }).toEqual(want.metadata);
      expect(header.dataStart % 8).toBe(0);
      expect(Object.fromEntries(header.entries.map((e) => [e.name, e.dtype]))).toEqual(Object.fromEntries(Object.entries(want.tensors).map(([t, w]) => [t, w.dtype])));
      // data order: entries are contiguous from 0 to the end of the file
      header.entries.forEach((e, i) => expect(e.begin).toBe(i === 0 ? 0 : header.entries[i - 1]!.end));
      expect(header.dataStart + header.entries.at(-1)!.end).toBe(bytes.length);
    });
  }

  it("f64_f32: our writer reproduces the reference bytes exactly (dtype then name order, padding)", () => {
    const want = EXPECTED["f64_f32.safetensors"]!;
    const tensors = Object.entries(want.tensors).map(([n, t]) => [n, { shape: t.shape, data: Float64Array.from(t.values.map(num)), dtype: t.dtype as "F64" | "F32" }] as const);
    const ref = fixture("f64_f32.safetensors");
    expect(bytesOf(encodeSafetensors(new Map(tensors), want.metadata))).toEqual(Array.from(ref));
    // the input's order does not matter; a record does as well as a Map
    expect(bytesOf(encodeSafetensors(Object.fromEntries([...tensors].reverse()), want.metadata))).toEqual(Array.from(ref));
    // decode then encode gives the file back
    const decoded = decodeSafetensors(ref);
    const dtypes = new Map(tensors.map(([n, t]) => [n, t.dtype]));
    expect(bytesOf(encodeSafetensors(new Map([...decoded].map(([n, t]) => [n, { shape: t.shape, data: t.data, dtype: dtypes.get(n) }])), want.metadata))).toEqual(Array.from(ref));
  });
});

describe("encodeSafetensors", () => {
  // the byte layouts the format's reference implementation tests
  it("an empty file, with and without metadata", () => {
    expect(Array.from(encodeSafetensors({}))).toEqual([8, 0, 0, 0, 0, 0, 0, 0, ...ascii("{}      ")]);
    expect(Array.from(encodeSafetensors(new Map(), { framework: "pt" }))).toEqual([40, 0, 0, 0, 0, 0, 0, 0, ...ascii('{"__metadata__":{"framework":"pt"}}     ')]);
  });

  it("a header already a multiple of 8 is not padded; one that is not gets spaces", () => {
    const data = [0, 1, 2, 3, 4, 5];
    const f32 = bytesOf(Float32Array.from(data));
    expect(Array.from(encodeSafetensors({ "attn.0": { shape: [1, 2, 3], data, dtype: "F32" } }))).toEqual([64, 0, 0, 0, 0, 0, 0, 0, ...ascii('{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}'), ...f32]);
    expect(Array.from(encodeSafetensors({ attn0: { shape: [1, 1, 2, 3], data, dtype: "F32" } }))).toEqual([72, 0, 0, 0, 0, 0, 0, 0, ...ascii('{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}       '), ...f32]);
  });

  it("F64 by default, F32 only when asked (rounded to float32); metadata keys sorted", () => {
    const t = { shape: [2], data: [0.1, 1 / 3] };
    const a = decodeSafetensors(encodeSafetensors({ t }));
    expectSame(a.get("t")!.data, [0.1, 1 / 3], "F64");
    const b = decodeSafetensors(encodeSafetensors({ t: { ...t, dtype: "F32" } }));
    expectSame(b.get("t")!.data, [Math.fround(0.1), Math.fround(1 / 3)], "F32");
    expect(readSafetensorsHeader(encodeSafetensors({ t }, { z: "1", a: "2", é: "3" })).metadata).toEqual({ a: "2", z: "1", é: "3" });
    const text = new TextDecoder().decode(encodeSafetensors({}, { z: "1", a: "2" }));
    expect(text.indexOf('"a"')).toBeLessThan(text.indexOf('"z"'));
  });

  it("round trips F64 and F32: random shapes (scalar, empty), odd names, data 8-byte aligned", () => {
    let s = 7;
    const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5) * 1e3;
    const names = ["w", "__proto__", "constructor", "a\"b\\c\nd", "é", "\u{1F600}", "\uE000", "toString", "x.y/z:0"];
    for (let round = 0; round < 20; round++) {
      const tensors = new Map<string, SafetensorsInput>();
      names.slice(0, 1 + (round % names.length)).forEach((n, k) => {
        const shape = [[], [0], [3], [2, 0, 4], [2, 3], [1, 1, 5]][(round + k) % 6]!;
        const size = shape.reduce((a, b) => a * b, 1);
        tensors.set(n, { shape, data: Float64Array.from({ length: size }, rnd), dtype: (round + k) % 2 ? "F32" : "F64" });
      });
      const bytes = encodeSafetensors(tensors, { round: String(round) });
      const h = readSafetensorsHeader(bytes);
      expect(h.dataStart % 8).toBe(0);
      const back = decodeSafetensors(bytes);
      expect(back.size).toBe(tensors.size);
      for (const [n, t] of tensors) {
        expect(back.get(n)!.shape, n).toEqual(t.shape);
        expectSame(back.get(n)!.data, t.dtype === "F32" ? Array.from(t.data, Math.fround) : t.data, n);
      }
      expect(bytesOf(encodeSafetensors(new Map([...tensors].reverse()), { round: String(round) }))).toEqual(Array.from(bytes));
    }
  });

  it("names in UTF-8 byte order, F64 before F32, as the reference implementation sorts", () => {
    const t = { shape: [1], data: [1] };
    const bytes = encodeSafetensors({ "\u{1F600}": t, "\uE000": t, b: t, B: t, a: { ...t, dtype: "F32" } });
    expect(readSafetensorsHeader(bytes).entries.map((e) => e.name)).toEqual(["B", "b", "\uE000", "\u{1F600}", "a"]);
  });

  it("accepts Tensors, Float32Array data and plain arrays", () => {
    const bytes = encodeSafetensors({ t: Tensor.from([[1, 2], [3, 4]]), f: { shape: [2], data: new Float32Array([0.5, 2]), dtype: "F32" }, p: { shape: [], data: [7] } });
    const back = decodeSafetensors(bytes);
    expect(back.get("t")!.toArray()).toEqual([[1, 2], [3, 4]]);
    expect(Array.from(back.get("f")!.data)).toEqual([0.5, 2]);
    expect(back.get("p")!.get()).toBe(7);
  });

  it("rejects what it cannot write, naming the tensor", () => {
    expect(() => encodeSafetensors({ w: { shape: [2, 2], data: [1, 2, 3] } })).toThrow(/'w' has 3 values for shape \[2, 2\] \(4 expected\)/);
    expect(() => encodeSafetensors({ w: { shape: [2], data: [1, 2], dtype: "F16" as "F32" } })).toThrow(/'w'.*F16.*F64 or F32/);
    expect(() => encodeSafetensors({ w: { shape: [-1], data: [] } })).toThrow(/'w'.*shape/);
    expect(() => encodeSafetensors({ __metadata__: { shape: [1], data: [1] } })).toThrow(/__metadata__/);
    expect(() => encodeSafetensors({}, { k: 1 as unknown as string })).toThrow(/metadata 'k' must be a string/);
  });
});

describe("decodeSafetensors: every dtype it reads", () => {
  const cases: { dtype: string; bytes: number[]; want: number[] }[] = [
    { dtype: "F64", bytes: bytesOf(Float64Array.from([1.5, -0, 1e-310, -Infinity])), want: [1.5, -0, 1e-310, -Infinity] },
    { dtype: "F32", bytes: bytesOf(Float32Array.from([0.1, -3.5, 1e-45, NaN])), want: [Math.fround(0.1), -3.5, Math.fround(1e-45), NaN] },
    // half: 1, -2, 65504 (max), 2^-24 (smallest subnormal), 2^-14 (smallest normal), -0, inf, NaN
    { dtype: "F16", bytes: bytesOf(Uint16Array.from([0x3c00, 0xc000, 0x7bff, 0x0001, 0x0400, 0x8000, 0x7c00, 0x7e00])), want: [1, -2, 65504, 2 ** -24, 2 ** -14, -0, Infinity, NaN] },
    // bfloat16: the top 16 bits of a float32
    { dtype: "BF16", bytes: bytesOf(Uint16Array.from([0x3f80, 0xc049, 0x7f80, 0x0001, 0xff80, 0x7fc0])), want: [1, -3.140625, Infinity, 2 ** -133, -Infinity, NaN] },
    // e5m2: the top byte of a half; e4m3fn: bias 7, max 448, no infinities, 0x7f NaN
    { dtype: "F8_E5M2", bytes: [0x3c, 0xc0, 0x7b, 0x01, 0x7c, 0x80], want: [1, -2, 57344, 2 ** -16, Infinity, -0] },
    { dtype: "F8_E4M3", bytes: [0x38, 0xb8, 0x7e, 0x01, 0x08, 0x7f, 0xff, 0x80], want: [1, -1, 448, 2 ** -9, 2 ** -6, NaN, NaN, -0] },
    { dtype: "I64", bytes: bytesOf(BigInt64Array.from([0n, -1n, 2n ** 53n + 1n, -(2n ** 63n), 123456789012n])), want: [0, -1, 2 ** 53, -(2 ** 63), 123456789012] },
    { dtype: "U64", bytes: bytesOf(BigUint64Array.from([0n, 2n ** 64n - 1n, 2n ** 32n + 5n])), want: [0, 2 ** 64, 2 ** 32 + 5] },
    { dtype: "I32", bytes: bytesOf(Int32Array.from([-(2 ** 31), 2 ** 31 - 1, -7])), want: [-(2 ** 31), 2 ** 31 - 1, -7] },
    { dtype: "U32", bytes: bytesOf(Uint32Array.from([0, 2 ** 32 - 1])), want: [0, 2 ** 32 - 1] },
    { dtype: "I16", bytes: bytesOf(Int16Array.from([-32768, 32767, -1])), want: [-32768, 32767, -1] },
    { dtype: "U16", bytes: bytesOf(Uint16Array.from([0, 65535])), want: [0, 65535] },
    { dtype: "I8", bytes: [0x80, 0x7f, 0xff, 0], want: [-128, 127, -1, 0] },
    { dtype: "U8", bytes: [0, 255, 128], want: [0, 255, 128] },
    { dtype: "BOOL", bytes: [1, 0, 1, 0], want: [1, 0, 1, 0] },
  ];
  for (const c of cases) {
    it(`${c.dtype}, and back through F64`, () => {
      const bytes = file({ t: { dtype: c.dtype, shape: [c.want.length], data_offsets: [0, c.bytes.length] } }, c.bytes);
      const t = decodeSafetensors(bytes).get("t")!;
      expect(t.shape).toEqual([c.want.length]);
      expectSame(t.data, c.want, c.dtype);
      expectSame(decodeSafetensors(encodeSafetensors({ t })).get("t")!.data, c.want, `${c.dtype} via F64`);
    });
  }

  it("the header may be unpadded; data are read at any byte offset of the array given", () => {
    const f = file({ t: { dtype: "F64", shape: [1], data_offsets: [0, 8] } }, bytesOf(Float64Array.from([2.5])), { pad: false });
    expect(decodeSafetensors(f).get("t")!.get(0)).toBe(2.5);
    const shifted = new Uint8Array(f.length + 3);
    shifted.set(f, 3);
    expect(decodeSafetensors(shifted.subarray(3)).get("t")!.get(0)).toBe(2.5);
    expect(decodeSafetensors(shifted.slice(3).buffer).get("t")!.get(0)).toBe(2.5); // an ArrayBuffer as well
  });

  it("decoded tensors own their data: they do not alias the file's bytes", () => {
    const bytes = encodeSafetensors({ t: { shape: [2], data: [1, 2] } });
    const t = decodeSafetensors(bytes).get("t")!;
    bytes.fill(0, bytes.length - 16);
    expect(Array.from(t.data)).toEqual([1, 2]);
    expect(t.data.buffer.byteLength).toBe(16);
  });
});

describe("decodeSafetensors: corrupt and truncated files give Errors naming the problem", () => {
  const good = encodeSafetensors({ a: { shape: [2], data: [1, 2] }, b: { shape: [1], data: [3] } }); // a [0,16], b [16,24]
  const n = good[0]!;
  const cases: [string, Uint8Array, RegExp][] = [
    ["empty", new Uint8Array(0), /too short \(0 bytes\)/],
    ["7 bytes", good.slice(0, 7), /too short \(7 bytes\)/],
    ["header length above 2^32", Uint8Array.from([0, 0, 0, 0, 1, 0, 0, 0, ...ascii("{}")]), /header length 4294967296 is larger than/],
    ["header length of 200 MB", Uint8Array.from([...u64(200_000_000), ...ascii("{}")]), /header length 200000000 is larger than/],
    ["header cut short", good.slice(0, 8 + n - 1), new RegExp(`header length ${n} runs past the end of the file \\(${8 + n - 1} bytes\\)`)],
    ["data cut short", good.slice(0, good.length - 1), /tensor 'b': data_offsets \[16, 24\] run past the end of the data buffer \(23 bytes\)/],
    ["trailing bytes", Uint8Array.from([...good, 0, 0]), /2 bytes after the last tensor's data belong to no tensor/],
    ["not UTF-8", Uint8Array.from([...u64(8), ...ascii('{"'), 0xff, ...ascii('":1} ')]), /not valid UTF-8/],
    ["not JSON", file(null, [], { rawHeader: '{"a": {"dtype": ' }), /not valid JSON/],
    ["a JSON array", file([]), /must be a JSON object/],
    ["JSON null", file(null), /must be a JSON object/],
    ["a tensor that is not an object", file({ a: 3 }), /tensor 'a': expected \{dtype, shape, data_offsets\}/],
    ["unknown dtype", file({ a: { dtype: "C64", shape: [1], data_offsets: [0, 8] } }, Array(8).fill(0)), /tensor 'a' has unknown dtype 'C64'; supported: F64, F32, F16, BF16/],
    ["dtype missing", file({ a: { shape: [1], data_offsets: [0, 8] } }, Array(8).fill(0)), /tensor 'a': dtype must be a string/],
    ["negative dim", file({ a: { dtype: "U8", shape: [-1], data_offsets: [0, 0] } }), /tensor 'a': shape must be an array of non-negative integers/],
    ["fractional dim", file({ a: { dtype: "U8", shape: [1.5], data_offsets: [0, 0] } }), /shape must be/],
    ["shape not an array", file({ a: { dtype: "U8", shape: "2", data_offsets: [0, 2] } }, [1, 2]), /shape must be/],
    ["offsets of the wrong arity", file({ a: { dtype: "U8", shape: [1], data_offsets: [0] } }, [1]), /data_offsets must be \[begin, end\]/],
    ["offsets reversed", file({ a: { dtype: "U8", shape: [0], data_offsets: [1, 0] } }, [1]), /data_offsets must be \[begin, end\] with 0 <= begin <= end, got \[1,0\]/],
    ["offsets as strings", file({ a: { dtype: "U8", shape: [1], data_offsets: ["0", "1"] } }, [1]), /data_offsets must be/],
    ["size mismatch", file({ a: { dtype: "F32", shape: [2, 2], data_offsets: [0, 12] } }, Array(12).fill(0)), /tensor 'a': shape \[2, 2\] of F32 needs 16 bytes, data_offsets \[0, 12\] hold 12/],
    ["a huge shape on few bytes", file({ a: { dtype: "F64", shape: [1e15, 1e15], data_offsets: [0, 8] } }, Array(8).fill(0)), /needs .* bytes, data_offsets \[0, 8\] hold 8/],
    ["overlap", file({ a: { dtype: "F64", shape: [1], data_offsets: [0, 8] }, b: { dtype: "F64", shape: [1], data_offsets: [4, 12] } }, Array(12).fill(0)), /tensor 'b' data_offsets \[4, 12\] overlap those of 'a' \[0, 8\]/],
    ["the same bytes twice", file({ a: { dtype: "F64", shape: [1], data_offsets: [0, 8] }, b: { dtype: "F64", shape: [1], data_offsets: [0, 8] } }, Array(8).fill(0)), /overlap/],
    ["a hole", file({ a: { dtype: "F64", shape: [1], data_offsets: [0, 8] }, b: { dtype: "F64", shape: [1], data_offsets: [16, 24] } }, Array(24).fill(0)), /bytes \[8, 16\) of the data buffer before tensor 'b' belong to no tensor/],
    ["data not starting at 0", file({ a: { dtype: "U8", shape: [1], data_offsets: [1, 2] } }, [0, 0]), /bytes \[0, 1\) .* before tensor 'a'/],
    ["metadata not an object", file({ __metadata__: "pt" }), /__metadata__ must be an object of strings/],
    ["metadata value not a string", file({ __metadata__: { epochs: 3 } }), /__metadata__ 'epochs' must be a string, got 3/],
  ];
  for (const [label, bytes, message] of cases) {
    it(label, () => {
      expect(() => decodeSafetensors(bytes)).toThrow(message);
      expect(() => decodeSafetensors(bytes)).toThrow(/^safetensors: /);
    });
  }

  it("random corruptions and truncations of the reference files: a result or an Error, never anything else", () => {
    let s = 12345;
    const rnd = (k: number) => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) % k);
    const start = Date.now();
    let decoded = 0, rejected = 0;
    for (const name of ["all_dtypes.safetensors", "f64_f32.safetensors"]) {
      const ref = fixture(name);
      const head = ref[0]! + 256 * ref[1]!;
      for (let k = 0; k < 1500; k++) {
        let b = ref.slice();
        const what = rnd(3);
        if (what === 0) b = b.slice(0, rnd(b.length)); // truncate
        else for (let j = 0, m = 1 + rnd(4); j < m; j++) b[what === 1 ? 8 + head + rnd(b.length - 8 - head) : rnd(8 + head)] = rnd(256); // in the data, or in the length and header
        try {
          const out = decodeSafetensors(b);
          expect(out).toBeInstanceOf(Map);
          decoded++;
        } catch (e) {
          rejected++;
          expect(e).toBeInstanceOf(Error);
          expect((e as Error).constructor).toBe(Error);
          expect((e as Error).message).toMatch(/^safetensors: /);
        }
      }
    }
    expect(decoded).toBeGreaterThan(100); // flips in the data decode, as they should
    expect(rejected).toBeGreaterThan(1000);
    expect(Date.now() - start).toBeLessThan(10_000);
  });
});

describe("loadSafetensors", () => {
  mkdirSync(ROOT + "test/.tmp", { recursive: true });
  const dir = mkdtempSync(ROOT + "test/.tmp/safetensors-");
  const want = decodeSafetensors(fixture("f64_f32.safetensors"));
  const same = (got: Map<string, Tensor>) => {
    expect([...got.keys()]).toEqual([...want.keys()]);
    for (const [k, t] of want) expectSame(got.get(k)!.data, t.data, k);
  };

  it("a file: URL, a URL string and a path", async () => {
    same(await loadSafetensors(new URL("f64_f32.safetensors", FIX)));
    same(await loadSafetensors(new URL("f64_f32.safetensors", FIX).href));
    same(await loadSafetensors(new URL("f64_f32.safetensors", FIX).pathname));
  });

  it("errors name the file: missing, corrupt", async () => {
    const missing = pathToFileURL(`${dir}/nope.safetensors`);
    await expect(loadSafetensors(missing)).rejects.toThrow(new RegExp(`cannot read ${missing.href}: .*ENOENT`));
    writeFileSync(`${dir}/bad.safetensors`, Uint8Array.from([1, 2, 3]));
    await expect(loadSafetensors(`${dir}/bad.safetensors`)).rejects.toThrow(new RegExp(`${dir}/bad.safetensors: safetensors: file too short \\(3 bytes\\)`));
  });

  it("http: fetched; a 404 names the URL and the status", async () => {
    const bytes = fixture("f64_f32.safetensors");
    const server = createServer((req, res) => {
      if (req.url === "/w.safetensors") { res.writeHead(200, { "content-type": "application/octet-stream" }); res.end(bytes); } else { res.writeHead(404); res.end(); }
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      same(await loadSafetensors(`${base}/w.safetensors`));
      same(await loadSafetensors(new URL(`${base}/w.safetensors`)));
      await expect(loadSafetensors(`${base}/gone.safetensors`)).rejects.toThrow(new RegExp(`cannot read ${base}/gone.safetensors: HTTP 404`));
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe("base64ToBytes", () => {
  it("decodes what Buffer encodes, for every length mod 3, with whitespace", () => {
    for (let n = 0; n < 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n * 31) & 255);
      const b64 = Buffer.from(bytes).toString("base64");
      expect(Array.from(base64ToBytes(b64)), String(n)).toEqual(Array.from(bytes));
      expect(Array.from(base64ToBytes(b64.replace(/(.{8})/g, "$1\n "))), `${n} with whitespace`).toEqual(Array.from(bytes));
    }
  });

  it("a module's embedded weights: decodeSafetensors(base64ToBytes(text))", () => {
    const bytes = fixture("all_dtypes.safetensors");
    expect([...decodeSafetensors(base64ToBytes(Buffer.from(bytes).toString("base64"))).keys()]).toEqual([...decodeSafetensors(bytes).keys()]);
  });

  it("invalid base64 is an Error", () => {
    expect(() => base64ToBytes("abc!")).toThrow(/base64ToBytes: not valid base64/);
    expect(() => base64ToBytes("a")).toThrow(/not valid base64/);
  });
});
