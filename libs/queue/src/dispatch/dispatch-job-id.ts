/**
 * BullMQ job ids for dispatch orders: one id per (kind, jobId, attempt, rank), so enqueueing the
 * same order twice while it waits or runs adds nothing.
 *
 * Format `<kind>.<encoded jobId>.<attempt>`, e.g. `run.job_01jd8z0k3v4w5x6y7z8a9b0c1d.2`, and
 * `<kind>.<encoded jobId>.<attempt>.<rank>` for rank 1 and up of a multi-node job (rank 0 keeps
 * the single-node form, so orders queued before multi-node jobs existed still match). BullMQ
 * rejects custom ids that are integers or contain `:` (its key separator), so the job id is
 * percent-encoded (`:` becomes `%3A`, `.` becomes `%2E`) and the id always starts with a letter.
 * Decoding splits at the dots, which only separate the parts.
 */
import { ValidationError } from '@gantry/domain';
import { type DispatchOrder } from '../api';

export type DispatchKind = DispatchOrder['kind'];

export interface DispatchKey {
  readonly kind: DispatchKind;
  readonly jobId: string;
  readonly attempt: number;
  readonly rank: number;
}

const encode = (jobId: string) => encodeURIComponent(jobId).replace(/\./g, '%2E');

export function dispatchJobId(
  kind: DispatchKind,
  jobId: string,
  attempt: number,
  rank = 0,
): string {
  if (kind !== 'run' && kind !== 'stop') {
    throw ValidationError.field('kind', `must be "run" or "stop", got ${JSON.stringify(kind)}`);
  }
  if (typeof jobId !== 'string' || jobId.length === 0) {
    throw ValidationError.field('jobId', 'must be a non-empty string');
  }
  if (!Number.isSafeInteger(attempt) || attempt < 1) {
    throw ValidationError.field('attempt', `must be an integer of at least 1, got ${attempt}`);
  }
  if (!Number.isSafeInteger(rank) || rank < 0) {
    throw ValidationError.field('rank', `must be an integer of at least 0, got ${rank}`);
  }
  const base = `${kind}.${encode(jobId)}.${attempt}`;
  return rank === 0 ? base : `${base}.${rank}`;
}

/** The (kind, jobId, attempt, rank) of an id made by dispatchJobId; undefined for anything else. */
export function parseDispatchJobId(id: string): DispatchKey | undefined {
  const parts = id.split('.');
  if (parts.length !== 3 && parts.length !== 4) return undefined;
  const [kind, encoded, attemptText, rankText = '0'] = parts as [string, string, string, string?];
  const attempt = Number(attemptText);
  const rank = Number(rankText);
  if (kind !== 'run' && kind !== 'stop') return undefined;
  try {
    const jobId = decodeURIComponent(encoded);
    return dispatchJobId(kind, jobId, attempt, rank) === id
      ? { kind, jobId, attempt, rank }
      : undefined;
  } catch {
    return undefined; // malformed percent-encoding, or not a valid order id
  }
}
