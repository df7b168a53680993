/** compiler/wasm: a WebAssembly binary encoder and the SIMD kernels generated with it (groundwork for `--target wasm`). */
export { uleb, sleb, f64Bytes, f32Bytes } from "./leb128.js";
export { ValType, type ValTypeName, type FuncType } from "./valtype.js";
export { PLAIN, SIMD, SIMD_BITS, MEMORY, LANE, STORE_LANE, type PlainOp, type SimdOp, type SimdBitsOp, type MemoryOp, type LaneOp, type StoreLaneOp } from "./opcodes.js";
export { FunctionBuilder, type Local, type Label, type MemArg } from "./function-builder.js";
export { ModuleBuilder } from "./module-builder.js";
export { F64, F32, elementOf, type Element } from "./element.js";
export { whileLoop } from "./loops.js";
export { addGemm, GEMM_TYPE, type GemmOptions } from "./gemm-kernel.js";
export { addElementwise, evalExpr, arity, input, constant, add, sub, mul, type Expr } from "./elementwise-kernel.js";
export { addMaddChains, type MaddOptions } from "./madd-chains.js";
export { vectorTanh, vectorExp, vectorSinCos, VECTOR_MATH, SCALAR_FALLBACK, splitConstant, type VectorMathFn, type VectorMath } from "./vector-math.js";
