import { JobState, type Job } from '@gantry/proto';
import { type DemoJob } from './demo-workload';

/** What the demo saw of one job while polling it. */
export interface Observation {
  readonly demo: DemoJob;
  readonly id: string;
  /** The latest job record. */
  readonly job: Job;
  /** Every reason seen while the job was pending. */
  readonly pendingReasons: ReadonlySet<string>;
  readonly maxProgress: number;
}

export function firstObservation(demo: DemoJob, job: Job): Observation {
  return observe({ demo, id: job.id, job, pendingReasons: new Set(), maxProgress: 0 }, job);
}

/** Folds a new poll of the job into what was seen. */
export function observe(previous: Observation, job: Job): Observation {
  const reasons = new Set(previous.pendingReasons);
  if (job.state === JobState.JOB_STATE_PENDING && job.reason) reasons.add(job.reason);
  return {
    ...previous,
    job,
    pendingReasons: reasons,
    maxProgress: Math.max(previous.maxProgress, job.progress),
  };
}
