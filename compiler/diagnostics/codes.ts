/**
 * The catalogue of diagnostic codes. Codes are stable: never renumber, only add.
 * docs/diagnostics.md lists the same table (a test keeps them in sync).
 */
export const CODES = {
  // 0xx: lexing and parsing
  TH001: "unexpected character",
  TH002: "syntax error",
  TH003: "too many errors; stopping",
  // 1xx: names and declarations
  TH101: "undefined name",
  TH102: "name defined twice",
  TH103: "unknown function",
  TH104: "wrong number or kind of arguments",
  TH105: "argument must be a compile-time constant of the right kind",
  TH106: "more than one batch declaration",
  TH107: "unknown dim name in a shape",
  TH108: "output names something that is not defined",
  TH109: "no model with that name",
  TH110: "several models in the file: choose one with --model",
  TH111: "--wrt names something that is not an input or param",
  TH112: "bad --dim override",
  TH113: "model has no output",
  TH114: "bad dimension",
  TH115: "bad option value (--order, --mode, --emit, --dtype)",
  TH116: "recursive fn",
  TH117: "nesting too deep",
  TH118: "model name cannot be exported by the module",
  TH119: "d() differentiates with respect to something that is not a declared input or param",
  TH120: "misused structured derivative (laplacian, hessian_diag, hvp, jet; --want, --at, --v, --jet-order)",
  TH121: "jet's order k is not an integer from 1 to 10",
  TH122: "hvp of a y that is not one number per sample",
  TH123: "warning: the differentiated tensor does not depend on the variable: its derivative is a zero tensor",
  // 2xx: shapes and the batch axis
  TH201: "shapes do not broadcast",
  TH202: "matmul shapes do not match",
  TH203: "axis out of range",
  TH204: "reshape changes the number of elements",
  TH205: "bad permutation",
  TH206: "bad einsum spec",
  TH207: "batch axis not at axis 0",
  TH208: "operation mixes samples along the batch axis",
  TH209: "exponent must be a constant number",
  TH210: "operand shapes do not fit the operation",
  // 4xx: planning limits
  TH401: "plan too large for the requested mode",
  TH402: "plan exceeds --max-memory",
  TH403: "random inputs of check or bench exceed --max-memory",
  // 3xx: files and the command line
  TH301: "cannot read file",
  TH302: "bad inputs file",
  TH303: "cannot write file",
  TH304: "--no-batch needs a batch axis and a batch size (--batch N)",
  TH305: "command-line usage: unknown command or option, missing argument, too many arguments",
  TH306: "unknown codegen target (--target)",
  // 5xx: imported models (ONNX, TensorFlow.js Layers)
  TH501: "unsupported operator or layer in an imported model",
  TH502: "unsupported dynamic shape in an imported model (only the batch axis may be dynamic)",
  TH503: "corrupt, truncated or unrecognised model file",
  TH504: "missing or unreadable weights",
  TH505: "weight shape or size does not match the model",
  TH506: "unsupported attribute value in an imported model",
  // 6xx: thoadc check and bench
  TH601: "an output is not finite at check's random point",
  TH602: "derivatives differ from central differences",
  TH603: "bench --baseline cannot run this model (not a model the baseline knows, f32, or the baseline's Python missing)",
} as const;

export type Code = keyof typeof CODES;
