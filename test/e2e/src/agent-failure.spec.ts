/**
 * Agents die and vanish: the work moves to another node as a new attempt, and nothing the old
 * attempt says afterwards is accepted.
 */
import { JobState, AttemptState } from '@gantry/proto';
import { Cluster, commandSpec, eventually, type GantryClient } from './harness';

describe('agent failure', () => {
  let cluster: Cluster;
  let client: GantryClient;

  beforeEach(async () => {
    cluster = await Cluster.create();
    await cluster.startControlPlane();
    await cluster.startAgent('node-a', '4xH100-80GB');
    client = cluster.client();
    await eventually('node-a registered', async () =>
      (await client.nodes()).length === 1 ? true : undefined,
    );
  });

  afterEach(async () => {
    await cluster.destroy();
  });

  it('completes the task of a SIGKILLed agent on the other agent as attempt 2', async () => {
    const job = await client.submit(
      commandSpec(['sh', '-c', 'sleep 4; echo "attempt $GANTRY_ATTEMPT done"'], 2),
    );
    const running = await client.waitForState(job.id, [JobState.JOB_STATE_RUNNING]);
    expect(running.attempts[0]!.nodeName).toBe('node-a');
    await cluster.startAgent('node-b', '4xH100-80GB');

    cluster.agents.get('node-a')!.signal('SIGKILL');
    const done = await client.waitForState(job.id, [JobState.JOB_STATE_SUCCEEDED], 60_000);

    expect(done.attempt).toBe(2);
    expect(done.attempts.map((a) => [a.number, a.nodeName, AttemptState[a.state]])).toEqual([
      [1, 'node-a', 'ATTEMPT_STATE_LOST'],
      [2, 'node-b', 'ATTEMPT_STATE_SUCCEEDED'],
    ]);
    const events = await client.events(job.id);
    const requeued = events.find(
      (e) => e.payload?.$case === 'stateChange' && e.payload.stateChange.reason === 'Requeued',
    )!;
    expect(requeued).toBeDefined();
    expect(events.filter((e) => e.attempt === 1 && e.sequence > requeued.sequence)).toEqual([]);
    const logLines = events.flatMap((e) => (e.payload?.$case === 'log' ? e.payload.log.lines : []));
    expect(logLines).toEqual(['attempt 2 done']);
  }, 120_000);

  it('rejects and logs the late reports of an attempt whose agent came back after being declared lost', async () => {
    const job = await client.submit(
      commandSpec(['sh', '-c', 'sleep 6; echo "attempt $GANTRY_ATTEMPT done"'], 1),
    );
    await client.waitForState(job.id, [JobState.JOB_STATE_RUNNING]);
    await cluster.startAgent('node-b', '4xH100-80GB');

    const nodeA = cluster.agents.get('node-a')!;
    nodeA.signal('SIGSTOP'); // a partition: heartbeats stop, the task keeps its process
    const moved = await eventually('the job to move to node-b', async () => {
      const j = await client.get(job.id);
      return j.attempt === 2 ? j : undefined;
    });
    expect(moved.attempts[0]!.state).toBe(AttemptState.ATTEMPT_STATE_LOST);
    nodeA.signal('SIGCONT');

    const controlPlane = cluster.controlPlanes[0]!.process;
    await controlPlane.waitForLog(
      'a rejected late report from attempt 1',
      (l) =>
        l.msg === 'rejected a task report from a stale attempt' &&
        l['jobId'] === job.id &&
        l['attempt'] === 1,
      30_000,
    );
    const done = await client.waitForState(job.id, [JobState.JOB_STATE_SUCCEEDED], 60_000);
    expect(done.attempt).toBe(2);
    expect(done.attempts[1]!.nodeName).toBe('node-b');
    const events = await client.events(job.id);
    const requeued = events.find(
      (e) => e.payload?.$case === 'stateChange' && e.payload.stateChange.reason === 'Requeued',
    )!;
    expect(events.filter((e) => e.attempt === 1 && e.sequence > requeued.sequence)).toEqual([]);
  }, 120_000);
});
