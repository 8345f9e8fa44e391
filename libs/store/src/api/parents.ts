/**
 * The parent repository: what the workload controller reads and writes to drive batch and RL
 * jobs (ADR 9): the live parents, their shards, their results, their end.
 */
import type { JobResult, JobSpec, JobState, ParentEnd } from '@gantry/domain';
import type { ChangedJob, StopOrder } from './cycle';
import type { JobView } from './jobs';

/** A shard as its parent sees it. */
export interface ShardView {
  readonly id: string;
  readonly spec: JobSpec;
  readonly state: JobState;
  readonly reason: string;
  readonly message: string;
  readonly attempt: number;
  /** The message of its last progress event ('' before the first). */
  readonly progressMessage: string;
}

export interface ParentRepository {
  /** Batch and RL jobs that have not ended (running or cancelling), oldest first. */
  liveParents(limit: number): Promise<JobView[]>;
  /** A parent's shards, by shard index. */
  shards(parentId: string): Promise<ShardView[]>;
  /**
   * Creates a running parent's shards (pending jobs of the parent's tenant) and records its
   * result, in one transaction; returns the shards to enqueue. Idempotent: a parent that is not
   * running or already has shards gets nothing new (and [] back).
   */
  createShards(
    parentId: string,
    shards: readonly JobSpec[],
    result: JobResult,
    message: string,
    now: number,
  ): Promise<ChangedJob[]>;
  /** Records a live parent's result and progress (0-1); a progress event when it moved. */
  recordProgress(
    parentId: string,
    result: JobResult,
    progress: number,
    message: string,
    now: number,
  ): Promise<void>;
  /** Ends a parent with its final result; null when it had already ended. */
  endParent(
    parentId: string,
    to: ParentEnd,
    reason: string,
    message: string,
    result: JobResult,
    now: number,
  ): Promise<ChangedJob | null>;
  /** Cancels a parent's shards that have not ended; the stop orders of the placed ones. */
  cancelShards(
    parentId: string,
    reason: string,
    now: number,
  ): Promise<{ changed: ChangedJob[]; stops: StopOrder[] }>;
}
