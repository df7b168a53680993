// The peak kernel computes what bench/peaks.mjs counts as its flops: chains
// independent acc = acc*x + 0.5 recurrences ("split": acc = acc*x and
// s = s + 0.5 apart), `iters` times, summed at the end.
// The JS replay does the same operations in the same order (f32: Math.fround
// after each), so the results agree exactly; a kernel that skipped work or
// dropped a chain would not.
import { expect, test } from "vitest";
import { addMaddChains, F32, F64, ModuleBuilder } from "../../compiler/wasm/index.js";
import { instantiate } from "./run.js";

function replay(chains: number, width: number, iters: number, x: number, f32: boolean, split: boolean): number {
  const round = f32 ? Math.fround : (v: number) => v;
  const accs: number[] = [], sums: number[] = [];
  for (let c = 0; c < chains; c++) {
    let acc = round(1 + c / 64), s = round(c / 64);
    for (let t = 0; t < iters; t++) {
      if (split) acc = round(acc * round(x)), s = round(s + 0.5);
      else acc = round(round(acc * round(x)) + 0.5);
    }
    accs.push(acc), sums.push(s);
  }
  let total = 0; // summed as the kernel does: every lane of the mul chains, then of the add chains
  for (const v of split ? [...accs, ...sums] : accs) for (let l = 0; l < width; l++) total = round(total + v);
  return total;
}

const CASES = ([
  [F64, true, 8, "madd"], [F64, false, 4, "madd"], [F32, true, 12, "madd"], [F32, false, 8, "madd"], [F64, true, 1, "madd"],
  [F64, true, 6, "split"], [F64, false, 3, "split"], [F32, true, 5, "split"],
] as const).map(([el, vector, chains, form]) => [el.name, vector, chains, form, el] as const);

test.each(CASES)("%s vector=%s chains=%i form=%s", (_, vector, chains, form, el) => {
  for (const unroll of [1, 3]) {
    const mod = new ModuleBuilder();
    addMaddChains(mod, "peak", { element: el, chains, vector, form, unroll });
    const { exports } = instantiate(mod);
    for (const iters of [0, 1, 7, 1000]) {
      const want = replay(chains, vector ? el.lanes : 1, iters * unroll, 0.7, el === F32, form === "split");
      expect(exports.peak(iters, 0.7)).toBe(want);
    }
  }
});
