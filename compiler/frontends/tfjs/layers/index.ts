/**
 * The supported Keras layer classes and their rules; a class missing here is
 * TH501. InputLayer is not a rule: the driver makes it a `.thd` input.
 */
import { elu, leakyRelu, prelu, relu, softmax, thresholdedRelu } from "./activation-layers.js";
import type { LayerRule } from "./context.js";
import { conv } from "./conv.js";
import { activation, dense, flatten, identity, reshape } from "./core.js";
import { add, average, concatenate, maximum, minimum, multiply, subtract } from "./merge.js";
import { batchNormalization, layerNormalization } from "./normalization.js";
import { globalPool, pool } from "./pooling.js";

export const LAYERS: Readonly<Record<string, LayerRule>> = {
  Dense: dense,
  Activation: activation,
  Dropout: identity,
  SpatialDropout1D: identity,
  SpatialDropout2D: identity,
  GaussianNoise: identity,
  GaussianDropout: identity,
  AlphaDropout: identity,
  Flatten: flatten,
  Reshape: reshape,
  Conv1D: conv(1),
  Conv2D: conv(2),
  MaxPooling1D: pool("max", 1),
  MaxPooling2D: pool("max", 2),
  AveragePooling1D: pool("avg", 1),
  AveragePooling2D: pool("avg", 2),
  GlobalAveragePooling1D: globalPool("mean", 1),
  GlobalAveragePooling2D: globalPool("mean", 2),
  GlobalMaxPooling1D: globalPool("max", 1),
  GlobalMaxPooling2D: globalPool("max", 2),
  BatchNormalization: batchNormalization,
  LayerNormalization: layerNormalization,
  Add: add,
  Subtract: subtract,
  Multiply: multiply,
  Average: average,
  Maximum: maximum,
  Minimum: minimum,
  Concatenate: concatenate,
  ReLU: relu,
  LeakyReLU: leakyRelu,
  ELU: elu,
  Softmax: softmax,
  ThresholdedReLU: thresholdedRelu,
  PReLU: prelu,
};

/** Keras's other spellings of the same classes. */
export const LAYER_ALIASES: Readonly<Record<string, string>> = {
  Convolution1D: "Conv1D", Convolution2D: "Conv2D",
  MaxPool1D: "MaxPooling1D", MaxPool2D: "MaxPooling2D", AvgPool1D: "AveragePooling1D", AvgPool2D: "AveragePooling2D",
  GlobalAvgPool1D: "GlobalAveragePooling1D", GlobalAvgPool2D: "GlobalAveragePooling2D",
  GlobalMaxPool1D: "GlobalMaxPooling1D", GlobalMaxPool2D: "GlobalMaxPooling2D",
};

export const SUPPORTED_LAYERS = ["InputLayer", ...Object.keys(LAYERS)].sort();

export const layerRule = (className: string): LayerRule | undefined => LAYERS[LAYER_ALIASES[className] ?? className];
