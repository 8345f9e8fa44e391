import {
  FailedPreconditionError,
  NotFoundError,
  PermissionDeniedError,
  type ValidationError,
} from '@gantry/domain';
import { bearerMetadata } from '@gantry/grpc';
import type { Queue } from '@gantry/proto';
import { callHandler, failureOf } from '../testing/grpc-calls';
import { aPendingJob, anAttempt } from '../testing/job-records';
import { aNode } from '../testing/in-memory-nodes';
import { controlPlaneParts, T0 } from '../testing/parts';
import { PolicyAdminHandlers } from './policy-admin';

async function setUp() {
  const parts = controlPlaneParts();
  const service = new PolicyAdminHandlers(
    parts.auth,
    parts.policy,
    parts.jobs,
    parts.nodes,
  ).implementation({ finished: () => undefined }, () => T0);
  const admin = await parts.tenants.aTenant('admin', true);
  const alice = await parts.tenants.aTenant('alice');
  return { ...parts, service, admin: bearerMetadata(admin.key), alice: bearerMetadata(alice.key) };
}

const aQueue = (name: string, fields: Partial<Queue> = {}): Queue => ({
  name,
  parent: '',
  guaranteed: {},
  max: {},
  weight: 1,
  used: {},
  ...fields,
});

describe('PolicyAdminHandlers', () => {
  it('lets only admins in', async () => {
    const { service, alice, policy } = await setUp();
    const calls = [
      callHandler(service.putQueue, { queue: aQueue('rl') }, alice),
      callHandler(service.deleteQueue, { name: 'default' }, alice),
      callHandler(service.listQueues, {}, alice),
      callHandler(service.putPriorityClass, { priorityClass: undefined }, alice),
      callHandler(service.listPriorityClasses, {}, alice),
    ];
    for (const call of calls) expect(await failureOf(call)).toBeInstanceOf(PermissionDeniedError);
    expect([...policy.queues.keys()]).toEqual(['default']);
  });

  it('puts queues (weight 0 meaning 1) and lists them with what each holds, a parent counting its children', async () => {
    const { service, admin, policy, nodes, jobs } = await setUp();
    const org = aQueue('org', { max: { 'H100-80GB': 16 }, weight: 0 });
    const { queue } = await callHandler(service.putQueue, { queue: org }, admin);
    expect(queue).toEqual({ ...org, weight: 1 });
    expect(policy.queues.get('org')).toEqual({
      name: 'org',
      parent: null,
      guaranteed: {},
      max: { 'H100-80GB': 16 },
      weight: 1,
    });
    const teamA = aQueue('team-a', { parent: 'org', guaranteed: { 'H100-80GB': 4 } });
    await callHandler(service.putQueue, { queue: teamA }, admin);
    await callHandler(service.putQueue, { queue: aQueue('team-b', { parent: 'org' }) }, admin);

    nodes.add(aNode('n1', { gpus: 8 }), aNode('n2', { gpus: 4, model: 'A100-80GB' }));
    const running = (id: string, queue: string, nodeId: string, gpuIndices: number[]): void => {
      jobs.add(
        aPendingJob(id, { queue, state: 'running', attempt: 1 }),
        anAttempt(id, 1, nodeId, { state: 'running', gpuIndices }),
      );
    };
    running('job_a1', 'team-a', 'n1', [0, 1]);
    running('job_a2', 'team-a', 'n2', [0]);
    running('job_b1', 'team-b', 'n1', [2, 3, 4]);
    jobs.add(
      aPendingJob('job_done', { queue: 'team-b', state: 'succeeded', attempt: 1 }),
      anAttempt('job_done', 1, 'n1', { state: 'succeeded', gpuIndices: [5] }),
    );

    const { queues } = await callHandler(service.listQueues, {}, admin);
    expect(Object.fromEntries(queues.map((q) => [q.name, q.used]))).toEqual({
      default: {},
      org: { 'H100-80GB': 5, 'A100-80GB': 1 },
      'team-a': { 'H100-80GB': 2, 'A100-80GB': 1 },
      'team-b': { 'H100-80GB': 3 },
    });
    expect(queues.find((q) => q.name === 'team-a')).toMatchObject({
      parent: 'org',
      guaranteed: { 'H100-80GB': 4 },
    });
  });

  it("passes the store's refusals on, and names a missing queue", async () => {
    const { service, admin } = await setUp();
    const orphan = await failureOf(
      callHandler(service.putQueue, { queue: aQueue('team', { parent: 'nope' }) }, admin),
    );
    expect((orphan as ValidationError).violations).toEqual([
      { field: 'queue.parent', message: 'queue "nope" does not exist' },
    ]);
    const missing = await failureOf(callHandler(service.putQueue, { queue: undefined }, admin));
    expect((missing as ValidationError).violations).toEqual([
      { field: 'queue', message: 'is required' },
    ]);
  });

  it('deletes a queue; not one with children or unfinished jobs, nor one that is absent', async () => {
    const { service, admin, policy, jobs } = await setUp();
    await callHandler(service.putQueue, { queue: aQueue('org') }, admin);
    await callHandler(service.putQueue, { queue: aQueue('team', { parent: 'org' }) }, admin);
    const parent = await failureOf(callHandler(service.deleteQueue, { name: 'org' }, admin));
    expect(parent).toBeInstanceOf(FailedPreconditionError);
    jobs.add(aPendingJob('job_p', { queue: 'team' }));
    const busy = await failureOf(callHandler(service.deleteQueue, { name: 'team' }, admin));
    expect(busy.message).toBe(
      'queue team has 1 unfinished job; wait for them or cancel them first',
    );
    jobs.add(aPendingJob('job_p', { queue: 'team', state: 'cancelled' }));

    expect(await callHandler(service.deleteQueue, { name: 'team' }, admin)).toEqual({});
    expect([...policy.queues.keys()]).toEqual(['default', 'org']);
    const absent = await failureOf(callHandler(service.deleteQueue, { name: 'team' }, admin));
    expect(absent).toBeInstanceOf(NotFoundError);
  });

  it('puts a priority class with its durations and lists the classes highest priority first', async () => {
    const { service, admin, policy } = await setUp();
    const urgent = {
      name: 'urgent',
      priority: 700,
      preemptible: false,
      minRuntime: { seconds: 300, nanos: 0 },
      gracePeriod: { seconds: 20, nanos: 500_000_000 },
    };
    const { priorityClass } = await callHandler(
      service.putPriorityClass,
      { priorityClass: urgent },
      admin,
    );
    expect(priorityClass).toEqual(urgent);
    expect(policy.classes.get('urgent')).toEqual({
      name: 'urgent',
      priority: 700,
      preemptible: false,
      minRuntimeSeconds: 300,
      gracePeriodSeconds: 20.5,
    });
    const { priorityClasses } = await callHandler(service.listPriorityClasses, {}, admin);
    expect(priorityClasses.map((c) => [c.name, c.priority, c.preemptible])).toEqual([
      ['serving', 1000, false],
      ['urgent', 700, false],
      ['batch', 500, true],
      ['rl-rollout', 300, true],
      ['background', 100, true],
    ]);
    expect(priorityClasses.find((c) => c.name === 'batch')).toMatchObject({
      minRuntime: { seconds: 600, nanos: 0 },
      gracePeriod: { seconds: 60, nanos: 0 },
    });
    const missing = await failureOf(
      callHandler(service.putPriorityClass, { priorityClass: undefined }, admin),
    );
    expect((missing as ValidationError).violations).toEqual([
      { field: 'priority_class', message: 'is required' },
    ]);
  });
});
