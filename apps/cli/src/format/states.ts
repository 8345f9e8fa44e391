import {
  type AttemptState,
  JobState,
  type NodeState,
  attemptStateToJSON,
  jobStateFromJSON,
  jobStateToJSON,
  nodeStateToJSON,
} from '@gantry/proto';
import { UsageError } from '../errors/cli-errors';

/** `JOB_STATE_RUNNING` -> `running`: how tables and progress lines name a state. */
export function jobStateName(state: JobState): string {
  return jobStateToJSON(state)
    .replace(/^JOB_STATE_/, '')
    .toLowerCase();
}

export function attemptStateName(state: AttemptState): string {
  return attemptStateToJSON(state)
    .replace(/^ATTEMPT_STATE_/, '')
    .toLowerCase();
}

export function nodeStateName(state: NodeState): string {
  return nodeStateToJSON(state)
    .replace(/^NODE_STATE_/, '')
    .toLowerCase();
}

const TERMINAL = new Set([
  JobState.JOB_STATE_SUCCEEDED,
  JobState.JOB_STATE_FAILED,
  JobState.JOB_STATE_CANCELLED,
]);

export function isTerminalState(state: JobState): boolean {
  return TERMINAL.has(state);
}

export const JOB_STATE_NAMES = [
  'pending',
  'scheduled',
  'running',
  'cancelling',
  'succeeded',
  'failed',
  'cancelled',
] as const;

/**
 * `--state` values: `running`, `RUNNING` or `JOB_STATE_RUNNING`, repeated or comma-separated.
 * `active` stands for every non-terminal state.
 */
export function parseStates(values: readonly string[]): JobState[] {
  const states = new Set<JobState>();
  for (const value of values.flatMap((v) => v.split(','))) {
    const name = value
      .trim()
      .toUpperCase()
      .replace(/^JOB_STATE_/, '');
    if (name === '') continue;
    if (name === 'ACTIVE') {
      for (const s of [1, 2, 3, 4] as JobState[]) states.add(s);
      continue;
    }
    const state = jobStateFromJSON(`JOB_STATE_${name}`);
    if (state === JobState.UNRECOGNIZED || state === JobState.JOB_STATE_UNSPECIFIED)
      throw new UsageError(
        `--state: must be one of ${JOB_STATE_NAMES.join(', ')}, active (got '${value.trim()}')`,
      );
    states.add(state);
  }
  return [...states].sort((a, b) => a - b);
}
