import { formatShardProgress, parseShardProgress } from './shard-progress';

describe('shard progress messages', () => {
  it('round-trip', () => {
    const p = { done: 120, total: 500, answered: 117, failed: 3 };
    expect(formatShardProgress(p)).toBe('120/500 requests (117 answered, 3 failed)');
    expect(parseShardProgress(formatShardProgress(p))).toEqual(p);
  });

  it('are null for other messages', () => {
    expect(parseShardProgress('starting engine vllm')).toBeNull();
    expect(parseShardProgress('')).toBeNull();
  });
});
