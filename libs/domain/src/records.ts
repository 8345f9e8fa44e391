import type { JobSpec } from './job-spec';
import type { AttemptState, JobState } from './job-state';

/** A job as the system of record holds it. Times are epoch milliseconds. */
export interface JobRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly spec: JobSpec;
  readonly specHash: string;
  readonly idempotencyKey: string | null;
  readonly state: JobState;
  readonly reason: string;
  readonly message: string;
  /** The current attempt number; 0 until first placed. */
  readonly attempt: number;
  readonly progress: number;
  readonly exitCode: number | null;
  readonly submittedAt: number;
  readonly startedAt: number | null;
  readonly endedAt: number | null;
  /** For an element of a job array: the array's id and the element's index. */
  readonly arrayId: string | null;
  readonly arrayIndex: number | null;
  /** The last checkpoint it reported (its work before survives a preemption). */
  readonly lastCheckpointAt: number | null;
  /** How often it was preempted. */
  readonly preemptions: number;
  /** Nodes held for it while the jobs preempted for it stop. */
  readonly nominatedNodeIds: readonly string[];
  /** Not preemptible for priority before this time (set when it restarts after a preemption). */
  readonly protectedUntil: number;
}

/**
 * One run of a job on one node: the task of one rank of the attempt. A single-node job's attempt
 * is rank 0 alone; a multi-node (gang) job's attempt has ranks 0 to nodes - 1, one per node.
 */
export interface AttemptRecord {
  readonly jobId: string;
  readonly number: number;
  /** Which node of the job, 0 to nodes - 1. */
  readonly rank: number;
  readonly nodeId: string;
  readonly gpuIndices: readonly number[];
  readonly state: AttemptState;
  readonly createdAt: number;
  readonly startedAt: number | null;
  readonly endedAt: number | null;
  readonly exitCode: number | null;
  readonly message: string;
  /** The highest agent event sequence applied; older ones are duplicates. */
  readonly lastAgentSequence: number;
  /**
   * Why it was told to stop early, when it was: its exit then means this. GangStopped: another
   * rank of its attempt failed, so the whole attempt stops.
   */
  readonly stopReason: AttemptStopReason;
  /** How it ended (a Reason: Completed, NonZeroExit, NodeLost, ...); '' while active. */
  readonly endReason: string;
}

export type AttemptStopReason = '' | 'Preempted' | 'GangStopped';

export type LogStream = 'stdout' | 'stderr';

/** An entry of a job's history before the store numbers it. */
export type JobEventDraft =
  | {
      readonly type: 'state_change';
      readonly attempt: number;
      readonly from: JobState;
      readonly to: JobState;
      readonly reason: string;
      readonly message: string;
      readonly exitCode?: number | null;
    }
  | {
      readonly type: 'progress';
      readonly attempt: number;
      readonly fraction: number;
      readonly message: string;
    }
  | {
      readonly type: 'log';
      readonly attempt: number;
      readonly stream: LogStream;
      readonly lines: readonly string[];
      /** The rank that wrote them (multi-node jobs); absent for a single-node job. */
      readonly rank?: number;
    }
  | { readonly type: 'checkpoint'; readonly attempt: number; readonly message: string }
  | {
      readonly type: 'notice';
      readonly attempt: number;
      readonly reason: string;
      readonly message: string;
    };

/** A numbered, recorded history entry. */
export type JobEvent = JobEventDraft & { readonly sequence: number; readonly time: number };
