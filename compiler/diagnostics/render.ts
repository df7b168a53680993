/** Diagnostics as text: `file:line:col: error THxxx: message`, then the line with a caret. */
import type { Diagnostic } from "./diagnostic.js";

export function renderDiagnostic(d: Diagnostic, file: string, source: string | undefined): string {
  if (!d.span) return `${file}: ${d.severity} ${d.code}: ${d.message}`;
  const { line, column, length } = d.span;
  const head = `${file}:${line}:${column}: ${d.severity} ${d.code}: ${d.message}`;
  const text = source?.split(/\r\n|\r|\n/)[line - 1]; // the lexer's line ends, a lone \r too
  if (text === undefined) return head;
  const gutter = `${line} | `;
  const caretLen = Math.max(1, Math.min(length, text.length - column + 1));
  // keep tabs so the caret lines up under tab-indented source
  const pad = text.slice(0, column - 1).replace(/[^\t]/g, " ");
  return `${head}\n${gutter}${text}\n${" ".repeat(gutter.length)}${pad}${"^".repeat(caretLen)}`;
}

export function renderDiagnostics(ds: readonly Diagnostic[], file: string, source: string | undefined): string {
  const errors = ds.filter((d) => d.severity === "error").length;
  return [...ds.map((d) => renderDiagnostic(d, file, source)), `${errors} error${errors === 1 ? "" : "s"}`].join("\n");
}
