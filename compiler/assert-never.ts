/**
 * Exhaustive dispatch: a switch over a union (step kinds, op kinds) ends in
 * `default: return assertNever(x, "...")`. A new member then fails to compile
 * at every such switch, and a value outside the union (a plan built by hand, a
 * bad cast) throws here instead of being skipped as if it cost or emitted nothing.
 */
export function assertNever(x: never, what: string): never {
  const kind = typeof x === "object" && x !== null && "kind" in x ? (x as { kind: unknown }).kind : x;
  throw new Error(`internal: unhandled ${what} ${JSON.stringify(kind)}`);
}
