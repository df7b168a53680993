/** Memory limits: coded errors instead of engine RangeErrors, checks at the real batch size, structural zeros not expanded. */
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { thoadc, useCli, workdir } from "../helpers/cli.js";

useCli();
const T = 60_000;

/** A batched model whose output depends on the param only: its blocks w.r.t. x are (B n)^k zeros. */
const PARAM_ONLY = "model m {\n  batch B\n  input x : [B, 64]\n  param W : [64]\n  z = sum(W * W)\n  output z\n}\n";
const inputs = (B: number, n: number) => JSON.stringify({ x: { shape: [B, n], data: Array.from({ length: B * n }, (_, i) => (i % 7) / 7) }, W: { shape: [n], data: Array.from({ length: n }, (_, i) => i / n) } });

describe("eval: structural zeros across the batch", { timeout: T }, () => {
  it("a param-only output of a batched model at B=1100, order 2: the [B, n, B, n] zero block is written as such (it was 'Invalid typed array length')", () => {
    const dir = workdir({ "m.thd": PARAM_ONLY, "in.json": inputs(1100, 64) });
    const r = thoadc(dir, "eval", "m.thd", "--order", "2", "--inputs", "in.json", "--out", "out.json");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const out = JSON.parse(readFileSync(join(dir, "out.json"), "utf8"));
    expect(out.outputs.z.derivatives["x,x"]).toEqual({ shape: [1100, 64, 1100, 64], zero: true });
    expect(out.outputs.z.derivatives.x).toEqual({ shape: [1100, 64], zero: true });
    expect(readFileSync(join(dir, "out.json")).length).toBeLessThan(2000);
  });
});

describe("eval --max-memory at the inputs' batch size (TH402)", { timeout: T }, () => {
  const MLP = "model m {\n  batch B\n  input x : [B, 8]\n  param W : [8, 8]\n  y = tanh(x @ W)\n  output y\n}\n";
  const data = (B: number) => JSON.stringify({ x: { shape: [B, 8], data: Array.from({ length: B * 8 }, (_, i) => Math.sin(i)) }, W: { shape: [8, 8], data: Array.from({ length: 64 }, (_, i) => Math.cos(i) / 8) } });

  it("a plan that fits at B=1 but not at the 4096 samples given is refused (it was checked at B=1)", () => {
    const dir = workdir({ "m.thd": MLP, "in.json": data(4096) });
    const r = thoadc(dir, "eval", "m.thd", "--order", "2", "--inputs", "in.json", "--max-memory", "1M");
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^m\.thd:1:7: error TH402: the (forward|reverse)-mode plan allocates about .* per call at B=4096, over the limit of 1\.0 MiB/);
  });

  it("dense results over the limit are refused before they are expanded", () => {
    const dir = workdir({ "m.thd": MLP, "in.json": data(64) });
    const r = thoadc(dir, "eval", "m.thd", "--order", "3", "--inputs", "in.json", "--max-memory", "1M");
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^m\.thd: error TH402: eval writes every derivative dense: \d+ entries at B=64/);
  });

  it("the same inputs within the limit are evaluated", () => {
    const dir = workdir({ "m.thd": MLP, "in.json": data(16) });
    const r = thoadc(dir, "eval", "m.thd", "--order", "2", "--inputs", "in.json", "--max-memory", "64M");
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).outputs.y.derivatives["x,x"].shape).toEqual([16, 8, 8, 8]);
  });
});

describe("check and bench: random inputs over --max-memory (TH403)", { timeout: T }, () => {
  const BIG = "model m {\n  batch B\n  input x : [B, 3]\n  param W : [40000, 40000]\n  y = x * 2 + sum(W)\n  output y\n}\n";
  it.each(["check", "bench"])("%s refuses before allocating 12 GiB of parameters (it crashed in randomInputs)", (cmd) => {
    const dir = workdir({ "m.thd": BIG });
    const r = thoadc(dir, cmd, "m.thd", "--order", "1", "--max-memory", "1G");
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^m\.thd: error TH403: the random inputs at B=\d+ take 11\.9 GiB: over the limit of 1\.0 GiB \(--max-memory\)/);
  });
});

describe("dims beyond 2^31 - 1 (TH114, TH112)", { timeout: T }, () => {
  it("2^53 + 1 in the source is refused, not rounded to 2^53", () => {
    const dir = workdir({ "m.thd": "model m {\n  dim H = 9007199254740993\n  input x : [9007199254740993]\n  y = x\n  output y\n}\n" });
    const r = thoadc(dir, "m.thd");
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("m.thd:2:3: error TH114: dim 'H' must be a positive integer of at most 2147483647, got an integer beyond 2^53");
    expect(r.stderr).toContain("m.thd:3:14: error TH114: a dimension must be at most 2147483647");
  });

  it("--dim H=2^53+1 is TH112", () => {
    const dir = workdir({ "m.thd": "model m {\n  dim H = 3\n  input x : [H]\n  y = x\n  output y\n}\n" });
    const r = thoadc(dir, "m.thd", "--dim", "H=9007199254740993");
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("error TH112: --dim H: a dim must be at most 2147483647, got 9007199254740993");
  });

  it("a declared tensor of more than 2^31 - 1 elements is TH114", () => {
    const dir = workdir({ "m.thd": "model m {\n  input x : [3]\n  param W : [100000, 100000]\n  y = x + sum(W)\n  output y\n}\n" });
    const r = thoadc(dir, "m.thd");
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("m.thd:3:3: error TH114: 'W' has 10000000000 elements, more than 2147483647");
  });
});
