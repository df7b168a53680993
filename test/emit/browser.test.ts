/**
 * Generated modules in a real headless Chromium (playwright-core driving the
 * system's Chromium), served over http from 127.0.0.1: a standalone module of
 * an imported ONNX model that fetches its weights (.safetensors beside it), and
 * one with the weights embedded (and the same on the wasm target), give the numbers of the same module run by
 * Node (to 1e-12: Chromium's V8 and Node's may differ in the last bit of
 * Math.tanh and friends), with no console error. Skips, saying why, when no Chromium is
 * installed (apt-get install chromium, or set CHROMIUM_PATH).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { relError, ROOT } from "../helpers/compile.js";
import { findChromium, launchChromium, pageResult, serveDirs, type Browser } from "../helpers/browser.js";

const chromium = findChromium("browser.test.ts");
const X = [[0.5, -1.0, 0.25, 2.0], [0.0, 0.3, -0.7, 1.0], [1.5, 0.2, -0.1, -0.4]];
/** What the page and Node compute: the value and every derivative block, dense, as plain arrays. */
const PROBE = `
export function probe(model, x, options) {
  const r = model({ x }, options);
  const out = { value: Array.from(r.y.value.data), keys: r.y.keys() };
  for (const k of out.keys) out[k] = Array.from(r.y.d(...k.split(",")).data);
  return out;
}`;

describe.skipIf(!chromium)("generated modules in Chromium", () => {
  let browser: Browser, server: Awaited<ReturnType<typeof serveDirs>>, dir: string, base: string;
  beforeAll(async () => {
    mkdirSync(join(ROOT, "test/.tmp"), { recursive: true });
    dir = mkdtempSync(join(ROOT, "test/.tmp/browser-"));
    const onnx = join(ROOT, "examples/quickstart/regressor.onnx");
    // wasm: the wasm target (its GEMM kernels compiled with await WebAssembly.compile: Chromium refuses synchronous compilation over 4 KB on the main thread)
    for (const [out, extra] of [["file/regressor.js", []], ["embedded/regressor.js", ["--embed-weights"]], ["wasm/regressor.js", ["--embed-weights", "--target", "wasm"]]] as const) {
      const r = spawnSync(process.execPath, [join(ROOT, "dist/cli/main.js"), onnx, "--order", "3", "--emit", "js", "--standalone", "-o", join(dir, out), ...extra], { encoding: "utf8" });
      expect(r.status, r.stderr).toBe(0);
    }
    writeFileSync(join(dir, "probe.js"), PROBE);
    writeFileSync(join(dir, "index.html"), `<!doctype html><meta charset="utf-8"><title>thoad</title><script type="module">
import { probe } from "./probe.js";
const params = new URLSearchParams(location.search);
const { regressor } = await import("./" + params.get("m") + "/regressor.js");
window.result = probe(regressor, ${JSON.stringify(X)}, { threads: Number(params.get("threads") ?? 1) });
</script>`);
    server = await serveDirs({ "/": dir });
    base = server.base;
    browser = await launchChromium(chromium!);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const [m, threads] of [["file", 1], ["embedded", 1], ["embedded", 2], ["wasm", 1]] as const) {
    it(`${m === "wasm" ? "--target wasm, " : ""}weights ${m === "file" ? "fetched from the .safetensors beside the module" : "embedded in the module"}${threads > 1 ? "; threads: 2 in a page that is not cross-origin isolated (no SharedArrayBuffer) runs on one thread, with one warning" : ""}`, async () => {
      const { result: got, errors, warnings } = await pageResult<Record<string, number[]> & { keys: string[] }>(browser, `${base}/index.html?m=${m}&threads=${threads}`);
      expect(errors).toEqual([]);
      expect(warnings.map((w) => w.replace(/:.*/s, ""))).toEqual(threads > 1 ? ["thoad"] : []);
      if (threads > 1) expect(warnings[0]).toContain("threads: 2 runs on one thread here: splitting a batch needs SharedArrayBuffer");
      // the same module, in Node
      const { regressor } = (await import(pathToFileURL(join(dir, m, "regressor.js")).href)) as { regressor: unknown };
      const { probe } = (await import(pathToFileURL(join(dir, "probe.js")).href)) as { probe: (f: unknown, x: number[][]) => Record<string, number[]> & { keys: string[] } };
      const want = probe(regressor, X);
      expect(got.keys).toEqual(["x", "x,x", "x,x,x"]);
      for (const k of ["value", ...want.keys]) {
        expect(got[k]!.length, k).toBe(want[k]!.length);
        expect(relError(got[k]!, want[k]!), k).toBeLessThan(1e-12);
      }
      expect(got["x,x,x"]!.length).toBe(3 * 3 * 4 * 4 * 4);
    }, 60_000);
  }
});
