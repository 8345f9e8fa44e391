/** Where a job is in its life. */
export type JobState =
  'pending' | 'scheduled' | 'running' | 'cancelling' | 'succeeded' | 'failed' | 'cancelled';

export const JOB_STATES: readonly JobState[] = [
  'pending',
  'scheduled',
  'running',
  'cancelling',
  'succeeded',
  'failed',
  'cancelled',
];

export const TERMINAL_JOB_STATES: readonly JobState[] = ['succeeded', 'failed', 'cancelled'];

export function isTerminal(state: JobState): boolean {
  return TERMINAL_JOB_STATES.includes(state);
}

/** Where one run of a job on one node is. */
export type AttemptState =
  'dispatching' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'lost' | 'preempted';

export const ACTIVE_ATTEMPT_STATES: readonly AttemptState[] = ['dispatching', 'running'];

export function isAttemptActive(state: AttemptState): boolean {
  return ACTIVE_ATTEMPT_STATES.includes(state);
}

/** Every move a job may make; anything else is a bug. */
const JOB_TRANSITIONS: Record<JobState, readonly JobState[]> = {
  pending: ['scheduled', 'cancelled', 'failed'],
  scheduled: ['running', 'pending', 'cancelling', 'succeeded', 'failed', 'cancelled'],
  running: ['pending', 'cancelling', 'succeeded', 'failed', 'cancelled'],
  cancelling: ['cancelled', 'succeeded', 'failed'],
  succeeded: [],
  failed: [],
  cancelled: [],
};

export function canTransition(from: JobState, to: JobState): boolean {
  return JOB_TRANSITIONS[from].includes(to);
}
