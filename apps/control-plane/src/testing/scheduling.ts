/**
 * The leader's scheduling services wired over the in-memory parts: the cycle with its snapshot
 * builder, runtime estimates and usage accountant (a test may give the cycle its own clock).
 */
import type { Clock, JobRecord } from '@gantry/domain';
import { RuntimeEstimates } from '../scheduler/runtime-estimates.service';
import { SchedulingCycle } from '../scheduler/scheduling-cycle';
import { SnapshotBuilder } from '../scheduler/snapshot-builder';
import { UsageAccountant } from '../scheduler/usage-accountant';
import type { ControlPlaneParts } from './parts';

export function schedulingParts(parts: ControlPlaneParts, clock: Clock = parts.clock) {
  const estimates = new RuntimeEstimates(parts.jobs, parts.config);
  const snapshots = new SnapshotBuilder(parts.config, estimates);
  const usage = new UsageAccountant(parts.policy, parts.config);
  const cycle = new SchedulingCycle(
    parts.pending,
    parts.dispatch,
    parts.jobs,
    parts.nodes,
    parts.policy,
    parts.config,
    clock,
    parts.logger,
    snapshots,
    usage,
    parts.effects,
    parts.metrics,
  );
  return { estimates, snapshots, usage, cycle };
}

/** Records the jobs and puts them in the pending index, as a submit does. */
export async function submitted(parts: ControlPlaneParts, ...jobs: JobRecord[]): Promise<void> {
  for (const job of jobs) parts.jobs.add(job);
  await parts.pending.add(
    jobs.map((j) => ({ jobId: j.id, priority: j.spec.priority, submittedAt: j.submittedAt })),
  );
}
