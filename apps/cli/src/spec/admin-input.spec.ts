import { UsageError } from '../errors/cli-errors';
import { classFromFlags, durationSeconds, parsePriority, toDuration } from './class-input';
import { parseQuota, parseWeight, queueFromFlags } from './queue-input';

describe('parseQuota', () => {
  it('reads MODEL=GPUS pairs, repeated or comma-separated, in catalog spelling', () => {
    expect(parseQuota(['h100-80gb=8', '*=16,A100-80GB = 4'], '--max')).toEqual({
      'H100-80GB': 8,
      '*': 16,
      'A100-80GB': 4,
    });
  });

  it("sends an unknown model and a negative count as written: they are the server's to judge", () => {
    expect(parseQuota(['B200=2', 'H100-80GB=-1'], '--guaranteed')).toEqual({
      B200: 2,
      'H100-80GB': -1,
    });
  });

  it.each(['H100-80GB', 'H100-80GB=8.5', '=4', 'H100-80GB=lots'])('rejects %j', (value) => {
    expect(() => parseQuota([value], '--guaranteed')).toThrow(UsageError);
    expect(() => parseQuota([value], '--guaranteed')).toThrow(
      `--guaranteed: expected MODEL=GPUS like H100-80GB=8 or '*=16' (got '${value}')`,
    );
  });

  it('rejects a model named twice', () => {
    expect(() => parseQuota(['H100-80GB=1', 'h100-80gb=2'], '--max')).toThrow(
      '--max: names H100-80GB twice',
    );
  });
});

describe('queueFromFlags', () => {
  it('sends every default when only the name is given', () => {
    expect(queueFromFlags('research', {})).toEqual({
      name: 'research',
      parent: '',
      guaranteed: {},
      max: {},
      weight: 1,
      used: {},
    });
  });

  it('reads parent, quotas and weight', () => {
    expect(
      queueFromFlags('rl', {
        parent: 'research',
        guaranteed: ['H100-80GB=8'],
        max: ['*=16'],
        weight: '0.5',
      }),
    ).toEqual({
      name: 'rl',
      parent: 'research',
      guaranteed: { 'H100-80GB': 8 },
      max: { '*': 16 },
      weight: 0.5,
      used: {},
    });
  });

  it.each(['', 'heavy', 'Infinity'])('rejects --weight %j', (text) => {
    expect(() => parseWeight(text)).toThrow(
      `--weight: must be a number like 1 or 0.5 (got '${text}')`,
    );
  });
});

describe('classFromFlags', () => {
  it('applies the documented defaults: preemptible, 0s minimum runtime, 30s grace', () => {
    expect(classFromFlags('batch', { priority: '500' })).toEqual({
      name: 'batch',
      priority: 500,
      preemptible: true,
      minRuntime: { seconds: 0, nanos: 0 },
      gracePeriod: { seconds: 30, nanos: 0 },
    });
  });

  it('reads --no-preemptible, --min-runtime and --grace', () => {
    const c = classFromFlags('serving', {
      priority: '1000',
      preemptible: false,
      minRuntime: '10m',
      grace: '1.5s',
    });
    expect(c.preemptible).toBe(false);
    expect(durationSeconds(c.minRuntime)).toBe(600);
    expect(c.gracePeriod).toEqual({ seconds: 1, nanos: 500_000_000 });
  });

  it.each([
    [{ priority: 'high' }, "--priority: must be a whole number like 500 (got 'high')"],
    [{ priority: '1.5' }, "--priority: must be a whole number like 500 (got '1.5')"],
    [
      { priority: '1', minRuntime: '10' },
      "--min-runtime: must be a duration like 1h30m, 45m or 90s (got '10')",
    ],
    [
      { priority: '1', grace: 'soon' },
      "--grace: must be a duration like 1h30m, 45m or 90s (got 'soon')",
    ],
  ])('rejects %j', (flags, message) => {
    expect(() => classFromFlags('c', flags)).toThrow(UsageError);
    expect(() => classFromFlags('c', flags)).toThrow(message);
  });

  it('leaves a range to the server: a negative priority is sent', () => {
    expect(parsePriority('-5')).toBe(-5);
  });

  it('converts durations both ways', () => {
    expect(durationSeconds(toDuration(90.25))).toBe(90.25);
    expect(durationSeconds(undefined)).toBeUndefined();
  });
});
