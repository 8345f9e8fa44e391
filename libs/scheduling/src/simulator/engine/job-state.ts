/**
 * The engine's mutable record of one job, and the immutable views a snapshot shows of it.
 * A view is rebuilt only when what it shows changed (a new estimate, a checkpoint, an overdue
 * expected end, a stop), so a cycle reuses almost every object of the previous one.
 */
import {
  remainingEstimate,
  type EstimateKey,
  type RuntimeEstimator,
} from '../../estimates/runtime-estimator';
import type { NodeAllocation, PendingJob, RunningJob } from '../../model';
import type { SimJob } from '../workload/workload';
import type { JobRun } from './types';

export const Status = { Future: 0, Pending: 1, Running: 2, Done: 3 } as const;
export type Status = (typeof Status)[keyof typeof Status];

export interface JobState {
  readonly job: SimJob;
  readonly index: number;
  status: Status;
  /** Bumped at each start; events of older attempts are stale. */
  attempt: number;
  /** Work kept by checkpoints of earlier attempts, seconds. */
  savedWork: number;
  /** Time on GPUs in earlier attempts (grace periods included), seconds: not waiting (ADR 13). */
  ranSeconds: number;
  attemptStart: number;
  allocations: readonly NodeAllocation[];
  gpuModel: string;
  stopping: boolean;
  /** When the current attempt was told to stop (-1: it was not). */
  stopOrderedAt: number;
  preemptions: number;
  /** Epoch ms: not preemptible for priority before it (set when a preempted job restarts). */
  protectedUntilMs: number;
  firstStart: number;
  lostGpuSeconds: number;
  runs: JobRun[];
  /** The attempt's expected run time, doubled each time the job outlives it. */
  expectedRun: number;
  /** The estimator's key of the job's tenant and kind, resolved once. */
  estimateKey: EstimateKey | null;
  /** Nodes a decision nominated for this job (held while its victims stop) until it starts. */
  nominated: readonly string[] | null;
  pendingView: PendingJob | null;
  /** The revisions of the estimate key's windows the pending view was built with. */
  pendingViewRevision: number;
  runningView: RunningJob | null;
  runningViewCheckpoints: number;
}

export function newJobState(job: SimJob, index: number): JobState {
  return {
    job,
    index,
    status: Status.Future,
    attempt: 0,
    savedWork: 0,
    ranSeconds: 0,
    attemptStart: 0,
    allocations: [],
    gpuModel: '',
    stopping: false,
    stopOrderedAt: -1,
    preemptions: 0,
    protectedUntilMs: 0,
    firstStart: -1,
    lostGpuSeconds: 0,
    runs: [],
    expectedRun: 0,
    estimateKey: null,
    nominated: null,
    pendingView: null,
    pendingViewRevision: -1,
    runningView: null,
    runningViewCheckpoints: -1,
  };
}

/** The estimator's current estimate of the job's whole run time. */
export function estimateOf(state: JobState, estimator: RuntimeEstimator): number {
  state.estimateKey ??= estimator.keyOf(state.job.tenant, state.job.kind);
  return estimator.estimateFor(state.estimateKey);
}

/**
 * The job as a pending snapshot entry; the estimate is of the work left, and it has waited since
 * its submit time plus its earlier run time.
 */
export function pendingView(
  state: JobState,
  estimator: RuntimeEstimator,
  epochMs: number,
): PendingJob {
  const view = state.pendingView;
  const nominated = (view?.nominatedNodeIds ?? null) === state.nominated;
  const key = (state.estimateKey ??= estimator.keyOf(state.job.tenant, state.job.kind));
  // Both windows only ever grow their revision: the sum changes exactly when either does.
  const revision = key.own.revision + key.shared.revision;
  if (view && nominated && state.pendingViewRevision === revision) return view;
  const { job } = state;
  const estimate = remainingEstimate(estimator.estimateFor(key), state.savedWork);
  state.pendingViewRevision = revision;
  if (view && nominated && view.estimatedRuntimeSeconds === estimate) return view;
  state.pendingView = {
    id: job.id,
    queue: job.queue,
    tenant: job.tenant,
    priorityClass: job.priorityClass,
    priority: job.priority ?? 0,
    submittedAt: epochMs + job.submitAt * 1000,
    waitingSince: waitingSince(state, epochMs),
    shape: job.shape,
    estimatedRuntimeSeconds: estimate,
    ...(state.nominated ? { nominatedNodeIds: state.nominated } : {}),
  };
  return state.pendingView;
}

/** The job as a running snapshot entry at `now` (seconds). */
export function runningView(
  state: JobState,
  now: number,
  checkpointIntervalSeconds: number,
  epochMs: number,
): RunningJob {
  const ran = now - state.attemptStart;
  const checkpoints =
    checkpointIntervalSeconds > 0 ? Math.floor(ran / checkpointIntervalSeconds) : 0;
  let overdue = false;
  while (state.attemptStart + state.expectedRun <= now) {
    state.expectedRun = Math.max(1, state.expectedRun * 2);
    overdue = true;
  }
  const view = state.runningView;
  if (
    view &&
    !overdue &&
    view.stopping === state.stopping &&
    state.runningViewCheckpoints === checkpoints
  )
    return view;
  const { job } = state;
  state.runningViewCheckpoints = checkpoints;
  state.runningView = {
    id: job.id,
    queue: job.queue,
    tenant: job.tenant,
    priorityClass: job.priorityClass,
    priority: job.priority ?? 0,
    shape: job.shape,
    allocations: state.allocations,
    gpuModel: state.gpuModel,
    startedAt: epochMs + state.attemptStart * 1000,
    expectedEndAt: epochMs + (state.attemptStart + state.expectedRun) * 1000,
    lastCheckpointAt:
      checkpoints > 0
        ? epochMs + (state.attemptStart + checkpoints * checkpointIntervalSeconds) * 1000
        : null,
    protectedUntil: state.protectedUntilMs,
    stopping: state.stopping,
    preemptions: state.preemptions,
    waitingSince: waitingSince(state, epochMs),
  };
  return state.runningView;
}

/** Submit time plus the time on GPUs of earlier attempts, epoch ms (PendingJob.waitingSince). */
function waitingSince(state: JobState, epochMs: number): number {
  return epochMs + (state.job.submitAt + state.ranSeconds) * 1000;
}
