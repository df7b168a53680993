/**
 * Progress of long runs on stderr, only when stderr is a terminal: one line
 * rewritten in place and erased when the run ends, so piped or captured
 * output never holds it.
 */
export class Progress {
  private shown = false;
  private last = "";
  constructor(private readonly on = process.stderr.isTTY === true) {}

  /** Shows `text` in place of the previous line. */
  update(text: string): void {
    if (!this.on || text === this.last) return;
    this.last = text;
    this.shown = true;
    process.stderr.write(`\r\x1b[K${text}`);
  }

  /** Erases the line. */
  done(): void {
    if (this.shown) process.stderr.write("\r\x1b[K");
    this.shown = false;
    this.last = "";
  }
}
