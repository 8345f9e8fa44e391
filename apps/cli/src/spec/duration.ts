import { UsageError } from '../errors/cli-errors';

const UNIT_SECONDS: Record<string, number> = { d: 86_400, h: 3_600, m: 60, s: 1 };
const PART = /(\d+(?:\.\d+)?)([dhms])/gy;

/**
 * Parses a duration written like Go's and kubectl's: `1h30m`, `45m`, `90s`, `1.5h`, `2d`.
 * Units are required (a bare `90` is ambiguous: Slurm reads minutes, others seconds), each at
 * most once and largest first. Returns seconds.
 */
export function parseDuration(text: string, flag = '--time-limit'): number {
  const trimmed = text.trim();
  const fail = (): never => {
    throw new UsageError(`${flag}: must be a duration like 1h30m, 45m or 90s (got '${text}')`);
  };
  if (trimmed === '') fail();
  PART.lastIndex = 0;
  let seconds = 0;
  let consumed = 0;
  let lastUnit = Number.POSITIVE_INFINITY;
  for (let match = PART.exec(trimmed); match; match = PART.exec(trimmed)) {
    const unit = UNIT_SECONDS[match[2]!]!;
    if (unit >= lastUnit) fail();
    lastUnit = unit;
    seconds += Number(match[1]) * unit;
    consumed = PART.lastIndex;
  }
  if (consumed !== trimmed.length) fail();
  return seconds;
}

/** Formats seconds compactly for people: `45s`, `3m20s`, `2h5m`, `3d4h`. */
export function formatDuration(totalSeconds: number): string {
  if (!Number.isFinite(totalSeconds) || totalSeconds < 0) return '-';
  const s = Math.floor(totalSeconds);
  if (s < 60) return `${s}s`;
  if (s < 3_600) return join(Math.floor(s / 60), 'm', s % 60, 's');
  if (s < 86_400) return join(Math.floor(s / 3_600), 'h', Math.floor((s % 3_600) / 60), 'm');
  return join(Math.floor(s / 86_400), 'd', Math.floor((s % 86_400) / 3_600), 'h');
}

function join(major: number, majorUnit: string, minor: number, minorUnit: string): string {
  return minor === 0 ? `${major}${majorUnit}` : `${major}${majorUnit}${minor}${minorUnit}`;
}

/** Age like squeue and kubectl show it: one unit, rounded down (`5s`, `3m`, `2h`, `4d`). */
export function formatAge(fromMs: number | undefined, nowMs: number): string {
  if (fromMs === undefined) return '-';
  const s = Math.max(0, Math.floor((nowMs - fromMs) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3_600) return `${Math.floor(s / 60)}m`;
  if (s < 86_400) return `${Math.floor(s / 3_600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}
