/**
 * Fuzz cases for test/fuzz/fuzz.mjs: each is { kind, name, files, args, out? },
 * files written into a fresh folder, args for `thoadc`. Drawn from a seeded
 * generator: mutations of the repo's models, deep nesting and long chains,
 * hostile names, bad files, bad flag values and bad data.
 */

/** mulberry32: the same sequence on every platform. */
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)), pick: (xs) => xs[Math.floor(next() * xs.length)], chance: (p) => next() < p };
}

const HOSTILE = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "default", "class", "yield", "await", "Tensor", "OutputResult", "closeWorkers", "Output", "_output", "INPUTS", "TABLES", "WRT", "B", "NaN", "undefined", "x".repeat(300)];
const NUMBERS = ["0", "-1", "1e308", "1e-320", "9007199254740993", "2147483648", "3.5", "100000", "1e999", "0.0"];
const FUNCTIONS = ["exp", "log", "sqrt", "tanh", "sum", "mean", "softmax", "reshape", "transpose", "einsum", "relu", "abs", "max", "concat", "conv2d", "cumsum", "pow"];
const INSERTS = ["\r", "\u2028", "(", ")", "[", "]", ",", "#", "\"", "\u0000", "é", "-", "**", "@", "\t", "...", ":", "=", "{", "}"];
const TOKEN = /(\s+|[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\*\*|\.\.\.|[^\sA-Za-z0-9_])/;

/** One random edit of a model's text. */
function mutate(r, text) {
  const toks = text.split(TOKEN).filter((t) => t !== "");
  const at = r.int(0, Math.max(0, toks.length - 1));
  const idents = toks.filter((t) => /^[A-Za-z_]\w*$/.test(t));
  switch (r.int(0, 8)) {
    case 0: toks.splice(at, 1); break;
    case 1: toks.splice(at, 0, toks[at] ?? ""); break;
    case 2: if (at + 2 < toks.length) [toks[at], toks[at + 2]] = [toks[at + 2], toks[at]]; break;
    case 3: { const i = toks.findIndex((t, k) => k >= at && /^\d/.test(t)); if (i >= 0) toks[i] = r.pick(NUMBERS); break; }
    case 4: { const i = toks.findIndex((t, k) => k >= at && /^[A-Za-z_]/.test(t)); if (i >= 0) toks[i] = r.chance(0.5) ? r.pick(HOSTILE) : r.pick(idents.length ? idents : HOSTILE); break; }
    case 5: toks.splice(at, 0, r.pick(INSERTS)); break;
    case 6: { const i = toks.findIndex((t, k) => k >= at && /^[a-z]\w*$/.test(t) && toks[k + 1] === "("); if (i >= 0) toks[i] = r.pick(FUNCTIONS); break; }
    case 7: return text.slice(0, r.int(0, text.length));
    default: { const lines = text.split("\n"); const i = r.int(0, lines.length - 1); lines.splice(r.int(0, lines.length - 1), 0, lines[i]); return lines.join("\n"); }
  }
  return toks.join("");
}

const model = (rhs, pre = "", name = "m") => `${pre}model ${name} {\n  batch B\n  input x : [B, 3]\n  param W : [3, 3]\n  y = ${rhs}\n  output y\n}\n`;

/** Expressions nested or chained far: around the limits (TH117) and beyond. */
function deep(r) {
  const n = r.pick([50, 99, 101, 200, 1000, 5000]);
  switch (r.int(0, 7)) {
    case 0: return { name: `${n} parentheses`, src: model("(".repeat(n) + "x" + ")".repeat(n)) };
    case 1: return { name: `${n} unary minus`, src: model("-".repeat(n) + "x") };
    case 2: return { name: `${n} nested calls`, src: model("sin(".repeat(n) + "x" + ")".repeat(n)) };
    case 3: return { name: `${n} brackets`, src: model(`x * sum(${"[".repeat(n)}1${"]".repeat(n)})`) };
    case 4: return { name: `${n * 6}-term sum`, src: model(Array.from({ length: n * 6 }, (_, i) => (i % 3 ? "x" : "x @ W")).join(" + ")) };
    case 5: { const k = Math.min(n, 1500); let s = "model m {\n  batch B\n  input x : [B, 3]\n  h0 = x\n"; for (let i = 1; i <= k; i++) s += `  h${i} = ${r.pick(["sin", "tanh", "exp"])}(h${i - 1}) * 0.5\n`; return { name: `${k}-statement chain`, src: `${s}  output h${k}\n}\n` }; }
    case 6: { const k = Math.min(n, 1000); return { name: `${k} nested fns`, src: Array.from({ length: k }, (_, i) => `fn f${i}(a) = ${i ? `sin(f${i - 1}(a))` : "a"}\n`).join("") + model(`f${k - 1}(x)`) }; }
    default: { const k = r.int(20, 60); return { name: `${k} fns each calling the one before twice`, src: Array.from({ length: k }, (_, i) => `fn f${i}(a) = ${i ? `f${i - 1}(a) * f${i - 1}(a)` : "tanh(a)"}\n`).join("") + model(`f${k - 1}(x)`) }; }
  }
}

/** Inputs for a model's declared shapes, as eval reads them (B samples). */
export function inputsFor(plan, B, r) {
  const out = {};
  for (const i of plan.inputs) {
    const shape = i.shape.map((d) => (d === -1 ? B : d));
    const n = shape.reduce((a, b) => a * b, 1);
    out[i.name] = { shape, data: Array.from({ length: n }, () => Math.round((r.next() * 1.6 + 0.2) * 1000) / 1000) };
  }
  return out;
}

/** Corruptions of a good inputs file. */
function badData(r, good) {
  const names = Object.keys(good);
  const x = r.pick(names);
  const d = JSON.parse(JSON.stringify(good));
  switch (r.int(0, 9)) {
    case 0: d[x].data[0] = r.pick(["a", null, true, {}, [[]]]); break;
    case 1: d[x].shape = [...d[x].shape, 2]; break;
    case 2: delete d[x]; break;
    case 3: d["__proto__"] = d[x]; break;
    case 4: d[x] = "nope"; break;
    case 5: d[x].shape = [r.pick([-1, 1.5, "3", 1e12])]; break;
    case 6: return JSON.stringify([good]);
    case 7: return JSON.stringify(good).slice(0, r.int(0, 40));
    case 8: d[x] = JSON.parse("[".repeat(3000) + "1" + "]".repeat(3000)); break;
    default: d.extra = { shape: [1], data: [1] }; break;
  }
  return JSON.stringify(d);
}

const BAD_FLAGS = [
  ["--order", ["-1", "11", "1.5", "x", "1e3", "99999999999999999999"]],
  ["--mode", ["bogus", ""]],
  ["--dtype", ["f16", "F64"]],
  ["--dim", ["H=0", "H=-1", "=3", "H=99999999999999999999", "Q=2", "H=9007199254740993"]],
  ["--wrt", [",", "nope", "x,x", "__proto__"]],
  ["--max-memory", ["1", "0", "1Q", "1e3", "-5"]],
  ["--batch", ["0", "-1", "x", "1000000000000"]],
  ["--model", ["nope", "__proto__", "default"]],
  ["--emit", ["bogus", "TS"]],
];

/** The next case. corpus: [{ path, text, models: [name] }]. */
export function nextCase(r, corpus) {
  const kind = r.pick(["mutate", "mutate", "mutate", "deep", "names", "files", "flags", "data", "module", "module"]);
  const base = r.pick(corpus);
  const order = String(r.int(1, 2));
  const modelFlag = base.models.length > 1 ? ["--model", r.pick(base.models)] : [];
  switch (kind) {
    case "mutate": {
      let text = base.text;
      for (let k = r.int(1, 3); k > 0; k--) text = mutate(r, text);
      const cmd = r.pick(["compile", "compile", "eval", "check", "explain", "bench"]);
      const args = cmd === "compile" ? ["m.thd", "--order", order, "-o", "out.js", "--emit", "js", ...(r.chance(0.3) ? ["--standalone"] : [])]
        : cmd === "eval" ? ["eval", "m.thd", "--order", order, "--inputs", "in.json"]
        : cmd === "check" ? ["check", "m.thd", "--order", "1", "--batch", "1"]
        : cmd === "bench" ? ["bench", "m.thd", "--order", "1", "--batch", "2", "--reps", "1", "--warmup", "0"]
        : ["explain", "m.thd", "--order", order];
      return { kind, name: `${cmd} of a mutated ${base.path}`, files: { "m.thd": text }, args: [...args, ...modelFlag], inputsFrom: cmd === "eval" ? { text: base.text, model: modelFlag[1] } : undefined, out: cmd === "compile" ? "out.js" : undefined };
    }
    case "deep": {
      const d = deep(r);
      return { kind, name: d.name, files: { "m.thd": d.src }, args: ["m.thd", "--order", "1", "-o", "out.js", "--emit", "js"], out: "out.js" };
    }
    case "names": {
      const n = r.pick(HOSTILE), where = r.int(0, 3);
      const src = where === 0 ? `model ${n} {\n  input x : [3]\n  y = sin(x)\n  output y\n}\n`
        : where === 1 ? `model m {\n  input ${n} : [3]\n  y = sin(${n})\n  output y\n}\n`
        : where === 2 ? `model m {\n  input x : [3]\n  ${n} = sin(x)\n  output ${n}\n}\n`
        : `model m {\n  input x : [3]\n  y = sin(x)\n  output y\n}\n`;
      const file = where === 3 ? r.pick(["a\nb.thd", "a\u2028b.thd", "sp ace.thd", "ü.thd", "a\rb.thd"]) : "m.thd";
      const eval_ = r.chance(0.4);
      return { kind, name: `hostile name ${JSON.stringify(n).slice(0, 30)} (${["model", "input", "output", "file"][where]})`, files: { [file]: src }, args: eval_ ? ["eval", file, "--order", "1", "--inputs", "in.json"] : [file, "--order", "1", "--emit", "js", "-o", "out.js", ...(r.chance(0.5) ? ["--standalone"] : [])], inputsFrom: eval_ ? { text: src } : undefined, out: eval_ ? undefined : "out.js" };
    }
    case "files": {
      const which = r.int(0, 9);
      // an output in the way: read-only, a symlink, under a regular file (fuzz.mjs sets the mode and the link)
      if (which >= 7) return { kind, name: ["a read-only output", "a symlink as the output", "an output under a regular file"][which - 7], files: { "m.thd": base.text, ...(which === 9 ? { f: "" } : { "out.js": "// old\n" }) }, args: ["m.thd", "--order", "1", "--emit", "js", "-o", which === 9 ? "f/out.js" : "out.js", ...modelFlag], prepare: which === 7 ? "readonly out.js" : which === 8 ? "symlink out.js" : undefined };
      const files = which === 0 ? {} : which === 1 ? { "m.thd": "" } : which === 2 ? { "m.thd": "\u0000\u0001\uffff".repeat(100) } : which === 3 ? { "m.onnx": "not an onnx file" } : which === 4 ? { "model.json": "{\"modelTopology\": 3}" } : which === 5 ? { "m.thd/inner": "x" } : { "m.thd": base.text, "out.js/x": "a directory in the way" };
      const file = which === 3 ? "m.onnx" : which === 4 ? "model.json" : "m.thd";
      return { kind, name: ["missing file", "empty file", "binary file", "garbage .onnx", "garbage model.json", "a directory as the model", "a directory as -o"][which], files, args: [file, "--order", "1", ...(which === 6 ? ["-o", "out.js"] : [])] };
    }
    case "flags": {
      const [flag, values] = r.pick(BAD_FLAGS);
      // options each command takes (an unknown option is commander's usage error, not a value to fuzz)
      const cmd = flag === "--emit" ? "compile" : r.pick(["compile", "eval", "check", "explain", "bench"]);
      const pre = cmd === "compile" ? ["m.thd"] : [cmd, "m.thd"];
      const extra = cmd === "eval" ? ["--inputs", "in.json"] : cmd === "bench" ? ["--reps", "1", "--warmup", "0", ...(r.chance(0.5) ? ["--threads", r.pick(["0", "99999", "x"])] : [])] : cmd === "check" ? (r.chance(0.5) ? ["--tol", r.pick(["-1", "0", "x"]), "--range", r.pick(["a,b", "1", "2,1"])] : []) : [];
      return { kind, name: `${cmd} ${flag} <bad>`, files: { "m.thd": base.text }, args: [...pre, ...extra, flag, r.pick(values), ...(flag === "--model" ? [] : modelFlag)], inputsFrom: cmd === "eval" ? { text: base.text, model: modelFlag[1] } : undefined };
    }
    case "data": return { kind, name: `eval of ${base.path} on corrupted inputs`, files: { "m.thd": base.text }, args: ["eval", "m.thd", "--order", "1", "--inputs", "in.json", ...modelFlag], inputsFrom: { text: base.text, model: modelFlag[1], corrupt: badData } };
    default: {
      const flags = [["--emit", "js"], ...(r.chance(0.5) ? [["--standalone"]] : []), ...(r.chance(0.3) ? [["--dtype", "f32"]] : []), ...(r.chance(0.5) ? [["--mode", r.pick(["forward", "reverse"])]] : [])].flat();
      return { kind, name: `module of ${base.path} ${flags.join(" ")}`, files: { "m.thd": base.text }, args: ["m.thd", "--order", order, "-o", "out.js", ...flags, ...modelFlag], out: "out.js", call: true };
    }
  }
}
