import type { JobResult } from '../job-result';
/** How a task's exit reads: pure, shared by single-node jobs and by each rank of a gang. */
import type { AttemptState } from '../job-state';
import { Reason } from '../reasons';
import type { AttemptRecord, JobRecord, LogStream } from '../records';

/** What an agent reported about a task attempt. */
export type TaskReport =
  | { readonly type: 'started'; readonly backend: string }
  | { readonly type: 'progress'; readonly fraction: number; readonly message: string }
  | { readonly type: 'log'; readonly stream: LogStream; readonly lines: readonly string[] }
  | { readonly type: 'checkpoint'; readonly message: string }
  /** What a task of an inference kind produced (a reasoning job's answer), before its exit. */
  | { readonly type: 'result'; readonly result: JobResult }
  | {
      readonly type: 'exited';
      readonly exitCode: number;
      readonly signal: string;
      readonly reason: string;
      readonly message: string;
    };

export type ExitReport = Extract<TaskReport, { type: 'exited' }>;

/**
 * preempted: stopped for another job, runs again; requeue: its agent shut down (not the job's
 * fault); stopped: told to stop because another rank of its gang failed; cancelled, succeeded,
 * failed: as they say.
 */
export type EndKind = 'preempted' | 'requeue' | 'stopped' | 'cancelled' | 'succeeded' | 'failed';

export interface TaskEnd {
  readonly kind: EndKind;
  /** The attempt row's state. */
  readonly state: AttemptState;
  /** A Reason code. */
  readonly reason: string;
  readonly message: string;
}

const STATE_OF: Record<EndKind, AttemptState> = {
  preempted: 'preempted',
  requeue: 'lost',
  stopped: 'cancelled',
  cancelled: 'cancelled',
  succeeded: 'succeeded',
  failed: 'failed',
};

function end(kind: EndKind, reason: string, message: string): TaskEnd {
  return { kind, state: STATE_OF[kind], reason, message };
}

export function classifyExit(
  job: JobRecord,
  attempt: AttemptRecord,
  report: ExitReport,
  maxAttempts = Number.POSITIVE_INFINITY,
): TaskEnd {
  const cancelling = job.state === 'cancelling';
  if ((attempt.stopReason === 'Preempted' || report.reason === Reason.Preempted) && !cancelling)
    return end('preempted', Reason.Preempted, job.message || 'preempted');
  if (report.reason === Reason.AgentShutdown && !cancelling)
    return end('requeue', Reason.AgentShutdown, report.message || 'its agent shut down');
  if (report.reason === Reason.EngineFailed && !cancelling)
    return attempt.number < maxAttempts
      ? end('requeue', Reason.EngineFailed, report.message || 'its inference engine failed')
      : end(
          'failed',
          Reason.EngineFailed,
          `${report.message || 'its inference engine failed'} (attempt ${attempt.number} of ${maxAttempts})`,
        );
  const clean = report.exitCode === 0 && !report.signal;
  if (attempt.stopReason === 'GangStopped' && !cancelling && !clean)
    return end('stopped', Reason.GangStopped, 'stopped: another rank of the job failed');
  if (cancelling || report.reason === Reason.Cancelled)
    return end('cancelled', Reason.Cancelled, report.message || 'stopped on request');
  if (clean) return end('succeeded', Reason.Completed, 'exited with code 0');
  return end(
    'failed',
    report.reason || (report.signal ? Reason.Signaled : Reason.NonZeroExit),
    report.message ||
      (report.signal ? `killed by ${report.signal}` : `exited with code ${report.exitCode}`),
  );
}
