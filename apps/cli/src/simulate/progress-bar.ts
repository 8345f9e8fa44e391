/**
 * A progress bar on a terminal's stderr while policies replay: one line, rewritten in place at
 * most every 100 ms, cleared when the run ends. Nothing at all when stderr is not a TTY.
 */
import type { OutputStream } from '../cli-environment';

export interface ProgressBar {
  update(policy: string, ended: number, total: number): void;
  done(): void;
}

const WIDTH = 30;

export function progressBar(stream: OutputStream, now: () => number): ProgressBar {
  if (!stream.isTTY) return { update: () => {}, done: () => {} };
  let last = Number.NEGATIVE_INFINITY;
  let shown = false;
  const started = now();
  return {
    update(policy, ended, total) {
      const at = now();
      if (at - last < 100 && ended < total) return;
      last = at;
      const fraction = total > 0 ? ended / total : 1;
      const filled = Math.round(fraction * WIDTH);
      const bar = `${'='.repeat(filled)}${filled < WIDTH ? '>' : ''}`.padEnd(WIDTH + 1);
      const seconds = ((at - started) / 1000).toFixed(0);
      stream.write(
        `\r\x1b[2K[${bar}] ${(fraction * 100).toFixed(0).padStart(3)}% ${policy}: ` +
          `${ended.toLocaleString('en-US')}/${total.toLocaleString('en-US')} jobs ended, ${seconds} s`,
      );
      shown = true;
    },
    done() {
      if (shown) stream.write('\r\x1b[2K');
      shown = false;
    },
  };
}
