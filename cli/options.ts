/** Options shared by the commands, turned into CompileOptions; bad values are coded diagnostics. */
import { totalmem } from "node:os";
import { isTargetOption, MAX_DIM, MAX_ORDER, TARGET_OPTIONS, type CompileOptions, type Diagnostic } from "../compiler/index.js";

export interface CommonFlags { order?: string; wrt?: string; dim?: string[]; model?: string; mode?: string; /** --target NAME (codegen/targets.ts) */ target?: string; dtype?: string; seedOutput?: boolean; symmetry?: boolean; maxMemory?: string; batch?: string; /** --weights FILE.safetensors: bound params */ weights?: string; /** false under --no-batch */ batchUnification?: boolean; /** --want KIND --at X --v V --jet-order K */ want?: string; at?: string; v?: string; jetOrder?: string }

export function compileOptions(flags: CommonFlags, defaultOrder: number): { options?: CompileOptions; diagnostics: Diagnostic[] } {
  const ds: Diagnostic[] = [];
  const bad = (code: Diagnostic["code"], message: string) => ds.push({ code, severity: "error", message, span: undefined });
  // --want: the structured derivative is the output; --order then differentiates it again (default: not at all)
  let order = flags.want !== undefined ? 0 : defaultOrder;
  if (flags.order !== undefined) {
    order = Number(flags.order);
    if (!/^\d+$/.test(flags.order) || order > MAX_ORDER) bad("TH115", `--order must be an integer from 0 to ${MAX_ORDER}, got '${flags.order}'`);
  }
  const dims = new Map<string, number>();
  for (const d of flags.dim ?? []) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(\d+)$/.exec(d);
    if (!m || Number(m[2]) < 1) bad("TH112", `--dim expects NAME=POSITIVE_INT, got '${d}'`);
    else if (Number(m[2]) > MAX_DIM) bad("TH112", `--dim ${m[1]}: a dim must be at most ${MAX_DIM}, got ${m[2]}`);
    else dims.set(m[1]!, Number(m[2]));
  }
  const wrt = flags.wrt === undefined ? undefined : flags.wrt.split(",").map((s) => s.trim()).filter(Boolean);
  if (wrt && wrt.length === 0) bad("TH111", "--wrt needs at least one name");
  const mode = flags.mode ?? "auto";
  // memory: refuse plans over --max-memory (default half the RAM) at the batch size given (default 1)
  const mm = /^(\d+(?:\.\d+)?)([KMG]i?B?)?$/i.exec(flags.maxMemory ?? "");
  const unit = (u: string | undefined) => ({ K: 2 ** 10, M: 2 ** 20, G: 2 ** 30 } as Record<string, number>)[(u ?? "").charAt(0).toUpperCase()] ?? 1;
  const maxMemory = flags.maxMemory === undefined ? Math.floor(totalmem() / 2) : mm ? Number(mm[1]) * unit(mm[2]) : NaN;
  if (Number.isNaN(maxMemory)) bad("TH115", `--max-memory expects bytes with an optional K/M/G unit (e.g. 8G), got '${flags.maxMemory}'`);
  const batchHint = flags.batch === undefined ? 1 : Number(flags.batch);
  // --no-batch: the batch size must be known at compile time, and is given, not defaulted
  let noBatch: number | undefined;
  if (flags.batchUnification === false) {
    if (flags.batch === undefined) bad("TH304", "--no-batch computes the full cross-batch derivatives at a batch size fixed at compile time: give it with --batch N");
    else if (!/^\d+$/.test(flags.batch) || Number(flags.batch) < 1) bad("TH304", `--no-batch needs --batch N with N a positive integer, got '${flags.batch}'`);
    else noBatch = Number(flags.batch);
  }
  if (flags.want === undefined && (flags.at ?? flags.v ?? flags.jetOrder) !== undefined) bad("TH120", `${flags.at !== undefined ? "--at" : flags.v !== undefined ? "--v" : "--jet-order"} is only used with --want`);
  const k = flags.jetOrder === undefined ? undefined : Number(flags.jetOrder);
  if (flags.jetOrder !== undefined && (!/^\d+$/.test(flags.jetOrder) || k! < 1 || k! > MAX_ORDER)) bad("TH120", `--jet-order must be an integer from 1 to ${MAX_ORDER}, got '${flags.jetOrder}'`);
  const want = flags.want === undefined ? undefined : { kind: flags.want, ...(flags.at !== undefined ? { at: flags.at } : {}), ...(flags.v !== undefined ? { v: flags.v } : {}), ...(k !== undefined ? { k } : {}) };
  if (mode !== "auto" && mode !== "forward" && mode !== "reverse") bad("TH115", `--mode must be forward, reverse or auto, got '${flags.mode}'`);
  if (flags.target !== undefined && !isTargetOption(flags.target)) bad("TH306", `unknown codegen target '${flags.target}' (targets: ${TARGET_OPTIONS.join(", ")})`);
  const dtype = flags.dtype ?? "f64";
  if (dtype !== "f64" && dtype !== "f32") bad("TH115", `--dtype must be f64 or f32, got '${flags.dtype}'`);
  return ds.length ? { diagnostics: ds } : { options: { order, wrt, dims, model: flags.model, mode: mode as "auto", dtype: dtype as "f64", seedOutput: !!flags.seedOutput, noSymmetry: flags.symmetry === false, ...(noBatch !== undefined ? { noBatch } : {}), maxMemory, batchHint: Number.isInteger(batchHint) && batchHint > 0 ? batchHint : undefined, ...(want ? { want } : {}), ...(flags.target !== undefined && isTargetOption(flags.target) ? { target: flags.target } : {}) }, diagnostics: [] };
}
