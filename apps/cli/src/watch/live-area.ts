import { type OutputStream } from '../cli-environment';

const CLEAR_BELOW = '\x1b[J';
const up = (lines: number) => `\x1b[${lines}F`;

/**
 * A block of lines redrawn in place on a terminal (progress bars, the demo's table): each render
 * moves the cursor back to the block's first line and clears below. Lines are cut to the
 * terminal width so wrapping never breaks the count.
 */
export class LiveArea {
  private height = 0;
  private lastRender = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly stream: OutputStream,
    private readonly now: () => number = Date.now,
    private readonly minIntervalMs = 100,
  ) {}

  /** Redraws; skipped when the last redraw was under `minIntervalMs` ago unless `force`. */
  render(lines: readonly string[], force = false): void {
    const at = this.now();
    if (!force && at - this.lastRender < this.minIntervalMs) return;
    this.lastRender = at;
    // A pseudo-terminal may report 0 columns: assume a common width then.
    const width = Math.max(20, (this.stream.columns || 100) - 1);
    const fitted = lines.map((line) =>
      [...line].length > width ? [...line].slice(0, width).join('') : line,
    );
    const rewind = this.height > 0 ? up(this.height) + CLEAR_BELOW : '';
    this.stream.write(`${rewind}${fitted.join('\n')}\n`);
    this.height = fitted.length;
  }

  /** Writes lines above the block (a message that should stay), then redraws nothing. */
  print(text: string): void {
    const rewind = this.height > 0 ? up(this.height) + CLEAR_BELOW : '';
    this.stream.write(`${rewind}${text.endsWith('\n') ? text : `${text}\n`}`);
    this.height = 0;
  }
}

/** `[██████░░░░]` for a fraction 0-1. */
export function progressBar(fraction: number, width = 24): string {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  const filled = Math.round(clamped * width);
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}]`;
}
