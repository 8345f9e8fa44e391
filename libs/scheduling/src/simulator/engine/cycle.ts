/**
 * One scheduling cycle of the replay:
 *   1. snapshot: nodes, running jobs (expected ends from the estimator, never the true
 *      durations; last checkpoints; protection; stopping flags), pending jobs with their
 *      estimates, queues, classes, decayed usage, the clock;
 *   2. decide: the policy's decision, its CPU time measured alone;
 *   3. validate (apply-decision.ts) and apply: victims start stopping (their GPUs free after
 *      the grace period), placed jobs start, and nominated jobs keep their nodes until they
 *      start or a later decision nominates others (as the live store does).
 */
import type { ClusterSnapshot, PendingJob, RunningJob } from '../../model';
import { acceptDecision, PreemptionStormError } from './apply-decision';
import type { CycleContext } from './types';
import { EventKind } from './event-heap';
import { pendingView, runningView, Status } from './job-state';
import { startJob } from './transitions';

/** The cluster as the policy sees it at `now` (also what a submitter's ClusterView shows). */
export function buildSnapshot(ctx: CycleContext, now: number): ClusterSnapshot {
  const { input, epochMs } = ctx;
  const running: RunningJob[] = [];
  for (const state of ctx.running)
    running.push(runningView(state, now, input.checkpointIntervalSeconds, epochMs));
  const pending: PendingJob[] = new Array<PendingJob>(ctx.pending.length);
  for (let i = 0; i < ctx.pending.length; i++)
    pending[i] = pendingView(ctx.pending[i]!, ctx.estimator, epochMs);
  return {
    now: epochMs + now * 1000,
    nodes: input.nodes,
    running,
    pending,
    queues: input.queues,
    classes: input.classes,
    usage: ctx.usage.snapshot(),
    config: input.config,
  };
}

export function runCycle(ctx: CycleContext, now: number): void {
  const { input } = ctx;
  // 1. Snapshot.
  const snapshot = buildSnapshot(ctx, now);
  // 2. Decide.
  const before = input.cpuTimeMs();
  const decision = input.policy.decide(snapshot);
  ctx.cycleCpuMs.push(input.cpuTimeMs() - before);
  // 3. Validate and apply.
  const accepted = acceptDecision(decision, {
    policy: input.policy.name,
    now,
    byId: ctx.byId,
    ledger: ctx.ledger,
    classes: ctx.classes,
    fabricLabel: input.config.fabricLabel,
  });
  if (accepted.preempted.length + accepted.placed.length + accepted.nominated.length > 0)
    ctx.counters.version += 1;
  for (const victim of accepted.preempted) {
    victim.stopping = true;
    victim.stopOrderedAt = now;
    ctx.counters.preemptions += 1;
    const grace = ctx.classes.get(victim.job.priorityClass)!.gracePeriodSeconds;
    ctx.heap.push({
      at: now + grace,
      kind: EventKind.Stop,
      job: victim.index,
      attempt: victim.attempt,
    });
  }
  const limit = input.maxPreemptions ?? 5 * ctx.states.length + 100;
  if (ctx.counters.preemptions > limit)
    throw new PreemptionStormError(
      input.policy.name,
      now,
      ctx.counters.preemptions,
      ctx.counters.ended,
      input.jobs.length,
    );
  for (const { state, allocations, model } of accepted.placed)
    startJob(ctx, state, allocations, model, now);
  for (const { state, nodeIds } of accepted.nominated) state.nominated = nodeIds;
  if (accepted.placed.length > 0)
    ctx.pending = ctx.pending.filter((s) => s.status === Status.Pending);
}
