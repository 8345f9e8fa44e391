/**
 * The trace replay engine: discrete events in simulated time (seconds). At each event time it
 *   1. integrates usage and the timeline up to now;
 *   2. applies every event due now: arrivals, completions, preemption stops (a victim frees its
 *      GPUs after its class grace period and goes back to pending with the work of its last
 *      checkpoint kept), wake-ups (a job's minimum runtime ends: it may become a victim);
 *   3. lets the submitter, if any, look at the cluster and submit jobs (renters buying leases
 *      from what the offers show; they are jobs like any other from then on);
 *   4. when something changed and jobs are pending, runs one scheduling cycle (cycle.ts): a
 *      snapshot, the policy's decision (timed), its validation, and its effects.
 * Simultaneous events share one cycle. Pure: time is simulated, CPU time comes injected.
 */
import { RuntimeEstimator } from '../../estimates';
import { EventHeap, EventKind } from './event-heap';
import { GpuLedger } from './gpu-ledger';
import { newJobState, Status, type JobState } from './job-state';
import type { CycleContext } from './types';
import { buildSnapshot, runCycle } from './cycle';
import { completeJob, stopJob } from './transitions';
import { Timeline } from './timeline';
import type { ClusterView, EngineInput, EngineResult, JobRecord } from './types';
import { UsageTracker } from './usage';
import type { SimJob } from '../workload/workload';

export function runEngine(input: EngineInput): EngineResult {
  const states = input.jobs.map(newJobState);
  const models = [...new Set(input.nodes.flatMap((n) => n.gpus.map((g) => g.model)))];
  const lastSubmit = input.jobs.length > 0 ? input.jobs[input.jobs.length - 1]!.submitAt : 0;
  const ctx: CycleContext = {
    input,
    epochMs: input.epochMs ?? 0,
    states,
    byId: new Map(states.map((s) => [s.job.id, s])),
    classes: new Map(input.classes.map((c) => [c.name, c])),
    heap: new EventHeap(),
    ledger: new GpuLedger(input.nodes),
    usage: new UsageTracker(input.queues, models, input.config.fairShareHalfLifeSeconds),
    estimator: new RuntimeEstimator(input.estimator),
    pending: [],
    running: new Set<JobState>(),
    records: new Array<JobRecord | undefined>(states.length),
    cycleCpuMs: [],
    counters: { preemptions: 0, placements: 0, ended: 0, version: 0 },
  };
  if (ctx.byId.size !== states.length) throw new Error('trace: job ids repeat');
  for (const job of input.jobs) {
    if (!ctx.classes.has(job.priorityClass))
      throw new Error(`job ${job.id}: unknown priority class ${job.priorityClass}`);
  }
  const { submitter } = input;
  let lookingAt = 0;
  const view: ClusterView = {
    get freeGpus() {
      return ctx.ledger.capacity - ctx.ledger.busyGpus;
    },
    get version() {
      return ctx.counters.version;
    },
    snapshot: () => buildSnapshot(ctx, lookingAt),
  };
  const timeline = new Timeline(
    input.timelineBucketSeconds ?? Math.max(60, Math.ceil(lastSubmit / 1000)),
  );
  const progressEvery = Math.max(1, Math.floor(input.jobs.length / 200));
  let now = 0;
  let busyGpuSeconds = 0;
  let next = 0;

  for (;;) {
    const t = Math.min(
      next < input.jobs.length ? states[next]!.job.submitAt : Infinity,
      ctx.heap.peekTime(),
      submitter?.nextAt() ?? Infinity,
    );
    if (t === Infinity) break;
    if (t < now)
      throw new Error(`time went backwards (${t} < ${now}): jobs must be in submit order`);
    // 1. Integrate up to now.
    ctx.usage.advance(t);
    timeline.advance(t, ctx.ledger.busyGpus, ctx.pending.length);
    busyGpuSeconds += ctx.ledger.busyGpus * (t - now);
    now = t;
    // 2. Apply the events due now.
    let changed = false;
    let wake = false;
    const endedBefore = ctx.counters.ended;
    for (; next < input.jobs.length && states[next]!.job.submitAt === t; next++) {
      states[next]!.status = Status.Pending;
      ctx.pending.push(states[next]!);
      changed = true;
    }
    while (ctx.heap.peekTime() === t) {
      const event = ctx.heap.pop()!;
      const state = states[event.job]!;
      if (event.kind === EventKind.Wake) wake = true;
      else if (state.status !== Status.Running || state.attempt !== event.attempt) continue;
      else if (event.kind === EventKind.Complete) changed = completeJob(ctx, state, t) || changed;
      else if (state.stopping) changed = stopJob(ctx, state, t) || changed;
    }
    if (changed) ctx.counters.version += 1;
    // 3. The submitter looks and submits.
    lookingAt = t;
    while (submitter && submitter.nextAt() === t) {
      for (const job of submitter.act(t, view)) {
        submit(ctx, job, t);
        changed = true;
      }
    }
    // 4. One scheduling cycle for all of it.
    if ((changed || wake) && ctx.pending.length > 0) runCycle(ctx, t);
    if (
      input.onProgress &&
      Math.floor(ctx.counters.ended / progressEvery) !== Math.floor(endedBefore / progressEvery)
    )
      input.onProgress(ctx.counters.ended, input.jobs.length);
  }
  input.onProgress?.(ctx.counters.ended, input.jobs.length);
  return {
    policy: input.policy.name,
    records: ctx.records.filter((r): r is JobRecord => r !== undefined),
    unfinished: states.filter((s) => s.status !== Status.Done).map((s) => s.job.id),
    timeline: timeline.points(),
    timelineBucketSeconds: timeline.bucketSeconds,
    capacityGpus: input.nodes.reduce((sum, n) => sum + n.gpus.length, 0),
    busyGpuSeconds,
    preemptions: ctx.counters.preemptions,
    cycles: ctx.cycleCpuMs.length,
    cycleCpuMs: Float64Array.from(ctx.cycleCpuMs),
    placements: ctx.counters.placements,
  };
}

/** A job a submitter hands in at `now`: pending from now on, like a trace job that arrives. */
function submit(ctx: CycleContext, job: SimJob, now: number): void {
  if (job.submitAt !== now)
    throw new Error(`submitter: job ${job.id} is submitted at ${job.submitAt}, not now (${now})`);
  if (ctx.byId.has(job.id)) throw new Error(`submitter: job id ${job.id} is taken`);
  if (!ctx.classes.has(job.priorityClass))
    throw new Error(`job ${job.id}: unknown priority class ${job.priorityClass}`);
  const state = newJobState(job, ctx.states.length);
  state.status = Status.Pending;
  ctx.states.push(state);
  ctx.byId.set(job.id, state);
  ctx.records.push(undefined);
  ctx.pending.push(state);
  ctx.counters.version += 1;
}
