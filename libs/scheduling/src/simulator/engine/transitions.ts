/**
 * What happens to a job in the replay: it starts (on the GPUs a validated placement gave it),
 * completes (its remaining work done), or stops after a preemption (back to pending; work up to
 * its last checkpoint kept, the rest, grace period included, lost), unless it is a job that ends
 * when preempted (a lease: it ends there, with what it delivered).
 */
import { remainingEstimate } from '../../estimates/runtime-estimator';
import { totalGpus, type NodeAllocation } from '../../model';
import type { CycleContext } from './types';
import { EventKind } from './event-heap';
import { estimateOf, Status, type JobState } from './job-state';

export function startJob(
  ctx: CycleContext,
  state: JobState,
  allocations: readonly NodeAllocation[],
  model: string,
  now: number,
): void {
  const { job } = state;
  const jobClass = ctx.classes.get(job.priorityClass)!;
  state.status = Status.Running;
  state.attempt += 1;
  state.attemptStart = now;
  state.allocations = allocations.map((a) => ({ nodeId: a.nodeId, gpuIndices: [...a.gpuIndices] }));
  state.gpuModel = model;
  state.stopping = false;
  state.stopOrderedAt = -1;
  state.nominated = null;
  state.runningView = null;
  if (state.firstStart < 0) state.firstStart = now;
  // A job preempted before is protected for its class's minimum runtime after it restarts.
  state.protectedUntilMs =
    state.preemptions > 0 ? ctx.epochMs + (now + jobClass.minRuntimeSeconds) * 1000 : 0;
  state.expectedRun = remainingEstimate(estimateOf(state, ctx.estimator), state.savedWork);
  ctx.usage.change(job.queue, model, totalGpus(job.shape));
  ctx.running.add(state);
  ctx.counters.placements += 1;
  const at = now + job.duration - state.savedWork;
  ctx.heap.push({ at, kind: EventKind.Complete, job: state.index, attempt: state.attempt });
  // Wake the scheduler when the job's minimum runtime ends: it may become a victim then.
  if (ctx.input.config.preemption && jobClass.preemptible && jobClass.minRuntimeSeconds > 0)
    ctx.heap.push({
      at: now + jobClass.minRuntimeSeconds,
      kind: EventKind.Wake,
      job: state.index,
      attempt: state.attempt,
    });
}

function leaveGpus(ctx: CycleContext, state: JobState, now: number, preempted: boolean): void {
  ctx.ledger.release(state.index, state.allocations);
  ctx.usage.change(state.job.queue, state.gpuModel, -totalGpus(state.job.shape));
  ctx.running.delete(state);
  state.ranSeconds += now - state.attemptStart;
  state.runs.push({
    startAt: state.attemptStart,
    endAt: now,
    allocations: state.allocations,
    preempted,
    stopOrderedAt: state.stopOrderedAt >= 0 ? state.stopOrderedAt : null,
  });
  state.stopping = false;
  state.runningView = null;
}

export function completeJob(ctx: CycleContext, state: JobState, now: number): boolean {
  leaveGpus(ctx, state, now, false);
  if (state.job.learnsRuntime !== false)
    ctx.estimator.record(state.job.tenant, state.job.kind, state.job.duration);
  finish(ctx, state, now);
  return true;
}

/** The job is done: its record. */
function finish(ctx: CycleContext, state: JobState, now: number): void {
  state.status = Status.Done;
  const { job } = state;
  const onGpus = state.runs.reduce((sum, run) => sum + run.endAt - run.startAt, 0);
  ctx.records[state.index] = {
    id: job.id,
    tenant: job.tenant,
    queue: job.queue,
    priorityClass: job.priorityClass,
    submitAt: job.submitAt,
    firstStartAt: state.firstStart,
    endAt: now,
    duration: job.duration,
    gpus: totalGpus(job.shape),
    preemptions: state.preemptions,
    lostGpuSeconds: state.lostGpuSeconds,
    waitSeconds: now - job.submitAt - onGpus,
    runs: state.runs,
  };
  if (state.index < ctx.input.jobs.length) ctx.counters.ended += 1;
}

export function stopJob(ctx: CycleContext, state: JobState, now: number): boolean {
  state.preemptions += 1;
  if (state.job.endsWhenPreempted) {
    // Nothing is lost or kept: it delivered its GPUs up to now, and ends here.
    leaveGpus(ctx, state, now, true);
    finish(ctx, state, now);
    return true;
  }
  const interval = ctx.input.checkpointIntervalSeconds;
  const ran = now - state.attemptStart;
  const left = state.job.duration - state.savedWork;
  const kept = interval > 0 ? Math.min(Math.floor(ran / interval) * interval, left) : 0;
  state.savedWork += kept;
  state.lostGpuSeconds += (ran - kept) * totalGpus(state.job.shape);
  leaveGpus(ctx, state, now, true);
  state.status = Status.Pending;
  state.pendingView = null;
  state.pendingViewRevision = -1;
  requeue(ctx, state);
  return true;
}

/** Puts a job back among the pending ones, keeping submit order (binary search). */
function requeue(ctx: CycleContext, state: JobState): void {
  const key = (s: JobState) => s.job.submitAt * 1e9 + s.index;
  const target = key(state);
  let low = 0;
  let high = ctx.pending.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (key(ctx.pending[middle]!) < target) low = middle + 1;
    else high = middle;
  }
  ctx.pending.splice(low, 0, state);
}
