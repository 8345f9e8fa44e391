import { ValidationError } from '../errors';
import { checkMicros, MAX_MICROS } from './money';

describe('checkMicros', () => {
  const whole = `must be a whole number of micro-dollars up to ${MAX_MICROS}`;

  it.each<[number, 0 | 1, string | null]>([
    [0, 0, null],
    [1, 1, null],
    [MAX_MICROS, 1, null],
    [0, 1, 'must be more than 0'],
    [-1, 0, 'must be 0 or more'],
    [1.5, 0, whole],
    [MAX_MICROS + 1, 0, whole],
    [Number.NaN, 1, whole],
    [Number.POSITIVE_INFINITY, 1, whole],
  ])('checks %p (min %p)', (value, min, problem) => {
    if (problem === null) {
      expect(checkMicros('amount_micros', value, min)).toBe(value);
    } else {
      expect(() => checkMicros('amount_micros', value, min)).toThrow(
        ValidationError.field('amount_micros', problem),
      );
    }
  });
});
