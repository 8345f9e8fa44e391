/**
 * The scheduling policy through the live control plane: preemption of a real process task,
 * queues with quotas, dependencies and job arrays.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { callUnary } from '@gantry/grpc';
import { AttemptState, DependencyCondition, JobState } from '@gantry/proto';
import { Cluster, commandSpec, eventually, type GantryClient } from './harness';

describe('scheduling policy, live', () => {
  let cluster: Cluster;
  let client: GantryClient;

  beforeEach(async () => {
    cluster = await Cluster.create();
    await cluster.startControlPlane();
    await cluster.startAgent('node-a', '2xH100-80GB');
    client = cluster.client();
    await eventually('node-a registered', async () =>
      (await client.nodes()).length === 1 ? true : undefined,
    );
    // A preemptible class with no minimum runtime and a short grace period, for quick tests.
    await callUnary(
      client.admin,
      'putPriorityClass',
      {
        priorityClass: {
          name: 'scavenger',
          priority: 50,
          preemptible: true,
          minRuntime: { seconds: 0, nanos: 0 },
          gracePeriod: { seconds: 3, nanos: 0 },
        },
      },
      client.metadata,
      10_000,
    );
  });

  afterEach(async () => {
    await cluster.destroy();
  });

  it('preempts a preemptible process task for a serving job: SIGTERM, back to pending, completes later', async () => {
    const marks = path.join(cluster.workDir, 'marks');
    writeFileSync(marks, '');
    const script = `echo "start $GANTRY_ATTEMPT" >> ${marks}; trap 'echo "SIGTERM $GANTRY_ATTEMPT" >> ${marks}; exit 143' TERM; sleep 6 & wait; echo "done $GANTRY_ATTEMPT" >> ${marks}`;
    const victim = await client.submit(
      commandSpec(['sh', '-c', script], 2, { priorityClass: 'scavenger' }),
    );
    await client.waitForState(victim.id, [JobState.JOB_STATE_RUNNING]);
    await eventually('the victim to start', () =>
      readFileSync(marks, 'utf8').includes('start 1') ? true : undefined,
    );

    const vip = await client.submit(commandSpec(['sleep', '1'], 2, { priorityClass: 'serving' }));
    await client.waitForState(vip.id, [JobState.JOB_STATE_SUCCEEDED], 60_000);
    const done = await client.waitForState(victim.id, [JobState.JOB_STATE_SUCCEEDED], 60_000);

    expect(done.attempts.map((a) => AttemptState[a.state])).toEqual([
      'ATTEMPT_STATE_PREEMPTED',
      'ATTEMPT_STATE_SUCCEEDED',
    ]);
    expect(done.preemptions).toBe(1);
    expect(readFileSync(marks, 'utf8').trim().split('\n')).toEqual([
      'start 1',
      'SIGTERM 1',
      'start 2',
      'done 2',
    ]);
    const events = await client.events(victim.id);
    const notice = events.find((e) => e.payload?.$case === 'notice');
    expect(notice?.payload?.$case === 'notice' && notice.payload.notice.reason).toBe('Preempted');
    const requeued = events.find(
      (e) => e.payload?.$case === 'stateChange' && e.payload.stateChange.reason === 'Preempted',
    );
    expect(
      requeued?.payload?.$case === 'stateChange' && JobState[requeued.payload.stateChange.to],
    ).toBe('JOB_STATE_PENDING');
  }, 120_000);

  it('keeps a queue within its maximum, and refuses unknown queues and classes', async () => {
    await callUnary(
      client.admin,
      'putQueue',
      {
        queue: {
          name: 'research',
          parent: '',
          guaranteed: {},
          max: { '*': 1 },
          weight: 1,
          used: {},
        },
      },
      client.metadata,
      10_000,
    );
    const first = await client.submit(commandSpec(['sleep', '30'], 1, { queue: 'research' }));
    await client.waitForState(first.id, [JobState.JOB_STATE_RUNNING]);
    const second = await client.submit(commandSpec(['true'], 1, { queue: 'research' }));
    const waiting = await eventually('the second job to wait for quota', async () => {
      const job = await client.get(second.id);
      return job.reason === 'WaitingForQuota' ? job : undefined;
    });
    expect(waiting.message).toBe('queue research would hold 2 H100-80GB GPUs; its maximum is 1');

    await expect(client.submit(commandSpec(['true'], 1, { queue: 'nope' }))).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('spec.queue: no queue named "nope"') as string,
    });
    await expect(
      client.submit(commandSpec(['true'], 1, { priorityClass: 'vip' })),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining(
        'spec.priority_class: no priority class named "vip" (one of',
      ) as string,
    });
  }, 90_000);

  it('runs a job after the one it depends on, and cancels one whose dependency failed', async () => {
    const first = await client.submit(commandSpec(['sleep', '2'], 1));
    const failing = await client.submit(commandSpec(['false'], 1));
    const after = await client.submit(
      commandSpec(['true'], 1, {
        dependencies: [
          { jobId: first.id, condition: DependencyCondition.DEPENDENCY_CONDITION_AFTER_OK },
        ],
      }),
    );
    const never = await client.submit(
      commandSpec(['true'], 1, {
        dependencies: [
          { jobId: failing.id, condition: DependencyCondition.DEPENDENCY_CONDITION_AFTER_OK },
        ],
      }),
    );

    const held = await eventually('the dependent job to wait', async () => {
      const job = await client.get(after.id);
      return job.reason === 'WaitingForDependencies' ? job : undefined;
    });
    expect(held.state).toBe(JobState.JOB_STATE_PENDING);
    const ran = await client.waitForState(after.id, [JobState.JOB_STATE_SUCCEEDED]);
    expect(ran.startTime!.getTime()).toBeGreaterThanOrEqual(
      (await client.get(first.id)).endTime!.getTime(),
    );
    const cancelled = await client.waitForState(never.id, [JobState.JOB_STATE_CANCELLED]);
    expect(cancelled.reason).toBe('DependencyNeverSatisfied');
  }, 90_000);

  it('submits a job array whose elements know their index', async () => {
    const ledger = path.join(cluster.workDir, 'array');
    writeFileSync(ledger, '');
    const response = await callUnary(
      client.jobs,
      'submitJob',
      {
        spec: {
          name: 'sweep',
          queue: '',
          labels: {},
          priorityClass: '',
          dependencies: [],
          ...commandSpec(
            ['sh', '-c', `echo "$GANTRY_ARRAY_INDEX $GANTRY_ARRAY_ID" >> ${ledger}`],
            1,
          ),
        },
        idempotencyKey: '',
        array: { first: 0, last: 3 },
      },
      client.metadata,
      10_000,
    );
    expect(response.arrayJobIds).toHaveLength(4);
    for (const id of response.arrayJobIds)
      await client.waitForState(id, [JobState.JOB_STATE_SUCCEEDED]);
    const lines = readFileSync(ledger, 'utf8').trim().split('\n').sort();
    expect(lines).toEqual([0, 1, 2, 3].map((i) => `${i} ${response.arrayJobIds[0]}`));
    expect((await client.get(response.arrayJobIds[2]!)).spec?.name).toBe('sweep[2]');
  }, 90_000);
});
