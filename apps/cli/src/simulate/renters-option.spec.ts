import { DEFAULT_RENTER_DEMAND } from '@gantry/scheduling';
import { UsageError } from '../errors/cli-errors';
import { parseRenters } from './renters-option';

describe('gantry simulate --renters', () => {
  it('is off without the flag and the documented defaults with it alone', () => {
    expect(parseRenters(undefined)).toBeNull();
    expect(parseRenters(true)).toEqual(DEFAULT_RENTER_DEMAND);
    expect(DEFAULT_RENTER_DEMAND).toMatchObject({
      ratePerHour: 360,
      seed: 1,
      meanDurationSeconds: 3600,
      noticeSeconds: 120,
      bidSpread: 0.5,
      renters: 20,
    });
  });

  it('reads every key', () => {
    expect(
      parseRenters('rate=720, seed=7,duration=1800,notice=60,spread=0.2,count=5,sizes=1:3/8:1'),
    ).toEqual({
      ...DEFAULT_RENTER_DEMAND,
      ratePerHour: 720,
      seed: 7,
      meanDurationSeconds: 1800,
      noticeSeconds: 60,
      bidSpread: 0.2,
      renters: 5,
      sizes: [
        [1, 3],
        [8, 1],
      ],
    });
  });

  it.each([
    [
      'speed=3',
      "--renters: unknown key 'speed' (known: rate, seed, duration, notice, spread, count, sizes; e.g. rate=360,seed=2)",
    ],
    ['rate', '--renters rate: needs a value (rate=...)'],
    ['rate=fast', "--renters rate: must be a number (got 'fast')"],
    ['rate=0', '--renters rate: must be requests per hour > 0 and <= 360000 (got 0)'],
    ['seed=1.5', '--renters seed: must be a whole number from 0 to 4294967295 (got 1.5)'],
    ['notice=-1', '--renters notice: must be whole seconds from 0 to 3600 (got -1)'],
    ['sizes=1-4', "--renters sizes: must be GPUS:WEIGHT joined by '/' (got '1-4')"],
    ['sizes=128:1', '--renters sizes: must be GPU counts from 1 to 64 (got 128)'],
  ])('refuses %s', (spec, message) => {
    expect(() => parseRenters(spec)).toThrow(new UsageError(message));
  });
});
