import { aPendingJob, anAttempt } from '../testing/job-records';
import { aNode } from '../testing/in-memory-nodes';
import { marketParts } from '../testing/market';
import { controlPlaneParts, T0, type ControlPlaneParts } from '../testing/parts';
import { submitted } from '../testing/scheduling';
import { MARKET_VIEW_TTL_MS } from './market-view';

const H100 = 'H100-80GB';

function running(parts: ControlPlaneParts, id: string, queue: string, gpuIndices: number[]): void {
  parts.jobs.add(
    aPendingJob(id, { queue, state: 'running', attempt: 1, gpus: gpuIndices.length }),
    anAttempt(id, 1, 'n1', { state: 'running', gpuIndices }),
  );
}

describe('MarketView', () => {
  it('builds the market figures from the scheduler snapshot: nodes, active attempts, the pending index', async () => {
    const parts = controlPlaneParts();
    const { market } = await marketParts(parts);
    await parts.policy.putQueue(
      { name: 'market', parent: null, guaranteed: {}, max: {}, weight: 1 },
      T0,
    );
    await parts.policy.putQueue(
      { name: 'market-on-demand', parent: 'market', guaranteed: {}, max: {}, weight: 1 },
      T0,
    );
    parts.nodes.add(aNode('n1', { gpus: 8 }), aNode('lost', { gpus: 8, state: 'lost' }));
    running(parts, 'job_internal', 'default', [0, 1, 2, 3]);
    running(parts, 'job_lease', 'market-on-demand', [4, 5]);
    await submitted(parts, aPendingJob('job_waiting', { gpus: 4 }));
    // A pending job the pending index does not list is not what the scheduler sees either.
    parts.jobs.add(aPendingJob('job_unindexed', { gpus: 8 }));

    const state = await market.current();
    expect(state.at).toBe(T0);
    expect(state.snapshot.pending.map((j) => j.id)).toEqual(['job_waiting']);
    expect(state.figures.models.get(H100)).toMatchObject({
      capacity: 8,
      internalBusy: 4,
      rented: 2,
      free: 2,
      pendingInternal: 4,
      pressure: 0.5,
      utilization: 0.5,
    });
    expect(state.reservedWindows).toEqual([]);
  });

  it('reuses a view for a second, then builds a new one', async () => {
    const parts = controlPlaneParts();
    const { market } = await marketParts(parts);
    parts.nodes.add(aNode('n1', { gpus: 8 }));
    const first = await market.current();
    parts.nodes.add(aNode('n2', { gpus: 8 }));
    parts.clock.advance(MARKET_VIEW_TTL_MS - 1);
    expect(await market.current()).toBe(first);
    parts.clock.advance(1);
    const second = await market.current();
    expect(second.at).toBe(T0 + MARKET_VIEW_TTL_MS);
    expect(second.figures.models.get(H100)?.capacity).toBe(16);
  });

  it('builds once for callers that arrive together', async () => {
    const parts = controlPlaneParts();
    const { market } = await marketParts(parts);
    const list = jest.spyOn(parts.nodes, 'list');
    const views = await Promise.all([market.current(), market.current(), market.current()]);
    expect(list).toHaveBeenCalledTimes(1);
    expect(new Set(views).size).toBe(1);
  });

  it('builds again after a failed build', async () => {
    const parts = controlPlaneParts();
    const { market } = await marketParts(parts);
    jest.spyOn(parts.nodes, 'list').mockRejectedValueOnce(new Error('database gone'));
    await expect(market.current()).rejects.toThrow('database gone');
    parts.nodes.add(aNode('n1', { gpus: 2 }));
    expect((await market.current()).figures.models.get(H100)?.capacity).toBe(2);
  });

  it('takes the reserved windows already sold from its source', async () => {
    const parts = controlPlaneParts();
    const windows = [{ gpuModel: H100, gpus: 8, from: T0 + 3_600_000, until: T0 + 7_200_000 }];
    const asked: number[] = [];
    const { market } = await marketParts(parts, {
      reservedWindows: async (now) => (asked.push(now), windows),
    });
    expect((await market.current()).reservedWindows).toEqual(windows);
    expect(asked).toEqual([T0]);
  });
});
