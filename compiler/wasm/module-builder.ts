/**
 * A WebAssembly module: functions over one imported linear memory.
 *
 * Sections written, in the order the spec requires: type (each signature
 * once), import (the memory: the host owns it, so several modules and the JS
 * side share the same Float64Array views; host functions such as Math.sin, the
 * vector math's rare scalar fallback), function, export, code. Imported
 * functions take the first function indices, so they are declared first.
 */
import { FunctionBuilder } from "./function-builder.js";
import { uleb, utf8, vec } from "./leb128.js";
import { encodeFuncType, funcTypeKey, type FuncType } from "./valtype.js";

const SECTION = { type: 1, import: 2, function: 3, export: 7, code: 10 } as const;
const EXTERN = { func: 0x00, memory: 0x02 } as const;
const MAGIC_VERSION = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]; // "\0asm", version 1

export interface MemoryImport {
  readonly module: string;
  readonly name: string;
  readonly minPages: number;
  readonly maxPages?: number;
  readonly shared: boolean;
}

export class ModuleBuilder {
  private readonly types: FuncType[] = [];
  private readonly typeIndex = new Map<string, number>();
  private readonly funcs: { readonly typeIndex: number; readonly body: FunctionBuilder; readonly exportName?: string }[] = [];
  private memory?: MemoryImport;
  private readonly funcImports: { readonly module: string; readonly name: string; readonly typeIndex: number; readonly type: FuncType }[] = [];

  /**
   * Imports the linear memory as `module.name` (default `env.memory`), at least
   * `minPages` 64 KiB pages. `shared` (needs `maxPages`): a memory over a
   * SharedArrayBuffer, so worker threads run the kernels on one set of arrays.
   */
  importMemory(minPages = 1, opts: { module?: string; name?: string; maxPages?: number; shared?: boolean } = {}): this {
    if (opts.shared && opts.maxPages === undefined) throw new Error("importMemory: a shared memory needs maxPages");
    this.memory = { module: opts.module ?? "env", name: opts.name ?? "memory", minPages, maxPages: opts.maxPages, shared: opts.shared ?? false };
    return this;
  }

  /** Imports the host function `module.name`; returns its function index (for `call`). Before any addFunction. */
  importFunction(module: string, name: string, type: FuncType): number {
    if (this.funcs.length) throw new Error("importFunction: imports take the first function indices, so they come before addFunction");
    this.funcImports.push({ module, name, typeIndex: this.typeOf(type), type });
    return this.funcImports.length - 1;
  }

  /**
   * Adds a function, exported under `exportName` when given; `build` writes its
   * body. Returns the function index (for `call`).
   */
  addFunction(type: FuncType, build: (f: FunctionBuilder) => void, exportName?: string): number {
    const f = new FunctionBuilder(type);
    build(f);
    this.funcs.push({ typeIndex: this.typeOf(type), body: f, exportName });
    return this.funcImports.length + this.funcs.length - 1;
  }

  /** The module's bytes. */
  encode(): Uint8Array {
    const out = [...MAGIC_VERSION];
    const section = (id: number, content: number[]): void => { out.push(id, ...uleb(content.length)); for (const b of content) out.push(b); }; // not ...content: arguments overflow the stack past ~100k
    section(SECTION.type, vec(this.types.map(encodeFuncType)));
    const imports: number[][] = [];
    if (this.memory) {
      const m = this.memory;
      // limits flag: bit 0 = a maximum follows, bit 1 = shared (threads proposal, standard in engines since 2021)
      const flag = (m.maxPages === undefined ? 0 : 1) | (m.shared ? 2 : 0);
      const limits = [flag, ...uleb(m.minPages), ...(m.maxPages === undefined ? [] : uleb(m.maxPages))];
      imports.push([...utf8(m.module), ...utf8(m.name), EXTERN.memory, ...limits]);
    }
    for (const fi of this.funcImports) imports.push([...utf8(fi.module), ...utf8(fi.name), EXTERN.func, ...uleb(fi.typeIndex)]);
    if (imports.length) section(SECTION.import, vec(imports));
    section(SECTION.function, vec(this.funcs.map((f) => uleb(f.typeIndex))));
    const first = this.funcImports.length;
    const exports = this.funcs.flatMap((f, i) => (f.exportName === undefined ? [] : [[...utf8(f.exportName), EXTERN.func, ...uleb(first + i)]]));
    section(SECTION.export, vec(exports));
    section(SECTION.code, vec(this.funcs.map((f) => f.body.encode())));
    return Uint8Array.from(out);
  }

  /**
   * The module in WebAssembly text syntax (`FunctionBuilder.listing` per
   * function): what golden files of generated kernels would hold. Deterministic,
   * like the bytes.
   */
  toText(): string {
    const L = ["(module"];
    const m = this.memory;
    if (m) L.push(`  (import "${m.module}" "${m.name}" (memory ${m.minPages}${m.maxPages === undefined ? "" : ` ${m.maxPages}`}${m.shared ? " shared" : ""}))`);
    const typeText = (t: FuncType): string[] => [...(t.params.length ? [`(param ${t.params.join(" ")})`] : []), ...(t.results.length ? [`(result ${t.results.join(" ")})`] : [])];
    this.funcImports.forEach((fi, i) => L.push(`  (import "${fi.module}" "${fi.name}" (func $f${i} ${typeText(fi.type).join(" ")}))`));
    this.funcs.forEach((f, j) => {
      const i = this.funcImports.length + j;
      const sig = [f.exportName === undefined ? `$f${i}` : `$${f.exportName} (export "${f.exportName}")`, ...typeText(f.body.type)];
      L.push(`  (func ${sig.join(" ")}`, ...f.body.listing().map((l) => `    ${l}`), "  )");
    });
    L.push(")");
    return L.join("\n") + "\n";
  }

  private typeOf(t: FuncType): number {
    const key = funcTypeKey(t);
    let i = this.typeIndex.get(key);
    if (i === undefined) {
      i = this.types.length;
      this.types.push(t);
      this.typeIndex.set(key, i);
    }
    return i;
  }
}
