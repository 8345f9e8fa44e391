import { AbortedError, ValidationError } from '@gantry/domain';
import type { PriorityClassRecord } from '@gantry/store';
import { openPostgresStore, T0, type StoreHarness } from './harness';

const H = 'H100-80GB';
const HOUR = 3_600_000;

describe('priority classes and decayed usage (PostgreSQL)', () => {
  let store: StoreHarness;

  beforeEach(async () => {
    store = await openPostgresStore('classes');
  });

  afterEach(async () => {
    await store.close();
  });

  it('starts with the four default classes, most important first', async () => {
    expect(await store.policy.listClasses()).toEqual([
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
    ]);
  });

  it('creates and replaces a class, and refuses a bad one naming its fields', async () => {
    const eval_: PriorityClassRecord = {
      name: 'eval',
      priority: 400,
      preemptible: true,
      minRuntimeSeconds: 1.5,
      gracePeriodSeconds: 0,
    };
    expect(await store.policy.putClass(eval_)).toEqual(eval_);
    await store.policy.putClass({
      name: 'batch',
      priority: 450,
      preemptible: false,
      minRuntimeSeconds: 0,
      gracePeriodSeconds: 5,
    });
    const classes = await store.policy.listClasses();
    expect(classes.map((c) => [c.name, c.priority])).toEqual([
      ['serving', 1000],
      ['batch', 450],
      ['eval', 400],
      ['rl-rollout', 300],
      ['background', 100],
    ]);
    expect(classes.find((c) => c.name === 'eval')).toEqual(eval_);
    const error: unknown = await store.policy
      .putClass({ ...eval_, name: 'x_y', priority: -1, gracePeriodSeconds: -3 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).violations.map((v) => v.field)).toEqual([
      'priority_class.name',
      'priority_class.priority',
      'priority_class.grace_period',
    ]);
    expect(await store.policy.listClasses()).toHaveLength(5);
  });

  it('decays every entry to the new time by the half-life, then adds', async () => {
    await store.policy.accrueUsage(
      1,
      [
        { queue: 'team', model: H, gpuSeconds: 100 },
        { queue: 'org', model: H, gpuSeconds: 60 },
        { queue: 'org', model: H, gpuSeconds: 40 },
      ],
      T0,
      3600,
    );
    await store.policy.accrueUsage(
      2,
      [{ queue: 'org', model: '*', gpuSeconds: 7 }],
      T0 + 2 * HOUR,
      3600,
    );
    expect(await store.policy.usage()).toEqual([
      { queue: 'org', model: '*', gpuSeconds: 7, asOf: T0 + 2 * HOUR },
      { queue: 'org', model: H, gpuSeconds: 25, asOf: T0 + 2 * HOUR },
      { queue: 'team', model: H, gpuSeconds: 25, asOf: T0 + 2 * HOUR },
    ]);
    await store.policy.accrueUsage(
      2,
      [{ queue: 'team', model: H, gpuSeconds: 5 }],
      T0 + 3 * HOUR,
      3600,
    );
    const team = (await store.policy.usage()).find((u) => u.queue === 'team')!;
    expect(team.gpuSeconds).toBeCloseTo(17.5, 9);
  });

  it('refuses a stale fence and bad numbers, writing nothing', async () => {
    await store.policy.accrueUsage(5, [{ queue: 'q', model: H, gpuSeconds: 1 }], T0, 60);
    await expect(
      store.policy.accrueUsage(4, [{ queue: 'q', model: H, gpuSeconds: 1 }], T0 + HOUR, 60),
    ).rejects.toBeInstanceOf(AbortedError);
    await expect(store.policy.accrueUsage(5, [], T0, 0)).rejects.toThrow(
      'half_life_seconds: must be a number greater than 0 (got 0)',
    );
    await expect(
      store.policy.accrueUsage(5, [{ queue: 'q', model: H, gpuSeconds: -1 }], T0, 60),
    ).rejects.toThrow('added[0].gpu_seconds: must be a number >= 0 (got -1)');
    expect(await store.policy.usage()).toEqual([{ queue: 'q', model: H, gpuSeconds: 1, asOf: T0 }]);
  });
});
