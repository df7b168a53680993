/**
 * --dtype f32: the module computes with Float32Array buffers end to end, agrees
 * with the f64 module within a float32 rounding bound, and its types say
 * Float32Array to a TypeScript user (strict type check, as in module.test.ts).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { TARGETS, type CompileOptions } from "../../compiler/index.js";
import { randomInputs } from "../../compiler/tools/random-inputs.js";
import type { OutputResult } from "../../runtime/index.js";
import { compileOk, readRoot, ROOT, testTarget } from "../helpers/compile.js";

/** The target under test (THOAD_TEST_TARGET, default ts). */
const emitTarget = TARGETS[testTarget()];

mkdirSync(ROOT + "test/.tmp", { recursive: true });

/** Unit roundoff of float32 (round to nearest). */
const U32 = 2 ** -24;

/**
 * Tolerance for an order-k block, norm-wise (largest |f32 - f64| over the largest
 * |f64| entry of the output's order-k blocks). The emitted code evaluates every
 * expression in JS doubles (error ~1e-16, negligible) and rounds only when it
 * stores an element: each stored element is x(1 + d), |d| <= u = 2^-24, inputs
 * included. To first order these relative errors add along the chain of steps
 * that leads to a block, amplified where a step's sum cancels. An order-k block
 * of a layer is a Faa di Bruno sum over products of up to k+1 stored factors
 * (each off by what it inherited), and the chain through the models below holds
 * a few layers: we allow (k+1)^2 for factors times chain length, and 32 for
 * layers times cancellation, tol(k) = 32 (k+1)^2 u (1.9e-6 for values, 3.1e-5
 * at order 3). Measured on the cases below: at most 44u (cnn, order 2), 0.15 of
 * tol(k); docs/dtype.md has the same measure per order for the bench models. A
 * wrong buffer or term gives an O(1) error; values computed in f64 throughout
 * would give exactly 0 error, which the tests refuse as well.
 */
const tol = (k: number): number => 32 * (k + 1) ** 2 * U32;

type Result = Record<string, OutputResult<Float32Array | Float64Array>>;

/** Per output and order k (0 = value): norm-wise error of f32 against f64 over all its order-k blocks. */
function compare(r64: Result, r32: Result): { out: string; k: number; err: number }[] {
  const rows: { out: string; k: number; err: number }[] = [];
  for (const [name, a] of Object.entries(r64)) {
    const b = r32[name]!;
    expect(b.value.data, `${name} value`).toBeInstanceOf(Float32Array);
    const blocks = new Map<number, [ArrayLike<number>, ArrayLike<number>][]>([[0, [[a.value.data, b.value.data]]]]);
    for (const key of a.keys()) {
      const names = key.split(",");
      const pb = b.packed(...names).data, db = b.d(...names).data;
      expect(pb, `${name} packed(${key})`).toBeInstanceOf(Float32Array);
      expect(db, `${name} d(${key})`).toBeInstanceOf(Float32Array);
      const k = names.length;
      blocks.set(k, [...(blocks.get(k) ?? []), [a.packed(...names).data, pb]]);
    }
    for (const [k, pairs] of blocks) {
      let scale = 0, err = 0;
      for (const [x, y] of pairs) for (let i = 0; i < x.length; i++) {
        scale = Math.max(scale, Math.abs(x[i]!));
        const e = Math.abs(y[i]! - x[i]!);
        if (!(e <= err)) err = e; // NaN propagates
      }
      rows.push({ out: name, k, err: scale > 0 ? err / scale : err });
    }
  }
  return rows;
}

const CASES: { file: string; order: number; opts?: Partial<CompileOptions>; range?: [number, number] }[] = [
  { file: "examples/mlp.thd", order: 3 },
  { file: "bench/models/softmax_classifier.thd", order: 3 },
  { file: "bench/models/pinn.thd", order: 3 },
  { file: "bench/models/trig.thd", order: 3 },
  { file: "examples/loss.thd", order: 2, opts: { wrt: ["W2", "b1"] } },
  { file: "examples/cnn.thd", order: 2 },
  { file: "test/models/losses.thd", order: 2, opts: { model: "losses" } }, // nine outputs, no batch axis
  { file: "test/models/ops.thd", order: 2, opts: { model: "select_ops" } }, // elementwise masks (compare steps)
  { file: "test/models/ops.thd", order: 2, opts: { model: "reductions" } }, // extrema over axes: best and tie counts
];

describe("f32 modules agree with f64 within tol(k) = 32 (k+1)^2 u, both modes", () => {
  for (const c of CASES) for (const mode of ["forward", "reverse"] as const) {
    it(`${c.file} order ${c.order} ${mode}`, () => {
      const source = readRoot(c.file);
      const f64 = compileOk(source, { order: c.order, mode, ...c.opts });
      const f32 = compileOk(source, { order: c.order, mode, dtype: "f32", ...c.opts });
      expect(f32.plan.dtype).toBe("f32");
      const inputs = randomInputs(f64.plan, 3, 7, c.range);
      const rows = compare(f64.fn(inputs) as Result, f32.fn(inputs) as Result);
      expect(rows.map((r) => r.k)).toContain(c.order);
      for (const r of rows) expect(r.err, `${r.out} order ${r.k}`).toBeLessThanOrEqual(tol(r.k));
      // the values really went through float32 (inputs rounded at entry, every store rounded)
      expect(Math.max(...rows.filter((r) => r.k === 0).map((r) => r.err))).toBeGreaterThan(0);
    }, 60_000);
  }
});

describe("emitted f32 modules", () => {
  const { plan } = compileOk(readRoot("examples/mlp.thd"), { order: 3, dtype: "f32" });
  const { fn } = compileOk(readRoot("examples/mlp.thd"), { order: 3, dtype: "f32" });
  const inputs = randomInputs(plan, 3, 11);
  const expected = fn(inputs).y!;
  const dir = mkdtempSync(ROOT + "test/.tmp/f32-");

  it("allocate no Float64Array and convert inputs at entry", () => {
    const text = emitTarget.module(plan, { flavor: "ts", provenance: "mlp.thd", runtimeImport: "thoad/runtime" });
    expect(text).not.toMatch(/Float64Array/);
    expect(text).toMatch(/new Float32Array\(/);
    expect(text).toMatch(/checkInputs\("mlp", inputs, INPUTS, Float32Array\)/);
    expect(text).toMatch(/readonly y: \$rt\.OutputResult<Float32Array, "x">;/);
    // index tables stay integer arrays; the runner allocates the caller's buffers in float32
    const cnn = emitTarget.module(compileOk(readRoot("examples/cnn.thd"), { order: 1, dtype: "f32" }).plan, { flavor: "ts", provenance: "cnn.thd", runtimeImport: "thoad/runtime" });
    expect(cnn).toMatch(/const TABLES = \(\): Int32Array\[\] => \[\n  gatherTable\(/);
    expect(cnn).toMatch(/new Runner\(.*, Float32Array\);/);
  });

  for (const v of [
    { file: "mlp32_ts.ts", flavor: "ts", standalone: false },
    { file: "mlp32_js.js", flavor: "js", standalone: false },
    { file: "mlp32_sa.ts", flavor: "ts", standalone: true },
    { file: "mlp32_sajs.js", flavor: "js", standalone: true },
  ] as const) {
    it(`${v.flavor}${v.standalone ? " standalone" : ""}: the same Float32Array results as in memory`, async () => {
      const text = emitTarget.module(plan, { flavor: v.flavor, provenance: "mlp.thd", runtimeImport: "thoad/runtime", standalone: v.standalone });
      writeFileSync(`${dir}/${v.file}`, text);
      const mod = (await import(`${dir}/${v.file}`)) as { mlp: (inputs: object) => Record<string, OutputResult<Float32Array>> };
      const got = mod.mlp(inputs).y!;
      expect(got.value.data).toBeInstanceOf(Float32Array);
      expect(Array.from(got.value.data)).toEqual(Array.from(expected.value.data));
      for (const k of ["x", "x,x", "x,x,x"]) {
        const d = got.d(...k.split(","));
        expect(d.data).toBeInstanceOf(Float32Array);
        expect(Array.from(d.data)).toEqual(Array.from(expected.d(...k.split(",")).data));
      }
    });
  }

  it("deterministic: a second compile emits the same bytes", () => {
    const again = compileOk(readRoot("examples/mlp.thd"), { order: 3, dtype: "f32" }).plan;
    const emit = (p: typeof plan) => emitTarget.module(p, { flavor: "ts", provenance: "mlp.thd", runtimeImport: "thoad/runtime" });
    expect(emit(again)).toBe(emit(plan));
  });
});

describe("emitted f32 TypeScript and .d.ts type-check under strict: a user sees Float32Array", () => {
  it("ts and js + .d.ts, with the runtime import and standalone", () => {
    const { plan } = compileOk(readRoot("examples/mlp.thd"), { order: 2, dtype: "f32" });
    const { plan: plan64 } = compileOk(readRoot("examples/mlp.thd"), { order: 2 });
    const d = mkdtempSync(ROOT + "test/.tmp/tsc32-");
    const opts = { provenance: "mlp.thd", runtimeImport: "thoad/runtime" } as const;
    writeFileSync(`${d}/m32.ts`, emitTarget.module(plan, { ...opts, flavor: "ts" }));
    writeFileSync(`${d}/m32sa.ts`, emitTarget.module(plan, { ...opts, flavor: "ts", standalone: true }));
    writeFileSync(`${d}/m32js.js`, emitTarget.module(plan, { ...opts, flavor: "js" }));
    writeFileSync(`${d}/m32js.d.ts`, emitTarget.declarations(plan, { ...opts, flavor: "js" }));
    writeFileSync(`${d}/m32sajs.js`, emitTarget.module(plan, { ...opts, flavor: "js", standalone: true }));
    writeFileSync(`${d}/m32sajs.d.ts`, emitTarget.declarations(plan, { ...opts, flavor: "js", standalone: true }));
    writeFileSync(`${d}/m64.ts`, emitTarget.module(plan64, { ...opts, flavor: "ts" }));
    const mods = ["m32", "m32sa", "m32js", "m32sajs"];
    writeFileSync(`${d}/app.ts`, [
      ...mods.map((m) => `import { mlp as ${m} } from "./${m}.js";`),
      'import { mlp as m64 } from "./m64.js";',
      'import { Tensor } from "thoad/runtime";',
      "const z = (s: number[]) => Tensor.zeros(s);",
      "const inputs = { x: Tensor.from([[1, 2, 3, 4, 5, 6, 7, 8]]), W1: z([8, 32]), b1: z([32]), W2: z([32, 32]), b2: z([32]), W3: z([32, 4]), b3: z([4]) };",
      ...mods.flatMap((m) => [
        `const ${m}v: Float32Array = ${m}(inputs).y.value.data;`,
        `const ${m}d: Float32Array = ${m}(inputs).y.d("x", "x").data;`,
        `const ${m}p: Float32Array = ${m}(inputs).y.packed("x").data;`,
      ]),
      // f64 modules keep Float64Array, and the two do not mix up
      'const v64: Float64Array = m64(inputs).y.d("x").data;',
      "// @ts-expect-error an f32 block is not a Float64Array",
      'const wrong: Float64Array = m32(inputs).y.d("x").data;',
      `export const all = [${mods.flatMap((m) => [`${m}v`, `${m}d`, `${m}p`]).join(", ")}, v64, wrong];`,
      "",
    ].join("\n"));
    writeFileSync(`${d}/tsconfig.json`, JSON.stringify({ compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, skipLibCheck: true, types: [], allowJs: false }, include: ["*.ts"] }));
    const r = spawnSync(process.execPath, [ROOT + "node_modules/typescript/bin/tsc", "-p", `${d}/tsconfig.json`], { encoding: "utf8" });
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  }, 60_000);
});
