/**
 * End-to-end tests of the `thoadc` command line: spawns the built CLI
 * (dist/cli/main.js; build with `npx tsc -p tsconfig.json`) in a fresh temp
 * directory under test/.tmp/ per test, with copies of the model files.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { availableParallelism } from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const MAIN = join(ROOT, "dist/cli/main.js");
const TMP = join(ROOT, "test/.tmp");
const MLP = join(ROOT, "examples/mlp.thd");
/** Per-test timeout: each spawn costs ~0.5 s, more on a loaded machine. */
const T = 30_000;

interface Run { status: number | null; stdout: string; stderr: string }

function thoadc(cwd: string, ...args: string[]): Run {
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd, encoding: "utf8", timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const made: string[] = [];
/** A fresh directory holding the given files (name -> text, or a path to copy). */
function workdir(files: Record<string, string | { copy: string }> = {}): string {
  const dir = mkdtempSync(join(TMP, "cli-"));
  made.push(dir);
  for (const [name, f] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    if (typeof f === "string") writeFileSync(join(dir, name), f);
    else copyFileSync(f.copy, join(dir, name));
  }
  return dir;
}

beforeAll(() => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build first with \`npx tsc -p tsconfig.json\``);
  mkdirSync(TMP, { recursive: true });
});
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** A small model with a named dim, so that editing it makes a generated file stale. */
const SMALL = `# small: one tanh layer
model small {
  batch B
  dim H = 4
  input x : [B, 3]
  param W : [3, H]
  param V : [H, 2]
  h = tanh(x @ W)
  y = h @ V
  output y
}
`;

/**
 * stderr holds `file:line:col: error code:` followed by the source line and a
 * caret line whose first `^` sits under `token` (the first occurrence of it in
 * that source line, after `skip` characters).
 */
function expectDiagnostic(stderr: string, file: string, source: string, line: number, token: string, code: string, skip = 0): void {
  const text = source.split("\n")[line - 1]!;
  const col = text.indexOf(token, skip) + 1;
  expect(col, `token '${token}' on line ${line}`).toBeGreaterThan(0);
  const lines = stderr.split("\n");
  const head = `${file}:${line}:${col}: error ${code}:`;
  const i = lines.findIndex((l) => l.startsWith(head));
  expect(i, `no line starting with '${head}' in:\n${stderr}`).toBeGreaterThanOrEqual(0);
  const frame = lines[i + 1]!, caret = lines[i + 2]!;
  const gutter = frame.length - text.length;
  expect(frame.slice(gutter)).toBe(text);
  expect(frame.slice(0, gutter)).toContain(String(line));
  expect(caret.indexOf("^")).toBe(gutter + col - 1);
  expect(caret.slice(0, gutter + col - 1).trim()).toBe("");
}

/** Deterministic pseudo-random values in [-1, 1). */
function values(n: number, seed: number): number[] {
  let s = seed >>> 0;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out.push(Math.round(((s / 2 ** 32) * 2 - 1) * 1000) / 1000);
  }
  return out;
}

/** Inputs of examples/mlp.thd as {shape, data}. */
function mlpInputs(B: number): Record<string, { shape: number[]; data: number[] }> {
  const shapes: Record<string, number[]> = { x: [B, 8], W1: [8, 32], b1: [32], W2: [32, 32], b2: [32], W3: [32, 4], b3: [4] };
  const out: Record<string, { shape: number[]; data: number[] }> = {};
  let seed = 7;
  for (const [k, s] of Object.entries(shapes)) out[k] = { shape: s, data: values(s.reduce((a, b) => a * b, 1), seed++) };
  return out;
}

function nest(shape: readonly number[], data: readonly number[]): unknown {
  if (shape.length === 0) return data[0];
  const inner = data.length / shape[0]!;
  return Array.from({ length: shape[0]! }, (_, i) => nest(shape.slice(1), data.slice(i * inner, (i + 1) * inner)));
}

/** y of examples/mlp.thd computed directly, for one sample. */
function mlpForward(p: Record<string, { data: number[] }>, x: readonly number[]): number[] {
  const layer = (u: readonly number[], W: number[], b: number[], n: number, act: boolean) =>
    Array.from({ length: n }, (_, j) => {
      let s = b[j]!;
      for (let i = 0; i < u.length; i++) s += u[i]! * W[i * n + j]!;
      return act ? Math.tanh(s) : s;
    });
  const h1 = layer(x, p.W1!.data, p.b1!.data, 32, true);
  const h2 = layer(h1, p.W2!.data, p.b2!.data, 32, true);
  return layer(h2, p.W3!.data, p.b3!.data, 4, false);
}

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

describe("thoadc compile", { timeout: T }, () => {
  it("writes model.ts next to the model by default and reports it", () => {
    const dir = workdir({ "models/model.thd": { copy: MLP } });
    const r = thoadc(dir, "models/model.thd", "--order", "3");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^wrote models\/model\.ts\b/);
    expect(r.stdout).toContain("order 3");
    const text = readFileSync(join(dir, "models/model.ts"), "utf8");
    expect(text).toMatch(/^\s*import\b.*from "thoad\/runtime"/m);
    expect(text).toMatch(/export\b.*\bmlp\b/);
    expect(existsSync(join(dir, "model.ts"))).toBe(false);
    expect(readdirSync(join(dir, "models")).sort()).toEqual(["model.thd", "model.ts"]); // no temp file left behind
  });

  it("-o chooses the output; --emit js writes .js and .d.ts", () => {
    const dir = workdir({ "model.thd": { copy: MLP } });
    // out/ does not exist: it is created
    let r = thoadc(dir, "model.thd", "--order", "2", "-o", "out/kernel.ts");
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^wrote out\/kernel\.ts\b/);
    expect(existsSync(join(dir, "out/kernel.ts"))).toBe(true);
    expect(existsSync(join(dir, "model.ts"))).toBe(false);

    r = thoadc(dir, "model.thd", "--order", "2", "--emit", "js");
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^wrote model\.js, model\.d\.ts\b/);
    const js = readFileSync(join(dir, "model.js"), "utf8");
    const dts = readFileSync(join(dir, "model.d.ts"), "utf8");
    expect(js).not.toMatch(/^\s*(export\s+)?(interface|type)\s/m); // plain JavaScript
    expect(js).not.toMatch(/\bas const\b/);
    expect(dts).toMatch(/\bdeclare\b/);
    expect(dts).toMatch(/\bmlp\b/);

    r = thoadc(dir, "model.thd", "--emit", "py");
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("--emit");
  });

  it("--standalone output imports nothing and runs", async () => {
    const dir = workdir({ "model.thd": { copy: MLP }, "in.json": JSON.stringify(mlpInputs(2)) });
    let r = thoadc(dir, "model.thd", "--order", "2", "--standalone", "-o", "sa.ts");
    expect(r.status, r.stderr).toBe(0);
    const ts = readFileSync(join(dir, "sa.ts"), "utf8");
    expect(ts).not.toMatch(/^\s*import\b/m);
    expect(ts).not.toMatch(/\bimport\s*\(/);
    expect(ts).not.toMatch(/\brequire\s*\(/);

    r = thoadc(dir, "model.thd", "--order", "2", "--standalone", "--emit", "js", "-o", "sa.js");
    expect(r.status, r.stderr).toBe(0);
    const js = readFileSync(join(dir, "sa.js"), "utf8");
    expect(js).not.toMatch(/^\s*import\b/m);
    expect(js).not.toMatch(/\bimport\s*\(/);
    // the module works on its own and agrees with `thoadc eval`
    const mod = (await import(pathToFileURL(join(dir, "sa.js")).href)) as Record<string, (i: unknown) => Record<string, { value: { data: Float64Array }; d(...n: string[]): { shape: number[]; data: Float64Array } }>>;
    const res = mod.mlp!(mlpInputs(2));
    const ev = thoadc(dir, "eval", "model.thd", "--order", "2", "--inputs", "in.json");
    expect(ev.status, ev.stderr).toBe(0);
    const y = JSON.parse(ev.stdout).outputs.y;
    expect(Array.from(res.y!.value.data)).toEqual(y.value.data);
    const dxx = res.y!.d("x", "x");
    expect(dxx.shape).toEqual(y.derivatives["x,x"].shape);
    expect(Array.from(dxx.data)).toEqual(y.derivatives["x,x"].data);
  });

  it("is deterministic: two runs give byte-identical files", () => {
    const dir = workdir({ "model.thd": { copy: MLP } });
    const read = (f: string) => readFileSync(join(dir, f));
    for (const args of [["--order", "3"], ["--order", "2", "--emit", "js", "--standalone", "--wrt", "x,b1"]]) {
      const files = args.includes("js") ? ["model.js", "model.d.ts"] : ["model.ts"];
      expect(thoadc(dir, "model.thd", ...args).status).toBe(0);
      const first = files.map(read);
      rmSync(join(dir, files[0]!));
      expect(thoadc(dir, "model.thd", ...args).status).toBe(0);
      files.forEach((f, i) => expect(read(f).equals(first[i]!), `${f} with ${args.join(" ")}`).toBe(true));
    }
  });
});

describe("thoadc --check", { timeout: T }, () => {
  it("exits 0 when up to date, 1 with 'stale' after an edit or when the output is missing", () => {
    const dir = workdir({ "model.thd": SMALL });
    expect(thoadc(dir, "model.thd", "--order", "3").status).toBe(0);
    const before = readFileSync(join(dir, "model.ts"), "utf8");

    let r = thoadc(dir, "model.thd", "--order", "3", "--check");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/up to date/);

    // same model, other flags: stale too
    r = thoadc(dir, "model.thd", "--order", "2", "--check");
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/stale/);

    writeFileSync(join(dir, "model.thd"), SMALL.replace("dim H = 4", "dim H = 5"));
    r = thoadc(dir, "model.thd", "--order", "3", "--check");
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/model\.ts.*stale/);
    expect(r.stdout).toBe("");
    expect(readFileSync(join(dir, "model.ts"), "utf8")).toBe(before); // --check never writes

    rmSync(join(dir, "model.ts"));
    r = thoadc(dir, "model.thd", "--order", "3", "--check");
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/stale/);
    expect(r.stderr).toMatch(/missing/);
    expect(existsSync(join(dir, "model.ts"))).toBe(false);
  });

  it("checks the .d.ts too with --emit js", () => {
    const dir = workdir({ "model.thd": SMALL });
    expect(thoadc(dir, "model.thd", "--emit", "js").status).toBe(0);
    expect(thoadc(dir, "model.thd", "--emit", "js", "--check").status).toBe(0);
    rmSync(join(dir, "model.d.ts"));
    const r = thoadc(dir, "model.thd", "--emit", "js", "--check");
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/model\.d\.ts.*stale/);
  });
});

describe("thoadc: errors", { timeout: T }, () => {
  const SYNTAX = `model m {
  batch B
  input x : [B, 4]
  y = tanh(x +)
  output y
}
`;
  const SEMANTIC = `model m {
  batch B
  input x : [B, 4]
  param W : [3, 2]
  y = x @ W
  output y
}
`;
  const SEVERAL = `model m {
  batch B
  input x : [B, 4]
  y = tanh(x) + q
  z = foo(x)
  output y, z
}
`;

  it("syntax error: file:line:col, code frame with caret, exit 1, no output", () => {
    const dir = workdir({ "model.thd": SYNTAX });
    const r = thoadc(dir, "model.thd");
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expectDiagnostic(r.stderr, "model.thd", SYNTAX, 4, ")", "TH002");
    expect(r.stderr).toMatch(/^1 error$/m);
    expect(readdirSync(dir)).toEqual(["model.thd"]);
  });

  it("semantic error: caret under the operator, exit 1, no output", () => {
    const dir = workdir({ "model.thd": SEMANTIC });
    const r = thoadc(dir, "model.thd", "--emit", "js");
    expect(r.status).toBe(1);
    expectDiagnostic(r.stderr, "model.thd", SEMANTIC, 5, "@", "TH202");
    expect(r.stderr).toContain("[B, 4]");
    expect(r.stderr).toContain("[3, 2]");
    expect(readdirSync(dir)).toEqual(["model.thd"]);
  });

  it("an existing output is left untouched when compilation fails", () => {
    const dir = workdir({ "model.thd": SEMANTIC, "model.ts": "// old output\n", "model.js": "// old js\n", "model.d.ts": "// old dts\n" });
    const mtime = statSync(join(dir, "model.ts")).mtimeMs;
    expect(thoadc(dir, "model.thd").status).toBe(1);
    expect(thoadc(dir, "model.thd", "--emit", "js").status).toBe(1);
    writeFileSync(join(dir, "syntax.thd"), SYNTAX);
    expect(thoadc(dir, "syntax.thd", "-o", "model.ts").status).toBe(1);
    expect(readFileSync(join(dir, "model.ts"), "utf8")).toBe("// old output\n");
    expect(readFileSync(join(dir, "model.js"), "utf8")).toBe("// old js\n");
    expect(readFileSync(join(dir, "model.d.ts"), "utf8")).toBe("// old dts\n");
    expect(statSync(join(dir, "model.ts")).mtimeMs).toBe(mtime);
    expect(readdirSync(dir).sort()).toEqual(["model.d.ts", "model.js", "model.thd", "model.ts", "syntax.thd"]);
  });

  it("prints every error of a file", () => {
    const dir = workdir({ "model.thd": SEVERAL });
    const r = thoadc(dir, "model.thd");
    expect(r.status).toBe(1);
    expectDiagnostic(r.stderr, "model.thd", SEVERAL, 4, "q", "TH101");
    expectDiagnostic(r.stderr, "model.thd", SEVERAL, 5, "foo", "TH103");
    expect(r.stderr).toMatch(/^2 errors$/m);

    const two = SYNTAX.replace("output y", "z = x * * 2\n  output y");
    writeFileSync(join(dir, "syntax.thd"), two);
    const s = thoadc(dir, "syntax.thd");
    expect(s.status).toBe(1);
    expectDiagnostic(s.stderr, "syntax.thd", two, 4, ")", "TH002");
    expectDiagnostic(s.stderr, "syntax.thd", two, 5, "*", "TH002", 9);
  });

  it("bad files and flags: coded errors, exit 1, nothing written", () => {
    const dir = workdir({ "model.thd": { copy: MLP } });
    const cases: [string[], string, RegExp][] = [
      [["missing.thd"], "TH301", /missing\.thd/],
      [["model.thd", "--order", "abc"], "TH115", /abc/],
      [["model.thd", "--order", "-1"], "TH115", /order/],
      [["model.thd", "--dim", "X=0"], "TH112", /X=0/],
      [["model.thd", "--wrt", "nope"], "TH111", /nope/],
      [["model.thd", "--dtype", "f16"], "TH115", /--dtype must be f64 or f32, got 'f16'/],
      [["eval", "model.thd", "--dtype", "float32"], "TH115", /--dtype must be f64 or f32/],
      [["bench", "model.thd", "--dtype", ""], "TH115", /--dtype must be f64 or f32/],
    ];
    for (const [args, code, detail] of cases) {
      const r = thoadc(dir, ...args);
      expect(r.status, args.join(" ")).toBe(1);
      expect(r.stderr, args.join(" ")).toMatch(new RegExp(`error ${code}:`));
      expect(r.stderr, args.join(" ")).toMatch(detail);
      expect(r.stdout).toBe("");
    }
    expect(readdirSync(dir)).toEqual(["model.thd"]);
    const u = thoadc(dir, "model.thd", "--no-such-flag");
    expect(u.status).toBe(1);
    expect(u.stderr).toMatch(/no-such-flag/);
  });
});

describe("thoadc eval", { timeout: T }, () => {
  it("prints the documented JSON with shapes per docs/design.md", () => {
    const inputs = mlpInputs(3);
    const dir = workdir({ "model.thd": { copy: MLP }, "in.json": JSON.stringify(inputs) });
    const r = thoadc(dir, "eval", "model.thd", "--order", "2", "--inputs", "in.json");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out).sort()).toEqual(["model", "order", "outputs", "wrt"]);
    expect(out.model).toBe("mlp");
    expect(out.order).toBe(2);
    expect(out.wrt).toEqual(["x"]);
    expect(Object.keys(out.outputs)).toEqual(["y"]);
    const y = out.outputs.y;
    expect(Object.keys(y).sort()).toEqual(["derivatives", "value"]);
    expect(Object.keys(y.derivatives)).toEqual(["x", "x,x"]);
    expect(y.value.shape).toEqual([3, 4]);
    expect(y.derivatives.x.shape).toEqual([3, 4, 8]);
    expect(y.derivatives["x,x"].shape).toEqual([3, 4, 8, 8]);
    for (const t of [y.value, y.derivatives.x, y.derivatives["x,x"]]) {
      expect(Object.keys(t).sort()).toEqual(["data", "shape"]);
      expect(t.data).toHaveLength(size(t.shape));
      expect(t.data.every(Number.isFinite)).toBe(true);
    }
    // values, and the layout of d[x] ([b, i, j] = dy[b,i]/dx[b,j]) by central differences
    const h = 1e-5;
    for (let b = 0; b < 3; b++) {
      const x = inputs.x!.data.slice(b * 8, b * 8 + 8);
      const f = mlpForward(inputs, x);
      for (let i = 0; i < 4; i++) expect(y.value.data[b * 4 + i]).toBeCloseTo(f[i]!, 12);
      for (let j = 0; j < 8; j++) {
        const xp = x.slice(), xm = x.slice();
        xp[j] += h; xm[j] -= h;
        const fp = mlpForward(inputs, xp), fm = mlpForward(inputs, xm);
        for (let i = 0; i < 4; i++) expect(y.derivatives.x.data[(b * 4 + i) * 8 + j]).toBeCloseTo((fp[i]! - fm[i]!) / (2 * h), 7);
      }
    }
    // Schwarz symmetry of the dense view
    const xx = y.derivatives["x,x"].data as number[];
    for (let bi = 0; bi < 12; bi++) for (let j = 0; j < 8; j++) for (let k = 0; k < j; k++) expect(xx[(bi * 8 + j) * 8 + k]).toBe(xx[(bi * 8 + k) * 8 + j]);
  });

  it("accepts nested arrays, params as wrt, and structural zeros", () => {
    const inputs = mlpInputs(3);
    const nested = Object.fromEntries(Object.entries(inputs).map(([k, t]) => [k, nest(t.shape, t.data)]));
    const dir = workdir({ "model.thd": { copy: MLP }, "in.json": JSON.stringify(inputs), "nested.json": JSON.stringify(nested) });
    const a = thoadc(dir, "eval", "model.thd", "--order", "2", "--wrt", "x,b3", "--inputs", "in.json");
    const b = thoadc(dir, "eval", "model.thd", "--order", "2", "--wrt", "x,b3", "--inputs", "nested.json");
    expect(a.status, a.stderr).toBe(0);
    expect(b.status, b.stderr).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    const out = JSON.parse(a.stdout);
    expect(out.wrt).toEqual(["x", "b3"]);
    const d = out.outputs.y.derivatives;
    expect(Object.keys(d)).toEqual(["x", "b3", "x,x", "x,b3", "b3,b3"]);
    // y = ... + b3: dy/db3 is the identity per sample; second derivatives with b3 vanish
    expect(d.b3.shape).toEqual([3, 4, 4]);
    expect(d.b3.data).toEqual(Array.from({ length: 48 }, (_, k) => (Math.floor(k / 4) % 4 === k % 4 ? 1 : 0)));
    expect(d["x,b3"].shape).toEqual([3, 4, 8, 4]);
    expect(d["b3,b3"].shape).toEqual([3, 4, 4, 4]);
    expect(d["x,b3"].data.every((v: number) => v === 0)).toBe(true);
    expect(d["b3,b3"].data.every((v: number) => v === 0)).toBe(true);
  });

  it("a wrong input shape: exit 1 naming the input and both shapes", () => {
    const inputs = mlpInputs(3);
    inputs.W1 = { shape: [7, 32], data: inputs.W1!.data.slice(0, 7 * 32) };
    const dir = workdir({ "model.thd": { copy: MLP }, "in.json": JSON.stringify(inputs), "out.json": "old\n" });
    const r = thoadc(dir, "eval", "model.thd", "--inputs", "in.json", "--out", "out.json");
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("'W1'");
    expect(r.stderr).toContain("[7, 32]");
    expect(r.stderr).toContain("[8, 32]");
    expect(readFileSync(join(dir, "out.json"), "utf8")).toBe("old\n");
  });

  it("bad inputs files: one clear message each", () => {
    const dir = workdir({
      "model.thd": { copy: MLP },
      "str.json": JSON.stringify({ ...mlpInputs(1), x: "foo" }),
      "ragged.json": JSON.stringify({ ...mlpInputs(1), x: [[1, 2], [3]] }),
      "short.json": JSON.stringify({ ...mlpInputs(1), x: { shape: [2, 8], data: [1, 2] } }),
      "broken.json": "{",
    });
    for (const [file, detail] of [["str.json", /'x'.*expected/], ["ragged.json", /'x'.*ragged/], ["short.json", /'x'.*16/], ["broken.json", /JSON/], ["none.json", /TH301/]] as const) {
      const r = thoadc(dir, "eval", "model.thd", "--inputs", file);
      expect(r.status, file).toBe(1);
      expect(r.stderr, file).toMatch(detail);
      // exactly one diagnostic, rendered once
      expect(r.stderr.match(/error TH3\d\d/g), `${file}:\n${r.stderr}`).toHaveLength(1);
      expect(r.stderr.trimEnd().split("\n").at(-1)).toBe("1 error");
    }
  });

  it("--out writes the JSON to a file", () => {
    const dir = workdir({ "model.thd": { copy: MLP }, "in.json": JSON.stringify(mlpInputs(2)) });
    const a = thoadc(dir, "eval", "model.thd", "--inputs", "in.json");
    const b = thoadc(dir, "eval", "model.thd", "--inputs", "in.json", "--out", "result.json");
    expect(b.status, b.stderr).toBe(0);
    expect(b.stdout).toContain("result.json");
    expect(JSON.parse(readFileSync(join(dir, "result.json"), "utf8"))).toEqual(JSON.parse(a.stdout));
  });
});

describe("thoadc check / explain / bench", { timeout: T }, () => {
  it("check --order 3 on examples/mlp.thd: exit 0, one line per order", () => {
    const dir = workdir();
    const r = thoadc(dir, "check", MLP, "--order", "3");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const orders = r.stdout.split("\n").filter((l) => /^\s*order \d+:/.test(l));
    expect(orders.map((l) => /order (\d+):/.exec(l)![1])).toEqual(["1", "2", "3"]);
    for (const l of orders) expect(l).toMatch(/\bok$/);
  });

  it("explain --order 3: passes, a plan with steps, an estimate", () => {
    const dir = workdir({ "model.thd": { copy: MLP } });
    const r = thoadc(dir, "explain", "model.thd", "--order", "3");
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe("passes:");
    for (const p of ["parse", "lower", "emit"]) expect(r.stdout).toMatch(new RegExp(`^\\s+\\d+\\. ${p}\\b`, "m"));
    const s = lines.indexOf("steps:");
    expect(s).toBeGreaterThan(0);
    expect(lines[s + 1]).toMatch(/^\s+0\s+\S+/);
    expect(r.stdout).toMatch(/^estimate at B=1: \d+ flops\b.*\b\d+ bytes\b/m); // flops and memory
    const b = thoadc(dir, "explain", "model.thd", "--order", "3", "--batch", "4");
    expect(b.stdout).toMatch(/^estimate at B=4: \d+ flops/m);
  });

  it("explain --after lower prints the IR; --after bogus fails", () => {
    const dir = workdir({ "model.thd": { copy: MLP } });
    const r = thoadc(dir, "explain", "model.thd", "--after", "lower");
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/after pass 'lower'/);
    expect(r.stdout).toMatch(/\(x\).*\[B, 8\]/);
    expect(r.stdout).toMatch(/tanh/);
    expect(r.stdout).not.toMatch(/^steps:/m);
    const bad = thoadc(dir, "explain", "model.thd", "--after", "bogus");
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/bogus/);
    expect(bad.stderr).toMatch(/lower/); // lists the passes
  });

  it("bench --json: the last line is a JSON summary", () => {
    const dir = workdir({ "model.thd": { copy: MLP } });
    const r = thoadc(dir, "bench", "model.thd", "--order", "2", "--batch", "8", "--reps", "3", "--json");
    expect(r.status, r.stderr).toBe(0);
    const last = r.stdout.trimEnd().split("\n").at(-1)!;
    const j = JSON.parse(last);
    for (const k of ["median_ms", "min_ms", "reps", "peak_bytes"]) expect(typeof j[k], k).toBe("number");
    expect(j.reps).toBe(3);
    expect(j.min_ms).toBeGreaterThan(0);
    expect(j.min_ms).toBeLessThanOrEqual(j.median_ms);
    expect(j.peak_bytes).toBeGreaterThan(0);
    expect(["forward", "reverse"]).toContain(j.mode);
    const bad = thoadc(dir, "bench", "model.thd", "--reps", "0");
    expect(bad.status).toBe(1);
  });

  it("bench --threads N: splits the batch; a small batch stays on one thread; auto (the default) as a model call; a bad N is TH115", () => {
    const dir = workdir({ "model.thd": { copy: MLP } });
    const r = thoadc(dir, "bench", "model.thd", "--order", "2", "--batch", "256", "--reps", "3", "--threads", "2", "--json");
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/B=256, threads 2: median/);
    const j = JSON.parse(r.stdout.trimEnd().split("\n").at(-1)!);
    expect([j.threads, j.threads_used]).toEqual([2, 2]);
    const small = thoadc(dir, "bench", "model.thd", "--order", "1", "--batch", "4", "--reps", "3", "--threads", "2", "--json");
    expect(small.status, small.stderr).toBe(0);
    expect(small.stdout).toMatch(/threads 2 \(1 used: small batch\)/);
    // no --threads: "auto", the model call's default (up to the cores there are, when the call is large enough)
    const auto = thoadc(dir, "bench", "model.thd", "--order", "2", "--batch", "256", "--reps", "3", "--json");
    expect(auto.status, auto.stderr).toBe(0);
    const ja = JSON.parse(auto.stdout.trimEnd().split("\n").at(-1)!);
    expect(ja.threads).toBe("auto");
    expect(ja.threads_used).toBe(Math.min(2, availableParallelism()));
    expect(auto.stdout).toMatch(/B=256, threads auto \(\d used\): median/);
    const one = thoadc(dir, "bench", "model.thd", "--order", "2", "--batch", "256", "--reps", "3", "--threads", "1", "--json");
    expect(JSON.parse(one.stdout.trimEnd().split("\n").at(-1)!).threads_used).toBe(1);
    expect(one.stdout).toMatch(/B=256: median/);
    for (const n of ["0", "1.5", "two"]) {
      const bad = thoadc(dir, "bench", "model.thd", "--threads", n);
      expect(bad.status).toBe(1);
      expect(bad.stderr).toContain("error TH115: bench: --batch and --reps must be positive integers, --threads a positive integer or auto");
    }
  });
});

describe("thoadc --dtype f32", { timeout: T }, () => {
  it("compile, --emit js --standalone, eval, explain and bench in float32; check refuses", async () => {
    const dir = workdir({ "model.thd": { copy: MLP }, "in.json": JSON.stringify(mlpInputs(2)) });
    let r = thoadc(dir, "model.thd", "--order", "2", "--dtype", "f32");
    expect(r.status, r.stderr).toBe(0);
    const ts = readFileSync(join(dir, "model.ts"), "utf8");
    expect(ts.split("\n")[0]).toContain("--dtype f32");
    expect(ts).toMatch(/new Float32Array\(/);
    expect(ts).not.toMatch(/Float64Array/);
    expect(ts).toMatch(/OutputResult<Float32Array, "x">/);

    r = thoadc(dir, "model.thd", "--order", "2", "--dtype", "f32", "--emit", "js", "--standalone", "-o", "sa.js");
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(dir, "sa.d.ts"), "utf8")).toMatch(/readonly y: OutputResult<Float32Array, "x">;/);
    const mod = (await import(pathToFileURL(join(dir, "sa.js")).href)) as Record<string, (i: unknown) => Record<string, { value: { data: Float32Array }; d(...n: string[]): { shape: number[]; data: Float32Array } }>>;
    const res = mod.mlp!(mlpInputs(2));
    expect(res.y!.value.data).toBeInstanceOf(Float32Array);
    expect(res.y!.d("x", "x").data).toBeInstanceOf(Float32Array);

    // eval prints the float32 results (as doubles): the same as the standalone module, and
    // within float32 rounding of the f64 results, but not equal to them
    const e32 = thoadc(dir, "eval", "model.thd", "--order", "2", "--dtype", "f32", "--inputs", "in.json");
    const e64 = thoadc(dir, "eval", "model.thd", "--order", "2", "--inputs", "in.json");
    expect(e32.status, e32.stderr).toBe(0);
    const y32 = JSON.parse(e32.stdout).outputs.y, y64 = JSON.parse(e64.stdout).outputs.y;
    expect(y32.value.data).toEqual(Array.from(res.y!.value.data));
    expect(y32.derivatives["x,x"].data).toEqual(Array.from(res.y!.d("x", "x").data));
    expect(y32.value.data).not.toEqual(y64.value.data);
    for (const [a, b] of (y32.value.data as number[]).map((v, i) => [v, y64.value.data[i] as number])) expect(Math.abs(a! - b!)).toBeLessThan(1e-6 * Math.max(1, Math.abs(b!)));

    const x = thoadc(dir, "explain", "model.thd", "--order", "2", "--dtype", "f32");
    expect(x.status, x.stderr).toBe(0);
    expect(x.stdout).toMatch(/^plan mlp: .*, dtype f32$/m);
    const bytes = (out: string) => Number(/estimate at B=1: \d+ flops; (\d+) bytes/.exec(out)![1]);
    expect(bytes(x.stdout) * 2).toBe(bytes(thoadc(dir, "explain", "model.thd", "--order", "2").stdout));

    const b = thoadc(dir, "bench", "model.thd", "--order", "2", "--batch", "4", "--reps", "2", "--dtype", "f32", "--json");
    expect(b.status, b.stderr).toBe(0);
    expect(JSON.parse(b.stdout.trimEnd().split("\n").at(-1)!).dtype).toBe("f32");

    const c = thoadc(dir, "check", "model.thd", "--order", "2", "--dtype", "f32");
    expect(c.status).toBe(1);
    expect(c.stderr).toMatch(/error TH115: check differences in float64 only/);
    expect(c.stderr).not.toMatch(/internal error/);
    expect(readdirSync(dir).sort()).toEqual(["in.json", "model.thd", "model.ts", "sa.d.ts", "sa.js"]);
  });
});

describe("thoadc --no-batch", { timeout: T }, () => {
  it("needs --batch N (TH304), and writes nothing without it", () => {
    const dir = workdir({ "model.thd": { copy: MLP } });
    for (const args of [["model.thd", "--no-batch"], ["model.thd", "--no-batch", "--batch", "0"], ["explain", "model.thd", "--no-batch"], ["bench", "model.thd", "--no-batch"], ["check", "model.thd", "--batch", "2.5", "--no-batch"]]) {
      const r = thoadc(dir, ...args);
      expect(r.status, args.join(" ")).toBe(1);
      expect(r.stderr, args.join(" ")).toMatch(/error TH304: --no-batch/);
      expect(r.stdout, args.join(" ")).toBe("");
    }
    expect(readdirSync(dir)).toEqual(["model.thd"]);
  });

  it("explain shows the full blocks and the diagonal steps; eval gives the normal results and checks the batch size", () => {
    const dir = workdir({ "model.thd": { copy: MLP }, "in.json": JSON.stringify(mlpInputs(3)) });
    const e = thoadc(dir, "explain", "model.thd", "--order", "2", "--batch", "3", "--no-batch", "--mode", "forward");
    expect(e.status, e.stderr).toBe(0);
    expect(e.stdout).toMatch(/^\s+\d+\. no-batch\b/m);
    expect(e.stdout).toMatch(/--no-batch at B=3/);
    expect(e.stdout).toMatch(/key sizes \[24\]/); // x: 3 samples x 8, one full cross-batch key (its seed is symbolic since 684520b)
    expect(e.stdout).toMatch(/batch diagonal/);
    const a = thoadc(dir, "eval", "model.thd", "--order", "2", "--inputs", "in.json");
    const b = thoadc(dir, "eval", "model.thd", "--order", "2", "--inputs", "in.json", "--no-batch", "--batch", "3");
    expect(b.status, b.stderr).toBe(0);
    const ja = JSON.parse(a.stdout), jb = JSON.parse(b.stdout);
    for (const key of ["x", "x,x"]) {
      const da = ja.outputs.y.derivatives[key], db = jb.outputs.y.derivatives[key];
      expect(db.shape).toEqual(da.shape);
      const scale = Math.max(...da.data.map(Math.abs));
      expect(Math.max(...da.data.map((v: number, i: number) => Math.abs(v - db.data[i])))).toBeLessThan(1e-12 * scale);
    }
    const c = thoadc(dir, "eval", "model.thd", "--order", "2", "--inputs", "in.json", "--no-batch", "--batch", "2");
    expect(c.status).toBe(1);
    expect(c.stderr).toContain("compiled with --no-batch for batch size 2, called with batch size 3");
  });

  it("compile: the header names the flags and the module checks the batch size", () => {
    const dir = workdir({ "model.thd": { copy: MLP } });
    const r = thoadc(dir, "model.thd", "--order", "1", "--batch", "4", "--no-batch", "-o", "m.ts");
    expect(r.status, r.stderr).toBe(0);
    const text = readFileSync(join(dir, "m.ts"), "utf8");
    expect(text).toContain("--batch 4 --no-batch");
    expect(text).toContain("compiled with --no-batch for batch size 4");
    expect(text).toContain("batchDiagonalTable(");
  });
});

describe("thoadc --help / --version", { timeout: T }, () => {
  const OPTIONS: Record<string, string[]> = {
    compile: ["--order", "--dtype", "--wrt", "--dim", "--model", "--out", "--emit", "--standalone", "--check", "--batch", "--no-batch", "--no-symmetry"],
    eval: ["--order", "--dtype", "--wrt", "--inputs", "--out"],
    check: ["--order", "--dtype", "--batch", "--seed", "--range", "--tol"],
    explain: ["--order", "--dtype", "--after", "--batch"],
    bench: ["--order", "--dtype", "--batch", "--reps", "--threads", "--json"],
  };
  it("--help of each command exits 0 and lists its options", () => {
    const dir = workdir();
    const top = thoadc(dir, "--help");
    expect(top.status).toBe(0);
    for (const cmd of Object.keys(OPTIONS)) expect(top.stdout).toMatch(new RegExp(`^\\s+${cmd}\\b`, "m"));
    for (const [cmd, opts] of Object.entries(OPTIONS)) {
      const r = thoadc(dir, cmd, "--help");
      expect(r.status, cmd).toBe(0);
      expect(r.stdout).toContain(`thoadc ${cmd}`);
      for (const o of opts) expect(r.stdout, `${cmd} ${o}`).toContain(o);
    }
  });

  it("--version prints the package.json version", () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    const dir = workdir();
    for (const flag of ["--version", "-V"]) {
      const r = thoadc(dir, flag);
      expect(r.status).toBe(0);
      expect(r.stdout.trim()).toBe(version);
    }
  });
});
