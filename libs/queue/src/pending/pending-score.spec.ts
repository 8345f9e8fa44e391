import { ValidationError } from '@gantry/domain';
import { MAX_PRIORITY, MAX_SUBMITTED_AT, decodePendingScore, pendingScore } from './pending-score';

/** Sorts entries by score, then id, as a Redis sorted set does. */
function redisOrder(entries: { id: string; priority: number; submittedAt: number }[]): string[] {
  return entries
    .map((e) => ({ id: e.id, score: pendingScore(e) }))
    .sort((a, b) => a.score - b.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((e) => e.id);
}

describe('pendingScore', () => {
  it('orders by priority descending, then submit time ascending, then id', () => {
    const now = 1_767_000_000_000;
    const order = redisOrder([
      { id: 'low-early', priority: 1, submittedAt: now - 10_000 },
      { id: 'high-late', priority: 900, submittedAt: now + 5 },
      { id: 'high-early', priority: 900, submittedAt: now },
      { id: 'mid-b', priority: 100, submittedAt: now },
      { id: 'mid-a', priority: 100, submittedAt: now },
      { id: 'top-latest', priority: MAX_PRIORITY, submittedAt: MAX_SUBMITTED_AT },
      { id: 'zero', priority: 0, submittedAt: 0 },
    ]);
    expect(order).toEqual([
      'top-latest',
      'high-early',
      'high-late',
      'mid-a',
      'mid-b',
      'low-early',
      'zero',
    ]);
  });

  it('keeps a one-millisecond difference at the extremes of the 53-bit budget', () => {
    const last = pendingScore({ priority: 0, submittedAt: MAX_SUBMITTED_AT });
    const before = pendingScore({ priority: 0, submittedAt: MAX_SUBMITTED_AT - 1 });
    expect(last).toBeLessThanOrEqual(Number.MAX_SAFE_INTEGER);
    expect(last - before).toBe(1);
    // The next priority up starts right after the last millisecond of this one.
    expect(pendingScore({ priority: 1, submittedAt: MAX_SUBMITTED_AT }) + 1).toBe(
      pendingScore({ priority: 0, submittedAt: 0 }),
    );
    // Scores survive the decimal string round trip Redis does.
    expect(Number(String(last))).toBe(last);
  });

  it('decodes what it encodes', () => {
    for (const entry of [
      { priority: 0, submittedAt: 0 },
      { priority: 1000, submittedAt: MAX_SUBMITTED_AT },
      { priority: 137, submittedAt: 1_767_000_123_456 },
    ]) {
      expect(decodePendingScore(pendingScore(entry))).toEqual(entry);
    }
  });

  it.each([
    [{ priority: -1, submittedAt: 0 }, 'priority'],
    [{ priority: 1001, submittedAt: 0 }, 'priority'],
    [{ priority: 1.5, submittedAt: 0 }, 'priority'],
    [{ priority: 10, submittedAt: -1 }, 'submittedAt'],
    [{ priority: 10, submittedAt: MAX_SUBMITTED_AT + 1 }, 'submittedAt'],
    [{ priority: 10, submittedAt: Number.NaN }, 'submittedAt'],
  ])('rejects %j naming %s', (entry, field) => {
    let thrown: unknown;
    try {
      pendingScore(entry);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    expect((thrown as ValidationError).violations[0]?.field).toBe(field);
  });
});
