import { ValidationError } from '@gantry/domain';
import type { PriorityClassRecord } from '../api/policy';
import { checkClass } from './class-rules';
import { decay } from './usage';

const batch: PriorityClassRecord = {
  name: 'batch',
  priority: 500,
  preemptible: true,
  minRuntimeSeconds: 600,
  gracePeriodSeconds: 60,
};

describe('checkClass', () => {
  it('accepts a valid class as it is', () => {
    expect(checkClass(batch)).toEqual(batch);
    expect(checkClass({ ...batch, priority: 0, minRuntimeSeconds: 0 })).toMatchObject({
      priority: 0,
    });
  });

  it.each<[Partial<PriorityClassRecord>, string]>([
    [
      { name: 'Batch' },
      'priority_class.name: must be 1-63 lower-case letters, digits or "-", starting with a letter',
    ],
    [
      { priority: 1001 },
      'priority_class.priority: must be a whole number from 0 to 1000 (got 1001)',
    ],
    [{ priority: 2.5 }, 'priority_class.priority: must be a whole number from 0 to 1000 (got 2.5)'],
    [{ minRuntimeSeconds: -1 }, 'priority_class.min_runtime: must be at least 0 seconds (got -1)'],
    [
      { gracePeriodSeconds: Number.NaN },
      'priority_class.grace_period: must be at least 0 seconds (got NaN)',
    ],
  ])('refuses %j', (overrides, message) => {
    expect(() => checkClass({ ...batch, ...overrides })).toThrow(ValidationError);
    expect(() => checkClass({ ...batch, ...overrides })).toThrow(message);
  });
});

describe('usage decay', () => {
  it('halves every half-life and never grows', () => {
    expect(decay(100, 0, 60_000, 60)).toBeCloseTo(50, 10);
    expect(decay(100, 0, 180_000, 60)).toBeCloseTo(12.5, 10);
    expect(decay(100, 5_000, 1_000, 60)).toBe(100);
  });

  it('flushes what is left after very long to zero', () => {
    expect(decay(1e6, 0, 1e12, 1)).toBe(0);
  });
});
