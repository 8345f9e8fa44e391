/**
 * The progress protocol of `process` tasks. A task reports how far it is by writing a line to
 * stdout:
 *
 *     GANTRY_PROGRESS <fraction> [message]
 *
 * where `fraction` is a number from 0 to 1 (`0.25`, `1`) and `message` is optional free text,
 * e.g. `GANTRY_PROGRESS 0.4 shard 4/10 done`. Such a line becomes a `progress` event instead of a
 * log line (the task's log file still has it). A line that starts with GANTRY_PROGRESS but has
 * no valid fraction stays an ordinary log line.
 */
export const PROGRESS_PREFIX = 'GANTRY_PROGRESS';

export interface ProgressReport {
  readonly fraction: number;
  readonly message: string;
}

const PROGRESS_LINE = /^GANTRY_PROGRESS[ \t]+([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)(?:[ \t]+(.*))?$/;

/** The progress a stdout line reports, or undefined when it is an ordinary line. */
export function parseProgressLine(line: string): ProgressReport | undefined {
  if (!line.startsWith(PROGRESS_PREFIX)) return undefined;
  const match = PROGRESS_LINE.exec(line.trimEnd());
  if (!match) return undefined;
  const fraction = Number(match[1]);
  if (!Number.isFinite(fraction) || fraction < 0 || fraction > 1) return undefined;
  return { fraction, message: (match[2] ?? '').trim() };
}
