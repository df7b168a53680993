/** bench/issue-targets.mjs: issue 11's done-means rows of docs/bench.md (pass/miss), ratios and formats; pure logic, no timing. */
import { describe, expect, it } from "vitest";
// @ts-ignore: a plain ES module of the bench scripts, without types (vitest runs it as is)
import { fmtMs, fmtPct, fmtX, JAX_TARGETS, jaxDefaultRows, jaxRatio, jaxTargetRows, order1Rows, pctOfPeak, peakTargetRow, regressionRow, torchRegressions } from "../../bench/issue-targets.mjs";

type Row = { status: string; median_ms?: number; executed_flops?: number | null; target?: string; error?: string };
const okRow = (ms: number, extra: Partial<Row> = {}): Row => ({ status: "ok", median_ms: ms, ...extra });

describe("JAX targets", () => {
  it("are the issue's five cases with its factors", () => {
    expect(JAX_TARGETS.map((t: { model: string; order: number; need: number }) => `${t.model}:${t.order}:${t.need}`)).toEqual(["mlp:2:1.5", "mlp:3:3", "mlp:4:10", "pinn:4:2", "softmax_classifier:3:5"]);
  });
  it("pass at exactly the factor and miss just below it; JAX / thoad is the ratio", () => {
    expect(jaxRatio(okRow(2), okRow(3))).toBe(1.5);
    const rows = jaxTargetRows((m: string, k: number) => okRow(m === "mlp" && k === 2 ? 2 : 10), (m: string, k: number) => okRow(m === "mlp" && k === 2 ? 3 : 29.9));
    expect(rows[0]).toEqual(["MLP order 2, B=128 (vs JAX)", "≥ 1.5× JAX", "thoad 2.00 ms vs JAX 3.00 ms: **1.50×**", "pass"]);
    expect(rows[1]![3]).toBe("**miss**"); // 29.9 / 10 = 2.99 < 3
    // a miss with peaks and a count says where the kernel stands: 20 Mflop in 10 ms = 2 Gflop/s = 20% of 10, 10% of 20; 1 ms at the SIMD peak
    const why = jaxTargetRows(() => okRow(10, { executed_flops: 2e7 }), () => okRow(20), undefined, { js_chains_gflops: 10, wasm_f64x2_gflops: 20 })[2]![2];
    expect(why).toBe("thoad 10.0 ms vs JAX 20.0 ms: **2.00×**. Executed 2.00 Gflop/s = 20% of the JS chain peak, 10% of the wasm f64x2 peak; at that peak its 20.0 Mflop would take 1.00 ms, the target needs ≤ 2.00 ms");
  });
  it("say n/a, never pass, when JAX did not run or failed, and — when thoad did not", () => {
    const noJax = jaxTargetRows(() => okRow(1), () => undefined, "JAX not run: no Python");
    expect(noJax.every((r: string[]) => r[3] === "n/a" && r[2].includes("no Python"))).toBe(true);
    const failed = jaxTargetRows(() => okRow(1), () => ({ status: "timeout", error: "killed" }));
    expect(failed[0]![3]).toBe("n/a");
    expect(jaxTargetRows(() => undefined, () => okRow(1))[0]![3]).toBe("—");
  });
});

describe("JAX targets at default settings (rounds)", () => {
  it("judge by the median round's JAX / thoad: pass at the factor, miss below it, and say every round", () => {
    const round = (t: number, j: number) => ({ median_ms: t, jax_median_ms: j, threads_used: 2 });
    // MLP order 2: ratios 1.2, 1.5, 2.0: median 1.5 passes; every other case: 2.9, 2.99, 4: median 2.99
    const rows = jaxDefaultRows((m: string, k: number) => (m === "mlp" && k === 2 ? [round(1, 2), round(1, 1.2), round(2, 3)] : [round(1, 2.9), round(1, 4), round(1, 2.99)]));
    expect(rows[0]).toEqual(["MLP order 2, B=128 (vs JAX, default settings)", "≥ 1.5× JAX", "3 rounds, threads auto (2 used): thoad 1.00–2.00 ms, JAX 1.20–3.00 ms; ratio 1.20× / **1.50×** / 2.00× (low / median / high), 2 of 3 at the factor", "pass"]);
    expect(rows[1]![3]).toBe("**miss**"); // MLP order 3 needs 3: median 2.99
    expect(rows[3]![3]).toBe("pass"); // PINN order 4 needs 2
    // an even count takes the mean of the middle two: 2.9 and 3.1 -> 3.0 passes MLP order 3
    expect(jaxDefaultRows(() => [round(1, 2.9), round(1, 3.1)])[1]![3]).toBe("pass");
  });
  it("say n/a with the reason when the rounds did not run", () => {
    expect(jaxDefaultRows(() => undefined, "JAX not run: no Python").every((r: string[]) => r[3] === "n/a" && r[2] === "JAX not run: no Python")).toBe(true);
  });
});

describe("executed flops against the wasm SIMD peak", () => {
  const peaks = { js_chains_gflops: 10, wasm_f64x2_gflops: 20 };
  it("is executed flops / time over the peak; 40% passes, below misses; the best target counts", () => {
    // 8e6 flops in 1 ms = 8 Gflop/s = 40% of 20
    expect(pctOfPeak(okRow(1, { executed_flops: 8e6 }), 20)).toBeCloseTo(40, 12);
    expect(peakTargetRow([okRow(1, { executed_flops: 8e6 })], peaks)[3]).toBe("pass");
    expect(peakTargetRow([okRow(1, { executed_flops: 7.9e6 })], peaks)[3]).toBe("**miss**");
    const both = peakTargetRow([okRow(1, { executed_flops: 2e6 }), okRow(0.5, { executed_flops: 5e6, target: "wasm" })], peaks);
    expect(both[3]).toBe("pass");
    expect(both[2]).toContain("--target wasm: 10.0 Gflop/s executed = **50%**");
  });
  it("is n/a without peaks, and — without a counted case", () => {
    expect(peakTargetRow([okRow(1, { executed_flops: 8e6 })], { missing: "peaks.mjs failed" })[3]).toBe("n/a");
    expect(peakTargetRow([okRow(1, { executed_flops: null })], peaks)[3]).toBe("—");
    expect(pctOfPeak({ status: "error" }, 20)).toBeNull();
  });
});

describe("order 1 against PyTorch", () => {
  it("passes at parity, misses when slower, n/a when PyTorch did not run", () => {
    const models = [{ id: "a", title: "A (x)" }, { id: "b", title: "B" }, { id: "c", title: "C" }];
    const rows = order1Rows(models, (id: string) => okRow(id === "b" ? 2 : 1), (id: string) => (id === "c" ? undefined : okRow(1)));
    expect(rows.map((r: string[]) => r[3])).toEqual(["pass", "**miss**", "n/a"]);
    expect(rows[0]![0]).toBe("A, order 1, B=1024");
  });
});

describe("no PyTorch ratio worse", () => {
  it("flags ratios more than 15% below the previous run's, ignores cases missing from either", () => {
    const prev = [{ key: "mlp o2 B=128", ratio: 4 }, { key: "mlp o3 B=128", ratio: 10 }, { key: "gone", ratio: 2 }];
    const cur = [{ key: "mlp o2 B=128", ratio: 3.5 }, { key: "mlp o3 B=128", ratio: 8 }, { key: "new", ratio: 1 }, { key: "x", ratio: null }];
    const r = torchRegressions(prev, cur);
    expect(r.compared).toBe(2);
    expect(r.worse.map((w: { key: string; before: number }) => [w.key, w.before])).toEqual([["mlp o3 B=128", 10]]);
    const row = regressionRow(r, "the committed run");
    expect(row[3]).toBe("**miss**");
    expect(row[2]).toContain("1 of 2 worse: mlp o3 B=128 10.0× → 8.00×");
    expect(regressionRow(torchRegressions(prev, [{ key: "mlp o2 B=128", ratio: 3.5 }]), "p")[3]).toBe("pass");
    expect(regressionRow(undefined, "p")[3]).toBe("n/a");
  });
  it("says which side moved: thoad's own time up, PyTorch's down (over 15%)", () => {
    const prev = [{ key: "a", ratio: 10, thoad_ms: 1, torch_ms: 10 }, { key: "b", ratio: 10, thoad_ms: 1, torch_ms: 10 }, { key: "c", ratio: 10, thoad_ms: 1, torch_ms: 10 }];
    // a: thoad 1 -> 1.5 ms (slower); b: PyTorch 10 -> 6 ms (faster); c: both within 15% (1.1, 9) but the ratio 8.18 is not
    const cur = [{ key: "a", ratio: 10 / 1.5, thoad_ms: 1.5, torch_ms: 10 }, { key: "b", ratio: 6, thoad_ms: 1, torch_ms: 6 }, { key: "c", ratio: 9 / 1.1, thoad_ms: 1.1, torch_ms: 9 }];
    const r = torchRegressions(prev, cur);
    expect(r.worse.map((w: { key: string; thoadSlower: boolean; torchFaster: boolean }) => [w.key, w.thoadSlower, w.torchFaster])).toEqual([["a", true, false], ["b", false, true], ["c", false, false]]);
    expect(regressionRow(r, "p")[2]).toContain("; thoad's own time over 15% slower in 1 (a), PyTorch's over 15% faster in 1");
    expect(regressionRow(r, "p")[3]).toBe("**miss**"); // the verdict stays the ratio's
  });
  it("appends the suite's note (its canary readings) and keeps the verdict", () => {
    const prev = [{ key: "a", ratio: 10 }], note = "; the canary read 0.81 ms";
    expect(regressionRow(torchRegressions(prev, [{ key: "a", ratio: 5 }]), "p", note)).toEqual(["no PyTorch ratio worse", expect.any(String), "1 of 1 worse: a 10.0× → 5.00×; the canary read 0.81 ms", "**miss**"]);
    expect(regressionRow(torchRegressions(prev, [{ key: "a", ratio: 10 }]), "p", note).slice(2)).toEqual(["all 1 at least as good; the canary read 0.81 ms", "pass"]);
  });
});

describe("formats", () => {
  it("ms, ratios and percentages", () => {
    expect([fmtMs(0.1234), fmtMs(12.34), fmtMs(123.4), fmtMs(12345), fmtMs(null)]).toEqual(["0.12 ms", "12.3 ms", "123 ms", "12.3 s", "—"]);
    expect([fmtX(1.5), fmtX(15), fmtX(150), fmtX(null)]).toEqual(["1.50×", "15.0×", "150×", "—"]);
    expect([fmtPct(5.55), fmtPct(55.5), fmtPct(null)]).toEqual(["5.5%", "56%", "—"]);
  });
});
