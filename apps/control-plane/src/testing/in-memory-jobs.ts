/**
 * JobRepository (libs/store/src/api.ts) in memory, for unit tests only. It applies the domain's
 * pure transitions like the PostgreSQL store does, and records the leader's fenced writes.
 */
import {
  AbortedError,
  abandonAttempt,
  applyTaskReport,
  FailedPreconditionError,
  isAttemptActive,
  isTerminal,
  type Reason,
  type AttemptRecord,
  type JobRecord,
  type JobState,
} from '@gantry/domain';
import type {
  ActiveAttempt,
  Allocation,
  ChangedJob,
  CycleResult,
  CycleWrite,
  DispatchWork,
  EventOutcome,
  FenceToken,
  FinishedRun,
  JobRepository,
  ReportedEvent,
  StopOrder,
} from '@gantry/store';
import { changedOf } from '../effects/job-effects.service';
import { commitCycleOn } from './in-memory-cycle';
import { InMemoryJobApi } from './in-memory-job-api';
import { activeAttemptsOf, finishedRunsOf } from './in-memory-reads';
import { attemptKey } from './job-records';

/** A commitCycle call as it came: the fence and the whole cycle write. */
export interface CommitCall extends CycleWrite {
  readonly fence: FenceToken;
}

export class InMemoryJobRepository extends InMemoryJobApi implements JobRepository {
  readonly commits: CommitCall[] = [];
  /** The ids each jobStates call asked for. */
  readonly stateQueries: string[][] = [];
  readonly finishedRunQueries: { since: number; limit: number }[] = [];
  readonly abandoned: { jobId: string; attempt: number; cause: string; detail: string }[] = [];
  private highestFence = 0;

  /** The highest fence token a commit carried. */
  get fence(): number {
    return this.highestFence;
  }

  /** Jobs of the queue that have not ended (for the policy double's deleteQueue). */
  unfinishedIn(queue: string): number {
    return [...this.jobs.values()].filter((j) => j.spec.queue === queue && !isTerminal(j.state))
      .length;
  }

  async loadPending(jobIds: readonly string[]): Promise<JobRecord[]> {
    return jobIds.flatMap((id) => {
      const job = this.jobs.get(id);
      return job?.state === 'pending' ? [job] : [];
    });
  }

  async pendingEntries(afterJobId: string, limit: number): Promise<ChangedJob[]> {
    return [...this.jobs.values()]
      .filter((j) => j.state === 'pending' && j.id > afterJobId)
      .filter((j) =>
        j.spec.dependencies.every((d) => isTerminal(this.jobs.get(d.jobId)?.state ?? 'cancelled')),
      )
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .slice(0, limit)
      .map(changedOf);
  }

  async activeAllocations(): Promise<Allocation[]> {
    return [...this.attempts.values()]
      .filter((a) => isAttemptActive(a.state))
      .map((a) => ({
        nodeId: a.nodeId,
        jobId: a.jobId,
        attempt: a.number,
        gpuIndices: a.gpuIndices,
      }));
  }

  async commitCycle(fence: FenceToken, write: CycleWrite, now: number): Promise<CycleResult> {
    if (fence < this.highestFence)
      throw new AbortedError(`fence ${fence} is older than ${this.highestFence}`);
    this.highestFence = fence;
    this.commits.push({ fence, ...write });
    return commitCycleOn(this, write, now);
  }

  async activeAttempts(): Promise<ActiveAttempt[]> {
    return activeAttemptsOf(this);
  }

  async jobStates(jobIds: readonly string[]): Promise<Map<string, JobState>> {
    this.stateQueries.push([...jobIds]);
    return new Map(
      jobIds.flatMap((id) => {
        const job = this.jobs.get(id);
        return job ? [[id, job.state] as const] : [];
      }),
    );
  }

  async finishedRuns(since: number, limit: number): Promise<FinishedRun[]> {
    this.finishedRunQueries.push({ since, limit });
    return finishedRunsOf(this, since, limit);
  }

  async dispatchingWork(): Promise<DispatchWork[]> {
    return [...this.jobs.values()].flatMap((job) => {
      const attempt = this.currentAttempt(job);
      if (job.state !== 'scheduled' || attempt?.state !== 'dispatching') return [];
      const { number, nodeId, gpuIndices } = attempt;
      return [{ jobId: job.id, attempt: number, nodeId, gpuIndices, spec: job.spec }];
    });
  }

  async dispatchWork(jobId: string, attempt: number): Promise<DispatchWork | undefined> {
    return (await this.dispatchingWork()).find((w) => w.jobId === jobId && w.attempt === attempt);
  }

  async applyTaskEvents(nodeId: string, events: readonly ReportedEvent[], now: number) {
    const outcomes: EventOutcome[] = [];
    const changed = new Map<string, ChangedJob>();
    for (const event of events) {
      const job = this.jobs.get(event.jobId);
      if (!job) {
        outcomes.push({ accepted: false, message: `job ${event.jobId} not found` });
        continue;
      }
      const attempt = this.attempts.get(attemptKey(job.id, event.attempt));
      try {
        const change = applyTaskReport(job, attempt, nodeId, event.sequence, event.report, now);
        const updated = this.apply(job, event.attempt, change, now);
        if (change.events.length > 0) changed.set(job.id, changedOf(updated));
        outcomes.push({ accepted: true, message: '' });
      } catch (error) {
        if (!(error instanceof FailedPreconditionError)) throw error;
        outcomes.push({ accepted: false, message: error.message });
      }
    }
    return { outcomes, changed: [...changed.values()] };
  }

  async abandonAttempt(
    jobId: string,
    attempt: number,
    cause: typeof Reason.NodeLost | typeof Reason.DispatchFailed,
    detail: string,
    maxAttempts: number,
    now: number,
  ): Promise<ChangedJob | undefined> {
    this.abandoned.push({ jobId, attempt, cause, detail });
    const job = this.jobs.get(jobId);
    const record = this.attempts.get(attemptKey(jobId, attempt));
    if (!job || !record) return undefined;
    const change = abandonAttempt(job, record, cause, detail, maxAttempts, now);
    if (change.events.length === 0) return undefined;
    return changedOf(this.apply(job, attempt, change, now));
  }

  async activeAttemptsOn(nodeId: string): Promise<AttemptRecord[]> {
    return [...this.attempts.values()].filter(
      (a) => a.nodeId === nodeId && isAttemptActive(a.state),
    );
  }

  async stopOrders(nodeId: string, running: readonly { jobId: string; attempt: number }[]) {
    return running
      .filter(({ jobId, attempt }) => {
        const job = this.jobs.get(jobId);
        const record = this.attempts.get(attemptKey(jobId, attempt));
        const keep =
          job?.attempt === attempt &&
          job.state !== 'cancelling' &&
          record?.nodeId === nodeId &&
          isAttemptActive(record.state);
        return !keep;
      })
      .map(({ jobId, attempt }) => ({ jobId, attempt, nodeId }));
  }

  async cancellingAttempts(): Promise<StopOrder[]> {
    return [...this.jobs.values()].flatMap((job) => {
      const attempt = this.currentAttempt(job);
      if (job.state !== 'cancelling' || !attempt || !isAttemptActive(attempt.state)) return [];
      return [{ jobId: job.id, attempt: attempt.number, nodeId: attempt.nodeId }];
    });
  }

  async preemptingAttempts(): Promise<Array<StopOrder & { priorityClass: string }>> {
    return [...this.jobs.values()].flatMap((job) => {
      const attempt = this.currentAttempt(job);
      if (!attempt || attempt.stopReason !== 'Preempted' || !isAttemptActive(attempt.state))
        return [];
      return [
        {
          jobId: job.id,
          attempt: attempt.number,
          nodeId: attempt.nodeId,
          priorityClass: job.spec.priorityClass,
        },
      ];
    });
  }
}
