/**
 * Elementwise steps in wasm (compiler/codegen/wasm-map-step.ts): which qualify
 * (a rule calling exp, tanh, sin, cos or log; f64 or f32), the reasons of the
 * rest, and their numbers against the ts target's (Math's functions) at every
 * batch size's vector remainder: the loop runs two vectors, then one, then the
 * odd element; and the arguments vector sin, cos and log hand to Math.
 */
import { describe, expect, it } from "vitest";
import { instantiate } from "../../compiler/index.js";
import type { MapStep, Plan } from "../../compiler/plan/plan.js";
import { describeStep, wasmSteps } from "../../compiler/codegen/wasm-steps.js";
import { matchMapStep } from "../../compiler/codegen/wasm-map-step.js";
import { randomInputs } from "../../compiler/tools/random-inputs.js";
import { compileOk, readRoot, relError } from "../helpers/compile.js";

const maps = (plan: Plan): [number, MapStep][] => plan.steps.flatMap((s, i) => (s.kind === "map" ? [[i, s] as [number, MapStep]] : []));
const model = (body: string, n = 3) => `model m {\n  batch B\n  input x : [B, ${n}]\n  param W : [${n}, ${n}]\n${body}\n  output y\n}\n`;

describe("which elementwise steps run in wasm", () => {
  it("tanh (MLP order 3) and exp (softmax) in f64: every such step", () => {
    for (const [file, fn] of [["bench/models/mlp.thd", "tanh"], ["bench/models/softmax_classifier.thd", "exp"]] as const) {
      const { plan } = compileOk(readRoot(file), { order: 3 });
      const steps = maps(plan).filter(([, s]) => s.fn === fn);
      expect(steps.length).toBeGreaterThanOrEqual(1);
      const W = wasmSteps(plan);
      for (const [i, s] of steps) {
        expect(W.get(i)?.map, describeStep(s, plan)).toBeDefined();
        expect(describeStep(s, plan)).toMatch(/^wasm f64x2 elementwise/);
      }
    }
  });

  it("the rest stays JavaScript, with the reason", () => {
    const reason = (body: string, opts = {}) => {
      const { plan } = compileOk(model(body), { order: 2, ...opts });
      const [, s] = maps(plan)[0]!;
      return matchMapStep(s, plan);
    };
    expect(reason("  y = sinh(x @ W)")).toBe("Math.sinh has no vector version");
    expect(reason("  y = atan(x @ W)")).toBe("Math.atan has no vector version");
    for (const fn of ["sin", "cos", "log"]) expect(typeof reason(`  y = ${fn}(x @ W)`), fn).toBe("object"); // vector, Math for rare arguments
    expect(typeof reason("  y = tanh(x @ W)", { dtype: "f32" })).toBe("object"); // f32: widened to f64x2
    expect(reason("  y = sqrt(x @ W)")).toBe("Math.pow has no vector version");
    expect(reason("  y = relu(x @ W)")).toBe("no Math call with a vector version (exp, tanh, sin, cos, log): as fast in JavaScript");
    expect(typeof reason("  y = sigmoid(x @ W)")).toBe("object"); // exp, abs and a select: all vector
  });
});

describe("their numbers", () => {
  const cases: [string, number][] = [
    ["  y = tanh(x @ W)", 4], ["  y = exp(x @ W)", 4], ["  y = sigmoid(x @ W)", 3], ["  y = tanh(tanh(x @ W) * 3)", 5],
    ["  y = sin(x @ W) * cos(x)", 4], ["  y = log(x * x + 1) @ W", 4], ["  y = sin(3 * x @ W) + log(cos(x) + 2)", 3],
  ];
  for (const [body, order] of cases) {
    it(`${body.trim()}, order ${order}: the ts target's numbers at B = 1..9 (3 elements a sample: every remainder)`, () => {
      const { plan } = compileOk(model(body), { order, mode: "forward" });
      expect([...wasmSteps(plan).values()].some((w) => w.map)).toBe(true);
      const ts = instantiate(plan, "ts"), wasm = instantiate(plan, "wasm");
      for (let B = 1; B <= 9; B++) {
        const inputs = randomInputs(plan, B, B);
        const a = ts(inputs).y!, b = wasm(inputs).y!;
        expect(relError(b.value.data, a.value.data), `B=${B} value`).toBeLessThan(1e-14);
        for (const k of a.keys()) expect(relError(b.packed(...k.split(",")).data, a.packed(...k.split(",")).data), `B=${B} d[${k}]`).toBeLessThan(1e-13);
      }
    });
  }

  it("f32: tanh and sigmoid at order 3 give the ts target's numbers (both compute in f64 and round at the store) at B = 1..9", () => {
    for (const body of ["  y = tanh(x @ W)", "  y = sigmoid(x @ W)"]) {
      const { plan } = compileOk(model(body), { order: 3, mode: "forward", dtype: "f32" });
      expect([...wasmSteps(plan).values()].some((w) => w.map)).toBe(true);
      const ts = instantiate(plan, "ts"), wasm = instantiate(plan, "wasm");
      for (let B = 1; B <= 9; B++) {
        const inputs = randomInputs(plan, B, B);
        const a = ts(inputs).y!, b = wasm(inputs).y!;
        expect(b.value.data).toBeInstanceOf(Float32Array);
        expect(relError(b.value.data, a.value.data), `${body} B=${B} value`).toBeLessThan(1e-6);
        for (const k of a.keys()) expect(relError(b.packed(...k.split(",")).data, a.packed(...k.split(",")).data), `${body} B=${B} d[${k}]`).toBeLessThan(1e-6);
      }
    }
  });

  it("sin, cos and log at the arguments they hand to Math (|x| > 2^20, near multiples of pi/2, 0, negatives, subnormals, infinities, NaN): the ts target's numbers, bit for bit there", () => {
    const { plan } = compileOk("model m {\n  batch B\n  input x : [B]\n  y = sin(x) + cos(x) * log(x)\n  output y\n}\n", { order: 2, mode: "forward" });
    const W = [...wasmSteps(plan).values()].filter((w) => w.map);
    expect([...new Set(W.map((w) => w.map!.fns.join(",")))].sort()).toEqual(["cos,sin", "log"]);
    const handed = [3e6, -1.5e7, 1e300, Math.PI / 2, -Math.PI, 1e5 * Math.PI, Infinity, -Infinity, NaN, 0, -0, -2, 1e-310, 5e-324];
    const plain = [0.3, 1.7, 2.5, 1e5, 7.25, 1e-8, 0.999, 1.001];
    const xs = [...handed, ...plain];
    const inputs = { x: { shape: [xs.length], data: new Float64Array(xs) } };
    const a = instantiate(plan, "ts")(inputs).y!, b = instantiate(plan, "wasm")(inputs).y!;
    for (const k of ["", ...a.keys()]) {
      const da = k ? a.packed(...k.split(",")).data : a.value.data, db = k ? b.packed(...k.split(",")).data : b.value.data;
      xs.forEach((x, i) => {
        if (i < handed.length && (x === 0 || !Number.isFinite(x) || Math.abs(x) > 2 ** 20 || x < 0 || x < 2 ** -1022)) expect(Object.is(db[i], da[i]), `d[${k}] at x = ${x}: ${db[i]} vs ${da[i]}`).toBe(true);
        else expect(Math.abs(db[i]! - da[i]!), `d[${k}] at x = ${x}`).toBeLessThanOrEqual(4 * Number.EPSILON * Math.max(1, Math.abs(da[i]!)));
      });
    }
  });

  it("large arguments: tanh saturates to +-1 with derivatives 0, as Math.tanh", () => {
    const { plan } = compileOk(model("  y = tanh(x @ W)", 2), { order: 2, mode: "forward" });
    const inputs = { x: { shape: [4, 2], data: new Float64Array([30, 0, -30, 0, 1e-9, 0, -0.5, 0]) }, W: { shape: [2, 2], data: new Float64Array([1, 0, 0, 1]) } };
    const a = instantiate(plan, "ts")(inputs).y!, b = instantiate(plan, "wasm")(inputs).y!;
    expect([b.value.data[0], b.value.data[1], b.value.data[2]]).toEqual([1, 0, -1]);
    expect(relError(b.value.data, a.value.data)).toBeLessThan(1e-15);
    for (const k of a.keys()) expect(relError(b.packed(...k.split(",")).data, a.packed(...k.split(",")).data)).toBeLessThan(1e-14);
    expect(b.packed("x").data[0]).toBe(0); // tanh'(30) = 1 - 1^2
  });
});
