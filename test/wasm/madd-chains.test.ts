// The peak kernel computes what bench/peaks.mjs counts as its flops: chains
// independent acc = acc*x + 0.5 recurrences, `iters` times, summed at the end.
// The JS replay does the same operations in the same order (f32: Math.fround
// after each), so the results agree exactly; a kernel that skipped work or
// dropped a chain would not.
import { expect, test } from "vitest";
import { addMaddChains, F32, F64, ModuleBuilder } from "../../compiler/wasm/index.js";
import { instantiate } from "./run.js";

function replay(chains: number, width: number, iters: number, x: number, f32: boolean): number {
  const round = f32 ? Math.fround : (v: number) => v;
  let total = 0;
  for (let c = 0; c < chains; c++) {
    let acc = round(1 + c / 64);
    for (let t = 0; t < iters; t++) acc = round(round(acc * round(x)) + 0.5);
    for (let l = 0; l < width; l++) total = round(total + acc);
  }
  return total;
}

test.each([
  [F64, true, 8], [F64, false, 4], [F32, true, 12], [F32, false, 8], [F64, true, 1],
] as const)("%s vector=%s chains=%i", (el, vector, chains) => {
  const mod = new ModuleBuilder();
  addMaddChains(mod, "peak", { element: el, chains, vector });
  const { exports } = instantiate(mod);
  for (const iters of [0, 1, 7, 1000]) {
    const want = replay(chains, vector ? el.lanes : 1, iters, 0.7, el === F32);
    expect(exports.peak(iters, 0.7)).toBe(want);
  }
});
