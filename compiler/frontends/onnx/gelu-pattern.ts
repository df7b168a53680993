/**
 * PyTorch exports nn.GELU() as Div(x, 1.4142135) -> Erf -> Add(1) -> Mul(x) ->
 * Mul(0.5). Op by op that is already exact (literal.ts reads the float32
 * sqrt 2 back as sqrt 2); recognising it only makes the text read `gelu(x)`.
 * Each intermediate value must feed only the next node of the pattern.
 */
import type { OnnxNode } from "./decode.js";

export interface GeluMatch {
  /** The node whose output is gelu(x). */
  readonly last: OnnxNode;
  readonly x: string;
  /** The other nodes of the pattern, emitted as nothing. */
  readonly inner: readonly OnnxNode[];
}

/**
 * `consumers` maps a value to the nodes reading it (graph outputs count as a
 * reader without a node); `scalar` gives a constant scalar's value if known.
 */
export function findGelus(
  nodes: readonly OnnxNode[],
  consumers: ReadonlyMap<string, readonly (OnnxNode | null)[]>,
  scalar: (name: string) => number | undefined,
): GeluMatch[] {
  const only = (v: string, op: string): OnnxNode | undefined => {
    const c = consumers.get(v);
    return c && c.length === 1 && c[0] && c[0].opType === op && c[0].domain === "" ? c[0] : undefined;
  };
  const other = (n: OnnxNode, v: string): string | undefined => (n.inputs.length === 2 && n.inputs.includes(v) ? n.inputs[n.inputs[0] === v ? 1 : 0] : undefined);
  const is = (name: string | undefined, v: number, tol = 0): boolean => { const s = name === undefined ? undefined : scalar(name); return s !== undefined && Math.abs(s - v) <= tol; };
  const out: GeluMatch[] = [];
  for (const div of nodes) {
    if (div.opType !== "Div" || div.domain !== "" || div.inputs.length !== 2 || !is(div.inputs[1], Math.SQRT2, 1e-7)) continue;
    const x = div.inputs[0]!;
    const erf = only(div.outputs[0]!, "Erf");
    const add = erf && only(erf.outputs[0]!, "Add");
    const mul = add && only(add.outputs[0]!, "Mul");
    const half = mul && only(mul.outputs[0]!, "Mul");
    if (!erf || !add || !mul || !half || !is(other(add, erf.outputs[0]!), 1) || other(mul, add.outputs[0]!) !== x || !is(other(half, mul.outputs[0]!), 0.5)) continue;
    out.push({ last: half, x, inner: [div, erf, add, mul] });
  }
  return out;
}
