import { StaleAttemptError } from '../errors';
import { isAttemptActive, type JobState } from '../job-state';
import { Reason } from '../reasons';
import type { AttemptRecord, JobRecord } from '../records';
import { move, NO_CHANGE, type Change } from './change';
import { afterRankEnded, gangStarted, type GangContext } from './gang';
import { classifyExit, type ExitReport, type TaskEnd, type TaskReport } from './task-end';
import { describeResult } from './describe-result';

/**
 * Applies one agent report about one task (one rank of the job's current attempt). Throws
 * StaleAttemptError when the report is about an attempt that is not the job's current one, ran
 * elsewhere, or already ended: it must have no effect. A report the task has already seen
 * (`sequence` not above the last) changes nothing. For a multi-node job, `gang.siblings` are
 * the attempt's other ranks: the job runs once every rank has started, takes its progress from
 * rank 0, stops every rank when one fails, and settles when the last rank has ended.
 */
export function applyTaskReport(
  job: JobRecord,
  attempt: AttemptRecord | undefined,
  nodeId: string,
  sequence: number,
  report: TaskReport,
  now: number,
  gang: GangContext = {},
): Change {
  if (!attempt || attempt.number !== job.attempt) {
    throw new StaleAttemptError(
      `attempt ${attempt?.number ?? '?'} of job ${job.id} is stale: the current attempt is ${job.attempt}`,
    );
  }
  if (attempt.nodeId !== nodeId) {
    throw new StaleAttemptError(`attempt ${attempt.number} of job ${job.id} runs on another node`);
  }
  if (sequence <= attempt.lastAgentSequence) return NO_CHANGE;
  if (!isAttemptActive(attempt.state)) {
    throw new StaleAttemptError(
      `attempt ${attempt.number} of job ${job.id} already ended (${attempt.state})`,
    );
  }
  const seen = { lastAgentSequence: sequence };
  const siblings = gang.siblings ?? [];
  const multiNode = siblings.length > 0;
  const rank = multiNode ? { rank: attempt.rank } : {};
  switch (report.type) {
    case 'started': {
      const attemptPatch = { ...seen, state: 'running' as const, startedAt: now };
      if (job.state !== 'scheduled' || !gangStarted(attempt, siblings))
        return { job: {}, attempt: attemptPatch, events: [] };
      const where = multiNode ? ` on ${siblings.length + 1} nodes` : '';
      return {
        ...move(
          job,
          'running',
          attempt.number,
          '',
          `running on ${report.backend} backend${where}`,
          {
            startedAt: job.startedAt ?? now,
          },
        ),
        attempt: attemptPatch,
      };
    }
    case 'progress':
      // A gang's ranks usually report the same progress; rank 0's is the job's.
      if (attempt.rank !== 0) return { job: {}, attempt: seen, events: [] };
      return {
        job: { progress: report.fraction },
        attempt: seen,
        events: [
          {
            type: 'progress',
            attempt: attempt.number,
            fraction: report.fraction,
            message: report.message,
          },
        ],
      };
    case 'log':
      return {
        job: {},
        attempt: seen,
        events: [
          {
            type: 'log',
            attempt: attempt.number,
            stream: report.stream,
            lines: report.lines,
            ...rank,
          },
        ],
      };
    case 'result':
      return {
        job: {},
        attempt: seen,
        result: report.result,
        events: [
          {
            type: 'notice',
            attempt: attempt.number,
            reason: 'Result',
            message: describeResult(report.result),
          },
        ],
      };
    case 'checkpoint':
      return {
        job: { lastCheckpointAt: now },
        attempt: seen,
        events: [{ type: 'checkpoint', attempt: attempt.number, message: report.message }],
      };
    case 'exited': {
      const ended = classifyExit(job, attempt, report, gang.maxAttempts);
      const patch = {
        ...seen,
        state: ended.state,
        endedAt: now,
        exitCode: report.exitCode,
        message: ended.message,
        endReason: ended.reason,
      };
      if (multiNode)
        return afterRankEnded(job, { ...attempt, ...patch }, patch, siblings, now, gang);
      return exited(job, attempt, report, ended, patch, now);
    }
  }
}

/** A single-node job's task exited: the job moves as the exit says. */
function exited(
  job: JobRecord,
  attempt: AttemptRecord,
  report: ExitReport,
  ended: TaskEnd,
  patch: Partial<AttemptRecord>,
  now: number,
): Change {
  const number = attempt.number;
  switch (ended.kind) {
    case 'preempted':
      return {
        ...move(
          job,
          'pending',
          number,
          Reason.Preempted,
          `${ended.message}; waiting to run again`,
          {
            preemptions: job.preemptions + 1,
          },
        ),
        attempt: patch,
      };
    case 'requeue':
      // Not the job's fault: it goes back to pending to run again elsewhere.
      return {
        ...move(
          job,
          'pending',
          number,
          Reason.Requeued,
          `${ended.message}; waiting for attempt ${number + 1}`,
          { progress: 0 },
        ),
        attempt: patch,
      };
    default: {
      const to: JobState =
        ended.kind === 'succeeded' ? 'succeeded' : ended.kind === 'failed' ? 'failed' : 'cancelled';
      return {
        ...move(
          job,
          to,
          number,
          ended.reason,
          ended.message,
          { endedAt: now, exitCode: report.exitCode },
          report.exitCode,
        ),
        attempt: patch,
      };
    }
  }
}
