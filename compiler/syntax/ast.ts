/**
 * The read-only AST of a .thd file, as built by the CST visitor (cst-to-ast.ts).
 * Every node carries the span of the source text it came from.
 */
import type { Span } from "../diagnostics/diagnostic.js";

export interface Ident { readonly name: string; readonly span: Span }

/** A shape entry: an integer literal or a dim/batch name. */
export type DimRef =
  | { readonly kind: "int"; readonly value: number; readonly span: Span }
  | { readonly kind: "name"; readonly name: string; readonly span: Span };

export type Expr =
  | { readonly kind: "num"; readonly value: number; readonly span: Span }
  | { readonly kind: "str"; readonly value: string; readonly span: Span }
  | { readonly kind: "name"; readonly name: string; readonly span: Span }
  /** `[a, b, ...]`: only valid as a call argument (axis lists, reshape dims, perms). */
  | { readonly kind: "list"; readonly items: readonly Expr[]; readonly span: Span }
  | { readonly kind: "unary"; readonly op: "-"; readonly arg: Expr; readonly span: Span }
  | {
      readonly kind: "binary";
      readonly op: "+" | "-" | "*" | "/" | "@" | "**" | ">" | ">=" | "<" | "<=";
      readonly left: Expr;
      readonly right: Expr;
      readonly span: Span; // span of the whole expression
      readonly opSpan: Span; // span of the operator token
    }
  /** `x[i, a:b:c, ...]`: NumPy basic indexing with constant integers. */
  | { readonly kind: "index"; readonly target: Expr; readonly items: readonly IndexItem[]; readonly span: Span }
  | {
      readonly kind: "call";
      readonly callee: Ident;
      readonly args: readonly Expr[];
      readonly kwargs: readonly { readonly name: Ident; readonly value: Expr }[];
      readonly span: Span;
    };

/** One subscript of `x[...]`: `...`, an integer, or a slice `start:stop:step` (each part optional). */
export type IndexItem =
  | { readonly kind: "ellipsis"; readonly span: Span }
  | { readonly kind: "at"; readonly index: Expr; readonly span: Span }
  | { readonly kind: "slice"; readonly start?: Expr; readonly stop?: Expr; readonly step?: Expr; readonly span: Span };

export type Decl =
  | { readonly kind: "batch"; readonly name: Ident; readonly span: Span }
  | { readonly kind: "dim"; readonly name: Ident; readonly value: number; readonly span: Span }
  | { readonly kind: "input" | "param"; readonly name: Ident; readonly shape: readonly DimRef[]; readonly span: Span };

export type Stmt =
  | { readonly kind: "assign"; readonly target: Ident; readonly value: Expr; readonly span: Span }
  | { readonly kind: "output"; readonly names: readonly Ident[]; readonly span: Span };

/**
 * `fn NAME(p1, p2, ...) = expr`: a reusable definition, inlined at every call
 * (compiler/ir/lower.ts). At file level it is visible to every model of the
 * file; inside a model, to that model only.
 */
export interface FnDef {
  readonly name: Ident;
  readonly params: readonly Ident[];
  readonly body: Expr;
  readonly span: Span;
}

export interface Model {
  readonly name: Ident;
  readonly decls: readonly Decl[];
  readonly stmts: readonly Stmt[];
  readonly span: Span;
  /** `fn` definitions inside this model (absent: none). */
  readonly fns?: readonly FnDef[];
  /** The file-level `fn` definitions, the same for every model of the file (absent: none). */
  readonly fileFns?: readonly FnDef[];
}

export interface Program {
  readonly models: readonly Model[];
  /** File-level `fn` definitions, in source order (absent: none). */
  readonly fns?: readonly FnDef[];
}
