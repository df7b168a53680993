/**
 * The body of one WebAssembly function, built instruction by instruction.
 *
 * Locals are handles (not raw indices) and branch targets are label handles
 * whose relative depth is computed from the open blocks, so a generator never
 * counts nesting by hand. Stack typing is left to the engine:
 * `WebAssembly.validate` on the finished module is the check (test/wasm/).
 */
import { f32Bytes, f64Bytes, sleb, uleb } from "./leb128.js";
import { CONTROL, isSimdOp, LANE, MEMORY, PLAIN, SIMD, SIMD_BITS, STORE_LANE, type LaneOp, type MemoryOp, type PlainOp, type SimdBitsOp, type SimdOp, type StoreLaneOp } from "./opcodes.js";
import { ValType, type FuncType, type ValTypeName } from "./valtype.js";

/** A parameter or local: its index in the function's local space and its type. */
export interface Local {
  readonly index: number;
  readonly type: ValTypeName;
}

/** A block or loop: `br` to a block leaves it, `br` to a loop starts its next iteration. */
export interface Label {
  readonly depth: number; // position in the open-block stack when it was opened
  readonly kind: "block" | "loop" | "if";
}

/** A memory immediate: a constant byte offset added to the address, and log2 of the alignment hint. */
export interface MemArg {
  readonly offset?: number;
  readonly align?: number;
}

export class FunctionBuilder {
  readonly params: readonly Local[];
  private readonly locals: Local[] = [];
  private readonly code: number[] = [];
  private readonly open: Label[] = [];
  private readonly text: string[] = [];

  constructor(readonly type: FuncType) {
    this.params = type.params.map((t, index) => ({ index, type: t }));
  }

  /** A new local of this type (zero-initialised by the engine). */
  local(type: ValTypeName): Local {
    const l = { index: this.params.length + this.locals.length, type };
    this.locals.push(l);
    return l;
  }

  get(l: Local): this { return this.emit(`local.get ${l.index}`, CONTROL.localGet, ...uleb(l.index)); }
  set(l: Local): this { return this.emit(`local.set ${l.index}`, CONTROL.localSet, ...uleb(l.index)); }
  tee(l: Local): this { return this.emit(`local.tee ${l.index}`, CONTROL.localTee, ...uleb(l.index)); }

  i32Const(v: number): this { return this.emit(`i32.const ${v}`, CONTROL.i32Const, ...sleb(v)); }
  f64Const(v: number): this { return this.emit(`f64.const ${num(v)}`, CONTROL.f64Const, ...f64Bytes(v)); }
  f32Const(v: number): this { return this.emit(`f32.const ${num(Math.fround(v))}`, CONTROL.f32Const, ...f32Bytes(v)); }
  /** A v128 constant with the same value in every lane (f64x2 or f32x4). */
  v128Splat(shape: "f64x2" | "f32x4", v: number): this {
    const lane = shape === "f64x2" ? f64Bytes(v) : f32Bytes(v);
    const bytes = shape === "f64x2" ? [...lane, ...lane] : [...lane, ...lane, ...lane, ...lane];
    const text = num(shape === "f64x2" ? v : Math.fround(v));
    return this.emit(`v128.const ${shape}${` ${text}`.repeat(shape === "f64x2" ? 2 : 4)}`, 0xfd, ...uleb(CONTROL.v128Const), ...bytes);
  }

  op(name: PlainOp): this { return this.emit(name, PLAIN[name]); }
  simd(name: SimdOp): this { return this.emit(name, 0xfd, ...uleb(SIMD[name])); }
  bits(name: SimdBitsOp): this { return this.emit(name, 0xfd, ...uleb(SIMD_BITS[name])); }
  /** Stores lane `index` of the vector on the stack at the address below it. */
  storeLane(name: StoreLaneOp, index: number, arg: MemArg = {}): this {
    const m = STORE_LANE[name];
    if (!Number.isInteger(index) || index < 0 || index >= m.lanes) throw new RangeError(`${name}: lane ${index} out of 0..${m.lanes - 1}`);
    const offset = arg.offset ?? 0;
    return this.emit(`${name}${offset ? ` offset=${offset}` : ""} ${index}`, 0xfd, ...uleb(m.code), ...uleb(arg.align ?? m.align), ...uleb(offset), index);
  }
  /** Either kind, for generators that pick scalar or vector arithmetic at run time. */
  arith(name: PlainOp | SimdOp): this { return isSimdOp(name) ? this.simd(name) : this.op(name); }

  /** A load or store; the address is on the stack, `offset` is added to it without a wrap check. */
  mem(name: MemoryOp, arg: MemArg = {}): this {
    const m = MEMORY[name];
    const offset = arg.offset ?? 0;
    const opcode = m.simd ? [0xfd, ...uleb(m.code)] : [m.code];
    const align = arg.align ?? m.align;
    const text = `${name}${offset ? ` offset=${offset}` : ""}${align !== m.align ? ` align=${2 ** align}` : ""}`;
    return this.emit(text, ...opcode, ...uleb(align), ...uleb(offset));
  }

  lane(name: LaneOp, index: number): this {
    const l = LANE[name];
    if (!Number.isInteger(index) || index < 0 || index >= l.lanes) throw new RangeError(`${name}: lane ${index} out of 0..${l.lanes - 1}`);
    return this.emit(`${name} ${index}`, 0xfd, ...uleb(l.code), index);
  }

  /** Calls function `index` of the module (its arguments on the stack). */
  call(index: number): this { return this.emit(`call ${index}`, CONTROL.call, ...uleb(index)); }

  /** Memory size in 64 KiB pages (i32). */
  memorySize(): this { return this.emit("memory.size", CONTROL.memorySize, 0x00); }

  block(): Label { return this.openLabel("block", CONTROL.block); }
  loop(): Label { return this.openLabel("loop", CONTROL.loop); }
  /** `if` without results: pops an i32 condition. */
  if(): Label { return this.openLabel("if", CONTROL.if); }

  /** Closes the innermost open block, loop or if; it must be `label` (catches a misnested generator). */
  end(label: Label): this {
    const top = this.open.pop();
    if (top !== label) throw new Error("FunctionBuilder.end: closes a label that is not the innermost open one");
    return this.emit("end", CONTROL.end);
  }

  br(label: Label): this { const d = this.relativeDepth(label); return this.emit(`br ${d}`, CONTROL.br, ...uleb(d)); }
  /** Pops an i32; branches when it is non-zero. */
  brIf(label: Label): this { const d = this.relativeDepth(label); return this.emit(`br_if ${d}`, CONTROL.brIf, ...uleb(d)); }

  /** The code section entry: size, locals grouped in runs of one type, the expression, `end`. */
  encode(): number[] {
    if (this.open.length) throw new Error(`FunctionBuilder: ${this.open.length} block(s) left open`);
    const runs: [number, ValTypeName][] = [];
    for (const l of this.locals) {
      const last = runs[runs.length - 1];
      if (last && last[1] === l.type) last[0]++;
      else runs.push([1, l.type]);
    }
    const body = [...uleb(runs.length), ...runs.flatMap(([n, t]) => [...uleb(n), ValType[t]]), ...this.code, CONTROL.end];
    return [...uleb(body.length), ...body];
  }

  private openLabel(kind: Label["kind"], opcode: number): Label {
    const label = { depth: this.open.length, kind };
    this.emit(kind, opcode, CONTROL.emptyBlockType);
    this.open.push(label);
    return label;
  }

  private relativeDepth(label: Label): number {
    if (this.open[label.depth] !== label) throw new Error("FunctionBuilder: branch to a label that is not open");
    return this.open.length - 1 - label.depth;
  }

  /**
   * The body in WebAssembly text syntax, one instruction a line, indented by
   * block depth, locals by index (for reading and reviewing generated kernels;
   * not checked by a text parser).
   */
  listing(): string[] {
    const locals = this.locals.length ? [`(local ${this.locals.map((l) => l.type).join(" ")})`] : [];
    return [...locals, ...this.text];
  }

  private emit(text: string, ...bytes: number[]): this {
    for (const b of bytes) this.code.push(b);
    this.text.push("  ".repeat(this.open.length) + text);
    return this;
  }
}

/** A number as the text format writes it (-0, inf, nan spelled out). */
function num(v: number): string {
  if (Object.is(v, -0)) return "-0";
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  return String(v);
}
