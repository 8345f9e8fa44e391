/**
 * Job dependencies (`after-ok`, `after-any`, `after-failed`): whether a job may start, must keep
 * waiting, or can never start because a job it depends on ended the wrong way.
 */
import type { DependencyCondition, JobDependency } from './job-spec';
import { isTerminal, type JobState } from './job-state';

export type DependencyVerdict =
  | { readonly kind: 'ready' }
  | { readonly kind: 'waiting'; readonly message: string }
  | { readonly kind: 'never'; readonly message: string };

function satisfied(condition: DependencyCondition, state: JobState): boolean | undefined {
  if (!isTerminal(state)) return undefined;
  switch (condition) {
    case 'after-ok':
      return state === 'succeeded';
    case 'after-any':
      return true;
    case 'after-failed':
      return state !== 'succeeded';
  }
}

/** `states` holds the current state of each job depended on (missing: deleted, never ready). */
export function dependencyVerdict(
  dependencies: readonly JobDependency[],
  states: ReadonlyMap<string, JobState>,
): DependencyVerdict {
  const waitingFor: string[] = [];
  for (const dependency of dependencies) {
    const state = states.get(dependency.jobId);
    if (state === undefined)
      return { kind: 'never', message: `${dependency.jobId} no longer exists` };
    const ok = satisfied(dependency.condition, state);
    if (ok === false) {
      return {
        kind: 'never',
        message: `${dependency.jobId} ended ${state}, but this job runs ${dependency.condition}`,
      };
    }
    if (ok === undefined)
      waitingFor.push(`${dependency.jobId} (${dependency.condition}, now ${state})`);
  }
  if (waitingFor.length === 0) return { kind: 'ready' };
  return { kind: 'waiting', message: `waiting for ${waitingFor.join(', ')}` };
}
