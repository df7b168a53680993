/** compiler/tools/executed-flops.ts: per-line counts, instrumented modules counted against hand counts and the plan estimate. */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import * as runtime from "../../runtime/index.js";
import { compile, instantiate, planCost, TARGETS } from "../../compiler/index.js";
import { countLine, executedFlops, instrumentModule, type Scope } from "../../compiler/tools/executed-flops.js";
import { randomInputs } from "../../compiler/tools/random-inputs.js";

const scope = (arrays: string[], floats: string[] = []): Scope => ({ arrays: new Set(arrays), floats: new Set(floats) });

describe("countLine", () => {
  it("counts float + - * / and compound assignments; index arithmetic is free", () => {
    const s = scope(["t7", "t1"], ["w_1", "w_3", "w_5", "w_7", "v_9", "v_12", "v_14", "v_16"]);
    expect(countLine("          t7[x_10] += w_1 * v_9 + w_3 * v_12 + w_5 * v_14 + w_7 * v_16;", s)).toEqual({ flops: 8, math: 0 });
    expect(countLine("const x_11 = (ek + 1) * 32 + en;", s)).toEqual({ flops: 0, math: 0 });
    expect(countLine("t7[o0_0 + 4 * w1] = w_1;", s)).toEqual({ flops: 0, math: 0 });
    expect(countLine("t7[o] -= w_1 / w_3;", s)).toEqual({ flops: 2, math: 0 });
  });
  it("types values by data flow: an element of a kernel's array is float, and so is what is computed from it", () => {
    const s = scope(["t9", "t13"]);
    expect(countLine("const x = t9[q];", s)).toEqual({ flops: 0, math: 0 });
    expect(countLine("const t = Math.tanh(x);", s)).toEqual({ flops: 0, math: 1 });
    // (-6)*t, *t, +8, *t, *t, -2: a sign flip is not counted
    expect(countLine("t13[q] = ((((-6) * t) * t + 8) * t) * t - 2;", s)).toEqual({ flops: 6, math: 0 });
    expect(countLine("const pr0 = t9[o + r_2] * t9[o + r_4];", s)).toEqual({ flops: 1, math: 0 });
    expect(countLine("acc += pr0;", s)).toEqual({ flops: 1, math: 0 });
    expect(s.floats.has("acc") && s.floats.has("pr0") && !s.floats.has("o")).toBe(true);
    expect(countLine("const BT = Math.min(B, 16);", s)).toEqual({ flops: 0, math: 0 });
    expect(countLine("const m = Math.max(t9[0], t9[1]);", s)).toEqual({ flops: 0, math: 0 });
    expect(countLine("const r_2 = T0[p] + T1[4 + w0_1];", s)).toEqual({ flops: 0, math: 0 });
  });
  it("a ternary's branches are counted where they run: their work leaves the static count and gets counter edits", () => {
    const s = scope(["t11"], ["x", "u"]);
    const line = "      t11[q] = x < 0 ? u * u : 1 - u;";
    const c = countLine(line, s);
    expect([c.flops, c.math]).toEqual([0, 0]);
    expect(c.edits!.map((e) => line.slice(e.at, e.end))).toEqual(["u * u", "1 - u"]);
  });
  it("control flow without float work counts nothing; float work under an if is refused", () => {
    const s = scope(["t18", "t2"], ["v"]);
    expect(countLine("for (let b = 0; b < B; b++) for (let i = 0; i < 8; i++) t18[b * 64 + i * 9] = 1;", s)).toEqual({ flops: 0, math: 0 });
    expect(countLine("if (w0_0 > w0_1) continue;", s)).toEqual({ flops: 0, math: 0 });
    expect(countLine("for (; ek + 3 < 32; ek += 4) {", s)).toEqual({ flops: 0, math: 0 });
    expect(() => countLine("if (v > 0) t2[0] = v * v;", s)).toThrow(/under a condition/);
    expect(() => countLine("if (v > 0) t2[0] = v < 1 ? v * v : v;", s)).toThrow(/under a condition/);
  });
});

describe("instrumentModule", () => {
  it("adds a counter after each kernel statement that does float work, and refuses what it cannot count", () => {
    const body = ["function $program(T) {", "  function k0(B, t1, t0) {", "    for (let q = 0; q < B * 4; q++) {", "      const x = t0[q];", "      t1[q] = x * x + 1;", "    }", "  }", "}"].join("\n");
    const r = instrumentModule(body, "K");
    expect("text" in r && r.text.split("\n")[4]).toBe('      t1[q] = x * x + 1; globalThis["K"].f += 2;');
    expect(instrumentModule(body.replace("t1[q] = x * x + 1;", "if (x > 0) t1[q] = x * x;"), "K")).toEqual({ unsupported: expect.stringMatching(/under a condition/) });
  });
  it("counts only the ternary branch taken, nested ternaries included, and the kernel computes what it did", () => {
    const body = ["function $program(T) {", "  function k0(B, t1, t0) {", "    for (let q = 0; q < B; q++) {", "      const x = t0[q];",
      "      t1[q] = 2 * (x < 0 ? x * x : x > 5 ? Math.exp(x) : 1 - x);", "    }", "  }", "  return k0;", "}"].join("\n");
    const r = instrumentModule(body, "KT");
    if (!("text" in r)) throw new Error(r.unsupported);
    const g = globalThis as unknown as { KT?: { f: number; m: number } };
    g.KT = { f: 0, m: 0 };
    try {
      const k0 = new Function(`${r.text}\nreturn $program();`)() as (B: number, o: Float64Array, i: Float64Array) => void;
      const out = new Float64Array(4);
      k0(4, out, Float64Array.from([-1, 2, -3, 6]));
      expect(Array.from(out)).toEqual([2, -2, 18, 2 * Math.exp(6)]);
      // 2 * (...) four times; x * x twice, 1 - x once; exp once
      expect(g.KT).toEqual({ f: 4 + 2 + 1, m: 1 });
    } finally { delete g.KT; }
  });
  it("an instrumented module returns the same numbers as the plain one (sigmoid and relu: ternaries)", () => {
    const src = readFileSync(new URL("../models/activations.thd", import.meta.url), "utf8");
    const r = compile(src, { order: 2, file: "activations.thd" });
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    const plan = r.state.plan!;
    const inst = instrumentModule(TARGETS.ts.module(plan, { flavor: "function", provenance: "memory", runtimeImport: "" }), "KM");
    if (!("text" in inst)) throw new Error(inst.unsupported);
    const g = globalThis as unknown as { KM?: { f: number; m: number } };
    g.KM = { f: 0, m: 0 };
    try {
      const inputs = randomInputs(plan, 5, 3);
      const counted = (new Function("rt", inst.text)(runtime) as (i: typeof inputs, o: { threads: number }) => Record<string, runtime.OutputResult>)(inputs, { threads: 1 });
      const plain = instantiate(plan, "ts")(inputs, { threads: 1 }); // the ts kernels, which the counter instruments
      for (const [name, res] of Object.entries(plain)) {
        expect(Array.from(counted[name]!.value.data)).toEqual(Array.from(res.value.data));
        for (const k of res.keys()) if (!res.isZero(...k.split(","))) expect(Array.from(counted[name]!.packed(...k.split(",")).data)).toEqual(Array.from(res.packed(...k.split(",")).data));
      }
      expect(g.KM!.f).toBeGreaterThan(0);
    } finally { delete g.KM; }
  });
});

const model = (body: string): string => `model m {\n batch B\n input x : [B, 3]\n param W : [3, 2]\n param b : [2]\n${body}\n output y\n}`;
const counted = (src: string, order: number, B: number, mode: "forward" | "reverse" = "forward") => {
  const r = compile(src, { order, mode, file: "m.thd" });
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  const plan = r.state.plan!;
  return { exec: executedFlops(plan, randomInputs(plan, B, 1)), plan: planCost(plan, B).flops };
};

describe("executedFlops", () => {
  it("x @ W alone: the emitted contraction does what the plan estimates (a multiply and an add per product)", () => {
    const { exec, plan } = counted(model(" y = x @ W"), 0, 5);
    expect(exec).toEqual({ flops: 2 * 5 * 3 * 2, mathCalls: 0 });
    expect(plan).toBe(60);
  });
  it("x @ W + b: hand count 60 for the product and 10 bias adds (the plan estimates 80: 2 per element of an add)", () => {
    const { exec, plan } = counted(model(" y = x @ W + b"), 0, 5);
    expect(exec).toEqual({ flops: 70, mathCalls: 0 });
    expect(plan).toBe(80);
  });
  it("tanh: one Math call per element of its input; counts are affine in B across batch tiles (16 a tile)", () => {
    const src = model(" y = tanh(x @ W + b)");
    const at = (B: number) => counted(src, 2, B).exec as { flops: number; mathCalls: number };
    expect(at(5).mathCalls).toBe(10);
    const [a, b, c] = [at(16), at(32), at(48)];
    expect(c.flops - b.flops).toBe(b.flops - a.flops);
    expect(b.flops - a.flops).toBeGreaterThan(0);
  });
  it("reverse mode (packed sorted writes behind `continue` guards) is countable, and at most the plan's estimate, which also counts the guards' comparisons", () => {
    const { exec, plan } = counted(model(" y = tanh(x @ W + b) * x[:, 0:2]"), 3, 7, "reverse");
    expect("flops" in exec && exec.flops > 0 && exec.flops <= plan).toBe(true);
  });
});
