/** What agents report and what the dispatcher hands them. */
import type { JobSpec, TaskReport } from '@gantry/domain';

export interface ReportedEvent {
  readonly jobId: string;
  readonly attempt: number;
  /** The rank of a multi-node job's task; 0 for a single-node job. */
  readonly rank: number;
  /** The agent's per-attempt sequence (from 1); a repeat is accepted and changes nothing. */
  readonly sequence: number;
  readonly report: TaskReport;
}

export interface EventOutcome {
  readonly accepted: boolean;
  /** Why it was rejected (stale attempt, unknown job), or empty. */
  readonly message: string;
}

export interface DispatchWork {
  readonly jobId: string;
  readonly attempt: number;
  readonly rank: number;
  readonly nodeId: string;
  readonly gpuIndices: readonly number[];
  readonly spec: JobSpec;
  /** For a multi-node job: every rank's node, in rank order (rank 0 hosts the rendezvous). */
  readonly gang?: readonly GangMember[];
}

export interface GangMember {
  readonly rank: number;
  readonly nodeId: string;
  readonly nodeName: string;
  /** The node's agent address (host:port). */
  readonly address: string;
}
