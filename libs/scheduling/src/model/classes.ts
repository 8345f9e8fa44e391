/**
 * Priority classes: how important a job is (priority) and whether it may be preempted, kept
 * apart. A class also says how long a job runs before it may be preempted and how long it gets
 * between SIGTERM and SIGKILL.
 */
export interface PriorityClass {
  readonly name: string;
  /** Higher is more important; a job may preempt only jobs of a lower class priority. */
  readonly priority: number;
  readonly preemptible: boolean;
  /** A job of this class runs at least this long before priority preemption may stop it. */
  readonly minRuntimeSeconds: number;
  /** Time between the preemption notice (SIGTERM) and SIGKILL. */
  readonly gracePeriodSeconds: number;
}

/** The defaults every cluster starts with (admins can change them). */
export const DEFAULT_PRIORITY_CLASSES: readonly PriorityClass[] = [
  {
    name: 'serving',
    priority: 1000,
    preemptible: false,
    minRuntimeSeconds: 0,
    gracePeriodSeconds: 30,
  },
  {
    name: 'batch',
    priority: 500,
    preemptible: true,
    minRuntimeSeconds: 600,
    gracePeriodSeconds: 60,
  },
  {
    name: 'rl-rollout',
    priority: 300,
    preemptible: true,
    minRuntimeSeconds: 120,
    gracePeriodSeconds: 30,
  },
  {
    name: 'background',
    priority: 100,
    preemptible: true,
    minRuntimeSeconds: 0,
    gracePeriodSeconds: 10,
  },
];

export const DEFAULT_PRIORITY_CLASS = 'batch';
