/**
 * Imported models through the command line, end to end (spawns the built CLI,
 * dist/cli/main.js): `eval` of an .onnx and a tfjs model.json gives PyTorch's
 * derivatives (fixtures of test/oracle/gen_onnx_fixtures.py and
 * gen_tfjs_fixtures.py) with only the graph inputs given; compiled modules
 * (weights beside them or embedded) imported by plain node give the same;
 * `import` writes a .thd and .safetensors that compile with --weights to the
 * same numbers; bad files are coded errors with exit 1 and nothing written.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { relError } from "../helpers/compile.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const MAIN = join(ROOT, "dist/cli/main.js");
const TMP = join(ROOT, "test/.tmp");
const T = 60_000;

interface Block { shape: number[]; data: number[] }
interface Fixture { order: number; wrt: string[]; inputs: Record<string, Block>; outputs: Record<string, { value: Block; derivatives: Record<string, Block> }> }
interface EvalOut { outputs: Record<string, { value: Block; derivatives: Record<string, Block> }> }

const run = (cwd: string, cmd: string, ...args: string[]) => spawnSync(cmd, args, { cwd, encoding: "utf8", timeout: T, maxBuffer: 1 << 28 });
const thoadc = (cwd: string, ...args: string[]) => run(cwd, process.execPath, MAIN, ...args);
const fixture = (path: string): Fixture => JSON.parse(readFileSync(join(ROOT, path), "utf8")) as Fixture;

const made: string[] = [];
function workdir(): string {
  const d = mkdtempSync(join(TMP, "import-"));
  made.push(d);
  return d;
}
beforeAll(() => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build first with \`npm run build\``);
  mkdirSync(TMP, { recursive: true });
});
afterAll(() => { for (const d of made) rmSync(d, { recursive: true, force: true }); });

/** Every output and derivative of an eval-shaped result against a fixture, at 1e-9 relative. */
function expectFixture(got: EvalOut["outputs"], fx: Fixture): void {
  let keys = 0;
  for (const [name, want] of Object.entries(fx.outputs)) {
    const g = got[name]!;
    expect(g, name).toBeDefined();
    expect(g.value.shape).toEqual(want.value.shape);
    expect(relError(g.value.data, want.value.data), `${name} value`).toBeLessThan(1e-9);
    expect(Object.keys(g.derivatives).sort()).toEqual(Object.keys(want.derivatives).sort());
    for (const [k, d] of Object.entries(want.derivatives)) {
      expect(g.derivatives[k]!.shape, `${name} d[${k}]`).toEqual(d.shape);
      expect(relError(g.derivatives[k]!.data, d.data), `${name} d[${k}]`).toBeLessThan(1e-9);
      keys++;
    }
  }
  expect(keys).toBeGreaterThan(0);
}

const CASES = [
  { model: "test/fixtures/onnx/cnn_o3.onnx", fixture: "test/fixtures/onnx/cnn_o3.json" },
  { model: "test/fixtures/onnx/attention_o3.onnx", fixture: "test/fixtures/onnx/attention_o3.json" },
  { model: "test/fixtures/tfjs/functional/model.json", fixture: "test/fixtures/tfjs/functional_o3.json" },
];

describe("thoadc eval on imported models", () => {
  for (const c of CASES) {
    it(`${c.model}: PyTorch's derivatives with only the graph inputs given`, () => {
      const fx = fixture(c.fixture);
      const dir = workdir();
      writeFileSync(join(dir, "in.json"), JSON.stringify(fx.inputs));
      const r = thoadc(ROOT, "eval", c.model, "--order", String(fx.order), "--wrt", fx.wrt.join(","), "--inputs", join(dir, "in.json"));
      expect(r.status, r.stderr).toBe(0);
      expectFixture((JSON.parse(r.stdout) as EvalOut).outputs, fx);
    }, T);
  }

  it("check and bench use the bound weights", () => {
    let r = thoadc(ROOT, "check", "test/fixtures/onnx/mlp_o4.onnx", "--order", "3");
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/order 3: max relative error .* ok/);
    r = thoadc(ROOT, "bench", "test/fixtures/tfjs/dense/model.json", "--order", "2", "--batch", "8", "--reps", "3", "--json");
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim().split("\n").pop()!)).toMatchObject({ order: 2, batch: 8 });
  }, T);
});

/** An app that imports the compiled module, calls it with the fixture's inputs, and prints eval-shaped JSON. */
const APP = (module: string, name: string) => `
import { ${name} } from "./${module}";
const fx = JSON.parse(await (await import("node:fs/promises")).readFile(process.argv[2], "utf8"));
const res = ${name}(fx.inputs);
const outputs = {};
for (const [o, r] of Object.entries(res)) {
  const derivatives = {};
  for (const k of r.keys()) derivatives[k] = r.d(...k.split(",")).toJSON();
  outputs[o] = { value: r.value.toJSON(), derivatives };
}
console.log(JSON.stringify({ outputs, bound: ${name}.bound, order: ${name}.order }));
`;

describe("compiled modules of imported models", () => {
  const fx = fixture("test/fixtures/onnx/pinn_o4.json");
  for (const embed of [false, true]) {
    it(`${embed ? "--embed-weights" : "weights in a .safetensors beside the module"}: plain node gives PyTorch's numbers`, () => {
      const dir = workdir();
      cpSync(join(ROOT, "test/fixtures/onnx/pinn_o4.onnx"), join(dir, "pinn.onnx"));
      const r = thoadc(dir, "pinn.onnx", "--order", "4", "--emit", "js", ...(embed ? ["--embed-weights"] : []));
      expect(r.status, r.stderr).toBe(0);
      expect(readdirSync(dir).sort()).toEqual(["pinn.d.ts", "pinn.js", "pinn.onnx", ...(embed ? [] : ["pinn.safetensors"])]);
      if (embed) expect(readFileSync(join(dir, "pinn.js"), "utf8")).toMatch(/decodeSafetensors\(base64ToBytes\("/);
      expect(readFileSync(join(dir, "pinn.d.ts"), "utf8")).toMatch(/readonly x: InputLike;.*\?: InputLike/);
      // --check: up to date, then stale once the weights file changes
      expect(thoadc(dir, "pinn.onnx", "--order", "4", "--emit", "js", "--check", ...(embed ? ["--embed-weights"] : [])).status).toBe(0);
      writeFileSync(join(dir, "app.mjs"), APP("pinn.js", "pinn"));
      writeFileSync(join(dir, "fx.json"), JSON.stringify(fx));
      // the module imports thoad/runtime: this package, as an app's node_modules would hold it
      mkdirSync(join(dir, "node_modules"));
      symlinkSync(ROOT, join(dir, "node_modules/thoad"), "dir");
      const a = run(dir, process.execPath, "app.mjs", "fx.json");
      expect(a.status, a.stderr).toBe(0);
      const out = JSON.parse(a.stdout) as EvalOut & { bound: string[]; order: number };
      expect(out.order).toBe(4);
      expect(out.bound.length).toBeGreaterThan(0);
      expectFixture(out.outputs, fx);
      if (!embed) {
        writeFileSync(join(dir, "pinn.safetensors"), new Uint8Array(8));
        const s = thoadc(dir, "pinn.onnx", "--order", "4", "--emit", "js", "--check");
        expect(s.status).toBe(1);
        expect(s.stderr).toMatch(/pinn\.safetensors is stale/);
      }
    }, 120_000);
  }
});

describe("the README quick start", () => {
  it("thoadc regressor.onnx --order 3 --emit js, then node app.mjs", () => {
    const dir = workdir();
    for (const f of ["regressor.onnx", "app.mjs"]) cpSync(join(ROOT, "examples/quickstart", f), join(dir, f));
    mkdirSync(join(dir, "node_modules"));
    symlinkSync(ROOT, join(dir, "node_modules/thoad"), "dir");
    writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
    const c = thoadc(dir, "regressor.onnx", "--order", "3", "--emit", "js");
    expect(c.status, c.stderr).toBe(0);
    // the committed module is what this command writes (CI also runs --check on it)
    for (const f of ["regressor.js", "regressor.d.ts", "regressor.safetensors"]) expect(readFileSync(join(dir, f)).equals(readFileSync(join(ROOT, "examples/quickstart", f))), f).toBe(true);
    const a = run(dir, process.execPath, "app.mjs");
    expect(a.status, a.stderr).toBe(0);
    expect(a.stdout).toMatch(/d3y\/dx3 +\[ 2, 3, 4, 4, 4 \]/);
    expect(a.stdout).toMatch(/packed +\[ 2, 3, 20 \]/);
  }, T);
});

describe("thoadc import", () => {
  it("writes a .thd and its .safetensors; compiled with --weights they give PyTorch's numbers", () => {
    const fx = fixture("test/fixtures/onnx/residual_ln_o3.json");
    const dir = workdir();
    let r = thoadc(dir, "import", join(ROOT, "test/fixtures/onnx/residual_ln_o3.onnx"), "-o", "sub/res.thd");
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/wrote sub\/res\.thd, sub\/res\.safetensors .*--weights sub\/res\.safetensors/);
    const thd = readFileSync(join(dir, "sub/res.thd"), "utf8");
    expect(thd).toMatch(/^# Imported from ONNX/);
    expect(thd).toMatch(/layer_norm\(/);
    writeFileSync(join(dir, "in.json"), JSON.stringify(fx.inputs));
    r = thoadc(dir, "eval", "sub/res.thd", "--weights", "sub/res.safetensors", "--order", String(fx.order), "--wrt", fx.wrt.join(","), "--inputs", "in.json");
    expect(r.status, r.stderr).toBe(0);
    expectFixture((JSON.parse(r.stdout) as EvalOut).outputs, fx);
    // without the weights the params are plain inputs: eval asks for them
    r = thoadc(dir, "eval", "sub/res.thd", "--order", "1", "--inputs", "in.json");
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/missing input/);
  }, T);

  it("refuses a .thd, and an -o that is not a .thd", () => {
    const dir = workdir();
    let r = thoadc(dir, "import", join(ROOT, "examples/mlp.thd"));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/TH115/);
    r = thoadc(dir, "import", join(ROOT, "test/fixtures/onnx/mlp_o4.onnx"), "-o", "m.ts");
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/TH303/);
    expect(readdirSync(dir)).toEqual([]);
  }, T);
});

describe("bad files: a coded error, exit 1, nothing written", () => {
  const bad = (dir: string, args: string[], code: RegExp) => {
    const r = thoadc(dir, ...args);
    expect(r.status, r.stdout).toBe(1);
    expect(r.stderr).toMatch(code);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  };

  it("unsupported op, truncated and foreign files, missing and short shards, mismatched --weights", () => {
    const dir = workdir();
    const onnx = readFileSync(join(ROOT, "test/fixtures/onnx/mlp_o4.onnx"));
    writeFileSync(join(dir, "trunc.onnx"), onnx.subarray(0, Math.floor(onnx.length / 2)));
    writeFileSync(join(dir, "text.onnx"), "model m { }");
    cpSync(join(ROOT, "test/fixtures/onnx/bad_cumsum.onnx"), join(dir, "cumsum.onnx"));
    cpSync(join(ROOT, "test/fixtures/tfjs/dense"), join(dir, "noshard"), { recursive: true });
    cpSync(join(ROOT, "test/fixtures/tfjs/dense"), join(dir, "short"), { recursive: true });
    const shards = readdirSync(join(dir, "noshard")).filter((f) => f.endsWith(".bin"));
    expect(shards.length).toBeGreaterThan(0);
    rmSync(join(dir, "noshard", shards[0]!));
    const s = readFileSync(join(dir, "short", shards[0]!));
    writeFileSync(join(dir, "short", shards[0]!), s.subarray(0, s.length - 4));
    writeFileSync(join(dir, "broken.json"), "{ not json");
    const before = readdirSync(dir).sort();
    for (const cmd of [[], ["eval", "--inputs", "none.json"], ["import"]]) {
      const [c, ...rest] = cmd;
      const pre = c ? [c] : [];
      bad(dir, [...pre, "cumsum.onnx", ...rest], /error TH501: .*CumSum/);
      bad(dir, [...pre, "trunc.onnx", ...rest], /error TH503/);
      bad(dir, [...pre, "text.onnx", ...rest], /error TH503/);
      bad(dir, [...pre, "noshard/model.json", ...rest], /error TH504/);
      bad(dir, [...pre, "short/model.json", ...rest], /error TH505/);
      bad(dir, [...pre, "broken.json", ...rest], /error TH503/);
    }
    expect(readdirSync(dir).sort()).toEqual(before);
    // --weights whose tensor does not fit the model
    writeFileSync(join(dir, "m.thd"), "model m {\n  batch B\n  input x : [B, 2]\n  param W : [2, 3]\n  y = x @ W\n  output y\n}\n");
    const r = thoadc(dir, "import", join(ROOT, "test/fixtures/onnx/mlp_o4.onnx"), "-o", "w.thd");
    expect(r.status, r.stderr).toBe(0);
    bad(dir, ["m.thd", "--weights", "w.safetensors"], /error TH505: bound weight '.*' is not an input or param of model 'm'/);
    writeFileSync(join(dir, "garbage.safetensors"), "garbage");
    bad(dir, ["m.thd", "--weights", "garbage.safetensors"], /error TH504/);
    expect(existsSync(join(dir, "m.ts"))).toBe(false);
  }, 120_000);

  it("an -o inside a regular file, or naming the model itself", () => {
    const dir = workdir();
    cpSync(join(ROOT, "examples/mlp.thd"), join(dir, "m.thd"));
    writeFileSync(join(dir, "afile"), "x");
    bad(dir, ["m.thd", "-o", "afile/o.ts"], /error TH303/);
    bad(dir, ["m.thd", "-o", "m.thd"], /error TH303: -o names the model file itself/);
    expect(readFileSync(join(dir, "m.thd"), "utf8")).toBe(readFileSync(join(ROOT, "examples/mlp.thd"), "utf8"));
  }, T);
});
