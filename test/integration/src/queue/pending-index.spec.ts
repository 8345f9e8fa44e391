import { RedisPendingIndex } from '@gantry/queue';
import { type Redis } from 'ioredis';
import { cleanUp, sharedRedis, uniquePrefix } from './support';

describe('RedisPendingIndex (real Redis)', () => {
  let redis: Redis;
  let prefix: string;
  let index: RedisPendingIndex;
  const t0 = 1_767_000_000_000;

  beforeEach(() => {
    redis = sharedRedis();
    prefix = uniquePrefix('pending');
    index = new RedisPendingIndex({ redis, prefix });
  });

  afterEach(async () => {
    await cleanUp(redis, prefix);
  });

  it('returns heads by priority descending, then submit time, then job id', async () => {
    const added = await index.add([
      { jobId: 'job_low', priority: 10, submittedAt: t0 },
      { jobId: 'job_high_late', priority: 500, submittedAt: t0 + 1 },
      { jobId: 'job_high_early', priority: 500, submittedAt: t0 },
      { jobId: 'job_b_tie', priority: 100, submittedAt: t0 },
      { jobId: 'job_a_tie', priority: 100, submittedAt: t0 },
      { jobId: 'job_top', priority: 1000, submittedAt: t0 + 99_999 },
      { jobId: 'job_zero', priority: 0, submittedAt: 0 },
    ]);
    expect(added).toBe(7);
    expect(await index.heads(100)).toEqual([
      'job_top',
      'job_high_early',
      'job_high_late',
      'job_a_tie',
      'job_b_tie',
      'job_low',
      'job_zero',
    ]);
    expect(await index.heads(2)).toEqual(['job_top', 'job_high_early']);
    expect(await index.heads(0)).toEqual([]);
    expect(await index.size()).toBe(7);
  });

  it('adds only missing entries and never moves existing ones (NX)', async () => {
    expect(await index.add([{ jobId: 'job_a', priority: 1, submittedAt: t0 }])).toBe(1);
    expect(await index.add([{ jobId: 'job_b', priority: 2, submittedAt: t0 }])).toBe(1);
    // job_a again with a higher priority: not added, not moved.
    const again = await index.add([
      { jobId: 'job_a', priority: 999, submittedAt: t0 },
      { jobId: 'job_c', priority: 0, submittedAt: t0 },
    ]);
    expect(again).toBe(1);
    expect(await index.heads(10)).toEqual(['job_b', 'job_a', 'job_c']);
    expect(await index.add([])).toBe(0);
  });

  it('removes entries, ignoring ids that are not there', async () => {
    await index.add(
      ['a', 'b', 'c', 'd'].map((id, i) => ({
        jobId: `job_${id}`,
        priority: 5,
        submittedAt: t0 + i,
      })),
    );
    await index.remove(['job_b', 'job_d', 'job_missing']);
    await index.remove([]);
    expect(await index.heads(10)).toEqual(['job_a', 'job_c']);
    expect(await index.size()).toBe(2);
  });

  it('handles batches larger than one command chunk', async () => {
    const entries = Array.from({ length: 2500 }, (_, i) => ({
      jobId: `job_${String(i).padStart(5, '0')}`,
      priority: i % 3,
      submittedAt: t0 + i,
    }));
    expect(await index.add(entries)).toBe(2500);
    expect(await index.size()).toBe(2500);
    const heads = await index.heads(3);
    expect(heads).toEqual(['job_00002', 'job_00005', 'job_00008']);
    await index.remove(entries.map((e) => e.jobId));
    expect(await index.size()).toBe(0);
  });

  it('rejects an out-of-range entry without writing any of the batch', async () => {
    await expect(
      index.add([
        { jobId: 'job_ok', priority: 1, submittedAt: t0 },
        { jobId: 'job_bad', priority: 1001, submittedAt: t0 },
      ]),
    ).rejects.toThrow('priority: must be an integer from 0 to 1000');
    expect(await index.size()).toBe(0);
  });

  it('keeps separate indexes for separate prefixes', async () => {
    const otherPrefix = uniquePrefix('pending-other');
    const other = new RedisPendingIndex({ redis, prefix: otherPrefix });
    await index.add([{ jobId: 'job_mine', priority: 1, submittedAt: t0 }]);
    expect(await other.size()).toBe(0);
    expect(await other.heads(5)).toEqual([]);
  });
});
