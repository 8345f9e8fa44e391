import { ManualClock } from './clock';
import { isId, newId } from './ids';

describe('newId', () => {
  it('is a prefixed ULID that sorts by time', () => {
    const clock = new ManualClock(1_700_000_000_000);
    const first = newId('job', clock);
    clock.advance(1);
    const second = newId('job', clock);
    expect(first).toMatch(/^job_[0-9a-hjkmnp-tv-z]{26}$/);
    expect(first < second).toBe(true);
    expect(isId('job', first)).toBe(true);
    expect(isId('node', first)).toBe(false);
  });

  it('is deterministic with injected time and randomness', () => {
    const clock = new ManualClock(0);
    const zeros = () => new Uint8Array(10);
    expect(newId('tenant', clock, zeros)).toBe(`ten_${'0'.repeat(26)}`);
  });

  it('names files with the file_ prefix', () => {
    const id = newId('file', new ManualClock(0), () => new Uint8Array(10).fill(255));
    expect(id).toBe(`file_0000000000${'z'.repeat(16)}`);
    expect(isId('file', id)).toBe(true);
    expect(isId('file', 'file_0000000000ZZZZZZZZZZZZZZZZ')).toBe(false);
    expect(isId('job', id)).toBe(false);
  });
});
