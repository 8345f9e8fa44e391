import { readFile } from 'node:fs/promises';
import { type ChildExit } from './supervisor';

/** `control-plane exited with code 78` / `node-1 was killed by SIGKILL`. */
export function describeExit(exit: ChildExit): string {
  return exit.signal
    ? `${exit.name} was killed by ${exit.signal}`
    : `${exit.name} exited with code ${exit.code ?? 'unknown'}`;
}

/** The line the supervisor writes into a log before each start; tails begin after the last. */
export const START_MARKER = '--- gantry up: starting ';

/**
 * The last `count` lines of a child's log, for the message when it dies. JSON log lines are
 * shortened to their level and message, which is what a person needs at that moment.
 */
export async function tailLog(path: string, count = 15): Promise<string[]> {
  const text = await readFile(path, 'utf8').catch(() => '');
  const lines = text.split('\n');
  const start = lines.findLastIndex((line) => line.startsWith(START_MARKER));
  return lines
    .slice(start + 1)
    .filter((line) => line.trim() !== '')
    .slice(-count)
    .map(readable);
}

const LEVELS: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};

function readable(line: string): string {
  if (!line.startsWith('{')) return line;
  try {
    const record = JSON.parse(line) as Record<string, unknown>;
    const text = (value: unknown) => (typeof value === 'string' ? value : '');
    const level =
      typeof record['level'] === 'number' ? LEVELS[record['level']] : text(record['level']);
    const err = record['err'] as { message?: unknown } | undefined;
    const detail = text(err?.message);
    const parts = [level ?? '', text(record['msg']), detail ? `(${detail})` : ''];
    return parts.filter(Boolean).join(' ');
  } catch {
    return line;
  }
}
