/** What a command hands back to cli/main.ts: stdout text alone (status 0), or both streams and the exit status. */
export type CommandResult = string | { readonly stdout?: string; readonly stderr?: string; readonly status: number };
