/** Names of flattened elements: x[3] for a vector, x[1,2] for a matrix, x for a scalar. */
export function elementLabels(name: string, shape: readonly number[]): string[] {
  const n = shape.reduce((a, b) => a * b, 1);
  if (shape.length === 0) return [name];
  return Array.from({ length: n }, (_, k) => {
    const idx: number[] = [];
    for (let a = shape.length - 1, r = k; a >= 0; a--) { idx.unshift(r % shape[a]!); r = Math.floor(r / shape[a]!); }
    return `${name}[${idx.join(",")}]`;
  });
}
