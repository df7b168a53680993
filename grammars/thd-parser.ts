/**
 * The .thd grammar as a Chevrotain CstParser: grammar only, no semantics.
 * thd.ebnf is the same grammar in EBNF; keep the two in sync by hand.
 * Error recovery is on, so one parse reports several errors and still yields
 * a (partial) CST; cst-to-ast.ts copes with the missing pieces.
 */
import { CstParser, EOF, type IParserErrorMessageProvider, type IToken, type TokenType } from "chevrotain";
import * as T from "./thd-lexer.js";

/** Rule names, shared with the CST visitor. */
export const RULE = {
  program: "program",
  model: "model",
  item: "item",
  batchDecl: "batchDecl",
  dimDecl: "dimDecl",
  tensorDecl: "tensorDecl",
  shape: "shape",
  dimRef: "dimRef",
  assignStmt: "assignStmt",
  outputStmt: "outputStmt",
  expression: "expression",
  addExpr: "addExpr",
  mulExpr: "mulExpr",
  unaryExpr: "unaryExpr",
  powerExpr: "powerExpr",
  postfixExpr: "postfixExpr",
  indexSuffix: "indexSuffix",
  subscript: "subscript",
  sliceTail: "sliceTail",
  primary: "primary",
  callArgs: "callArgs",
  argument: "argument",
  listLit: "listLit",
  parenExpr: "parenExpr",
  fnDef: "fnDef",
  fnParams: "fnParams",
} as const;
export type RuleName = (typeof RULE)[keyof typeof RULE];
export const ruleNames: readonly RuleName[] = Object.values(RULE);

/** `'x'` for a token, or "end of file". */
function found(tok: IToken | undefined): string {
  return tok === undefined || tok.tokenType === EOF ? "end of file" : `'${tok.image}'`;
}
function label(t: TokenType): string {
  return t.LABEL ?? t.name;
}

/** Concise, human messages instead of Chevrotain's token-path dumps. */
const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, ruleName }) {
    // A model body's `}` could equally have been another item.
    if (ruleName === RULE.model && expected === T.RCurly && actual.tokenType !== EOF && actual.tokenType !== T.Model) {
      return `expected a declaration, a statement or '}' but found ${found(actual)}`;
    }
    return `expected ${label(expected)} but found ${found(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `expected 'model' or 'fn' but found ${found(firstRedundant)}`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, customUserDescription }) {
    const what = customUserDescription ?? expectedPathsPerAlt.map((alt) => alt.map((p) => p.map(label).join(" ")).join(" or ")).join(" or ");
    return `expected ${what} but found ${found(actual[0])}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, customUserDescription }) {
    const what = customUserDescription ?? expectedIterationPaths.map((p) => p.map(label).join(" ")).join(" or ");
    return `expected ${what} but found ${found(actual[0])}`;
  },
};

export class ThdParser extends CstParser {
  constructor() {
    super(T.allTokens, { recoveryEnabled: true, maxLookahead: 2, errorMessageProvider: messages });
    this.performSelfAnalysis();
  }

  // program := (model | fnDef)+   (at least one model: checked when a model is selected)
  program = this.RULE(RULE.program, () => {
    this.AT_LEAST_ONE({
      DEF: () => this.OR([{ ALT: () => this.SUBRULE(this.model) }, { ALT: () => this.SUBRULE(this.fnDef) }]),
      ERR_MSG: "'model'",
    });
  });

  // model := 'model' NAME '{' item* '}'
  model = this.RULE(RULE.model, () => {
    this.CONSUME(T.Model);
    this.CONSUME(T.Ident);
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.item));
    this.CONSUME(T.RCurly);
  });

  // Declarations and statements may be interleaved in any order.
  item = this.RULE(RULE.item, () => {
    this.OR({
      DEF: [
        { ALT: () => this.SUBRULE(this.batchDecl) },
        { ALT: () => this.SUBRULE(this.dimDecl) },
        { ALT: () => this.SUBRULE(this.tensorDecl) },
        { ALT: () => this.SUBRULE(this.assignStmt) },
        { ALT: () => this.SUBRULE(this.outputStmt) },
        { ALT: () => this.SUBRULE(this.fnDef) },
      ],
      ERR_MSG: "a declaration or statement",
    });
  });

  batchDecl = this.RULE(RULE.batchDecl, () => {
    this.CONSUME(T.Batch);
    this.CONSUME(T.Ident);
  });

  dimDecl = this.RULE(RULE.dimDecl, () => {
    this.CONSUME(T.Dim);
    this.CONSUME(T.Ident);
    this.CONSUME(T.Equals);
    this.CONSUME(T.Int);
  });

  // input/param NAME ':' shape
  tensorDecl = this.RULE(RULE.tensorDecl, () => {
    this.OR([{ ALT: () => this.CONSUME(T.Input) }, { ALT: () => this.CONSUME(T.Param) }]);
    this.CONSUME(T.Ident);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.shape);
  });

  shape = this.RULE(RULE.shape, () => {
    this.CONSUME(T.LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.dimRef);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.dimRef);
      });
    });
    this.CONSUME(T.RBracket);
  });

  dimRef = this.RULE(RULE.dimRef, () => {
    this.OR({
      DEF: [{ ALT: () => this.CONSUME(T.Int) }, { ALT: () => this.CONSUME(T.Ident) }],
      ERR_MSG: "an integer or a dim name",
    });
  });

  assignStmt = this.RULE(RULE.assignStmt, () => {
    this.CONSUME(T.Ident);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
  });

  outputStmt = this.RULE(RULE.outputStmt, () => {
    this.CONSUME(T.Output);
    this.CONSUME(T.Ident);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.CONSUME2(T.Ident);
    });
  });

  // expression := addExpr (('>' | '>=' | '<' | '<=') addExpr)?   (a mask; comparisons do not chain)
  expression = this.RULE(RULE.expression, () => {
    this.SUBRULE(this.addExpr);
    this.OPTION(() => {
      this.CONSUME(T.CompOp);
      this.SUBRULE2(this.addExpr);
    });
  });

  // addExpr := mulExpr (('+' | '-') mulExpr)*   (left assoc)
  addExpr = this.RULE(RULE.addExpr, () => {
    this.SUBRULE(this.mulExpr);
    this.MANY(() => {
      this.CONSUME(T.AddOp);
      this.SUBRULE2(this.mulExpr);
    });
  });

  // mulExpr := unaryExpr (('*' | '/' | '@') unaryExpr)*   (left assoc)
  mulExpr = this.RULE(RULE.mulExpr, () => {
    this.SUBRULE(this.unaryExpr);
    this.MANY(() => {
      this.CONSUME(T.MulOp);
      this.SUBRULE2(this.unaryExpr);
    });
  });

  // unaryExpr := '-' unaryExpr | powerExpr
  unaryExpr = this.RULE(RULE.unaryExpr, () => {
    this.OR({
      DEF: [
        {
          ALT: () => {
            this.CONSUME(T.Minus);
            this.SUBRULE(this.unaryExpr);
          },
        },
        { ALT: () => this.SUBRULE(this.powerExpr) },
      ],
      ERR_MSG: "an expression",
    });
  });

  // powerExpr := postfixExpr ('**' unaryExpr)?   (right assoc; `-x**2` = -(x**2), `2**-1` ok)
  powerExpr = this.RULE(RULE.powerExpr, () => {
    this.SUBRULE(this.postfixExpr);
    this.OPTION(() => {
      this.CONSUME(T.StarStar);
      this.SUBRULE(this.unaryExpr);
    });
  });

  // postfixExpr := primary indexSuffix*   (`x[:, 1:5]`, `f(x)[0][1]`)
  postfixExpr = this.RULE(RULE.postfixExpr, () => {
    this.SUBRULE(this.primary);
    this.MANY(() => this.SUBRULE(this.indexSuffix));
  });

  // indexSuffix := '[' subscript (',' subscript)* ']'
  indexSuffix = this.RULE(RULE.indexSuffix, () => {
    this.CONSUME(T.LBracket);
    this.SUBRULE(this.subscript);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.subscript);
    });
    this.CONSUME(T.RBracket);
  });

  // subscript := '...' | expression sliceTail? | sliceTail
  subscript = this.RULE(RULE.subscript, () => {
    this.OR({
      DEF: [
        { ALT: () => this.CONSUME(T.Ellipsis) },
        {
          ALT: () => {
            this.SUBRULE(this.expression);
            this.OPTION(() => this.SUBRULE(this.sliceTail));
          },
        },
        { ALT: () => this.SUBRULE2(this.sliceTail) },
      ],
      ERR_MSG: "an index, a slice or '...'",
    });
  });

  // sliceTail := ':' expression? (':' expression?)?   (the stop and step of a slice)
  sliceTail = this.RULE(RULE.sliceTail, () => {
    this.CONSUME(T.Colon);
    this.OPTION(() => this.SUBRULE(this.expression));
    this.OPTION2(() => {
      this.CONSUME2(T.Colon);
      this.OPTION3(() => this.SUBRULE2(this.expression));
    });
  });

  primary = this.RULE(RULE.primary, () => {
    this.OR({
      DEF: [
        { ALT: () => this.CONSUME(T.NumberLit) },
        { ALT: () => this.CONSUME(T.StringLit) },
        { ALT: () => this.SUBRULE(this.listLit) },
        { ALT: () => this.SUBRULE(this.parenExpr) },
        {
          ALT: () => {
            this.CONSUME(T.Ident);
            this.OPTION(() => this.SUBRULE(this.callArgs));
          },
        },
      ],
      ERR_MSG: "an expression",
    });
  });

  // Positional-before-keyword is checked by the CST visitor, not here, for a clearer message.
  callArgs = this.RULE(RULE.callArgs, () => {
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.SUBRULE(this.argument);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.argument);
      });
    });
    this.CONSUME(T.RParen);
  });

  // argument := NAME '=' expression | expression   (needs 2 tokens of lookahead)
  argument = this.RULE(RULE.argument, () => {
    this.OPTION(() => {
      this.CONSUME(T.Ident);
      this.CONSUME(T.Equals);
    });
    this.SUBRULE(this.expression);
  });

  listLit = this.RULE(RULE.listLit, () => {
    this.CONSUME(T.LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.expression);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.expression);
      });
    });
    this.CONSUME(T.RBracket);
  });

  parenExpr = this.RULE(RULE.parenExpr, () => {
    this.CONSUME(T.LParen);
    this.SUBRULE(this.expression);
    this.CONSUME(T.RParen);
  });

  // fnDef := 'fn' NAME '(' fnParams? ')' '=' expression   (a reusable definition, inlined at each call)
  fnDef = this.RULE(RULE.fnDef, () => {
    this.CONSUME(T.Fn);
    this.CONSUME(T.Ident);
    this.CONSUME(T.LParen);
    this.OPTION(() => this.SUBRULE(this.fnParams));
    this.CONSUME(T.RParen);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
  });

  // fnParams := NAME (',' NAME)*
  fnParams = this.RULE(RULE.fnParams, () => {
    this.CONSUME(T.Ident);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.CONSUME2(T.Ident);
    });
  });
}

/** The parser is stateful but reusable: set `.input`, call `.program()`, read `.errors`. */
export const thdParser = new ThdParser();
