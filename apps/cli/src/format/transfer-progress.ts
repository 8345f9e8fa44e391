import { type OutputStream } from '../cli-environment';

/** Counts bytes moved and shows them on a terminal. */
export interface TransferProgress {
  add(bytes: number): void;
  /** Clears the progress line; the caller may then print a summary. */
  done(): void;
}

const WIDTH = 24;
const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** `512 B`, `1.5 KiB`, `26.5 MiB`: binary units, one decimal past bytes. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

/**
 * One line on a terminal's stderr, rewritten in place at most every 100 ms:
 * `uploading requests.jsonl [=========>     ]  45%  12.0 MiB / 26.5 MiB`. Nothing at all when
 * the stream is not a TTY, so pipes and logs stay quiet. `total` 0 shows bytes only.
 */
export function transferProgress(
  stream: OutputStream,
  now: () => number,
  label: string,
  total: number,
): TransferProgress {
  if (!stream.isTTY) return { add: () => {}, done: () => {} };
  let moved = 0;
  let last = Number.NEGATIVE_INFINITY;
  let shown = false;
  const draw = () => {
    const fraction = total > 0 ? Math.min(1, moved / total) : 0;
    const filled = Math.round(fraction * WIDTH);
    const bar = `${'='.repeat(filled)}${filled < WIDTH ? '>' : ''}`.padEnd(WIDTH + 1);
    const amount =
      total > 0
        ? `[${bar}] ${(fraction * 100).toFixed(0).padStart(3)}%  ${formatBytes(moved)} / ${formatBytes(total)}`
        : formatBytes(moved);
    stream.write(`\r\x1b[2K${label} ${amount}`);
    shown = true;
  };
  return {
    add(bytes) {
      moved += bytes;
      const at = now();
      if (at - last < 100 && !(total > 0 && moved >= total)) return;
      last = at;
      draw();
    },
    done() {
      if (shown) stream.write('\r\x1b[2K');
      shown = false;
    },
  };
}
