/**
 * Keras/tfjs activations as .thd expressions, with tfjs-layers' definitions
 * (activations.ts of tfjs-layers 4.x): hard_sigmoid is clip(0.2 x + 0.5, 0, 1),
 * relu6 is min(relu(x), 6), swish is x * sigmoid(x), gelu uses erf, gelu_new
 * the tanh approximation, softmax and log_softmax act on the last Keras axis.
 * The three that are not .thd built-ins become file-level fns, written once.
 */
import type { LayerConfig } from "./config.js";
import { isObject } from "./config.js";

/** File-level fns, written before the model when it calls them. */
export const HELPER_FNS: Readonly<Record<string, string>> = {
  softsign: "fn softsign(x) = x / (abs(x) + 1)",
  hard_sigmoid: "fn hard_sigmoid(x) = clamp(0.2 * x + 0.5, min=0, max=1)",
  relu6: "fn relu6(x) = minimum(relu(x), 6)",
};

type Rule = (x: string, axis: string) => string;
const call = (f: string): Rule => (x) => `${f}(${x})`;

const RULES: Readonly<Record<string, Rule>> = {
  linear: (x) => x,
  relu: call("relu"),
  relu6: call("relu6"),
  elu: call("elu"),
  selu: call("selu"),
  softplus: call("softplus"),
  softsign: call("softsign"),
  sigmoid: call("sigmoid"),
  hard_sigmoid: call("hard_sigmoid"),
  tanh: call("tanh"),
  softmax: (x, axis) => `softmax(${x}${axis})`,
  log_softmax: (x, axis) => `log_softmax(${x}${axis})`,
  swish: call("silu"),
  mish: call("mish"),
  gelu: call("gelu"),
  gelu_new: (x) => `gelu(${x}, approximate="tanh")`,
  exponential: call("exp"),
  leaky_relu: (x) => `leaky_relu(${x}, negative_slope=0.2)`,
};

/** Spellings other writers use: tfjs's own class names, Keras 3's. */
const ALIASES: Readonly<Record<string, string>> = { hardSigmoid: "hard_sigmoid", logSoftmax: "log_softmax", silu: "swish", geluNew: "gelu_new" };

export const ACTIVATION_NAMES = Object.keys(RULES);

/** The activation a layer's config names (`activation`, or another key), canonical. */
export function activationName(c: LayerConfig, key = "activation"): string {
  const raw = c.raw[key];
  // tfjs and Keras 2 write a string; Keras 3 may write {class_name: "function", config: "relu"} or {class_name: "relu"}
  const name = raw === undefined || raw === null ? "linear"
    : typeof raw === "string" ? raw
    : isObject(raw) && typeof raw.config === "string" ? raw.config
    : isObject(raw) && typeof raw.class_name === "string" ? raw.class_name : undefined;
  const canonical = name === undefined ? undefined : ALIASES[name] ?? name;
  if (canonical === undefined || !(canonical in RULES)) {
    return c.fail("TH506", `${key} ${JSON.stringify(raw)} is not supported (supported: ${ACTIVATION_NAMES.join(", ")})`);
  }
  return canonical;
}

/**
 * `x` through the activation. `axis` is the `.thd` axis of the last Keras axis
 * (softmax's), `last` when it is the last axis there too. `useFn` records a
 * helper fn the expression calls.
 */
export function activate(name: string, x: string, axis: number | "last", useFn: (fn: string) => void): string {
  if (name in HELPER_FNS) useFn(name);
  return RULES[name]!(x, axis === "last" ? "" : `, axis=${axis}`);
}
