import { sql } from 'kysely';
import { AbortedError, newCredential, NotFoundError } from '@gantry/domain';
import type { Scope, WarmEngineRecord } from '@gantry/store';
import {
  aJob,
  aNode,
  aTenant,
  inventory,
  openPostgresStore,
  placeJob,
  type StoreHarness,
} from './harness';

describe('nodes (PostgreSQL)', () => {
  let store: StoreHarness;
  let scope: Scope;

  beforeEach(async () => {
    store = await openPostgresStore('nodes');
    scope = await aTenant(store, 'team-a');
  });

  afterEach(async () => {
    await store.close();
  });

  function register(name: string, instanceId: string, gpus = 8) {
    const token = newCredential('node-token');
    return store.nodes
      .register({
        name,
        address: `${name}.local:7070`,
        inventory: inventory(gpus),
        labels: { rack: 'r1' },
        agentVersion: '0.1.0',
        instanceId,
        token,
        now: store.clock.advance(1000),
      })
      .then((result) => ({ ...result, token }));
  }

  it('registers a node that its token authenticates', async () => {
    const { node, token, previousInstanceId } = await register('gpu-1', 'i-1');
    expect(previousInstanceId).toBeNull();
    expect(node).toEqual({
      id: node.id,
      name: 'gpu-1',
      address: 'gpu-1.local:7070',
      state: 'ready',
      inventory: inventory(8),
      labels: { rack: 'r1' },
      agentVersion: '0.1.0',
      instanceId: 'i-1',
      tokenLookupId: token.lookupId,
      registeredAt: store.clock.now(),
      lostAt: null,
    });
    expect(await store.nodes.authenticate(token.plaintext)).toEqual(node);
    expect(await store.nodes.get(node.id)).toEqual(node);
    expect(await store.nodes.authenticate(newCredential('node-token').plaintext)).toBeUndefined();
    expect(await store.nodes.authenticate('gn_garbage')).toBeUndefined();
  });

  it('refreshes a node on re-registration and retires its old token', async () => {
    const first = await register('gpu-1', 'i-1', 8);
    const second = await register('gpu-1', 'i-2', 4);
    expect(second.node.id).toBe(first.node.id);
    expect(second.previousInstanceId).toBe('i-1');
    expect(second.node).toMatchObject({ instanceId: 'i-2', inventory: inventory(4) });
    expect(await store.nodes.authenticate(first.token.plaintext)).toBeUndefined();
    expect(await store.nodes.authenticate(second.token.plaintext)).toEqual(second.node);
    expect((await store.nodes.list()).map((n) => n.name)).toEqual(['gpu-1']);
  });

  it('registers the same new name from two places at once as one node', async () => {
    const [a, b] = await Promise.all([register('gpu-1', 'i-1'), register('gpu-1', 'i-2')]);
    expect(a.node.id).toBe(b.node.id);
    expect(await store.nodes.list()).toHaveLength(1);
  });

  it('marks a node lost (fenced), requeues its active attempts, and is a no-op the second time', async () => {
    const n1 = await aNode(store, 'n1');
    const n2 = await aNode(store, 'n2');
    const [onN1, alsoOnN1, onN2] = [
      await aJob(store, scope),
      await aJob(store, scope),
      await aJob(store, scope),
    ];
    await placeJob(store, onN1, n1, [0], 3);
    await placeJob(store, alsoOnN1, n1, [1], 3);
    await placeJob(store, onN2, n2, [0], 3);

    await expect(
      store.nodes.markLost(2, n1.id, 'silent', 3, store.clock.now()),
    ).rejects.toBeInstanceOf(AbortedError);
    expect((await store.nodes.get(n1.id))?.state).toBe('ready');
    expect(await store.jobs.activeAttemptsOn(n1.id)).toHaveLength(2);

    const now = store.clock.advance(1000);
    const changed = await store.nodes.markLost(3, n1.id, 'node n1 missed heartbeats', 3, now);
    expect(changed.map((c) => [c.id, c.state]).sort()).toEqual(
      [
        [onN1, 'pending'],
        [alsoOnN1, 'pending'],
      ].sort(),
    );
    expect(await store.nodes.get(n1.id)).toMatchObject({ state: 'lost', lostAt: now });
    expect(await store.jobs.activeAttemptsOn(n1.id)).toEqual([]);
    expect((await store.jobs.get(scope, onN1)).attempts).toMatchObject([
      { state: 'lost', message: 'node n1 missed heartbeats' },
    ]);
    expect((await store.jobs.get(scope, onN2)).state).toBe('scheduled');
    expect(await store.nodes.markLost(3, n1.id, 'again', 3, store.clock.now())).toEqual([]);

    await store.nodes.markReady(n1.id, store.clock.now());
    expect(await store.nodes.get(n1.id)).toMatchObject({ state: 'ready', lostAt: null });
    await expect(store.nodes.markLost(3, 'node_missing', 'x', 3, 0)).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('keeps warm engines current, writing only when they change', async () => {
    const n1 = await aNode(store, 'n1');
    const n2 = await aNode(store, 'n2');
    const version = async (id: string) =>
      (
        await sql<{
          xmin: string;
        }>`select xmin::text as xmin from nodes where id = ${id}`.execute(store.database.db)
      ).rows[0]!.xmin;
    const llama: WarmEngineRecord = {
      model: 'meta-llama/Llama-3.1-8B',
      revision: 'main',
      engine: 'vllm',
      gpuIndices: [2, 3],
      busy: false,
    };

    expect(await store.nodes.setWarmEngines(n1.id, [llama])).toBe(true);
    expect((await store.nodes.get(n1.id))?.inventory).toEqual({
      ...inventory(8),
      warmEngines: [llama],
    });
    const written = await version(n1.id);
    expect(await store.nodes.setWarmEngines(n1.id, [{ ...llama, gpuIndices: [2, 3] }])).toBe(false);
    expect(await version(n1.id)).toBe(written); // no new row version: nothing was written

    const busy = [{ ...llama, busy: true }];
    expect(await store.nodes.setWarmEngines(n1.id, busy)).toBe(true);
    expect((await store.nodes.get(n1.id))?.inventory.warmEngines).toEqual(busy);
    const qwen = { ...llama, model: 'Qwen/Qwen2.5-7B', gpuIndices: [0] };
    expect(await store.nodes.setWarmEngines(n1.id, [qwen, ...busy])).toBe(true);
    expect(await store.nodes.setWarmEngines(n1.id, [...busy, qwen])).toBe(true); // order counts
    expect((await store.nodes.get(n1.id))?.inventory.warmEngines).toEqual([...busy, qwen]);
    expect(await store.nodes.setWarmEngines(n1.id, [])).toBe(true);
    expect((await store.nodes.get(n1.id))?.inventory.warmEngines).toEqual([]);
    expect(await store.nodes.setWarmEngines(n1.id, [])).toBe(false);

    expect((await store.nodes.get(n2.id))?.inventory).toEqual(inventory(8)); // only n1 changed
    expect(await store.nodes.setWarmEngines('node_missing', [llama])).toBe(false);
  });

  it('orders an agent to stop what it should not run', async () => {
    const n1 = await aNode(store, 'n1');
    const [current, cancelling, ended, requeued] = [
      await aJob(store, scope),
      await aJob(store, scope),
      await aJob(store, scope),
      await aJob(store, scope),
    ];
    await placeJob(store, current, n1, [0]);
    await placeJob(store, cancelling, n1, [1]);
    await placeJob(store, ended, n1, [2]);
    await placeJob(store, requeued, n1, [3]);
    await store.jobs.cancel(scope, cancelling, '', store.clock.now());
    await store.jobs.applyTaskEvents(
      n1.id,
      [
        {
          jobId: ended,
          attempt: 1,
          rank: 0,
          sequence: 1,
          report: { type: 'exited', exitCode: 0, signal: '', reason: '', message: '' },
        },
      ],
      store.clock.now(),
      3,
    );
    await store.jobs.abandonAttempt(requeued, 1, 'DispatchFailed', 'x', 3, store.clock.now());

    const running = [current, cancelling, ended, requeued, 'job_unknown'].map((jobId) => ({
      jobId,
      attempt: 1,
    }));
    const orders = await store.jobs.stopOrders(n1.id, running);
    expect(orders).toEqual(
      [cancelling, ended, requeued, 'job_unknown'].map((jobId) => ({
        jobId,
        attempt: 1,
        rank: 0,
        nodeId: n1.id,
      })),
    );
    expect(await store.jobs.stopOrders(n1.id, [])).toEqual([]);
    expect(await store.jobs.cancellingAttempts()).toEqual([
      { jobId: cancelling, attempt: 1, rank: 0, nodeId: n1.id },
    ]);
  });
});
