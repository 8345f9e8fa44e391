/** A batch job's status as `Job.result.batch.status` reports it (OpenAI Batch's values). */
export const BATCH_STATUSES = [
  'validating',
  'in_progress',
  'finalizing',
  'completed',
  'expired',
  'cancelled',
  'failed',
] as const;

export type BatchStatus = (typeof BATCH_STATUSES)[number];

/** True once the status can no longer change. */
export function isFinalBatchStatus(status: BatchStatus): boolean {
  return (
    status === 'completed' || status === 'expired' || status === 'cancelled' || status === 'failed'
  );
}

/** A batch's request counts: `completed` answered (2xx), `failed` in the error file. */
export interface RequestCounts {
  readonly total: number;
  readonly completed: number;
  readonly failed: number;
}

/** The sum of parts' counts (a parent's counts are the sum of its shards'). */
export function sumRequestCounts(parts: readonly RequestCounts[]): RequestCounts {
  return parts.reduce(
    (sum, c) => ({
      total: sum.total + c.total,
      completed: sum.completed + c.completed,
      failed: sum.failed + c.failed,
    }),
    { total: 0, completed: 0, failed: 0 },
  );
}
