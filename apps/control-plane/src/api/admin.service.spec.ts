import { Metadata } from '@grpc/grpc-js';
import { PermissionDeniedError, UnauthenticatedError } from '@gantry/domain';
import { bearerMetadata } from '@gantry/grpc';
import { NodeState } from '@gantry/proto';
import { callHandler, failureOf } from '../testing/grpc-calls';
import { aPendingJob, anAttempt } from '../testing/job-records';
import { aNode } from '../testing/in-memory-nodes';
import { marketParts } from '../testing/market';
import { controlPlaneParts, T0 } from '../testing/parts';
import { AdminServiceHandlers } from './admin.service';
import { PolicyAdminHandlers } from './policy-admin';
import type { LeaseAdminHandlers } from '../market/lease-admin.handlers';
import { RentersHandlers } from '../market/renters.handlers';

const marketPart = { implementation: () => ({}) };

async function setUp() {
  const parts = controlPlaneParts();
  const service = new AdminServiceHandlers(
    parts.auth,
    parts.tenants,
    parts.nodes,
    parts.jobs,
    parts.liveness,
    parts.clock,
    new PolicyAdminHandlers(parts.auth, parts.policy, parts.jobs, parts.nodes),
    new RentersHandlers(parts.auth, parts.renters, parts.ledger, parts.clock),
    (await marketParts(parts)).pricesHandlers,
    // Lease admin calls are tested with their own handlers (apps/control-plane/src/market).
    marketPart as unknown as LeaseAdminHandlers,
  ).implementation({ finished: () => undefined });
  const admin = await parts.tenants.aTenant('admin', true);
  const alice = await parts.tenants.aTenant('alice');
  return {
    ...parts,
    service,
    admin: bearerMetadata(admin.key),
    alice: bearerMetadata(alice.key),
  };
}

describe('AdminServiceHandlers', () => {
  it('lets only admins in', async () => {
    const { service, alice } = await setUp();
    const denied = await failureOf(callHandler(service.listTenants, {}, alice));
    expect(denied).toBeInstanceOf(PermissionDeniedError);
    expect(denied.message).toBe('tenant alice is not an admin');
    const anonymous = await failureOf(callHandler(service.listNodes, {}, new Metadata()));
    expect(anonymous).toBeInstanceOf(UnauthenticatedError);
  });

  it('creates a tenant whose key then works', async () => {
    const { service, admin, auth } = await setUp();
    const { tenant, apiKey } = await callHandler(service.createTenant, { name: 'bob' }, admin);
    expect(tenant).toMatchObject({ name: 'bob', admin: false, createTime: new Date(T0) });
    expect(await auth.tenant(bearerMetadata(apiKey))).toMatchObject({ tenantName: 'bob' });
    const { tenants } = await callHandler(service.listTenants, {}, admin);
    expect(tenants.map((t) => t.name).sort()).toEqual(['admin', 'alice', 'bob']);
  });

  it('lists nodes with their allocations and last heartbeats', async () => {
    const { service, admin, nodes, jobs, liveness } = await setUp();
    nodes.add(aNode('n1', { gpus: 4 }), aNode('n2', { gpus: 2, state: 'lost' }));
    jobs.add(
      aPendingJob('job_a', { state: 'running', attempt: 1 }),
      anAttempt('job_a', 1, 'n1', { state: 'running', gpuIndices: [2, 3] }),
    );
    await liveness.beat('n1', T0 + 500);
    const { nodes: listed } = await callHandler(service.listNodes, {}, admin);
    expect(listed.map((n) => [n.id, n.state, n.allocatedGpuIndices, n.lastHeartbeatTime])).toEqual([
      ['n1', NodeState.NODE_STATE_READY, [2, 3], new Date(T0 + 500)],
      ['n2', NodeState.NODE_STATE_LOST, [], undefined],
    ]);
  });

  it('serves the queue and priority class RPCs too', async () => {
    const { service, admin } = await setUp();
    const queue = { name: 'rl', parent: '', guaranteed: {}, max: {}, weight: 2, used: {} };
    await callHandler(service.putQueue, { queue }, admin);
    const { queues } = await callHandler(service.listQueues, {}, admin);
    expect(queues.map((q) => q.name)).toEqual(['default', 'rl']);
    const { priorityClasses } = await callHandler(service.listPriorityClasses, {}, admin);
    expect(priorityClasses).toHaveLength(4);
  });
});
