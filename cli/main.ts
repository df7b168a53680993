#!/usr/bin/env node
/**
 * thoadc: a thin shell over the compiler's public API. Exit 0 on success, 1 on
 * any error; `--check` has its own codes (0 up to date, 1 stale, 2 an error).
 * The compiler loads only when a command runs: -v, --version and --help
 * answer without it.
 */
import { existsSync, readFileSync } from "node:fs";
import type { Command as CommandT } from "commander";
import type { CommandResult } from "./output.js";

const version = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;
const argv = process.argv.slice(2);
/** Under --check every error exits 2, so that CI can tell a stale file (1) from a broken call. */
const checking = argv.includes("--check");
/** The code of command-line usage errors (compiler/diagnostics/codes.ts; not imported: the compiler loads lazily). */
const USAGE = "TH305";
const COMMANDS = ["compile", "import", "eval", "check", "explain", "bench", "sensitivity"];
// output piped into a reader that stops early (thoadc --help | head) is not an error
process.stdout.on("error", (e: NodeJS.ErrnoException) => { if (e.code === "EPIPE") process.exit(process.exitCode ?? 0); else throw e; });

if (argv.length === 1 && ["-v", "-V", "--version"].includes(argv[0]!)) process.stdout.write(`${version}\n`);
else await main();

async function main(): Promise<void> {
  const { Command, CommanderError, Option } = await import("commander");

  /** --no-batch stores `batchUnification: false`, apart from --batch <B> (commander would store both as `batch`). */
  class NoBatchOption extends Option {
    override attributeName(): string { return "batchUnification"; }
  }
  const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

  const common = (c: CommandT, orderHelp = "highest derivative order (default 2)"): CommandT => c
    .option("--order <K>", orderHelp)
    .option("--wrt <names>", "comma-separated inputs/params to differentiate (default: every input)")
    .option("--dim <NAME=INT>", "override a dim (repeatable)", collect, [])
    .option("--model <name>", "model to compile when the file has several")
    .option("--mode <mode>", "derivative propagation: forward, reverse, or auto (default: the cheaper by the cost model)")
    .option("--target <name>", "codegen target: ts (TypeScript/JavaScript loop nests), wasm (the same module, GEMM-shaped and unrolled index-table steps and exp, tanh, sin, cos and log elementwise steps in WebAssembly SIMD), or auto (default: the one the cost model estimates faster for the plan; thoadc explain says why)")
    .option("--dtype <f64|f32>", "element type of every buffer: f64 (default) or f32 (Float32Array: half the memory, about 7 significant digits; docs/dtype.md)")
    .option("--max-memory <bytes>", "refuse a plan allocating more per call (e.g. 8G; default: half the RAM), at --batch B where the command has it")
    .option("--no-symmetry", "ablation: dense derivative blocks instead of packed symmetric ones (reverse mode: also one block per ordered frontier key), to measure what symmetry saves")
    .addOption(new NoBatchOption("--no-batch", "ablation of batch unification: with the batch size fixed by --batch N, plan the full cross-batch derivatives (N*n variables per batched input), then take their diagonals (same results)"))
    .option("--seed-output", "contract each output's derivatives with a run-time vector (input seed_<output>): derivatives of seed . y")
    .option("--weights <file>", "bind params to the tensors of a .safetensors file (by name); imported .onnx and model.json files bind their own weights")
    .option("--want <kind>", "replace each output y by a structured derivative: laplacian, hessian-diag, hvp or jet of y with respect to --at (then --order, default 0, differentiates it again)")
    .option("--at <name>", "with --want: the variable x (default: the model's only input that is not a param)")
    .option("--v <name>", "with --want hvp or jet: the direction v, an input or param with x's shape")
    .option("--jet-order <K>", "with --want jet: the number of Taylor coefficients k");

  /** An action whose command module (and with it the compiler) is imported when it runs. */
  const run = <A, F>(load: () => Promise<(arg: A, flags: F) => CommandResult>) => async (arg: A, flags: F): Promise<void> => {
    const { CliExit } = await import("./front.js");
    try {
      const r = (await load())(arg, flags);
      const out = typeof r === "string" ? { stdout: r, status: 0 } : r;
      if (out.stdout) process.stdout.write(out.stdout + "\n");
      if (out.stderr) process.stderr.write(out.stderr + "\n");
      process.exitCode = out.status;
    } catch (e) {
      if (e instanceof CliExit) { process.stderr.write(e.text + "\n"); process.exitCode = checking && e.status !== 0 ? 2 : e.status; return; }
      process.stderr.write(`thoadc: internal error: ${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = checking ? 2 : 1;
    }
  };

  const program = new Command("thoadc")
    .description("Compile .thd models into TypeScript kernels computing exact derivatives of any order")
    .version(version, "-v, --version")
    .showSuggestionAfterError()
    // commander's usage errors (unknown option, missing argument, bad value) get the usage code, as ours do; inherited by the commands
    .configureOutput({ outputError: (msg, write) => write(msg.replace(/^error: /, `thoadc: error ${USAGE}: `)) })
    .exitOverride();

  const compile = common(program.command("compile", { isDefault: true }).description("compile models into modules (the default command: thoadc FILE...)").argument("<files...>", "model files (.thd, .onnx, or a TensorFlow.js Layers model.json), or quoted glob patterns"))
    .option("-o, --out <path>", "output file (default: FILE.ts or FILE.js next to the model; one model only)")
    .option("--emit <ts|js>", "emit TypeScript, or JavaScript with a .d.ts", "ts")
    .option("--standalone", "inline the runtime: the module imports nothing")
    .option("--embed-weights", "embed the bound weights in the module (default: a .safetensors file beside it, which the module loads)")
    .option("--check", "do not write; say why an existing output differs (a diff, and whether the model, flags or thoadc version changed); exit 0 up to date, 1 stale, 2 an error")
    .option("--batch <B>", "batch size for --max-memory; with --no-batch, the batch size the module is compiled for")
    .option("--json", "print the result as JSON on stdout")
    .action(run(async () => (await import("./commands/compile.js")).compileCommand));

  program.command("import").description("translate an .onnx or TensorFlow.js model.json into a readable .thd, with its weights as .safetensors beside it").argument("<file>", "model file: .onnx or model.json")
    .option("-o, --out <path>", "the .thd to write (default: NAME.thd in the current folder)")
    .option("--model <name>", "the model's name in the .thd (default: the file's name)")
    .action(run(async () => (await import("./commands/import.js")).importCommand));

  common(program.command("eval").description("compile in memory, run on --inputs, print or write JSON").argument("<file>"))
    .option("--inputs <json>", "inputs: {\"x\": {\"shape\": [...], \"data\": [...]}} or nested arrays")
    .option("--out <json>", "write the result here instead of stdout")
    .option("--batch <B>", "batch size for --max-memory; with --no-batch, the batch size the module is compiled for (the inputs' batch size must match)")
    .action(run(async () => (await import("./commands/eval.js")).evalCommand));

  common(program.command("check").description("compare every order with central differences of the order below").argument("<file>"))
    .option("--batch <B>", "batch size of the random point (default 2)")
    .option("--seed <n>", "random seed", "1")
    .option("--range <lo,hi>", "inputs uniform in this range", "-1,1")
    .option("--tol <x>", "max relative error per order", "1e-6")
    .option("--json", "print the result as JSON on stdout")
    .action(run(async () => (await import("./commands/check.js")).checkCommand));

  common(program.command("explain").description("print the passes, the plan with per-step costs and model lines, and totals").argument("<file>"))
    .option("--after <pass>", "print the IR or plan after this pass instead")
    .option("--batch <B>", "batch size for the estimates (default 1)")
    .option("--json", "print the plan, its steps' costs and model lines, and the totals as JSON")
    .action(run(async () => (await import("./commands/explain.js")).explainCommand));

  common(program.command("bench").description("time the compiled kernel on random inputs").argument("<file>"))
    .option("--batch <B>", "batch size (default 128)")
    .option("--reps <N>", "timed repetitions", "20")
    .option("--warmup <N>", "untimed calls before timing (default: 1000, fewer once they have taken a second, at least 3: V8 keeps optimising a small module over its first hundreds of calls)")
    .option("--threads <N>", "the model call's threads option: auto (default: over the cores when the call is large enough, as a model call does by default) or N; 1 for one-core numbers", "auto")
    .option("--dense", "also time the call plus the dense expansion of every derivative block, what the peers return (dense_median_ms; after every third timed call)")
    .option("--baseline <jax>", "also time JAX (bench/jax_baseline.py, $THOAD_JAX_PYTHON) on the same inputs: jit, vmap, float64, orders 1..K in one function; its median and JAX/thoad (bench models only, else TH603)")
    .option("--json", "last line: {median_ms, min_ms, reps, mode, flops (planned), executed_flops, executed_gflops, peak_bytes, ...}")
    .action(run(async () => (await import("./commands/bench.js")).benchCommand));

  common(program.command("sensitivity").description("sensitivity analysis over the samples of a data file: DGSM, interactions, moments, Taylor range, curvature (docs/sensitivity.md)").argument("<file>", "model file: .thd, .onnx, or a TensorFlow.js Layers model.json"))
    .option("--data <json>", "samples: the eval input format, the analysed input's batch axis holding the N samples; params here or bound")
    .option("--sigma <s>", "input noise x + N(0, s^2 I): second-order moments and a Monte Carlo check")
    .option("--input-dist <uniform|normal>", "input distribution for the DGSM bounds on total Sobol indices")
    .option("--range <lo,hi>", "with --input-dist uniform: the inputs' range (default: the observed one)")
    .option("--json <file>", "write the JSON result here (default: stdout unless --report)")
    .option("--report <file>", "write a self-contained HTML report here")
    .option("--seed <n>", "seed of every random draw (default 1)")
    .option("--chunk <n>", "samples per model call (default 256)")
    .option("--mc-draws <n>", "Monte Carlo draws per sample (default 32)")
    .option("--bootstrap <n>", "bootstrap resamples for the intervals (default 1000; 0: none)")
    .option("--threads <n>", "the model call's threads option")
    .option("--no-progress", "no progress bar (shown on stderr only when it is a terminal)")
    .action(run(async () => (await import("./commands/sensitivity.js")).sensitivityCommand));

  // thoadc --help: the commands, then the options of the default command (compile)
  program.addHelpText("after", () => {
    const help = compile.createHelp();
    const width = help.padWidth(compile, help);
    const opts = help.visibleOptions(compile).map((o) => help.formatItem(help.optionTerm(o), width, help.optionDescription(o), help));
    return `\nOptions of compile (thoadc FILE... [options]):\n${opts.join("\n")}\n\nExit status: 0 ok, 1 an error; with --check: 0 up to date, 1 stale, 2 an error (docs/diagnostics.md).`;
  });

  // a word that is no file and looks like a command is a misspelt command, not a model for compile
  const first = argv.find((a) => !a.startsWith("-"));
  if (first !== undefined && argv.indexOf(first) === 0 && !COMMANDS.includes(first) && !/[./\\*?]/.test(first) && !existsSync(first)) {
    const near = COMMANDS.filter((c) => editDistance(c, first) <= Math.max(1, Math.floor(c.length / 3)));
    if (near.length) {
      process.stderr.write(`thoadc: error ${USAGE}: unknown command '${first}'\n(Did you mean ${near.join(" or ")}?)\nRun thoadc --help for the commands and their options.\n`);
      process.exitCode = checking ? 2 : 1;
      return;
    }
  }

  try {
    await program.parseAsync();
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.exitCode !== 0) process.stderr.write("Run thoadc --help (or thoadc COMMAND --help) for the options.\n");
      process.exitCode = e.exitCode === 0 ? 0 : checking ? 2 : 1;
    } else throw e;
  }
}

/** Levenshtein distance (commands are short). */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur.push(Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = cur;
  }
  return prev[b.length]!;
}
