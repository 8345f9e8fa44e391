/**
 * Jobs flow end to end on real processes: a control plane and two agents talking gRPC, real
 * PostgreSQL and Redis, real child processes for the workers.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { JobState } from '@gantry/proto';
import { Cluster, commandSpec, eventually, TERMINAL, type GantryClient } from './harness';

describe('jobs flow end to end', () => {
  let cluster: Cluster;
  let client: GantryClient;

  beforeEach(async () => {
    cluster = await Cluster.create();
    await cluster.startControlPlane();
    await cluster.startAgent('node-a', '8xH100-80GB');
    await cluster.startAgent('node-b', '8xH100-80GB');
    client = cluster.client();
    await eventually('both nodes registered', async () =>
      (await client.nodes()).length === 2 ? true : undefined,
    );
  });

  afterEach(async () => {
    await cluster.destroy();
  });

  it('runs 200 jobs of mixed GPU counts to completion, each exactly once', async () => {
    const ledger = path.join(cluster.workDir, 'runs.log');
    writeFileSync(ledger, '');
    const sizes = [1, 2, 4, 8];
    const submitted = [];
    for (let i = 0; i < 200; i++) {
      const gpus = sizes[i % sizes.length]!;
      const script = `echo "$GANTRY_JOB_ID $GANTRY_ATTEMPT $CUDA_VISIBLE_DEVICES" >> ${ledger}`;
      submitted.push(await client.submit(commandSpec(['sh', '-c', script], gpus)));
    }
    expect(new Set(submitted.map((j) => j.id)).size).toBe(200);

    const finished = await eventually(
      'all 200 jobs to finish',
      async () => {
        const jobs = await client.listAll();
        return jobs.length === 200 && jobs.every((j) => TERMINAL.includes(j.state))
          ? jobs
          : undefined;
      },
      { timeoutMs: 150_000, intervalMs: 500 },
    );
    expect(
      finished
        .filter((j) => j.state !== JobState.JOB_STATE_SUCCEEDED)
        .map((j) => [j.id, j.reason, j.message]),
    ).toEqual([]);
    expect(finished.every((j) => j.attempt === 1)).toBe(true);

    const runs = readFileSync(ledger, 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split(' '));
    expect(runs).toHaveLength(200);
    expect(new Set(runs.map(([id]) => id))).toEqual(new Set(submitted.map((j) => j.id)));
    const gpusOf = new Map(submitted.map((j) => [j.id, j.spec!.resources!.gpus]));
    for (const [id, attempt, devices] of runs) {
      expect(attempt).toBe('1');
      expect((devices ?? '').split(',').filter(Boolean)).toHaveLength(gpusOf.get(id!)!);
    }
  }, 180_000);

  it('keeps a job that fits nowhere waiting with a reason (a reservation) while 1-GPU jobs behind it run', async () => {
    // Hold 6 of the 8 GPUs on each node, so no node has 4 free.
    const blockers = [
      await client.submit(commandSpec(['sleep', '600'], 6)),
      await client.submit(commandSpec(['sleep', '600'], 6)),
    ];
    for (const b of blockers) await client.waitForState(b.id, [JobState.JOB_STATE_RUNNING]);

    const big = await client.submit(commandSpec(['true'], 4, { priority: 900 }));
    const small = [];
    for (let i = 0; i < 4; i++) small.push(await client.submit(commandSpec(['true'], 1)));
    for (const s of small) await client.waitForState(s.id, [JobState.JOB_STATE_SUCCEEDED]);

    const waiting = await client.get(big.id);
    expect(waiting.state).toBe(JobState.JOB_STATE_PENDING);
    // It holds a reservation for when the blockers are expected to end; the small jobs fit in
    // what that node has to spare, so they did not delay it.
    expect(waiting.reason).toBe('Reserved');
    expect(waiting.message).toMatch(
      /^reserved node-[ab] from \S+ \(in ~[\d.]+[smhd]\); jobs that would delay it wait$/,
    );

    await client.cancel(blockers[0]!.id);
    const done = await client.waitForState(big.id, [JobState.JOB_STATE_SUCCEEDED]);
    expect(done.attempts[0]!.gpuIndices).toHaveLength(4);
  }, 120_000);
});
