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
  type Change,
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

/** Stop orders for the ranks a change told to stop because another rank failed. */
function gangStops(ranks: readonly AttemptRecord[], change: Change): StopOrder[] {
  return (change.ranks ?? []).flatMap(({ rank, patch }) => {
    const task = ranks.find((r) => r.rank === rank);
    return patch.stopReason === 'GangStopped' && task
      ? [{ jobId: task.jobId, attempt: task.number, rank, nodeId: task.nodeId }]
      : [];
  });
}

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

  async earlierRunSeconds(jobIds: readonly string[]): Promise<Map<string, number>> {
    const ran = new Map<string, number>();
    for (const id of jobIds)
      for (const a of this.attemptsOf(id))
        if (a.rank === 0 && a.startedAt !== null && a.endedAt !== null)
          ran.set(id, (ran.get(id) ?? 0) + Math.max(0, (a.endedAt - a.startedAt) / 1000));
    return ran;
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
      if (job.state !== 'scheduled') return [];
      const ranks = this.ranksOf(job.id, job.attempt);
      const gang =
        job.spec.resources.nodes > 1
          ? ranks.map((r) => ({
              rank: r.rank,
              nodeId: r.nodeId,
              nodeName: r.nodeId,
              address: `${r.nodeId}:50052`, // the in-memory job records know no nodes
            }))
          : undefined;
      return ranks
        .filter((r) => r.state === 'dispatching' && r.stopReason === '')
        .map(({ number, rank, nodeId, gpuIndices }) => ({
          jobId: job.id,
          attempt: number,
          rank,
          nodeId,
          gpuIndices,
          spec: job.spec,
          ...(gang ? { gang } : {}),
        }));
    });
  }

  async dispatchWork(jobId: string, attempt: number, rank = 0): Promise<DispatchWork | undefined> {
    return (await this.dispatchingWork()).find(
      (w) => w.jobId === jobId && w.attempt === attempt && w.rank === rank,
    );
  }

  async applyTaskEvents(
    nodeId: string,
    events: readonly ReportedEvent[],
    now: number,
    maxAttempts: number,
  ) {
    const outcomes: EventOutcome[] = [];
    const changed = new Map<string, ChangedJob>();
    for (const event of events) {
      const job = this.jobs.get(event.jobId);
      if (!job) {
        outcomes.push({ accepted: false, message: `job ${event.jobId} not found` });
        continue;
      }
      const ranks = this.ranksOf(job.id, event.attempt);
      const attempt = ranks.find((r) => r.rank === event.rank);
      const siblings = ranks.filter((r) => r.rank !== event.rank);
      try {
        const change = applyTaskReport(job, attempt, nodeId, event.sequence, event.report, now, {
          siblings,
          maxAttempts,
        });
        const updated = this.apply(job, event.attempt, change, now, event.rank);
        const stops = [...(changed.get(job.id)?.stops ?? []), ...gangStops(ranks, change)];
        if (change.events.length > 0)
          changed.set(job.id, { ...changedOf(updated), ...(stops.length > 0 ? { stops } : {}) });
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
    rank = 0,
  ): Promise<ChangedJob | undefined> {
    this.abandoned.push({ jobId, attempt, cause, detail });
    const job = this.jobs.get(jobId);
    const ranks = this.ranksOf(jobId, attempt);
    const record = ranks.find((r) => r.rank === rank);
    if (!job || !record) return undefined;
    const siblings = ranks.filter((r) => r.rank !== rank);
    const change = abandonAttempt(job, record, cause, detail, maxAttempts, now, siblings);
    if (change.events.length === 0) return undefined;
    const stops = gangStops(ranks, change);
    const updated = changedOf(this.apply(job, attempt, change, now, rank));
    return stops.length > 0 ? { ...updated, stops } : updated;
  }

  async activeAttemptsOn(nodeId: string): Promise<AttemptRecord[]> {
    return [...this.attempts.values()].filter(
      (a) => a.nodeId === nodeId && isAttemptActive(a.state),
    );
  }

  async stopOrders(
    nodeId: string,
    running: readonly { jobId: string; attempt: number }[],
  ): Promise<StopOrder[]> {
    return running.flatMap(({ jobId, attempt }) => {
      const job = this.jobs.get(jobId);
      const record = this.ranksOf(jobId, attempt).find((r) => r.nodeId === nodeId);
      const keep =
        job?.attempt === attempt &&
        job.state !== 'cancelling' &&
        record !== undefined &&
        record.stopReason !== 'GangStopped' &&
        isAttemptActive(record.state);
      return keep ? [] : [{ jobId, attempt, rank: record?.rank ?? 0, nodeId }];
    });
  }

  /** Active tasks of current attempts, with their job, that `keep` selects. */
  private activeTasks(keep: (job: JobRecord, task: AttemptRecord) => boolean) {
    return [...this.jobs.values()].flatMap((job) =>
      this.ranksOf(job.id, job.attempt)
        .filter((task) => isAttemptActive(task.state) && keep(job, task))
        .map((task) => ({
          jobId: job.id,
          attempt: task.number,
          rank: task.rank,
          nodeId: task.nodeId,
          priorityClass: job.spec.priorityClass,
        })),
    );
  }

  async cancellingAttempts(): Promise<StopOrder[]> {
    return this.activeTasks((job) => job.state === 'cancelling').map(
      ({ priorityClass: _c, ...order }) => order,
    );
  }

  async preemptingAttempts(): Promise<Array<StopOrder & { priorityClass: string }>> {
    return this.activeTasks((_job, task) => task.stopReason === 'Preempted');
  }

  async gangStoppedAttempts(): Promise<StopOrder[]> {
    return this.activeTasks(
      (job, task) => task.stopReason === 'GangStopped' && job.state !== 'cancelling',
    ).map(({ priorityClass: _c, ...order }) => order);
  }
}
