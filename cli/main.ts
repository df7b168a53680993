#!/usr/bin/env node
/** thoadc: a thin shell over the compiler's public API. Exit 0 on success, 1 on any error. */
import { readFileSync } from "node:fs";
import { Command, CommanderError, Option } from "commander";
import { benchCommand } from "./commands/bench.js";
import { checkCommand } from "./commands/check.js";
import { compileCommand } from "./commands/compile.js";
import { evalCommand } from "./commands/eval.js";
import { explainCommand } from "./commands/explain.js";
import { importCommand } from "./commands/import.js";
import { sensitivityCommand } from "./commands/sensitivity.js";
import { CliExit, collect } from "./front.js";

const version = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;

/** --no-batch stores `batchUnification: false`, apart from --batch <B> (commander would store both as `batch`). */
class NoBatchOption extends Option {
  override attributeName(): string { return "batchUnification"; }
}

function common(c: Command, orderHelp = "highest derivative order (default 2)"): Command {
  return c
    .option("--order <K>", orderHelp)
    .option("--wrt <names>", "comma-separated inputs/params to differentiate (default: every input)")
    .option("--dim <NAME=INT>", "override a dim (repeatable)", collect, [])
    .option("--model <name>", "model to compile when the file has several")
    .option("--mode <mode>", "derivative propagation: forward, reverse, or auto (default: the cheaper by the cost model)")
    .option("--dtype <f64|f32>", "element type of every buffer: f64 (default) or f32 (Float32Array: half the memory, about 7 significant digits; docs/dtype.md)")
    .option("--max-memory <bytes>", "refuse a plan allocating more per call (e.g. 8G; default: half the RAM), at --batch B where the command has it")
    .option("--no-symmetry", "ablation: dense derivative blocks instead of packed symmetric ones (reverse mode: also one block per ordered frontier key), to measure what symmetry saves")
    .addOption(new NoBatchOption("--no-batch", "ablation of batch unification: with the batch size fixed by --batch N, plan the full cross-batch derivatives (N*n variables per batched input), then take their diagonals (same results)"))
    .option("--seed-output", "contract each output's derivatives with a run-time vector (input seed_<output>): derivatives of seed . y")
    .option("--weights <file>", "bind params to the tensors of a .safetensors file (by name); imported .onnx and model.json files bind their own weights");
}

function run<F>(action: (file: string, flags: F) => string) {
  return (file: string, flags: F) => {
    try {
      process.stdout.write(action(file, flags) + "\n");
    } catch (e) {
      if (e instanceof CliExit) { process.stderr.write(e.text + "\n"); process.exitCode = e.status; return; }
      process.stderr.write(`thoadc: internal error: ${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 1;
    }
  };
}

const program = new Command("thoadc")
  .description("Compile .thd models into TypeScript kernels computing exact derivatives of any order")
  .version(version, "-V, --version")
  .showHelpAfterError()
  .exitOverride();

common(program.command("compile", { isDefault: true }).description("compile a model into a module (default command)").argument("<file>", "model file: .thd, .onnx, or a TensorFlow.js Layers model.json"))
  .option("-o, --out <path>", "output file (default: FILE.ts or FILE.js next to the model)")
  .option("--emit <ts|js>", "emit TypeScript, or JavaScript with a .d.ts", "ts")
  .option("--standalone", "inline the runtime: the module imports nothing")
  .option("--embed-weights", "embed the bound weights in the module (default: a .safetensors file beside it, which the module loads)")
  .option("--check", "do not write; exit 1 if the existing output differs (stale)")
  .option("--batch <B>", "batch size for --max-memory; with --no-batch, the batch size the module is compiled for")
  .action(run(compileCommand));

program.command("import").description("translate an .onnx or TensorFlow.js model.json into a readable .thd, with its weights as .safetensors beside it").argument("<file>", "model file: .onnx or model.json")
  .option("-o, --out <path>", "the .thd to write (default: NAME.thd in the current folder)")
  .option("--model <name>", "the model's name in the .thd (default: the file's name)")
  .action(run(importCommand));

common(program.command("eval").description("compile in memory, run on --inputs, print or write JSON").argument("<file>"))
  .option("--inputs <json>", "inputs: {\"x\": {\"shape\": [...], \"data\": [...]}} or nested arrays")
  .option("--out <json>", "write the result here instead of stdout")
  .option("--batch <B>", "batch size for --max-memory; with --no-batch, the batch size the module is compiled for (the inputs' batch size must match)")
  .action(run(evalCommand));

common(program.command("check").description("compare every order with central differences of the order below").argument("<file>"))
  .option("--batch <B>", "batch size of the random point (default 2)")
  .option("--seed <n>", "random seed", "1")
  .option("--range <lo,hi>", "inputs uniform in this range", "-1,1")
  .option("--tol <x>", "max relative error per order", "1e-6")
  .action(run(checkCommand));

common(program.command("explain").description("print the passes, the plan with per-step costs, and totals").argument("<file>"))
  .option("--after <pass>", "print the IR or plan after this pass instead")
  .option("--batch <B>", "batch size for the estimates (default 1)")
  .action(run(explainCommand));

common(program.command("bench").description("time the compiled kernel on random inputs").argument("<file>"))
  .option("--batch <B>", "batch size (default 128)")
  .option("--reps <N>", "timed repetitions", "20")
  .option("--warmup <N>", "untimed calls before timing", "3")
  .option("--threads <N>", "split the batch over N threads (the model's threads option)", "1")
  .option("--json", "last line: {median_ms, min_ms, reps, mode, peak_bytes, ...}")
  .action(run(benchCommand));

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
  .action(run(sensitivityCommand));

try {
  program.parse();
} catch (e) {
  if (e instanceof CommanderError) process.exitCode = e.exitCode === 0 ? 0 : 1;
  else throw e;
}
