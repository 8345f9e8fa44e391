/** Cancelling a running `process` task kills its whole process tree. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { JobState } from '@gantry/proto';
import { Cluster, commandSpec, eventually, isAlive, type GantryClient } from './harness';

describe('cancel', () => {
  let cluster: Cluster;
  let client: GantryClient;

  beforeEach(async () => {
    cluster = await Cluster.create();
    await cluster.startControlPlane();
    await cluster.startAgent('node-a', '2xA100-80GB');
    client = cluster.client();
  });

  afterEach(async () => {
    await cluster.destroy();
  });

  it('kills a running task and every process it started', async () => {
    const pids = path.join(cluster.workDir, 'pids');
    // A shell that starts two grandchildren, one of which ignores SIGTERM, and records every pid.
    const script = `sleep 600 & echo $! >> ${pids}; sh -c 'trap "" TERM; sleep 600' & echo $! >> ${pids}; echo $$ >> ${pids}; wait`;
    const job = await client.submit(commandSpec(['sh', '-c', script], 1));
    await client.waitForState(job.id, [JobState.JOB_STATE_RUNNING]);
    const recorded = await eventually('the task to record its three pids', () => {
      const list = existsSync(pids)
        ? readFileSync(pids, 'utf8').trim().split('\n').filter(Boolean).map(Number)
        : [];
      return list.length === 3 ? list : undefined;
    });
    expect(recorded.every(isAlive)).toBe(true);

    const cancelling = await client.cancel(job.id, 'e2e test');
    expect([JobState.JOB_STATE_CANCELLING, JobState.JOB_STATE_CANCELLED]).toContain(
      cancelling.state,
    );
    const cancelled = await client.waitForState(job.id, [JobState.JOB_STATE_CANCELLED], 30_000);
    expect(cancelled.reason).toBe('Cancelled');
    await eventually(
      'every process of the task to be gone',
      () => (recorded.some(isAlive) ? undefined : true),
      { timeoutMs: 10_000 },
    );
  }, 90_000);

  it('cancels a pending job at once and an ended job is left unchanged', async () => {
    const waiting = await client.submit(commandSpec(['true'], 8));
    const cancelled = await client.cancel(waiting.id);
    expect(cancelled.state).toBe(JobState.JOB_STATE_CANCELLED);

    const quick = await client.submit(commandSpec(['true'], 1));
    await client.waitForState(quick.id, [JobState.JOB_STATE_SUCCEEDED]);
    expect((await client.cancel(quick.id)).state).toBe(JobState.JOB_STATE_SUCCEEDED);
  }, 60_000);
});
