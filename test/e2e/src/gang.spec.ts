/**
 * Multi-node (gang) jobs through the live control plane and real agents: every rank starts
 * together (a real TCP rendezvous at MASTER_ADDR:MASTER_PORT), or none does.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AttemptState, JobState } from '@gantry/proto';
import { Cluster, commandSpec, eventually, type GantryClient } from './harness';

const RENDEZVOUS = path.resolve(__dirname, '../fixtures/rendezvous.js');

function gangSpec(argv: string[], nodes: number, gpus = 2) {
  return commandSpec(argv, gpus, { resources: { gpus, gpuModel: '', nodes } });
}

describe('multi-node (gang) jobs, live', () => {
  let cluster: Cluster;
  let client: GantryClient;
  let marks: string;

  beforeEach(async () => {
    cluster = await Cluster.create();
    await cluster.startControlPlane();
    await cluster.startAgent('node-a', '2xH100-80GB');
    await cluster.startAgent('node-b', '2xH100-80GB');
    client = cluster.client();
    await eventually('both agents registered', async () =>
      (await client.nodes()).length === 2 ? true : undefined,
    );
    marks = path.join(cluster.workDir, 'marks');
    writeFileSync(marks, '');
  });

  afterEach(async () => {
    await cluster.destroy();
  });

  const lines = () => readFileSync(marks, 'utf8').trim().split('\n').filter(Boolean).sort();

  it('starts a 2-node job on both agents together: the ranks meet at their rendezvous', async () => {
    const job = await client.submit(gangSpec([process.execPath, RENDEZVOUS, marks], 2));
    const done = await client.waitForState(job.id, [JobState.JOB_STATE_SUCCEEDED], 60_000);

    expect(done.attempts.map((a) => [a.number, a.rank, AttemptState[a.state]])).toEqual([
      [1, 0, 'ATTEMPT_STATE_SUCCEEDED'],
      [1, 1, 'ATTEMPT_STATE_SUCCEEDED'],
    ]);
    const nodes = done.attempts.map((a) => a.nodeName);
    expect([...nodes].sort()).toEqual(['node-a', 'node-b']);
    const seen = lines();
    const port = seen.map((l) => /master 127\.0\.0\.1:(\d+)/.exec(l)?.[1]).find(Boolean);
    expect(seen).toEqual([
      'rank 0 heard: hello from rank 1',
      `rank 0/2 master 127.0.0.1:${port} torchrun 0/2 nodes ${nodes.join(',')}`,
      `rank 1/2 master 127.0.0.1:${port} torchrun 1/2 nodes ${nodes.join(',')}`,
    ]);
    const running = (await client.events(job.id)).filter(
      (e) =>
        e.payload?.$case === 'stateChange' &&
        e.payload.stateChange.to === JobState.JOB_STATE_RUNNING,
    );
    expect(running).toHaveLength(1); // one job start, once both ranks had started
  }, 90_000);

  it('starts none of a 3-node job while only 2 nodes exist, then all three once a third joins', async () => {
    const job = await client.submit(gangSpec([process.execPath, RENDEZVOUS, marks], 3));
    const waiting = await eventually('the job to say why it waits', async () => {
      const j = await client.get(job.id);
      return j.reason === 'Unschedulable' ? j : undefined;
    });
    expect(waiting.state).toBe(JobState.JOB_STATE_PENDING);
    expect(waiting.message).toContain('3 nodes');
    await new Promise((resolve) => setTimeout(resolve, 1500)); // a few scheduling cycles
    expect(readFileSync(marks, 'utf8')).toBe(''); // no rank ran anywhere
    expect((await client.get(job.id)).attempts).toEqual([]);

    await cluster.startAgent('node-c', '2xH100-80GB');
    const done = await client.waitForState(job.id, [JobState.JOB_STATE_SUCCEEDED], 60_000);
    expect(done.attempts.map((a) => a.rank)).toEqual([0, 1, 2]);
    expect(lines().filter((l) => l.startsWith('rank 0 heard'))).toHaveLength(2);
  }, 90_000);

  it('stops the other rank when one fails, and fails with that rank as the cause', async () => {
    const script = `if [ "$GANTRY_NODE_RANK" = 1 ]; then sleep 1; exit 3; fi; trap 'echo "rank 0 SIGTERM" >> ${marks}; exit 143' TERM; echo "rank 0 up" >> ${marks}; sleep 30 & wait`;
    const job = await client.submit(gangSpec(['sh', '-c', script], 2));
    const done = await client.waitForState(job.id, [JobState.JOB_STATE_FAILED], 60_000);
    expect(done).toMatchObject({ reason: 'NonZeroExit', exitCode: 3 });
    expect(done.message).toBe('rank 1 ended NonZeroExit: exited with code 3');
    expect(done.attempts.map((a) => [a.rank, AttemptState[a.state]])).toEqual([
      [0, 'ATTEMPT_STATE_CANCELLED'],
      [1, 'ATTEMPT_STATE_FAILED'],
    ]);
    expect(lines()).toEqual(['rank 0 SIGTERM', 'rank 0 up']);
    const notice = (await client.events(job.id)).find((e) => e.payload?.$case === 'notice');
    expect(notice?.payload?.$case === 'notice' && notice.payload.notice.reason).toBe('GangStopped');
  }, 90_000);

  it('never runs a job one of whose agents is gone: its other rank is stopped and the job requeued', async () => {
    cluster.agents.get('node-b')!.signal('SIGKILL');
    const script = `trap 'echo "rank $GANTRY_NODE_RANK SIGTERM" >> ${marks}; exit 143' TERM; echo "rank $GANTRY_NODE_RANK up" >> ${marks}; sleep 60 & wait`;
    const job = await client.submit(gangSpec(['sh', '-c', script], 2));
    const requeued = await eventually(
      'the job to be requeued',
      async () => {
        const j = await client.get(job.id);
        return j.state === JobState.JOB_STATE_PENDING && j.attempt === 1 ? j : undefined;
      },
      { timeoutMs: 60_000 },
    );
    expect(requeued.attempts.every((a) => a.state !== AttemptState.ATTEMPT_STATE_RUNNING)).toBe(
      true,
    );
    await client.cancel(job.id); // its history then ends, and can be read whole
    const events = await client.events(job.id);
    expect(
      events.some(
        (e) =>
          e.payload?.$case === 'stateChange' &&
          e.payload.stateChange.to === JobState.JOB_STATE_RUNNING,
      ),
    ).toBe(false);
    // Rank 0 (on node-a) may have started before its peer's loss was known: if so, it was
    // stopped. Nothing ran on the dead node.
    const seen = existsSync(marks) ? lines() : [];
    expect(seen.filter((l) => l.startsWith('rank 1'))).toEqual([]);
    if (seen.includes('rank 0 up')) expect(seen).toContain('rank 0 SIGTERM');
  }, 90_000);
});
