/**
 * The JavaScript the wasm target adds to a TypeScript-target module
 * (typescript.ts calls these when a plan has wasm steps, wasm-steps.ts):
 *
 * - Loading: the kernels' bytes are one base64 literal at module level,
 *   compiled once (ES modules: `await WebAssembly.compile`, as browsers refuse
 *   synchronous compilation of modules over 4 KB on the main thread; the
 *   "function" flavor: synchronously). The compiled Module travels as the last
 *   entry of TABLES, so `$program` stays closed: worker threads get it with the
 *   tables (a Module is structured-cloneable) and instantiate their own copy.
 * - Memory: each `$program` instance owns one WebAssembly.Memory. Every scratch
 *   slot is a view of it, and so is a staging copy of each input and caller
 *   buffer a wasm step touches (X<id>): inputs are copied in at the start of a
 *   run (samples [lo, hi)), outputs copied out at its end. The layout is made
 *   when the batch size changes (growing the memory detaches views, so they
 *   are all taken after it grows).
 * - Each wasm step's kernel k<i> calls the step's driver s<i> with the byte
 *   addresses (byteOffset) of its buffers.
 */
import type { WasmStep } from "./wasm-steps.js";

/** Module-level: the compiled kernels, `$wasm`. */
export function wasmLoad(base64: string, sync: boolean, ts: boolean): string[] {
  const bytes = `base64ToBytes(${JSON.stringify(base64)})${ts ? " as BufferSource" : ""}`;
  return [`const $wasm = ${sync ? `new WebAssembly.Module(${bytes})` : `await WebAssembly.compile(${bytes})`}; // the kernels of the wasm steps (thoadc explain --target wasm lists them)`];
}

/**
 * Inside $program: the memory, the instance, and the layout function (sizes in
 * elements -> byte offsets, memory grown to fit). In TypeScript the exports are
 * typed as exactly the drivers `steps` names, so `$w.s<N>` type-checks under
 * noPropertyAccessFromIndexSignature and noUncheckedIndexedAccess. `math`:
 * the host Math functions the kernels import (the vector math's fallback for
 * rare arguments, wasm-map-step.ts fallbackImports).
 */
export function wasmProgramLines(tableIndex: number, bytesPer: number, ts: boolean, steps: Iterable<number>, math: readonly string[] = []): string[] {
  const n = ts ? ": number" : "";
  const imports = `{ env: { memory: $mem }${math.length ? `, Math: { ${math.map((fn) => `${fn}: Math.${fn}`).join(", ")} }` : ""} }`;
  const names = [...steps].sort((a, b) => a - b).map((i) => `"s${i}"`).join(" | ");
  return [
    `  // the wasm target: X<N> is buffer N's copy in the kernels' memory $mem, $w.s<N> runs step N's GEMMs there`,
    `  const $mem = new WebAssembly.Memory({ initial: 1 });`,
    `  const $w = new WebAssembly.Instance(T[${tableIndex}]${ts ? " as unknown as WebAssembly.Module" : ""}, ${imports}).exports${ts ? ` as unknown as Record<${names}, (...a: number[]) => void>` : ""};`,
    `  function $layout(counts${ts ? ": number[]" : ""})${ts ? ": number[]" : ""} {`,
    `    const at${ts ? ": number[]" : ""} = [];`,
    `    let top = 0;`,
    `    for (const c of counts) { at.push(top); top += Math.ceil((c * ${bytesPer}) / 16) * 16; } // 16-byte aligned rows for v128 loads`,
    `    const have${n} = $mem.buffer.byteLength;`,
    `    if (top > have) $mem.grow(Math.ceil((top - have) / 65536));`,
    `    return at;`,
    `  }`,
  ];
}

/** The JS kernel body of a wasm step: one call of its driver, then the coefficient. */
export function wasmKernelCode(step: number, w: WasmStep, params: readonly string[], out: string): string[] {
  const scratch = w.terms.some((t) => t.packB) ? ["$packAt"] : []; // the packed-B block (layout: the last area)
  const L = [`  $w.s${step}(${["B", ...params.map((p) => `${p}.byteOffset`), ...scratch].join(", ")});`];
  if (w.scale !== 1) L.push(`  for (let q = 0; q < ${out}.length; q++) ${out}[q] *= ${w.scale};`);
  return L;
}
