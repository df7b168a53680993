/**
 * The AST as JSON for `thoadc explain --after parse`, spans left out: the text
 * of JSON.stringify(program, replacer, 1), written with an explicit stack,
 * since a 6000-term sum is 6000 objects deep and JSON.stringify recurses.
 * Indentation stops growing at MAX_INDENT, so deep chains print in linear size.
 */
const MAX_INDENT = 64;

export function printAst(program: unknown): string {
  const out: string[] = [];
  const pad = (depth: number) => "\n" + " ".repeat(Math.min(depth, MAX_INDENT));
  // work items: a value to print at a depth, or literal text (closing brackets, separators)
  const stack: ({ value: unknown; depth: number } | string)[] = [{ value: program, depth: 0 }];
  while (stack.length) {
    const item = stack.pop()!;
    if (typeof item === "string") { out.push(item); continue; }
    const { value, depth } = item;
    if (value === null || typeof value !== "object") { out.push(JSON.stringify(value) ?? "null"); continue; }
    const isArray = Array.isArray(value);
    const entries: [string | undefined, unknown][] = isArray
      ? value.map((v) => [undefined, v === undefined || typeof v === "function" ? null : v])
      : Object.entries(value).filter(([k, v]) => k !== "span" && k !== "opSpan" && v !== undefined && typeof v !== "function");
    if (!entries.length) { out.push(isArray ? "[]" : "{}"); continue; }
    out.push(isArray ? "[" : "{");
    const work: ({ value: unknown; depth: number } | string)[] = [];
    entries.forEach(([k, v], i) => {
      work.push(`${i ? "," : ""}${pad(depth + 1)}${k === undefined ? "" : `${JSON.stringify(k)}: `}`, { value: v, depth: depth + 1 });
    });
    work.push(`${pad(depth)}${isArray ? "]" : "}"}`);
    for (let i = work.length - 1; i >= 0; i--) stack.push(work[i]!);
  }
  return out.join("");
}
