import { aJobRecord } from '../testing/records';
import { failDependency } from './index';
import type { JobRecord } from '../records';

const job = (overrides: Partial<JobRecord> = {}): JobRecord =>
  aJobRecord({ reason: 'WaitingForDependencies', message: 'waiting for job_0', ...overrides });

describe('failDependency', () => {
  it('cancels a pending job whose dependency can never be met, saying why', () => {
    const change = failDependency(
      job({ nominatedNodeIds: ['n1'] }),
      'job_0 ended failed, but this job runs after-ok',
      500,
    );
    expect(change.job).toEqual({
      state: 'cancelled',
      reason: 'DependencyNeverSatisfied',
      message: 'job_0 ended failed, but this job runs after-ok',
      endedAt: 500,
      nominatedNodeIds: [],
    });
    expect(change.events).toEqual([
      {
        type: 'state_change',
        attempt: 0,
        from: 'pending',
        to: 'cancelled',
        reason: 'DependencyNeverSatisfied',
        message: 'job_0 ended failed, but this job runs after-ok',
        exitCode: undefined,
      },
    ]);
    expect(change.newAttempts).toBeUndefined();
  });

  it.each(['scheduled', 'running', 'cancelled', 'succeeded'] as const)(
    'leaves a %s job alone',
    (state) => {
      const change = failDependency(job({ state }), 'never', 500);
      expect(change).toEqual({ job: {}, events: [] });
    },
  );
});
