import { ValidationError } from '@gantry/domain';
import { fromProtoClass, fromProtoQueue, toProtoClass, toProtoQueue } from './policy.mapper';

describe('policy mappers', () => {
  it('maps a queue both ways: an empty parent is none, weight 0 is 1, used comes along', () => {
    const wire = {
      name: 'team',
      parent: '',
      guaranteed: { 'H100-80GB': 2 },
      max: { '*': 8 },
      weight: 0,
      used: { 'H100-80GB': 99 },
    };
    const record = fromProtoQueue(wire);
    expect(record).toEqual({
      name: 'team',
      parent: null,
      guaranteed: { 'H100-80GB': 2 },
      max: { '*': 8 },
      weight: 1,
    });
    expect(toProtoQueue({ ...record, parent: 'org' }, { 'H100-80GB': 1 })).toEqual({
      ...wire,
      parent: 'org',
      weight: 1,
      used: { 'H100-80GB': 1 },
    });
    expect(toProtoQueue(record).used).toEqual({});
  });

  it('maps a class both ways, durations in seconds', () => {
    const wire = {
      name: 'urgent',
      priority: 700,
      preemptible: true,
      minRuntime: { seconds: 90, nanos: 250_000_000 },
      gracePeriod: undefined,
    };
    const record = fromProtoClass(wire);
    expect(record).toEqual({
      name: 'urgent',
      priority: 700,
      preemptible: true,
      minRuntimeSeconds: 90.25,
      gracePeriodSeconds: 0,
    });
    expect(toProtoClass(record)).toEqual({ ...wire, gracePeriod: { seconds: 0, nanos: 0 } });
  });

  it('names a missing queue or class', () => {
    expect(() => fromProtoQueue(undefined)).toThrow(ValidationError.field('queue', 'is required'));
    expect(() => fromProtoClass(undefined)).toThrow('priority_class: is required');
  });
});
