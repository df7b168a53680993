/** compiler/tools/executed-flops.ts: per-line counts, instrumented modules counted against hand counts and the plan estimate. */
import { describe, expect, it } from "vitest";
import { compile, planCost } from "../../compiler/index.js";
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
  it("control flow without float work counts nothing; float work under a condition is refused", () => {
    const s = scope(["t18", "t2"], ["v"]);
    expect(countLine("for (let b = 0; b < B; b++) for (let i = 0; i < 8; i++) t18[b * 64 + i * 9] = 1;", s)).toEqual({ flops: 0, math: 0 });
    expect(countLine("if (w0_0 > w0_1) continue;", s)).toEqual({ flops: 0, math: 0 });
    expect(countLine("for (; ek + 3 < 32; ek += 4) {", s)).toEqual({ flops: 0, math: 0 });
    expect(() => countLine("if (v > 0) t2[0] = v * v;", s)).toThrow(/under a condition/);
    expect(() => countLine("t2[q] = v < 0 ? v : 1 - v;", s)).toThrow(/ternary/);
  });
});

describe("instrumentModule", () => {
  it("adds a counter after each kernel statement that does float work, and refuses what it cannot count", () => {
    const body = ["function $program(T) {", "  function k0(B, t1, t0) {", "    for (let q = 0; q < B * 4; q++) {", "      const x = t0[q];", "      t1[q] = x * x + 1;", "    }", "  }", "}"].join("\n");
    const r = instrumentModule(body, "K");
    expect("text" in r && r.text.split("\n")[4]).toBe('      t1[q] = x * x + 1; globalThis["K"].f += 2;');
    expect(instrumentModule(body.replace("x * x + 1", "x > 0 ? x * x : 0"), "K")).toEqual({ unsupported: expect.stringMatching(/ternary/) });
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
