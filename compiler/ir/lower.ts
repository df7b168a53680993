/**
 * AST -> IR: resolves names and dims, binds call arguments, builds nodes with
 * their shapes (builders.ts) and checks every name rule. Diagnostics are
 * collected; lowering goes on after an error to report the next one.
 */
import type { Diagnostic, Span } from "../diagnostics/diagnostic.js";
import type { DimRef, Expr, Model } from "../syntax/ast.js";
import { Builder } from "./builders.js";
import { FUNCTIONS, isFnName, powOf, type BoundValue, type ParamSpec } from "./functions.js";
import { index as indexTensor, type Subscript } from "./gathers.js";
import { checkFns, FnContext, type FnInfo } from "./fns.js";
import { DERIVATIVE_OP, lowerDerivative } from "./derivative-op.js";
import { BATCH, type InputNode, type Node, type Shape } from "./node.js";

/** Largest dim, and largest number of elements of a declared tensor (per sample): 32-bit index tables, typed-array lengths. */
export const MAX_DIM = 2 ** 31 - 1;
/** An integer as written, or what it is when a float64 cannot hold it exactly (2^53 + 1 reads as 2^53). */
const shownInt = (v: number): string => (Number.isSafeInteger(v) || !Number.isInteger(v) ? String(v) : "an integer beyond 2^53, which a float64 cannot hold exactly");

/** Recursion depth of lowering (AST levels, through inlined fns): about a quarter of what overflows Node's default stack. */
export const MAX_LOWER_DEPTH = 256;

export interface ModelIR {
  readonly name: string;
  readonly builder: Builder;
  readonly batch: string | undefined;
  readonly dims: ReadonlyMap<string, number>;
  /** Inputs and params in declaration order. */
  readonly inputs: readonly InputNode[];
  readonly outputs: readonly { readonly name: string; readonly node: Node; readonly span: Span }[];
  /** Source names of assigned and declared nodes, for printing. */
  readonly names: ReadonlyMap<number, string>;
  /** --seed-output: per output, the run-time vector its derivatives are contracted with. */
  readonly seeds?: ReadonlyMap<string, InputNode>;
}

export function lowerModel(model: Model, dimOverrides: ReadonlyMap<string, number>): { ir: ModelIR; diagnostics: Diagnostic[] } {
  const b = new Builder();
  const env = new Map<string, Node | null>(); // null: defined but erroneous
  const defSpan = new Map<string, Span>();
  const dims = new Map<string, number>();
  const names = new Map<number, string>();
  const inputs: InputNode[] = [];
  let batch: string | undefined;
  // declared names whose declaration was reported as an error: later uses are not reported again
  const broken = new Set<string>();

  const define = (name: string, span: Span, node: Node | null | undefined): void => {
    const prev = defSpan.get(name);
    if (prev) {
      // dims and batch are read first: report at whichever definition comes later in the text
      const [first, second] = prev.offset <= span.offset ? [prev, span] : [span, prev];
      b.error("TH102", `'${name}' is already defined at line ${first.line}`, second);
      broken.add(name);
      return;
    }
    defSpan.set(name, span);
    env.set(name, node ?? null);
    if (node && !names.has(node.id)) names.set(node.id, name);
  };

  // declarations first (they may follow statements in the text), in order
  for (const d of model.decls) {
    if (d.kind === "batch") {
      if (batch !== undefined) { b.error("TH106", `a model has at most one batch axis; '${batch}' is already declared`, d.span); broken.add(d.name.name); continue; }
      if (defSpan.has(d.name.name)) { b.error("TH102", `'${d.name.name}' is already defined at line ${defSpan.get(d.name.name)!.line}`, d.name.span); continue; }
      batch = d.name.name;
      defSpan.set(batch, d.name.span);
    } else if (d.kind === "dim") {
      if (defSpan.has(d.name.name)) { b.error("TH102", `'${d.name.name}' is already defined at line ${defSpan.get(d.name.name)!.line}`, d.name.span); continue; }
      const v = dimOverrides.get(d.name.name) ?? d.value;
      if (!Number.isInteger(v) || v < 1 || v > MAX_DIM) { b.error("TH114", `dim '${d.name.name}' must be a positive integer${v > MAX_DIM ? ` of at most ${MAX_DIM}` : ""}, got ${shownInt(v)}`, d.span); broken.add(d.name.name); continue; }
      dims.set(d.name.name, v);
      defSpan.set(d.name.name, d.name.span);
    }
  }
  for (const [name] of dimOverrides) {
    if (!dims.has(name) && !model.decls.some((d) => d.kind === "dim" && d.name.name === name)) {
      b.error("TH112", `--dim ${name}: model '${model.name.name}' declares no dim '${name}'${dims.size ? ` (dims: ${[...dims.keys()].join(", ")})` : ""}`, model.name.span);
    }
  }

  const dimValue = (r: DimRef, allowBatch: boolean): number | undefined => {
    if (r.kind === "int") {
      if (r.value < 1) return b.error("TH114", `a dimension must be a positive integer, got ${r.value}`, r.span);
      if (r.value > MAX_DIM) return b.error("TH114", `a dimension must be at most ${MAX_DIM}, got ${shownInt(r.value)}`, r.span);
      return r.value;
    }
    if (r.name === batch) return allowBatch ? BATCH : b.error("TH207", `the batch axis '${batch}' may only be axis 0`, r.span);
    const v = dims.get(r.name);
    if (v === undefined && broken.has(r.name)) return undefined;
    if (v === undefined) return b.error("TH107", `unknown dim '${r.name}' in a shape${dims.size || batch ? ` (known: ${[...(batch ? [batch] : []), ...dims.keys()].join(", ")})` : ""}`, r.span);
    return v;
  };

  for (const d of model.decls) {
    if (d.kind !== "input" && d.kind !== "param") continue;
    const shape: number[] = [];
    let ok = true;
    d.shape.forEach((r, i) => {
      const v = dimValue(r, i === 0);
      if (v === undefined) ok = false;
      else shape.push(v);
    });
    const elements = shape.reduce((a, n) => (n === BATCH ? a : a * n), 1);
    if (ok && elements > MAX_DIM) { b.error("TH114", `'${d.name.name}' has ${elements} elements${shape[0] === BATCH ? " per sample" : ""}, more than ${MAX_DIM}: index tables and typed arrays cannot address it`, d.span); ok = false; }
    const node = ok ? b.input(d.name.name, d.kind === "param", shape, d.name.span) : null;
    if (node) inputs.push(node);
    define(d.name.name, d.name.span, node);
  }

  // user fns: checked at their definitions; inlined at each call (lowerFnCall)
  const declNames = new Set(model.decls.filter((d) => d.kind === "input" || d.kind === "param").map((d) => d.name.name));
  const dimNames = new Set([...dims.keys(), ...broken, ...(batch === undefined ? [] : [batch])]);
  const userFns = checkFns(model, b, { dims: dimNames, decls: declNames, suggest: (n, extra) => suggest(n, extra) });
  const fnContext = new FnContext();
  /** Inside an inlined fn body: its parameters (a node, a closed literal expression, or null after an error). */
  let scope: { readonly fn: FnInfo; readonly vars: ReadonlyMap<string, Node | Expr | null> } | undefined;
  const inlining: string[] = [];
  /** Inlined calls by fn and bindings (see lowerFnCall). */
  const inlined = new Map<string, Node>();
  /** Tensors inside a list argument of a fn call, lowered in the caller: a name no source can spell. */
  const NODE_REF = "\u0000node";
  const nodeRefs = new Map<string, Node>();

  /** constValue, seeing through fn parameters bound to constants. */
  const constOf = (e: Expr): number | undefined => {
    if (e.kind === "name" && scope?.vars.has(e.name)) {
      const v = scope.vars.get(e.name);
      return !v ? undefined : "id" in v ? (v.op === "const" ? v.attrs.value : undefined) : constValue(v);
    }
    if (e.kind === "name" && dims.has(e.name)) return dims.get(e.name); // a dim is its size (with --dim overrides)
    if (e.kind === "unary") { const v = constOf(e.arg); return v === undefined ? undefined : -v; }
    if (e.kind === "binary") return foldChain(e, constOf);
    return constValue(e);
  };
  /** A fn parameter bound to a literal (number, string, list, true/false) stands for that literal. */
  const literalOf = (e: Expr): Expr => {
    if (e.kind !== "name" || !scope?.vars.has(e.name)) return e;
    const v = scope.vars.get(e.name);
    return v && "kind" in v ? v : e;
  };

  const binary = (e: Binary, l: Node, r: Node): Node | undefined => {
    switch (e.op) {
      case "+": return b.add(l, r, e.opSpan);
      case "-": return b.sub(l, r, e.opSpan);
      case "*": return b.mul(l, r, e.opSpan);
      case "/": {
        const inv = r.op === "const" ? b.const(1 / r.attrs.value, e.span) : b.unary("pow", r, e.opSpan, -1);
        return inv && b.mul(l, inv, e.opSpan, "/");
      }
      case "@": return b.matmul(l, r, e.opSpan);
      case ">": return b.compare("gt", [l, r], e.opSpan, ">");
      case ">=": return b.compare("ge", [l, r], e.opSpan, ">=");
      case "<": return b.compare("lt", [l, r], e.opSpan, "<");
      case "<=": return b.compare("le", [l, r], e.opSpan, "<=");
    }
    return undefined;
  };

  // nesting left after the parser's limit (nesting.ts) comes from fns inlined in fns: bounded here
  let depth = 0;
  const lowerExpr = (e: Expr): Node | undefined => {
    if (depth >= MAX_LOWER_DEPTH) return b.error("TH117", `expression nested too deeply: more than ${MAX_LOWER_DEPTH} levels of calls and operators, counting those of inlined fns; name some subexpressions in statements of their own`, e.span);
    depth++;
    try { return lowerLevel(e); } finally { depth--; }
  };
  const lowerLevel = (e: Expr): Node | undefined => {
    switch (e.kind) {
      case "num": return b.const(e.value, e.span);
      case "str": return b.error("TH104", "a string is only allowed as einsum's spec", e.span);
      case "list": return b.error("TH104", "a list is only allowed as a call argument (axes, shapes, permutations)", e.span);
      case "name": {
        if (nodeRefs.has(e.name)) return nodeRefs.get(e.name);
        if (scope?.vars.has(e.name)) {
          const v = scope.vars.get(e.name);
          return v === null || v === undefined ? undefined : "id" in v ? v : lowerExpr(v);
        }
        // a fn body sees its parameters, dims (reported below) and, inside a model, its inputs and params
        // (other names are reported at the definition, and the fn is not inlined)
        if (scope && !dimNames.has(e.name) && !(scope.fn.local && declNames.has(e.name))) return b.error("TH101", `undefined name '${e.name}' in fn '${scope.fn.def.name.name}'`, e.span);
        if (!env.has(e.name) && broken.has(e.name)) return undefined;
        if (dims.has(e.name)) return b.const(dims.get(e.name)!, e.span); // a dim in an expression is the number (sqrt(E), x / E)
        if (e.name === batch) return b.error("TH104", `'${e.name}' is a dimension, not a tensor`, e.span);
        if (!env.has(e.name)) return b.error("TH101", `undefined name '${e.name}'`, e.span);
        return env.get(e.name) ?? undefined;
      }
      case "unary": {
        const a = lowerExpr(e.arg);
        return a && b.neg(a, e.span);
      }
      case "binary": {
        if (e.op === "**") {
          const base = lowerExpr(e.left);
          const p = constOf(e.right);
          if (p === undefined) { const y = lowerExpr(e.right); return base && y && powOf(b, base, y, e.opSpan); } // a tensor exponent: exp(y log x)
          if (!base) return undefined;
          if (p !== 0) return b.unary("pow", base, e.span, p);
          const zero = b.mul(b.const(0, e.span), base, e.span); // x**0: ones with x's shape
          return zero && b.add(b.const(1, e.span), zero, e.span);
        }
        // a left-associative chain (a 6000-term sum is 6000 deep) is folded in a loop, in the recursion's order
        const { base, links } = leftChain(e);
        let acc = lowerExpr(base);
        for (const link of links) {
          const r = lowerExpr(link.right);
          acc = acc && r ? binary(link, acc, r) : undefined;
        }
        return acc;
      }
      case "call": return lowerCall(e);
      case "index": {
        // x[...]: constant subscripts, resolved here; the map is built in gathers.ts
        const x = lowerExpr(e.target);
        const items: Subscript[] = [];
        let ok = true;
        const int = (v: Expr): number | undefined => {
          const n = constOf(v);
          if (n === undefined || !Number.isInteger(n)) { b.error("TH105", "an index or slice bound must be a constant integer", v.span); ok = false; }
          return n;
        };
        for (const it of e.items) {
          if (it.kind === "ellipsis") items.push(it);
          else if (it.kind === "at") items.push({ kind: "at", index: int(it.index)!, span: it.span });
          else items.push({ kind: "slice", span: it.span, ...(it.start ? { start: int(it.start) } : {}), ...(it.stop ? { stop: int(it.stop) } : {}), ...(it.step ? { step: int(it.step) } : {}) });
        }
        return x && ok ? indexTensor(b, x, items, e.span) : undefined;
      }
    }
  };

  const lowerCall = (e: Extract<Expr, { kind: "call" }>): Node | undefined => {
    const name = e.callee.name;
    const user = userFns.fns.get(name);
    if (user) return lowerFnCall(e, user);
    if (name === DERIVATIVE_OP) return lowerDerivative(b, e, lowerExpr); // derivatives as values
    if (!isFnName(name)) return b.error("TH103", `unknown function '${name}'${suggest(name, [...userFns.fns.keys()])}`, e.callee.span);
    const rule = FUNCTIONS[name];
    const bound: Record<string, BoundValue> = {};
    let ok = true;
    const positional = [...e.args];
    for (const p of rule.params) {
      if (p.kind === "tensors") {
        const rest = positional.splice(0).map(lowerExpr);
        if (rest.length === 0) { b.error("TH104", `${name}() needs at least one tensor operand`, e.span); ok = false; }
        if (rest.some((x) => !x)) ok = false;
        bound[p.name] = rest as Node[];
        continue;
      }
      const kw = e.kwargs.find((k) => k.name.name === p.name);
      const arg = positional.length ? positional.shift()! : kw?.value;
      if (kw && arg !== kw.value) { b.error("TH104", `${name}(): '${p.name}' is given twice`, kw.name.span); ok = false; }
      if (arg === undefined) {
        if (p.default === undefined && !p.optional) { b.error("TH104", `${name}() is missing its argument '${p.name}'`, e.span); ok = false; }
        bound[p.name] = p.default;
        continue;
      }
      const v = bindArg(p, arg, name);
      if (v === undefined) ok = false;
      bound[p.name] = v;
    }
    if (positional.length) { b.error("TH104", `${name}() takes ${rule.params.length} argument(s), got ${e.args.length}`, positional[0]!.span); ok = false; }
    for (const k of e.kwargs) {
      if (!rule.params.some((p) => p.name === k.name.name && p.kind !== "tensors")) { b.error("TH104", `${name}() has no keyword argument '${k.name.name}'${rule.params.length ? ` (it takes: ${rule.params.map((p) => p.name).join(", ")})` : ""}`, k.name.span); ok = false; }
    }
    return ok ? rule.lower(b, bound, e.span) : undefined;
  };

  /**
   * A call of a user fn: binds each parameter to its argument (lowered here, in
   * the caller's scope; string and list literals are bound as they are), then
   * lowers the body with those bindings. Diagnostics raised in the body get the
   * call-site context (fns.ts).
   */
  const lowerFnCall = (e: Extract<Expr, { kind: "call" }>, f: FnInfo): Node | undefined => {
    const name = f.def.name.name, params = f.def.params.map((p) => p.name);
    const vars = new Map<string, Node | Expr | null>();
    let ok = true;
    // constants, strings, lists and true/false are bound as (closed) expressions, as if written in the body;
    // anything else is lowered here, in the caller's scope, and bound to its node
    const closed = (a: Expr): Expr | undefined => {
      const lit = literalOf(a);
      if (lit.kind === "str") return lit;
      if (lit.kind === "name" && (lit.name === "true" || lit.name === "false") && !env.has(lit.name)) return lit;
      if (lit.kind === "name" && lit.name.startsWith(NODE_REF)) return lit;
      const c = constOf(lit);
      return c === undefined ? undefined : { kind: "num", value: c, span: lit.span };
    };
    const bindValue = (a: Expr): Node | Expr | null => {
      const lit = literalOf(a);
      if (lit.kind !== "list") return closed(a) ?? lowerExpr(a) ?? null;
      // a list (dims, axes, or tensors for concat/stack): constants and dim names stay as written,
      // tensor items are lowered here, in the caller's scope, and referenced by node
      const items: Expr[] = [];
      for (const it of lit.items) {
        const c = closed(it) ?? (it.kind === "name" && dimNames.has(it.name) ? it : undefined);
        if (c) { items.push(c); continue; }
        const n = lowerExpr(it);
        if (!n) return null;
        nodeRefs.set(`${NODE_REF}${n.id}`, n);
        items.push({ kind: "name", name: `${NODE_REF}${n.id}`, span: it.span });
      }
      return { ...lit, items };
    };
    e.args.forEach((a, i) => {
      if (i < params.length) vars.set(params[i]!, bindValue(a));
      else if (i === params.length) { b.error("TH104", `${name}() takes ${params.length} argument(s), got ${e.args.length}`, a.span); ok = false; }
    });
    for (const k of e.kwargs) {
      if (!params.includes(k.name.name)) { b.error("TH104", `${name}() has no keyword argument '${k.name.name}'${params.length ? ` (it takes: ${params.join(", ")})` : ""}`, k.name.span); ok = false; }
      else if (vars.has(k.name.name)) { b.error("TH104", `${name}(): '${k.name.name}' is given twice`, k.name.span); ok = false; }
      else vars.set(k.name.name, bindValue(k.value));
    }
    // a missing parameter is not reported again after an unknown keyword (probably its misspelling)
    if (ok) for (const p of params) if (!vars.has(p)) { b.error("TH104", `${name}() is missing its argument '${p}'`, e.span); ok = false; }
    if (!ok || [...vars.values()].includes(null) || userFns.broken.has(name) || inlining.includes(name)) return undefined;
    // the same fn on the same bindings lowers to the same (interned) node: inline it once
    // (f1(a) = f0(a) * f0(a), f2(a) = f1(a) * f1(a), ... inlined 2^n bodies)
    const memoKey = `${name}|${params.map((p) => { const v = vars.get(p)!; return "id" in v ? `#${v.id}` : JSON.stringify(v, (k, x: unknown) => (k === "span" || k === "opSpan" ? undefined : x)); }).join("|")}`;
    const known = inlined.get(memoKey);
    if (known) return known;
    const saved = scope, start = b.diagnostics.length, savedSite = b.g.site;
    scope = { fn: f, vars };
    inlining.push(name);
    // the body's nodes come from the model line of the outermost call (explain, module comments)
    b.g.site = { line: savedSite?.line ?? e.span.line, fn: name };
    const out = lowerExpr(f.def.body);
    b.g.site = savedSite;
    inlining.pop();
    scope = saved;
    fnContext.enter(b.diagnostics, start, name, e.span, saved === undefined);
    if (out && b.diagnostics.length === start) inlined.set(memoKey, out);
    return out;
  };

  const bindArg = (p: ParamSpec, given: Expr, fn: string): BoundValue => {
    const arg = literalOf(given);
    const bad = (what: string) => b.error("TH105", `${fn}(): '${p.name}' must be ${what}`, arg.span);
    switch (p.kind) {
      case "tensor": return lowerExpr(arg);
      case "int": { const v = constOf(arg); return v !== undefined && Number.isInteger(v) ? v : bad("an integer"); }
      case "number": { const v = constOf(arg); return v !== undefined && Number.isFinite(v) ? v : bad("a constant number"); }
      case "numberOrTensor": { const v = constOf(arg); return v !== undefined && Number.isFinite(v) ? v : lowerExpr(arg); }
      case "bool": return arg.kind === "name" && (arg.name === "true" || arg.name === "false") ? arg.name === "true" : bad("true or false");
      case "string": return arg.kind === "str" ? arg.value : bad("a string literal");
      case "axes": case "ints": case "axesOrString": {
        if (p.kind === "axesOrString" && arg.kind === "str") return arg.value;
        const items = arg.kind === "list" ? arg.items : p.kind !== "ints" ? [arg] : undefined;
        const vals = items?.map(constOf);
        return vals && vals.every((v) => v !== undefined && Number.isInteger(v)) ? (vals as number[]) : bad(p.kind === "axes" ? "an integer or a list of integers" : p.kind === "ints" ? "a list of integers" : "a string, an integer or a list of integers");
      }
      case "shape": {
        if (arg.kind !== "list") return bad("a list of dims");
        const out: number[] = [];
        for (const it of arg.items) {
          if (it.kind === "name" && it.name === batch) out.push(BATCH);
          else if (it.kind === "name" && dims.has(it.name)) out.push(dims.get(it.name)!);
          else if (it.kind === "name" && broken.has(it.name)) return undefined;
          else if (it.kind === "name") return b.error("TH107", `unknown dim '${it.name}'`, it.span);
          else {
            const v = constOf(it);
            if (v === -1) out.push(-2);
            else if (v === undefined || !Number.isInteger(v) || v < 1) return b.error("TH105", `${fn}(): a dim must be a positive integer, a dim name or -1`, it.span);
            else out.push(v);
          }
        }
        return out as Shape;
      }
      case "tensors": return undefined;
      case "tensorList": {
        if (arg.kind !== "list" || arg.items.length === 0) return bad("a non-empty list of tensors [a, b, ...]");
        const xs = arg.items.map(lowerExpr);
        return xs.every((x) => x) ? (xs as Node[]) : undefined;
      }
    }
  };

  const outputs: { name: string; node: Node; span: Span }[] = [];
  const outSeen = new Set<string>();
  for (const s of model.stmts) {
    if (s.kind === "assign") {
      if (defSpan.has(s.target.name)) define(s.target.name, s.target.span, null); // reports TH102
      else define(s.target.name, s.target.span, lowerExpr(s.value));
    }
  }
  for (const s of model.stmts) {
    if (s.kind !== "output") continue;
    for (const n of s.names) {
      if (!env.has(n.name) && broken.has(n.name)) continue;
      if (!env.has(n.name)) { b.error("TH108", `output '${n.name}' is not defined in model '${model.name.name}'`, n.span); continue; }
      if (outSeen.has(n.name)) { b.error("TH102", `output '${n.name}' is listed twice`, n.span); continue; }
      outSeen.add(n.name);
      const node = env.get(n.name);
      if (node) outputs.push({ name: n.name, node, span: n.span });
    }
  }
  if (!model.stmts.some((s) => s.kind === "output")) b.error("TH113", `model '${model.name.name}' has no 'output' statement`, model.name.span);

  return { ir: { name: model.name.name, builder: b, batch, dims, inputs, outputs, names }, diagnostics: b.diagnostics };
}

/** Compile-time value of a constant numeric expression, else undefined. */
export function constValue(e: Expr): number | undefined {
  switch (e.kind) {
    case "num": return e.value;
    case "unary": { const v = constValue(e.arg); return v === undefined ? undefined : -v; }
    case "binary": return foldChain(e, constValue);
    default: return undefined;
  }
}

type Binary = Extract<Expr, { kind: "binary" }>;

/** A left-associative chain `a + b - c ...` (not `**`, which nests to the right): its leftmost operand and its links, innermost first. */
function leftChain(e: Binary): { base: Expr; links: Binary[] } {
  const links: Binary[] = [];
  let x: Expr = e;
  for (; x.kind === "binary" && x.op !== "**"; x = x.left) links.push(x);
  if (x === e) return { base: e.left, links: [e] };
  return { base: x, links: links.reverse() };
}

/** The constant value of a binary expression, its operands' values given by `value`; iterative along a left chain. */
function foldChain(e: Binary, value: (x: Expr) => number | undefined): number | undefined {
  const { base, links } = leftChain(e);
  let acc = value(base);
  for (const link of links) {
    if (acc === undefined) return undefined;
    const r = value(link.right);
    if (r === undefined) return undefined;
    switch (link.op) { case "+": acc += r; break; case "-": acc -= r; break; case "*": acc *= r; break; case "/": acc /= r; break; case "**": acc **= r; break; default: return undefined; }
  }
  return acc;
}

/** The closest function names (edit distance <= 2, then the nearest length): one typo should name one function. */
function suggest(name: string, extra: readonly string[] = []): string {
  const scored = [...Object.keys(FUNCTIONS), ...extra].map((f) => ({ f, d: editDistance(f, name), l: Math.abs(f.length - name.length) })).filter((c) => c.d <= 2);
  if (!scored.length) return "";
  const best = scored.reduce((a, c) => (c.d < a.d || (c.d === a.d && c.l < a.l) ? c : a));
  const near = scored.filter((c) => c.d === best.d && c.l === best.l).map((c) => c.f);
  return `; did you mean ${near.map((n) => `'${n}'`).join(" or ")}?`;
}

/** Optimal string alignment distance: insertions, deletions, substitutions, adjacent transpositions. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}
