/**
 * Control-plane crashes: a SIGKILLed control plane loses no acknowledged job when it restarts,
 * and running tasks are reconciled; with two replicas, the survivor takes over scheduling.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { JobState } from '@gantry/proto';
import { Cluster, commandSpec, eventually, TERMINAL, type GantryClient } from './harness';

async function allFinished(client: GantryClient, count: number, timeoutMs: number) {
  return eventually(
    `${count} jobs to finish`,
    async () => {
      const jobs = await client.listAll();
      return jobs.length === count && jobs.every((j) => TERMINAL.includes(j.state))
        ? jobs
        : undefined;
    },
    { timeoutMs, intervalMs: 500 },
  );
}

describe('control plane failure', () => {
  let cluster: Cluster;

  afterEach(async () => {
    await cluster.destroy();
  });

  it('restarts after SIGKILL without losing an acknowledged job, reconciling running tasks', async () => {
    cluster = await Cluster.create();
    const first = await cluster.startControlPlane();
    await cluster.startAgent('node-a', '4xH100-80GB');
    await cluster.startAgent('node-b', '4xH100-80GB');
    const client = cluster.client(first);
    const ledger = path.join(cluster.workDir, 'runs.log');
    writeFileSync(ledger, '');
    const script = `sleep 2; echo "$GANTRY_JOB_ID $GANTRY_ATTEMPT" >> ${ledger}`;

    const acknowledged = [];
    for (let i = 0; i < 40; i++)
      acknowledged.push((await client.submit(commandSpec(['sh', '-c', script], 1 + (i % 2)))).id);
    await eventually('some jobs running', async () =>
      (await client.listAll()).some((j) => j.state === JobState.JOB_STATE_RUNNING)
        ? true
        : undefined,
    );

    first.process.signal('SIGKILL');
    await first.process.waitForExit();
    const restarted = await cluster.startControlPlane(first.grpcPort, 'cp-1-restarted');
    const after = cluster.client(restarted);

    const jobs = await allFinished(after, 40, 120_000);
    expect(new Set(jobs.map((j) => j.id))).toEqual(new Set(acknowledged));
    expect(
      jobs.filter((j) => j.state !== JobState.JOB_STATE_SUCCEEDED).map((j) => [j.id, j.message]),
    ).toEqual([]);
    const runs = readFileSync(ledger, 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(' ')[0]);
    expect(runs.sort()).toEqual([...acknowledged].sort());
  }, 180_000);

  it('hands scheduling to the other replica within seconds when the leader dies', async () => {
    cluster = await Cluster.create();
    const leader = await cluster.startControlPlane(undefined, 'cp-leader');
    await leader.process.waitForLog('elected', (l) => l.msg === 'elected scheduler leader');
    const follower = await cluster.startControlPlane(undefined, 'cp-follower');
    await cluster.startAgent('node-a', '4xH100-80GB', follower);
    const client = cluster.client(follower);
    const warmup = await client.submit(commandSpec(['true'], 1));
    await client.waitForState(warmup.id, [JobState.JOB_STATE_SUCCEEDED]);
    expect(follower.process.lines.some((l) => l.msg === 'elected scheduler leader')).toBe(false);

    leader.process.signal('SIGKILL');
    const killedAt = Date.now();
    const job = await client.submit(commandSpec(['true'], 1));
    await follower.process.waitForLog(
      'elected',
      (l) => l.msg === 'elected scheduler leader',
      15_000,
    );
    await client.waitForState(job.id, [JobState.JOB_STATE_SUCCEEDED], 15_000);
    // The lease is 2 s: the follower must take over and schedule well within a few seconds.
    expect(Date.now() - killedAt).toBeLessThan(8_000);
  }, 120_000);
});
