import { planShards } from './shard-plan';

describe('planShards', () => {
  it('cuts lines into contiguous ranges whose sizes differ by at most one', () => {
    expect(planShards(10, 3)).toEqual([
      { index: 0, firstLine: 0, lineCount: 4 },
      { index: 1, firstLine: 4, lineCount: 3 },
      { index: 2, firstLine: 7, lineCount: 3 },
    ]);
  });

  it('makes at most one shard per line', () => {
    expect(planShards(2, 5)).toEqual([
      { index: 0, firstLine: 0, lineCount: 1 },
      { index: 1, firstLine: 1, lineCount: 1 },
    ]);
    expect(planShards(0, 4)).toEqual([]);
  });

  it.each([
    [1, 1],
    [7, 7],
    [100, 8],
    [50_000, 256],
    [12_345, 17],
  ])('covers every one of %i lines once with %i shards', (lines, shards) => {
    const plan = planShards(lines, shards);
    expect(plan).toHaveLength(Math.min(lines, shards));
    let next = 0;
    for (const range of plan) {
      expect(range.firstLine).toBe(next);
      next += range.lineCount;
    }
    expect(next).toBe(lines);
    const sizes = plan.map((r) => r.lineCount);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });

  it('rejects nonsense', () => {
    expect(() => planShards(-1, 1)).toThrow(RangeError);
    expect(() => planShards(5, 0)).toThrow('shards must be a whole number >= 1, got 0');
  });
});
