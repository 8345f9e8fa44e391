/**
 * BullMQ job ids for dispatch orders: one id per (kind, jobId, attempt), so enqueueing the same
 * order twice while it waits or runs adds nothing.
 *
 * Format `<kind>.<encoded jobId>.<attempt>`, e.g. `run.job_01jd8z0k3v4w5x6y7z8a9b0c1d.2`. BullMQ
 * rejects custom ids that are integers or contain `:` (its key separator), so the job id is
 * percent-encoded (`:` becomes `%3A`) and the id always starts with a letter. Decoding splits at
 * the first and last `.`, which the kind and the attempt never contain.
 */
import { ValidationError } from '@gantry/domain';
import { type DispatchOrder } from '../api';

export type DispatchKind = DispatchOrder['kind'];

export interface DispatchKey {
  readonly kind: DispatchKind;
  readonly jobId: string;
  readonly attempt: number;
}

export function dispatchJobId(kind: DispatchKind, jobId: string, attempt: number): string {
  if (kind !== 'run' && kind !== 'stop') {
    throw ValidationError.field('kind', `must be "run" or "stop", got ${JSON.stringify(kind)}`);
  }
  if (typeof jobId !== 'string' || jobId.length === 0) {
    throw ValidationError.field('jobId', 'must be a non-empty string');
  }
  if (!Number.isSafeInteger(attempt) || attempt < 1) {
    throw ValidationError.field('attempt', `must be an integer of at least 1, got ${attempt}`);
  }
  return `${kind}.${encodeURIComponent(jobId)}.${attempt}`;
}

/** The (kind, jobId, attempt) of an id made by dispatchJobId; undefined for anything else. */
export function parseDispatchJobId(id: string): DispatchKey | undefined {
  const first = id.indexOf('.');
  const last = id.lastIndexOf('.');
  if (first <= 0 || last <= first + 1) return undefined;
  const kind = id.slice(0, first);
  const attempt = Number(id.slice(last + 1));
  if ((kind !== 'run' && kind !== 'stop') || !Number.isSafeInteger(attempt) || attempt < 1)
    return undefined;
  try {
    const jobId = decodeURIComponent(id.slice(first + 1, last));
    return dispatchJobId(kind, jobId, attempt) === id ? { kind, jobId, attempt } : undefined;
  } catch {
    return undefined; // malformed percent-encoding
  }
}
