/**
 * CST -> AST. One visitor method per grammar rule. After error recovery the CST
 * may lack children or contain tokens inserted by the parser (no position);
 * every method then returns undefined instead of guessing, and the caller skips it.
 * Never throws.
 */
import type { CstElement, CstNode, IToken } from "chevrotain";
import { thdParser } from "../../grammars/thd-parser.js";
import type { Diagnostic, Span } from "../diagnostics/diagnostic.js";
import { spanBetween } from "../diagnostics/diagnostic.js";
import type { Decl, DimRef, Expr, FnDef, Ident, IndexItem, Model, Program, Stmt } from "./ast.js";

type Ctx = Record<string, CstElement[] | undefined>;
type Sink = Diagnostic[];
type Kwarg = { readonly name: Ident; readonly value: Expr };

function isToken(el: CstElement): el is IToken {
  return "image" in el;
}

/** A token the source really contains (not inserted during recovery). */
function real(el: CstElement | undefined): IToken | undefined {
  if (el === undefined || !isToken(el) || el.isInsertedInRecovery || !Number.isFinite(el.startOffset)) return undefined;
  return el;
}

function tokenSpan(t: IToken): Span {
  return { line: t.startLine ?? 1, column: t.startColumn ?? 1, offset: t.startOffset, length: t.image.length };
}

function tok(ctx: Ctx, name: string, i = 0): IToken | undefined {
  return real(ctx[name]?.[i]);
}

function nodes(ctx: Ctx, name: string): CstNode[] {
  return (ctx[name] ?? []).filter((el): el is CstNode => !isToken(el));
}

function ident(t: IToken | undefined): Ident | undefined {
  return t && { name: t.image, span: tokenSpan(t) };
}

/**
 * Span from the first to the last real token under a CST node or children dict.
 * Used for every node span, so parentheses and keywords are included.
 */
function extent(n: Ctx): Span | undefined {
  let first: IToken | undefined;
  let last: IToken | undefined;
  const walk = (children: Ctx): void => {
    for (const els of Object.values(children)) {
      for (const el of els ?? []) {
        if (!isToken(el)) walk(el.children);
        else if (real(el)) {
          if (!first || el.startOffset < first.startOffset) first = el;
          if (!last || el.startOffset > last.startOffset) last = el;
        }
      }
    }
  };
  walk(n);
  return first && last && spanBetween(tokenSpan(first), tokenSpan(last));
}

const BaseVisitor = thdParser.getBaseCstVisitorConstructor<Sink, unknown>();

class AstBuilder extends BaseVisitor {
  constructor() {
    super();
    this.validateVisitor();
  }

  /** Visit a child rule; a node abandoned by re-sync recovery is incomplete, so skip it. */
  private sub<T>(node: CstNode | undefined, sink: Sink): T | undefined {
    if (node === undefined || node.recoveredNode) return undefined;
    return this.visit(node, sink) as T | undefined;
  }

  program(ctx: Ctx, sink: Sink): Program {
    // Models are kept even when recovered: their complete items are still useful.
    const models = nodes(ctx, "model").map((n) => this.visit(n, sink) as Model | undefined);
    const fns = nodes(ctx, "fnDef").map((n) => this.sub<FnDef>(n, sink)).filter((f): f is FnDef => f !== undefined);
    const kept = models.filter((m): m is Model => m !== undefined);
    if (fns.length === 0) return { models: kept };
    // every model sees the file-level fns (defined before or after it)
    return { models: kept.map((m) => ({ ...m, fileFns: fns })), fns };
  }

  model(ctx: Ctx, sink: Sink): Model | undefined {
    const name = ident(tok(ctx, "Ident"));
    const span = extent(ctx); // ends at `}`, or at the last real token if `}` is missing
    if (!name || !span) return undefined;
    const decls: Decl[] = [];
    const stmts: Stmt[] = [];
    const fns: FnDef[] = [];
    for (const n of nodes(ctx, "item")) {
      const it = this.sub<Decl | Stmt | FnDef>(n, sink);
      if (it === undefined) continue;
      if (!("kind" in it)) fns.push(it);
      else if (it.kind === "assign" || it.kind === "output") stmts.push(it);
      else decls.push(it);
    }
    return fns.length ? { name, decls, stmts, span, fns } : { name, decls, stmts, span };
  }

  item(ctx: Ctx, sink: Sink): Decl | Stmt | FnDef | undefined {
    const child = Object.values(ctx).flat()[0];
    return child && !isToken(child) ? this.sub<Decl | Stmt | FnDef>(child, sink) : undefined;
  }

  fnDef(ctx: Ctx, sink: Sink): FnDef | undefined {
    const name = ident(tok(ctx, "Ident"));
    const paramsNode = nodes(ctx, "fnParams")[0];
    const params = paramsNode ? this.sub<Ident[]>(paramsNode, sink) : [];
    const body = this.sub<Expr>(nodes(ctx, "expression")[0], sink);
    const span = extent(ctx);
    if (!tok(ctx, "Fn") || !name || !params || !tok(ctx, "RParen") || !body || !span) return undefined;
    return { name, params, body, span };
  }

  fnParams(ctx: Ctx): Ident[] | undefined {
    return all((ctx["Ident"] ?? []).map((t) => ident(real(t))));
  }

  batchDecl(ctx: Ctx): Decl | undefined {
    const name = ident(tok(ctx, "Ident"));
    const span = extent(ctx);
    return name && span && { kind: "batch", name, span };
  }

  dimDecl(ctx: Ctx): Decl | undefined {
    const name = ident(tok(ctx, "Ident"));
    const value = tok(ctx, "Int");
    const span = extent(ctx);
    if (!name || !value || !span) return undefined;
    return { kind: "dim", name, value: Number(value.image), span };
  }

  tensorDecl(ctx: Ctx, sink: Sink): Decl | undefined {
    const kw = tok(ctx, "Input") ?? tok(ctx, "Param");
    const name = ident(tok(ctx, "Ident"));
    const shape = this.sub<DimRef[]>(nodes(ctx, "shape")[0], sink);
    const span = extent(ctx);
    if (!kw || !name || !shape || !span) return undefined;
    return { kind: kw.tokenType.name === "Input" ? "input" : "param", name, shape, span };
  }

  shape(ctx: Ctx, sink: Sink): DimRef[] | undefined {
    if (!tok(ctx, "LBracket") || !tok(ctx, "RBracket")) return undefined;
    return all(nodes(ctx, "dimRef").map((n) => this.sub<DimRef>(n, sink)));
  }

  dimRef(ctx: Ctx): DimRef | undefined {
    const int = tok(ctx, "Int");
    if (int) return { kind: "int", value: Number(int.image), span: tokenSpan(int) };
    const name = tok(ctx, "Ident");
    return name && { kind: "name", name: name.image, span: tokenSpan(name) };
  }

  assignStmt(ctx: Ctx, sink: Sink): Stmt | undefined {
    const target = ident(tok(ctx, "Ident"));
    const value = this.sub<Expr>(nodes(ctx, "expression")[0], sink);
    const span = extent(ctx);
    if (!target || !value || !span) return undefined;
    return { kind: "assign", target, value, span };
  }

  outputStmt(ctx: Ctx): Stmt | undefined {
    const names = all((ctx["Ident"] ?? []).map((t) => ident(real(t))));
    const span = extent(ctx);
    if (!names || names.length === 0 || !span) return undefined;
    return { kind: "output", names, span };
  }

  // Left-associative chains: fold operands[0] op operands[1] op ...
  // a comparison: addExpr (op addExpr)?
  expression(ctx: Ctx, sink: Sink): Expr | undefined {
    return this.leftChain(nodes(ctx, "addExpr"), ctx["CompOp"] ?? [], sink);
  }

  addExpr(ctx: Ctx, sink: Sink): Expr | undefined {
    return this.leftChain(nodes(ctx, "mulExpr"), ctx["AddOp"] ?? [], sink);
  }

  mulExpr(ctx: Ctx, sink: Sink): Expr | undefined {
    return this.leftChain(nodes(ctx, "unaryExpr"), ctx["MulOp"] ?? [], sink);
  }

  private leftChain(operands: CstNode[], ops: CstElement[], sink: Sink): Expr | undefined {
    if (operands.length === 0 || ops.length !== operands.length - 1) return undefined;
    let left = this.sub<Expr>(operands[0], sink);
    for (let i = 1; i < operands.length && left; i++) {
      left = this.binary(left, real(ops[i - 1]), operands[0]!, operands[i]!, sink);
    }
    return left;
  }

  /** A binary node spanning from the start of `leftNode` to the end of `rightNode`. */
  private binary(left: Expr, op: IToken | undefined, leftNode: CstNode, rightNode: CstNode, sink: Sink): Expr | undefined {
    const right = this.sub<Expr>(rightNode, sink);
    const l = extent(leftNode.children);
    const r = extent(rightNode.children);
    if (!right || !op || !l || !r) return undefined;
    const opName = op.image as "+" | "-" | "*" | "/" | "@" | "**" | ">" | ">=" | "<" | "<=";
    return { kind: "binary", op: opName, left, right, span: spanBetween(l, r), opSpan: tokenSpan(op) };
  }

  unaryExpr(ctx: Ctx, sink: Sink): Expr | undefined {
    const power = nodes(ctx, "powerExpr")[0];
    if (power) return this.sub<Expr>(power, sink);
    const arg = this.sub<Expr>(nodes(ctx, "unaryExpr")[0], sink);
    const span = extent(ctx);
    if (!tok(ctx, "Minus") || !arg || !span) return undefined;
    return { kind: "unary", op: "-", arg, span };
  }

  powerExpr(ctx: Ctx, sink: Sink): Expr | undefined {
    const baseNode = nodes(ctx, "postfixExpr")[0];
    const base = this.sub<Expr>(baseNode, sink);
    const expNode = nodes(ctx, "unaryExpr")[0];
    if (!baseNode || !base || (!expNode && !ctx["StarStar"])) return base;
    if (!expNode) return undefined; // `**` with nothing after it
    return this.binary(base, tok(ctx, "StarStar"), baseNode, expNode, sink);
  }

  // primary, then each `[...]` in turn: x[0][1] indexes the result of x[0]
  postfixExpr(ctx: Ctx, sink: Sink): Expr | undefined {
    const baseNode = nodes(ctx, "primary")[0];
    let e = this.sub<Expr>(baseNode, sink);
    const start = baseNode && extent(baseNode.children);
    for (const n of nodes(ctx, "indexSuffix")) {
      if (!e || !start) return undefined;
      const items = this.sub<IndexItem[]>(n, sink);
      const end = extent(n.children);
      if (!items || !end) return undefined;
      e = { kind: "index", target: e, items, span: spanBetween(start, end) };
    }
    return e;
  }

  indexSuffix(ctx: Ctx, sink: Sink): IndexItem[] | undefined {
    if (!tok(ctx, "LBracket") || !tok(ctx, "RBracket")) return undefined;
    return all(nodes(ctx, "subscript").map((n) => this.sub<IndexItem>(n, sink)));
  }

  subscript(ctx: Ctx, sink: Sink): IndexItem | undefined {
    const span = extent(ctx);
    if (!span) return undefined;
    if (tok(ctx, "Ellipsis")) return { kind: "ellipsis", span };
    const exprNode = nodes(ctx, "expression")[0];
    const first = exprNode && this.sub<Expr>(exprNode, sink);
    if (exprNode && !first) return undefined;
    const tailNode = nodes(ctx, "sliceTail")[0];
    if (!tailNode) return first && { kind: "at", index: first, span };
    const tail = this.sub<{ stop?: Expr; step?: Expr }>(tailNode, sink);
    return tail && { kind: "slice", ...(first ? { start: first } : {}), ...tail, span };
  }

  // ':' stop? (':' step?)?: an expression after the second colon is the step
  sliceTail(ctx: Ctx, sink: Sink): { stop?: Expr; step?: Expr } | undefined {
    const colon2 = tok(ctx, "Colon", 1);
    const out: { stop?: Expr; step?: Expr } = {};
    for (const n of nodes(ctx, "expression")) {
      const e = this.sub<Expr>(n, sink);
      if (!e) return undefined;
      if (colon2 && e.span.offset > colon2.startOffset) out.step = e;
      else out.stop = e;
    }
    return out;
  }

  primary(ctx: Ctx, sink: Sink): Expr | undefined {
    const num = tok(ctx, "NumberLit");
    if (num) return { kind: "num", value: Number(num.image), span: tokenSpan(num) };
    const str = tok(ctx, "StringLit");
    if (str) return { kind: "str", value: str.image.slice(1, -1), span: tokenSpan(str) };
    const list = nodes(ctx, "listLit")[0];
    if (list) return this.sub<Expr>(list, sink);
    const paren = nodes(ctx, "parenExpr")[0];
    if (paren) return this.sub<Expr>(paren, sink); // parens leave no node; enclosing spans include them
    const name = tok(ctx, "Ident");
    if (!name) return undefined;
    const argsNode = nodes(ctx, "callArgs")[0];
    if (!argsNode) return { kind: "name", name: name.image, span: tokenSpan(name) };
    const call = this.sub<{ args: Expr[]; kwargs: Kwarg[] }>(argsNode, sink);
    const span = extent(ctx); // callee through `)`
    if (!call || !span) return undefined;
    return { kind: "call", callee: { name: name.image, span: tokenSpan(name) }, ...call, span };
  }

  callArgs(ctx: Ctx, sink: Sink): { args: Expr[]; kwargs: Kwarg[] } | undefined {
    const args: Expr[] = [];
    const kwargs: Kwarg[] = [];
    for (const n of nodes(ctx, "argument")) {
      const a = this.sub<Expr | Kwarg>(n, sink);
      if (!a) return undefined;
      if ("kind" in a) {
        // The grammar accepts any order; the rule is enforced here for a clearer message.
        if (kwargs.length > 0) sink.push(syntaxError("positional argument after keyword argument", a.span));
        args.push(a);
      } else kwargs.push(a);
    }
    return { args, kwargs };
  }

  argument(ctx: Ctx, sink: Sink): Expr | Kwarg | undefined {
    const value = this.sub<Expr>(nodes(ctx, "expression")[0], sink);
    if (!value) return undefined;
    if (!ctx["Equals"]) return value;
    const name = ident(tok(ctx, "Ident"));
    return name && { name, value };
  }

  listLit(ctx: Ctx, sink: Sink): Expr | undefined {
    const items = all(nodes(ctx, "expression").map((n) => this.sub<Expr>(n, sink)));
    const span = extent(ctx);
    return items && span && { kind: "list", items, span };
  }

  parenExpr(ctx: Ctx, sink: Sink): Expr | undefined {
    return this.sub<Expr>(nodes(ctx, "expression")[0], sink);
  }
}

/** All items, or undefined if any is missing. */
function all<T>(xs: (T | undefined)[]): T[] | undefined {
  return xs.every((x) => x !== undefined) ? (xs as T[]) : undefined;
}

export function syntaxError(message: string, span: Span): Diagnostic {
  return { code: "TH002", severity: "error", message, span };
}

const builder = new AstBuilder();

/** Build the AST; diagnostics found while building (e.g. argument order) are returned too. */
export function cstToAst(cst: CstNode): { program: Program; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const program = (builder.visit(cst, diagnostics) as Program | undefined) ?? { models: [] };
  return { program, diagnostics };
}
