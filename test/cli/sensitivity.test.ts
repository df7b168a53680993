/**
 * thoadc sensitivity end to end: spawns the built CLI (dist/cli/main.js; build
 * first with `npm run build`) in a fresh directory under test/.tmp/ per test.
 * The JSON it writes equals the library's result for the same data and options
 * (the command is a thin shell over thoad/analysis, whose numbers
 * test/analysis/ checks); bad data files are TH302 diagnostics with exit 1 and
 * no output file.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from "node:fs";
import { join } from "node:path";
import { sensitivity } from "../../analysis/index.js";
import { encodeSafetensors } from "../../runtime/index.js";
import { ROOT, testTarget } from "../helpers/compile.js";
import { cookbook, SOBOL_A, uniformBox } from "../analysis/models.js";

const MAIN = join(ROOT, "dist/cli/main.js");
const TMP = join(ROOT, "test/.tmp");
const T = 60_000;

function thoadc(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd, encoding: "utf8", timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const made: string[] = [];
function workdir(files: Record<string, string | { copy: string }>): string {
  const dir = mkdtempSync(join(TMP, "sens-"));
  made.push(dir);
  for (const [name, f] of Object.entries(files)) typeof f === "string" ? writeFileSync(join(dir, name), f) : copyFileSync(f.copy, join(dir, name));
  return dir;
}
beforeAll(() => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build first with \`npm run build\``);
  mkdirSync(TMP, { recursive: true });
});
afterAll(() => { for (const d of made) rmSync(d, { recursive: true, force: true }); });

const ISHIGAMI = { copy: join(ROOT, "examples/cookbook/ishigami.thd") };
const N = 200;
const X = uniformBox(N, [-Math.PI, -Math.PI, -Math.PI], [Math.PI, Math.PI, Math.PI], 41);
const nested = (x: Float64Array, d: number) => Array.from({ length: x.length / d }, (_, n) => Array.from(x.subarray(n * d, (n + 1) * d)));

describe("thoadc sensitivity", () => {
  it("writes the library's result as JSON and an HTML report embedding it", () => {
    const dir = workdir({ "ishigami.thd": ISHIGAMI, "data.json": JSON.stringify({ x: nested(X, 3) }) });
    const r = thoadc(dir, "sensitivity", "ishigami.thd", "--order", "3", "--data", "data.json", "--sigma", "0.1", "--input-dist", "uniform",
      "--seed", "4", "--mc-draws", "8", "--bootstrap", "100", "--chunk", "64", "--json", "out.json", "--report", "out.html",
      "--target", testTarget()); // the library's model below is the test target's: the same kernels, the same bits
    expect(r.stderr).toBe(""); // not a terminal: no progress bar
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("wrote out.json\nwrote out.html\n");
    const got = JSON.parse(readFileSync(join(dir, "out.json"), "utf8"));
    const { fn, value } = cookbook("ishigami", 3);
    const want = sensitivity(fn, { x: { shape: [N, 3], data: X } }, { sigma: 0.1, inputDist: "uniform", seed: 4, mcDraws: 8, bootstrap: 100, chunk: 64, valueModel: value, name: "ishigami", wrt: "x", order: 3 });
    expect(got).toEqual(JSON.parse(JSON.stringify(want)));
    expect(got.meta).toMatchObject({ model: "ishigami", order: 3, wrt: "x", N, seed: 4 });
    const html = readFileSync(join(dir, "out.html"), "utf8");
    const embedded = /<script type="application\/json" id="sensitivity-data">(.*?)<\/script>/s.exec(html)![1]!;
    expect(JSON.parse(embedded)).toEqual(got);
    expect(html).not.toMatch(/https?:\/\//);
  }, T);

  it("prints the JSON without --json or --report; params come from the data file", () => {
    const xs = uniformBox(50, Array(6).fill(0), Array(6).fill(1), 42);
    const dir = workdir({ "g.thd": { copy: join(ROOT, "examples/cookbook/sobol_g.thd") }, "data.json": JSON.stringify({ x: { shape: [50, 6], data: Array.from(xs) }, a: SOBOL_A }) });
    const r = thoadc(dir, "sensitivity", "g.thd", "--order", "1", "--data", "data.json", "--bootstrap", "0");
    expect(r.status).toBe(0);
    const got = JSON.parse(r.stdout);
    expect(got.meta).toMatchObject({ model: "sobol_g", order: 1, N: 50, bootstrap: null });
    expect(got.outputs.y.dgsm[0]).toHaveLength(6);
    expect(got.outputs.y.interactions).toBeUndefined();
  }, T);

  it("params bound with --weights", () => {
    const xs = uniformBox(30, Array(6).fill(0), Array(6).fill(1), 43);
    const dir = workdir({ "g.thd": { copy: join(ROOT, "examples/cookbook/sobol_g.thd") }, "data.json": JSON.stringify({ x: nested(xs, 6) }) });
    writeFileSync(join(dir, "a.safetensors"), encodeSafetensors(new Map([["a", { shape: [6], data: Float64Array.from(SOBOL_A), dtype: "F64" as const }]])));
    const viaWeights = thoadc(dir, "sensitivity", "g.thd", "--order", "2", "--data", "data.json", "--weights", "a.safetensors", "--bootstrap", "0");
    expect(viaWeights.stderr).toBe("");
    writeFileSync(join(dir, "both.json"), JSON.stringify({ x: nested(xs, 6), a: SOBOL_A }));
    const viaData = thoadc(dir, "sensitivity", "g.thd", "--order", "2", "--data", "both.json", "--bootstrap", "0");
    expect(viaWeights.status).toBe(0);
    expect(JSON.parse(viaWeights.stdout)).toEqual(JSON.parse(viaData.stdout));
  }, T);

  it("the cookbook's command-line recipe (examples/cookbook/README.md)", () => {
    const dir = workdir({});
    const r = thoadc(dir, "sensitivity", join(ROOT, "examples/cookbook/ishigami.thd"), "--order", "3", "--data", join(ROOT, "examples/cookbook/ishigami-data.json"), "--sigma", "0.1", "--input-dist", "uniform", "--report", "ishigami.html", "--json", "ishigami.json");
    expect(r.status).toBe(0);
    const res = JSON.parse(readFileSync(join(dir, "ishigami.json"), "utf8"));
    expect(res.meta).toMatchObject({ model: "ishigami", order: 3, N: 2000 });
    expect(Object.keys(res.outputs.y)).toEqual(expect.arrayContaining(["dgsm", "dgsm_bound", "interactions", "third", "moments", "taylor", "curvature"]));
    expect(readFileSync(join(dir, "ishigami.html"), "utf8")).toContain("<svg");
  }, T);

  it("an imported ONNX model binds its own weights: the same result as its .thd translation with --weights; --threads 2 changes no number", () => {
    const onnx = join(ROOT, "examples/quickstart/regressor.onnx");
    const xs = uniformBox(300, [-1, -1, -1, -1], [1, 1, 1, 1], 44);
    const dir = workdir({ "regressor.onnx": { copy: onnx }, "data.json": JSON.stringify({ x: nested(xs, 4) }) });
    const args = ["--order", "3", "--data", "data.json", "--sigma", "0.05", "--mc-draws", "4", "--bootstrap", "100"];
    const direct = thoadc(dir, "sensitivity", "regressor.onnx", ...args);
    expect(direct.stderr).toBe("");
    expect(direct.status).toBe(0);
    const imported = thoadc(dir, "import", "regressor.onnx", "-o", "reg.thd");
    expect(imported.status).toBe(0);
    const viaThd = thoadc(dir, "sensitivity", "reg.thd", "--weights", "reg.safetensors", ...args);
    expect(viaThd.status).toBe(0);
    const a = JSON.parse(direct.stdout), b = JSON.parse(viaThd.stdout);
    expect(a.outputs.y.m).toBe(3);
    expect(b).toEqual(a);
    const threaded = thoadc(dir, "sensitivity", "regressor.onnx", ...args, "--threads", "2");
    expect(threaded.status).toBe(0);
    expect(JSON.parse(threaded.stdout)).toEqual(a);
  }, 120_000);

  it("shows a progress bar on stderr when it is a terminal", () => {
    if (spawnSync("script", ["--version"]).status !== 0) { console.log("progress bar test skipped: no `script` (util-linux) to fake a terminal"); return; }
    const dir = workdir({ "ishigami.thd": ISHIGAMI, "data.json": JSON.stringify({ x: nested(X, 3) }) });
    // script(1) runs the command on a pseudo-terminal; stdout goes to a file so only stderr reaches the terminal
    const cmd = `${process.execPath} ${MAIN} sensitivity ishigami.thd --data data.json --chunk 50 --bootstrap 0 --json out.json`;
    const r = spawnSync("script", ["-qec", cmd, "/dev/null"], { cwd: dir, encoding: "utf8", timeout: 60_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("sensitivity [");
    expect(r.stdout).toContain(`${N}/${N} samples`);
    expect(existsSync(join(dir, "out.json"))).toBe(true);
  }, T);
});

describe("thoadc sensitivity: bad data files are TH302", () => {
  const cases: [string, string, RegExp][] = [
    ["wrong shape", JSON.stringify({ x: [[1, 2], [3, 4]] }), /'x' has shape \[2, 2\], expected \[N, 3\]/],
    ["a bare NaN token", '{"x": [[1, 2, 3], [4, NaN, 6]]}', /NaN at line 1, column 23: the data must be finite numbers/],
    ["an overflowing number (Infinity)", '{"x": [[1, 2, 3], [4, 1e999, 6]]}', /'x' holds Infinity at sample 1, element 1/],
    ["an empty dataset", JSON.stringify({ x: { shape: [0, 3], data: [] } }), /empty dataset: input 'x' holds N = 0 samples/],
    ["the analysed input missing", JSON.stringify({ y: [[1, 2, 3]] }), /analysed input 'x' is missing from the data|'y' is not an input/],
    ["not JSON", "{x: 1", /not valid JSON/],
  ];
  for (const [what, text, message] of cases) it(what, () => {
    const dir = workdir({ "ishigami.thd": ISHIGAMI, "bad.json": text });
    const r = thoadc(dir, "sensitivity", "ishigami.thd", "--data", "bad.json", "--json", "out.json", "--report", "out.html");
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    const first = r.stderr.split("\n")[0]!;
    expect(first).toMatch(/^bad\.json: error TH302: /);
    expect(first).toMatch(message);
    expect(existsSync(join(dir, "out.json")) || existsSync(join(dir, "out.html"))).toBe(false);
  }, T);

  it("the analysed input missing, with params present", () => {
    const dir = workdir({ "g.thd": { copy: join(ROOT, "examples/cookbook/sobol_g.thd") }, "bad.json": JSON.stringify({ a: SOBOL_A }) });
    const r = thoadc(dir, "sensitivity", "g.thd", "--data", "bad.json");
    expect(r.status).toBe(1);
    expect(r.stderr.split("\n")[0]).toBe("bad.json: error TH302: the analysed input 'x' is missing from the data");
  }, T);

  it("flags: no --data (TH302), bad --sigma and --order 0 (TH115), several inputs without --wrt, a param as --wrt (TH111)", () => {
    const two = "model two {\n  batch B\n  input u : [B, 2]\n  input v : [B, 2]\n  y = sum(u * v, axis=1)\n  output y\n}\n";
    const dir = workdir({ "ishigami.thd": ISHIGAMI, "two.thd": two, "d.json": JSON.stringify({ u: [[1, 2]], v: [[3, 4]] }) });
    const noData = thoadc(dir, "sensitivity", "ishigami.thd");
    expect(noData.status).toBe(1);
    expect(noData.stderr).toMatch(/^ishigami\.thd: error TH302: sensitivity needs --data/);
    const sigma = thoadc(dir, "sensitivity", "ishigami.thd", "--data", "d.json", "--sigma", "-1");
    expect(sigma.status).toBe(1);
    expect(sigma.stderr).toMatch(/^ishigami\.thd: error TH115: --sigma must be a positive number, got '-1'/);
    const several = thoadc(dir, "sensitivity", "two.thd", "--data", "d.json");
    expect(several.status).toBe(1);
    expect(several.stderr).toMatch(/^two\.thd: error TH111: the model has several differentiation variables \(u, v\)/);
    const order0 = thoadc(dir, "sensitivity", "ishigami.thd", "--data", "d.json", "--order", "0");
    expect(order0.status).toBe(1);
    expect(order0.stderr).toMatch(/^ishigami\.thd: error TH115: sensitivity needs derivatives: --order must be at least 1, got '0'/);
    const param = thoadc(dir, "sensitivity", join(ROOT, "examples/mlp.thd"), "--data", "d.json", "--wrt", "W1");
    expect(param.status).toBe(1);
    expect(param.stderr).toMatch(/mlp\.thd: error TH111: 'W1' has no batch axis, so it cannot hold the samples/);
    const ok = thoadc(dir, "sensitivity", "two.thd", "--data", "d.json", "--wrt", "u", "--bootstrap", "0");
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout).outputs.y.gradient.mean[0]).toEqual([3, 4]);
  }, T);
});
