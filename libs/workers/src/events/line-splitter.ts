/** The longest line passed on whole; longer output is cut into pieces of this many characters. */
export const MAX_LINE_LENGTH = 16 * 1024;

/**
 * Turns chunks of text (as a pipe delivers them) into lines: splits on `\n`, drops a trailing
 * `\r`, keeps a partial last line until more text or `end()` arrives, and cuts a line longer
 * than `maxLength` so one runaway line cannot hold unbounded memory.
 */
export class LineSplitter {
  private partial = '';

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly maxLength = MAX_LINE_LENGTH,
  ) {}

  write(chunk: string): void {
    let text = this.partial + chunk;
    let newline = text.indexOf('\n');
    while (newline !== -1) {
      this.emit(text.slice(0, newline));
      text = text.slice(newline + 1);
      newline = text.indexOf('\n');
    }
    while (text.length > this.maxLength) {
      this.onLine(text.slice(0, this.maxLength));
      text = text.slice(this.maxLength);
    }
    this.partial = text;
  }

  /** Passes on what is left as a last line (output that did not end with a newline). */
  end(): void {
    if (this.partial !== '') this.emit(this.partial);
    this.partial = '';
  }

  private emit(line: string): void {
    const clean = line.endsWith('\r') ? line.slice(0, -1) : line;
    for (let start = 0; start < clean.length; start += this.maxLength)
      this.onLine(clean.slice(start, start + this.maxLength));
    if (clean.length === 0) this.onLine('');
  }
}
