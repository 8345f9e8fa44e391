import { FailedPreconditionError } from '../errors';
import type { AttemptRecord, JobRecord } from '../records';
import { move, type Change } from './change';

/** Where one rank of a placed job runs. */
export interface RankAllocation {
  readonly nodeId: string;
  readonly nodeName: string;
  readonly gpuIndices: readonly number[];
}

/**
 * The scheduler placed a pending job: a new attempt starts dispatching, one task per node of
 * the job (rank i on allocations[i]; a single-node job has one).
 */
export function place(
  job: JobRecord,
  placement: { readonly allocations: readonly RankAllocation[] },
  now: number,
  /** Its class's minimum runtime: a job restarted after a preemption is protected that long. */
  protectedForSeconds = 0,
): Change {
  if (job.state !== 'pending') {
    throw new FailedPreconditionError(`job ${job.id} is ${job.state}, not pending`);
  }
  const { allocations } = placement;
  if (allocations.length === 0) {
    throw new FailedPreconditionError(`job ${job.id} was placed on no node`);
  }
  const number = job.attempt + 1;
  const moved = move(job, 'scheduled', number, '', placedMessage(allocations), {
    attempt: number,
    nominatedNodeIds: [],
    protectedUntil: job.preemptions > 0 ? now + protectedForSeconds * 1000 : 0,
  });
  const newAttempts = allocations.map((allocation, rank): AttemptRecord => ({
    jobId: job.id,
    number,
    rank,
    nodeId: allocation.nodeId,
    gpuIndices: [...allocation.gpuIndices],
    state: 'dispatching',
    createdAt: now,
    startedAt: null,
    endedAt: null,
    exitCode: null,
    message: '',
    lastAgentSequence: 0,
    stopReason: '',
    endReason: '',
  }));
  return { ...moved, newAttempts };
}

function placedMessage(allocations: readonly RankAllocation[]): string {
  const where = (a: RankAllocation) =>
    a.gpuIndices.length > 0 ? `${a.nodeName} GPUs ${a.gpuIndices.join(',')}` : a.nodeName;
  if (allocations.length === 1) return `placed on ${where(allocations[0]!)}`;
  return `placed on ${allocations.length} nodes: ${allocations.map(where).join('; ')}`;
}
