/**
 * The API as a client meets it: tenants and their isolation, idempotent submits, WatchJob
 * (history, live progress and logs, resuming), health checking, reflection and the HTTP probes.
 */
import { status } from '@grpc/grpc-js';
import { callUnary } from '@gantry/grpc';
import { JobState } from '@gantry/proto';
import {
  Cluster,
  commandSpec,
  eventually,
  type GantryClient,
  healthStatus,
  reflectedServices,
} from './harness';

describe('API', () => {
  let cluster: Cluster;
  let admin: GantryClient;

  beforeAll(async () => {
    cluster = await Cluster.create();
    await cluster.startControlPlane();
    await cluster.startAgent('node-a', '2xL40S-48GB');
    admin = cluster.client();
  });

  afterAll(async () => {
    await cluster.destroy();
  });

  async function tenantClient(name: string): Promise<GantryClient> {
    const created = await callUnary(admin.admin, 'createTenant', { name }, admin.metadata, 10_000);
    expect(created.tenant?.name).toBe(name);
    return cluster.client(cluster.controlPlanes[0], created.apiKey);
  }

  it('shows a tenant only its own jobs; another tenant gets NOT_FOUND', async () => {
    const alpha = await tenantClient('alpha');
    const beta = await tenantClient('beta');
    const job = await alpha.submit(commandSpec(['true'], 1));
    expect(job.tenant).toBe('alpha');
    await expect(beta.get(job.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(beta.cancel(job.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await beta.listAll()).map((j) => j.id)).not.toContain(job.id);
    expect((await alpha.listAll()).map((j) => j.id)).toContain(job.id);
    expect((await admin.get(job.id)).id).toBe(job.id);
    await expect(
      callUnary(alpha.admin, 'listNodes', {}, alpha.metadata, 10_000),
    ).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
  });

  it('returns the same job for a repeated idempotency key and refuses it for another spec', async () => {
    const first = await admin.submit(commandSpec(['echo', 'once'], 1), 'key-1');
    const again = await admin.submit(commandSpec(['echo', 'once'], 1), 'key-1');
    expect(again.id).toBe(first.id);
    await expect(admin.submit(commandSpec(['echo', 'twice'], 1), 'key-1')).rejects.toMatchObject({
      code: 'ALREADY_EXISTS',
    });
  });

  it('streams state changes, progress and log lines, and resumes from a sequence number', async () => {
    const script = 'echo starting; echo "GANTRY_PROGRESS 0.5 halfway"; echo oops >&2; echo done';
    const job = await admin.submit(commandSpec(['sh', '-c', script], 1));
    const events = await admin.events(job.id);
    await admin.waitForState(job.id, [JobState.JOB_STATE_SUCCEEDED]);

    expect(events.map((e) => e.sequence)).toEqual(events.map((_, i) => i + 1));
    const states = events.flatMap((e) =>
      e.payload?.$case === 'stateChange' ? [JobState[e.payload.stateChange.to]] : [],
    );
    expect(states).toEqual([
      'JOB_STATE_PENDING',
      'JOB_STATE_SCHEDULED',
      'JOB_STATE_RUNNING',
      'JOB_STATE_SUCCEEDED',
    ]);
    const progress = events.flatMap((e) =>
      e.payload?.$case === 'progress' ? [e.payload.progress] : [],
    );
    expect(progress).toEqual([{ fraction: 0.5, message: 'halfway' }]);
    const logs = events.flatMap((e) => (e.payload?.$case === 'log' ? e.payload.log.lines : []));
    expect(logs).toEqual(expect.arrayContaining(['starting', 'oops', 'done']));

    const resumed = await admin.events(job.id, 3);
    expect(resumed.map((e) => e.sequence)).toEqual(events.slice(2).map((e) => e.sequence));
  });

  it('answers WatchJob for an unknown job with NOT_FOUND', async () => {
    await expect(admin.events('job_00000000000000000000000000')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('serves gRPC health checking and reflection on the control plane and the agent', async () => {
    const cp = cluster.controlPlanes[0]!.address;
    expect(await healthStatus(cp)).toBe('SERVING');
    expect(await healthStatus(cp, 'gantry.v1.JobService')).toBe('SERVING');
    await expect(healthStatus(cp, 'gantry.v1.NoSuchService')).rejects.toMatchObject({
      code: status.NOT_FOUND,
    });
    expect(await reflectedServices(cp)).toEqual(
      expect.arrayContaining([
        'gantry.v1.AdminService',
        'gantry.v1.AgentGatewayService',
        'gantry.v1.JobService',
        'grpc.health.v1.Health',
      ]),
    );

    const node = (await admin.nodes())[0]!;
    expect(await healthStatus(node.address)).toBe('SERVING');
    expect(await reflectedServices(node.address)).toEqual(
      expect.arrayContaining(['gantry.v1.NodeAgentService']),
    );
  });

  it('serves /healthz, /readyz and Prometheus /metrics over HTTP', async () => {
    const base = `http://127.0.0.1:${cluster.controlPlanes[0]!.httpPort}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      checks: { postgres: 'ok', redis: 'ok', grpc: 'ok' },
    });
    const metrics = await eventually('submits to be counted', async () => {
      const text = await (await fetch(`${base}/metrics`)).text();
      return /gantry_jobs_submitted_total [1-9]/.test(text) ? text : undefined;
    });
    expect(metrics).toContain('gantry_grpc_requests_total{method="SubmitJob",code="OK"}');
    expect(metrics).toContain('gantry_scheduler_cycle_duration_seconds_bucket');
    expect(metrics).toContain('gantry_scheduler_is_leader 1');
  });
});
