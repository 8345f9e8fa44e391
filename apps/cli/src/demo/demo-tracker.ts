import { JobState, type Job } from '@gantry/proto';
import { type DemoJob } from './demo-workload';

/** What the demo saw of one job while polling it. */
export interface Observation {
  readonly demo: DemoJob;
  readonly id: string;
  /** When it was submitted, by the demo's clock (ms). */
  readonly submittedAt: number;
  /** The latest job record. */
  readonly job: Job;
  /** Every reason seen while the job was pending. */
  readonly pendingReasons: ReadonlySet<string>;
  readonly maxProgress: number;
}

export function firstObservation(demo: DemoJob, job: Job, submittedAt: number): Observation {
  return observe(
    { demo, id: job.id, submittedAt, job, pendingReasons: new Set(), maxProgress: 0 },
    job,
  );
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
