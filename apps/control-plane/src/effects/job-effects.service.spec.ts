import type { PendingEntry } from '@gantry/queue';
import { controlPlaneParts } from '../testing/parts';
import { InMemoryPendingIndex } from '../testing/redis-ports';
import { JobEffects } from './job-effects.service';

/** A pending index whose Redis does not answer. */
class UnreachablePendingIndex extends InMemoryPendingIndex {
  override async add(_entries: readonly PendingEntry[]): Promise<number> {
    throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
  }
}

const change = (id: string, state: 'pending' | 'running' | 'succeeded' | 'cancelled') => ({
  id,
  state,
  priority: 100,
  submittedAt: 1,
});

describe('JobEffects', () => {
  it('indexes pending jobs, drops the others, and wakes their watchers once each', async () => {
    const { effects, pending, signals } = controlPlaneParts();
    await pending.add([{ jobId: 'job_running', priority: 1, submittedAt: 1 }]);
    await effects.changed([
      change('job_pending', 'pending'),
      change('job_running', 'running'),
      change('job_pending', 'pending'),
    ]);
    expect(pending.ids()).toEqual(['job_pending']);
    expect(signals.jobsChanged.sort()).toEqual(['job_pending', 'job_running']);
    expect(signals.schedulerWakeUps).toBe(1);
  });

  it('wakes the scheduler for a finished job (its GPUs are free) but not for a started one', async () => {
    const { effects, signals, metrics } = controlPlaneParts();
    await effects.changed([change('job_a', 'running')]);
    expect(signals.schedulerWakeUps).toBe(0);
    await effects.changed([change('job_a', 'succeeded'), change('job_b', 'cancelled')]);
    expect(signals.schedulerWakeUps).toBe(1);
    const finished = (await metrics.jobsFinished.get()).values.map((v) => [
      v.labels.state,
      v.value,
    ]);
    expect(finished).toEqual(
      expect.arrayContaining([
        ['succeeded', 1],
        ['cancelled', 1],
      ]),
    );
  });

  it('sends stop orders to the ranks of a multi-node job that a change told to stop', async () => {
    const { effects, dispatch, config } = controlPlaneParts();
    const stops = [
      { jobId: 'job_gang', attempt: 2, rank: 0, nodeId: 'node_a' },
      { jobId: 'job_gang', attempt: 2, rank: 2, nodeId: 'node_c' },
    ];
    await effects.changed([{ ...change('job_gang', 'running'), stops }]);
    expect(dispatch.orders()).toEqual(
      stops.map((stop) => ({
        kind: 'stop',
        ...stop,
        graceSeconds: config.cancelGraceSeconds,
        reason: 'GangStopped',
      })),
    );
  });

  it('does nothing for no change', async () => {
    const { effects, signals } = controlPlaneParts();
    await effects.changed([]);
    expect(signals.jobsChanged).toEqual([]);
    expect(signals.schedulerWakeUps).toBe(0);
  });

  it('logs a Redis failure and carries on: the reconciler repairs the index', async () => {
    const parts = controlPlaneParts();
    const effects = new JobEffects(
      new UnreachablePendingIndex(),
      parts.signals,
      parts.dispatch,
      parts.config,
      parts.logger,
      parts.metrics,
    );
    await expect(effects.changed([change('job_a', 'pending')])).resolves.toBeUndefined();
    expect(
      parts.log.withMessage('could not update the pending index; the reconciler will repair it'),
    ).toMatchObject([{ level: 'warn', err: { message: 'connect ECONNREFUSED 127.0.0.1:6379' } }]);
    expect(parts.signals.jobsChanged).toEqual(['job_a']);
    expect(parts.signals.schedulerWakeUps).toBe(1);
  });
});
