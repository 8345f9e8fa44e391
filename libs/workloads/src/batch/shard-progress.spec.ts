import {
  formatShardProgress,
  parseShardProgress,
  shardRequestCounts,
  type ShardProgress,
} from './shard-progress';

describe('shard progress messages', () => {
  const progress: ShardProgress = { done: 12, total: 40, answered: 11, failed: 1 };

  it('reads as a sentence and parses back to the same counts', () => {
    const message = formatShardProgress(progress);
    expect(message).toBe('12/40 requests settled (11 answered, 1 failed)');
    expect(parseShardProgress(message)).toEqual(progress);
  });

  it('gives the shard part of the batch request counts', () => {
    expect(shardRequestCounts(progress)).toEqual({ total: 40, completed: 11, failed: 1 });
  });

  it.each([
    ['another backend', 'simulated step 3/10'],
    ['an empty message', ''],
    ['more settled than requests', '41/40 requests settled (41 answered, 0 failed)'],
    ['more answers than settled', '2/40 requests settled (2 answered, 1 failed)'],
    ['a negative count', '2/40 requests settled (-1 answered, 1 failed)'],
    ['trailing text', '2/40 requests settled (1 answered, 1 failed) and more'],
    [
      'an unsafe integer',
      '99999999999999999999/99999999999999999999 requests settled (0 answered, 0 failed)',
    ],
  ])('refuses %s', (_what, message) => {
    expect(parseShardProgress(message)).toBeNull();
  });
});
