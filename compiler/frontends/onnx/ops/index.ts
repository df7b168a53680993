/** Every supported ONNX op (default domain), by op_type. */
import type { OpRule } from "../context.js";
import { CONV_OPS } from "./conv.js";
import { ELEMENTWISE_OPS } from "./elementwise.js";
import { LAYOUT_OPS } from "./layout.js";
import { MATMUL_OPS } from "./matmul.js";
import { NORMALIZATION_OPS } from "./normalization.js";
import { PASSTHROUGH_OPS } from "./passthrough.js";
import { POOL_OPS } from "./pool.js";
import { REDUCE_OPS } from "./reduce.js";
import { RESHAPE_OPS } from "./reshape.js";
import { SELECT_OPS } from "./select.js";

export const OPS: Readonly<Record<string, OpRule>> = {
  ...ELEMENTWISE_OPS, ...MATMUL_OPS, ...CONV_OPS, ...POOL_OPS, ...REDUCE_OPS, ...NORMALIZATION_OPS,
  ...RESHAPE_OPS, ...SELECT_OPS, ...LAYOUT_OPS, ...PASSTHROUGH_OPS,
};

export const SUPPORTED_OPS: readonly string[] = Object.keys(OPS).sort();
