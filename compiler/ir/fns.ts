/**
 * User `fn` definitions: checks at the definition (name clashes, parameter
 * names, names and functions used in the body, recursion) and the call-site
 * context added to diagnostics raised while a body is inlined. The inlining
 * itself is in lower.ts (a call binds each parameter to its argument's node
 * and lowers the body there).
 */
import type { Diagnostic, Span } from "../diagnostics/diagnostic.js";
import type { Expr, FnDef, Model } from "../syntax/ast.js";
import type { Builder } from "./builders.js";
import { isFnName } from "./functions.js";
import { DERIVATIVE_OP } from "./derivative-op.js";

export interface FnInfo {
  readonly def: FnDef;
  /** Defined inside the model: its body also sees the model's inputs and params. */
  readonly local: boolean;
}

/**
 * Visits every expression node under `e` (any node kind, including ones this
 * file does not know); `visit` returns false to skip a node's children.
 */
function walk(e: unknown, visit: (x: Expr) => boolean): void {
  // an explicit stack, children pushed in reverse: source order, and no recursion on a 6000-term sum
  const stack: unknown[] = [e];
  while (stack.length) {
    const x = stack.pop();
    if (Array.isArray(x)) { for (let i = x.length - 1; i >= 0; i--) stack.push(x[i]); continue; }
    if (x === null || typeof x !== "object") continue;
    const o = x as Record<string, unknown>;
    if (typeof o["kind"] === "string" && "span" in o && !visit(o as unknown as Expr)) continue;
    const children = Object.entries(o).filter(([k, v]) => k !== "span" && k !== "opSpan" && typeof v === "object");
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]![1]);
  }
}

/** Every call in an expression (callee name and span), in source order. */
function calls(e: Expr): { name: string; span: Span }[] {
  const out: { name: string; span: Span }[] = [];
  walk(e, (x) => { if (x.kind === "call") out.push({ name: x.callee.name, span: x.callee.span }); return true; });
  return out;
}

/**
 * Tensor names used in an expression (outside list literals, whose items are
 * dims, axes or sizes resolved at the call), in source order.
 */
function names(e: Expr): { name: string; span: Span }[] {
  const out: { name: string; span: Span }[] = [];
  walk(e, (x) => {
    if (x.kind === "name") out.push({ name: x.name, span: x.span });
    return x.kind !== "list";
  });
  return out;
}

export interface FnCheckContext {
  /** Names a body may use besides its parameters: dims, the batch name (errors at the call if used as tensors). */
  readonly dims: ReadonlySet<string>;
  /** The model's declared inputs and params: visible in the bodies of the model's own fns. */
  readonly decls: ReadonlySet<string>;
  /** "; did you mean ...?" for an unknown function name, given the user fns too. */
  readonly suggest: (name: string, extra: readonly string[]) => string;
}

/**
 * The fns visible in `model` (file-level, then the model's own), after the
 * definition checks. Rejected fns are left out; `broken` gets the names of fns
 * that exist but must not be inlined (errors in the body, recursion), so that
 * their calls report nothing more.
 */
export function checkFns(model: Model, b: Builder, ctx: FnCheckContext): { fns: Map<string, FnInfo>; broken: Set<string> } {
  const fns = new Map<string, FnInfo>();
  const broken = new Set<string>();
  const all: FnInfo[] = [...(model.fileFns ?? []).map((def) => ({ def, local: false })), ...(model.fns ?? []).map((def) => ({ def, local: true }))];

  for (const f of all) {
    const name = f.def.name.name;
    if (isFnName(name)) {
      b.error("TH102", `fn '${name}' clashes with the built-in function '${name}'; choose another name`, f.def.name.span);
      continue;
    }
    const prev = fns.get(name);
    if (prev) {
      const where = prev.local === f.local ? "" : prev.local ? " in this model" : " at file level";
      b.error("TH102", `fn '${name}' is already defined${where} at line ${prev.def.name.span.line}`, f.def.name.span);
      continue;
    }
    fns.set(name, f);
    const seen = new Set<string>();
    for (const p of f.def.params) {
      if (seen.has(p.name)) { b.error("TH102", `fn '${name}': parameter '${p.name}' is listed twice`, p.span); broken.add(name); }
      seen.add(p.name);
    }
  }

  // names and functions used in each body
  const fnNames = [...fns.keys()];
  for (const [name, f] of fns) {
    const params = new Set(f.def.params.map((p) => p.name));
    for (const n of names(f.def.body)) {
      if (params.has(n.name) || n.name === "true" || n.name === "false" || ctx.dims.has(n.name)) continue;
      if (f.local && ctx.decls.has(n.name)) continue;
      const sees = f.local ? "its parameters and the model's inputs and params" : "only its parameters";
      b.error("TH101", `undefined name '${n.name}' in fn '${name}' (a${f.local ? "" : " file-level"} fn body sees ${sees})`, n.span);
      broken.add(name);
    }
    for (const c of calls(f.def.body)) {
      if (fns.has(c.name) || isFnName(c.name) || c.name === DERIVATIVE_OP) continue;
      b.error("TH103", `unknown function '${c.name}'${ctx.suggest(c.name, fnNames)}`, c.span);
      broken.add(name);
    }
  }

  // recursion: strongly connected components of the call graph (Tarjan)
  const edges = new Map<string, string[]>([...fns].map(([n, f]) => [n, [...new Set(calls(f.def.body).map((c) => c.name).filter((c) => fns.has(c)))]]));
  const index = new Map<string, number>(), low = new Map<string, number>(), onStack = new Set<string>();
  const stack: string[] = [];
  const sccs: string[][] = [];
  let counter = 0;
  const visit = (v: string): void => {
    index.set(v, counter); low.set(v, counter); counter++;
    stack.push(v); onStack.add(v);
    for (const w of edges.get(v)!) {
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do { w = stack.pop()!; onStack.delete(w); scc.push(w); } while (w !== v);
      sccs.push(scc);
    }
  };
  for (const n of fns.keys()) if (!index.has(n)) visit(n);
  const order = [...fns.keys()];
  for (const scc of sccs) {
    const first = scc.sort((x, y) => order.indexOf(x) - order.indexOf(y))[0]!;
    if (scc.length === 1 && !edges.get(first)!.includes(first)) continue;
    const cycle = cyclePath(first, new Set(scc), edges);
    const what = scc.length === 1 ? `fn '${first}' calls itself` : `fns ${scc.map((s) => `'${s}'`).join(", ")} call each other`;
    b.error("TH116", `${what} (${cycle.join(" -> ")}): a fn is inlined at each call, so it cannot be recursive`, fns.get(first)!.def.name.span);
    for (const s of scc) broken.add(s);
  }
  return { fns, broken };
}

/** A shortest call cycle from `start` back to itself inside one component: ["f", "g", "f"]. */
function cyclePath(start: string, members: ReadonlySet<string>, edges: ReadonlyMap<string, readonly string[]>): string[] {
  const prev = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const v = queue.shift()!;
    for (const w of edges.get(v)!) {
      if (w === start) {
        const path = [start];
        for (let u = v; u !== start; u = prev.get(u)!) path.unshift(u);
        return [start, ...path];
      }
      if (members.has(w) && !prev.has(w)) { prev.set(w, v); queue.push(w); }
    }
  }
  return [start, start];
}

/**
 * Call-site context for diagnostics raised while fn bodies are inlined. Each
 * inlined call adds itself to the diagnostics raised inside it; when the
 * outermost call finishes, they are rewritten to point at that call (in the
 * model) and to name the fns: "MSG (in fn 'dense' called at line 7; the error
 * is at line 1, column 27)".
 */
export class FnContext {
  private readonly chains = new Map<Diagnostic, { readonly at: Span | undefined; readonly calls: { fn: string; span: Span }[] }>();

  /** Diagnostics `[start, end)` of `diags` were raised inside fn `fn`, inlined at `call`. */
  enter(diags: Diagnostic[], start: number, fn: string, call: Span, outermost: boolean): void {
    for (let i = start; i < diags.length; i++) {
      const d = diags[i]!;
      const c = this.chains.get(d) ?? { at: d.span, calls: [] };
      c.calls.push({ fn, span: call });
      this.chains.delete(d);
      if (!outermost) { this.chains.set(d, c); continue; }
      const calls = c.calls.map((x) => `in fn '${x.fn}' called at line ${x.span.line}`);
      // a chain hundreds of fns deep (TH117) names its innermost and outermost calls only
      const where = (calls.length > 8 ? [...calls.slice(0, 4), `... ${calls.length - 8} more ...`, ...calls.slice(-4)] : calls).join(", ");
      const at = c.at ? `; the error is at line ${c.at.line}, column ${c.at.column}` : "";
      diags[i] = { ...d, message: `${d.message} (${where}${at})`, span: call };
    }
  }
}
