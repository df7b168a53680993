// The module and function builders: section layout, type sharing, labels and
// loops, memory import limits, and the misuse a generator bug would produce.
import { describe, expect, test } from "vitest";
import { ModuleBuilder, whileLoop } from "../../compiler/wasm/index.js";
import { instantiateKernels, instantiateKernelsAsync } from "../../runtime/wasm.js";
import { instantiate } from "./run.js";

describe("ModuleBuilder", () => {
  test("a module without functions is the 8-byte header plus empty sections, and validates", () => {
    const bytes = new ModuleBuilder().encode();
    expect([...bytes.slice(0, 8)]).toEqual([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    expect(WebAssembly.validate(bytes as BufferSource)).toBe(true);
  });

  test("equal signatures share one type entry", () => {
    const mod = new ModuleBuilder();
    for (let i = 0; i < 3; i++) mod.addFunction({ params: ["i32"], results: ["i32"] }, (f) => void f.get(f.params[0]), `id${i}`);
    const bytes = mod.encode();
    // type section: id 1, size, count 1, then one 0x60 entry
    expect([...bytes.slice(8, 11)]).toEqual([0x01, 6, 1]);
    const { exports } = instantiate(mod);
    expect(exports.id2(42)).toBe(42);
  });

  test("memory import: the host's memory is the module's (a store is seen by JS), max pages honoured", () => {
    const mod = new ModuleBuilder().importMemory(1, { maxPages: 2 });
    mod.addFunction({ params: ["i32", "f64"], results: [] }, (f) => void f.get(f.params[0]).get(f.params[1]).mem("f64.store", { offset: 8 }), "put");
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 2 });
    const { exports } = instantiateKernels(mod.encode(), memory);
    exports.put(16, 2.5);
    expect(new Float64Array(memory.buffer)[3]).toBe(2.5);
    // a memory without a maximum does not satisfy an import that declares one
    expect(() => instantiateKernels(mod.encode(), new WebAssembly.Memory({ initial: 1 }))).toThrow(WebAssembly.LinkError);
  });

  test("whileLoop with nested loops, br_if out of an outer block, zero-trip loops", async () => {
    // sum_{i<a} sum_{j<b} (i*b + j), with an early exit when the running sum exceeds `cap`
    const mod = new ModuleBuilder();
    mod.addFunction({ params: ["i32", "i32", "i32"], results: ["i32"] }, (f) => {
      const [a, b, cap] = f.params;
      const i = f.local("i32"), j = f.local("i32"), s = f.local("i32");
      const out = f.block();
      whileLoop(f, () => f.get(i).get(a).op("i32.lt_s"), () => {
        f.i32Const(0).set(j);
        whileLoop(f, () => f.get(j).get(b).op("i32.lt_s"), () => {
          f.get(s).get(i).get(b).op("i32.mul").get(j).op("i32.add").op("i32.add").set(s);
          f.get(s).get(cap).op("i32.gt_s").brIf(out);
          f.get(j).i32Const(1).op("i32.add").set(j);
        });
        f.get(i).i32Const(1).op("i32.add").set(i);
      });
      f.end(out).get(s);
    }, "sum");
    const { exports } = await instantiateKernelsAsync(mod.encode());
    const ref = (a: number, b: number, cap: number) => {
      let s = 0;
      for (let i = 0; i < a; i++) for (let j = 0; j < b; j++) { s += i * b + j; if (s > cap) return s; }
      return s;
    };
    for (const [a, b, cap] of [[0, 5, 1e9], [5, 0, 1e9], [3, 4, 1e9], [7, 9, 100], [10, 10, 1e9]]) expect(exports.sum(a, b, cap)).toBe(ref(a, b, cap));
  });

  test("generator bugs throw at build time: misnested end, open block, branch to a closed label", () => {
    const mod = new ModuleBuilder();
    expect(() => mod.addFunction({ params: [], results: [] }, (f) => { const a = f.block(); f.loop(); f.end(a); })).toThrow(/innermost/);
    const open = new ModuleBuilder();
    open.addFunction({ params: [], results: [] }, (f) => void f.block());
    expect(() => open.encode()).toThrow(/left open/);
    expect(() => mod.addFunction({ params: [], results: [] }, (f) => { const a = f.block(); f.end(a); f.br(a); })).toThrow(/not open/);
  });

  test("imported host functions take the first indices: calls and exports refer past them; an import after a function throws", () => {
    const mod = new ModuleBuilder();
    const hyp = mod.importFunction("Math", "hypot", { params: ["f64", "f64"], results: ["f64"] });
    const neg = mod.importFunction("host", "neg", { params: ["f64"], results: ["f64"] });
    expect([hyp, neg]).toEqual([0, 1]);
    const twice = mod.addFunction({ params: ["f64"], results: ["f64"] }, (f) => void f.get(f.params[0]!).get(f.params[0]!).op("f64.add"));
    expect(twice).toBe(2);
    mod.addFunction({ params: ["f64", "f64"], results: ["f64"] }, (f) => void f.get(f.params[0]!).get(f.params[1]!).call(hyp).call(twice).call(neg), "h");
    expect(() => mod.importFunction("Math", "sin", { params: ["f64"], results: ["f64"] })).toThrow(/before addFunction/);
    const bytes = mod.encode();
    expect(WebAssembly.validate(bytes as BufferSource)).toBe(true);
    const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes as BufferSource), { Math: { hypot: Math.hypot }, host: { neg: (x: number) => -x } });
    expect((inst.exports.h as (a: number, b: number) => number)(3, 4)).toBe(-10);
    expect(mod.toText()).toMatch(/^ {2}\(import "Math" "hypot" \(func \$f0 \(param f64 f64\) \(result f64\)\)\)\n {2}\(import "host" "neg" \(func \$f1 \(param f64\) \(result f64\)\)\)\n {2}\(func \$f2 /m);
  });

  test("locals are grouped by type in the code section and zero-initialised", () => {
    const mod = new ModuleBuilder();
    mod.addFunction({ params: [], results: ["f64"] }, (f) => {
      const x = f.local("f64"); f.local("f64"); f.local("i32"); const v = f.local("v128");
      f.get(x).get(v).lane("f64x2.extract_lane", 1).op("f64.add");
    }, "z");
    const { exports } = instantiate(mod);
    expect(exports.z()).toBe(0);
  });
});

describe("text listing", () => {
  test("instructions in WebAssembly text syntax, indented by block depth", () => {
    const mod = new ModuleBuilder().importMemory(2, { maxPages: 4 });
    mod.addFunction({ params: ["i32", "i32"], results: [] }, (f) => {
      const [n, p] = f.params;
      const v = f.local("v128");
      whileLoop(f, () => f.get(n).i32Const(0).op("i32.gt_s"), () => {
        f.get(p).mem("v128.load", { offset: 16 }).v128Splat("f64x2", -0.5).simd("f64x2.mul").set(v);
        f.get(p).get(v).mem("v128.store");
        f.get(n).i32Const(-1).op("i32.add").set(n);
      });
    }, "scale");
    expect(mod.toText()).toBe(`(module
  (import "env" "memory" (memory 2 4))
  (func $scale (export "scale") (param i32 i32)
    (local v128)
    block
      loop
        local.get 0
        i32.const 0
        i32.gt_s
        i32.eqz
        br_if 1
        local.get 1
        v128.load offset=16
        v128.const f64x2 -0.5 -0.5
        f64x2.mul
        local.set 2
        local.get 1
        local.get 2
        v128.store
        local.get 0
        i32.const -1
        i32.add
        local.set 0
        br 0
      end
    end
  )
)
`);
  });

  test("generation is deterministic: the same kernels twice give the same bytes and text", async () => {
    const { addGemm, addElementwise, add, mul, input, constant, F32 } = await import("../../compiler/wasm/index.js");
    const build = () => {
      const mod = new ModuleBuilder().importMemory(1);
      addGemm(mod, "g", { mr: 3, nv: 2, element: F32 });
      addElementwise(mod, "e", add(mul(constant(0.1), input(0)), input(1)));
      return mod;
    };
    const [a, b] = [build(), build()];
    expect(a.encode()).toEqual(b.encode());
    expect(a.toText()).toBe(b.toText());
    expect(a.toText()).toContain("v128.const f64x2 0.1 0.1"); // the f64 tree's constant, vector body
    expect(a.toText()).toContain("f64.const 0.1"); // and scalar tail
  });
});
