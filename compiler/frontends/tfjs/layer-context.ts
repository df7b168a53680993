/**
 * A layer rule's view of the weights (layers/context.ts): each weight found
 * in the manifest by layer and role, checked against the shape the layer
 * implies, permuted if asked, and declared as a param once per layer (a
 * shared layer's calls use the same params).
 */
import type { LayerConfig } from "./config.js";
import type { LayerContext } from "./layers/context.js";
import { showShape } from "./layout.js";
import type { ThdWriter } from "./thd-writer.js";
import type { RawWeight } from "./weights.js";

/** The weight of `layer` for `role`: `layer/role`, else the one entry under a path naming the layer (converters add scopes). */
function findWeight(c: LayerConfig, role: string, weights: ReadonlyMap<string, RawWeight>): RawWeight {
  const exact = weights.get(`${c.layer}/${role}`) ?? weights.get(`${c.layer}/${role}:0`);
  if (exact) return exact;
  for (const w of weights.values()) {
    const parts = w.name.replace(/:\d+$/, "").split("/");
    if (parts[parts.length - 1] === role && parts.slice(0, -1).includes(c.layer)) return w;
  }
  return c.fail("TH504", `weight '${role}' is not in the weights manifest (looked for '${c.layer}/${role}')`);
}

/** Row-major `data` of `shape` with its axes reordered: axis i of the result is axis perm[i]. */
function permuted(data: Float64Array, shape: readonly number[], perm: readonly number[]): Float64Array {
  const outShape = perm.map((p) => shape[p]!);
  const inStrides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const out = new Float64Array(data.length);
  const idx = Array<number>(outShape.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let a = 0; a < idx.length; a++) src += idx[a]! * inStrides[perm[a]!]!;
    out[o] = data[src]!;
    for (let a = idx.length - 1; a >= 0 && ++idx[a]! === outShape[a]!; a--) idx[a] = 0;
  }
  return out;
}

/** The context of one call of layer `c`; `params` (layer + role -> param name) is shared by all calls. */
export function layerContext(c: LayerConfig, w: ThdWriter, weights: ReadonlyMap<string, RawWeight>, params: Map<string, string>): LayerContext {
  const weightData = (role: string, keras: readonly number[]): Float64Array => {
    const raw = findWeight(c, role, weights);
    if (raw.shape.length !== keras.length || raw.shape.some((d, a) => d !== keras[a])) {
      c.fail("TH505", `weight '${raw.name}' has shape ${showShape(raw.shape)}, the layer needs ${showShape(keras)}`);
    }
    return raw.data;
  };
  const once = (key: string, declare: () => string): string => {
    const known = params.get(key);
    if (known) return known;
    const name = declare();
    params.set(key, name);
    return name;
  };
  return {
    c,
    weightData,
    weight: (role, keras, permute, layout) => once(`${c.layer}\u0000${role}`, () => {
      const data = weightData(role, keras), raw = findWeight(c, role, weights);
      // "dense/kernel:0" (TensorFlow's tensor name) gives the param dense_kernel
      const base = raw.name.replace(/:\d+$/, "");
      if (!permute) return w.param(base, keras, data, raw.name);
      return w.param(base, permute.map((p) => keras[p]!), permuted(data, keras, permute), `${raw.name}: Keras ${showShape(keras)} stored as ${layout ?? "permuted"}`);
    }),
    constant: (suffix, shape, data, comment) => once(`${c.layer}\u0000=${suffix}`, () => w.param(`${c.layer}_${suffix}`, shape, data, comment)),
    useFn: (fn) => w.useFn(fn),
  };
}
