/**
 * Malformed and invalid requests get the right status with the field named, and the server keeps
 * serving.
 */
import { Client, credentials, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { bearerMetadata, channelOptions } from '@gantry/grpc';
import { JobServiceClient, JobState, type JobSpec, type SubmitJobResponse } from '@gantry/proto';
import { Cluster, commandSpec, type GantryClient } from './harness';

function submitRaw(
  client: JobServiceClient,
  spec: JobSpec | undefined,
  metadata: Metadata,
): Promise<{ error?: ServiceError; response?: SubmitJobResponse }> {
  return new Promise((resolve) => {
    client.submitJob(
      { spec, idempotencyKey: '' },
      metadata,
      { deadline: Date.now() + 10_000 },
      (error, response) => resolve(error ? { error } : { response }),
    );
  });
}

describe('request validation', () => {
  let cluster: Cluster;
  let client: GantryClient;
  let raw: JobServiceClient;
  let admin: Metadata;

  beforeAll(async () => {
    cluster = await Cluster.create();
    const cp = await cluster.startControlPlane();
    client = cluster.client();
    raw = new JobServiceClient(
      cp.address,
      credentials.createInsecure(),
      channelOptions(64 * 1024 * 1024),
    );
    admin = bearerMetadata(cluster.adminKey);
  });

  afterAll(async () => {
    raw.close();
    await cluster.destroy();
  });

  const base = (extra: Partial<JobSpec>): JobSpec => ({
    name: '',
    queue: '',
    priorityClass: '',
    dependencies: [],
    labels: {},
    ...commandSpec(['true'], 1),
    ...extra,
  });

  it.each([
    ['a missing spec', undefined, 'spec: is required'],
    [
      'an empty spec',
      { name: '', queue: '', labels: {}, priorityClass: '', dependencies: [] },
      'spec.workload: one of command, simulated, inference_batch, inference_reasoning, rl_synthetic is required',
    ],
    [
      'negative GPUs',
      base({ resources: { gpus: -2, gpuModel: '', nodes: 0 } }),
      'spec.resources.gpus: must be at least 0',
    ],
    [
      'an unknown GPU model',
      base({ resources: { gpus: 1, gpuModel: 'TPU-v5', nodes: 0 } }),
      'spec.resources.gpu_model: must be one of',
    ],
    [
      'a multi-node job without GPUs',
      base({ resources: { gpus: 0, gpuModel: '', nodes: 2 } }),
      'spec.resources.nodes: is 2; a multi-node job needs resources.gpus of at least 1',
    ],
    [
      'too many nodes',
      base({ resources: { gpus: 1, gpuModel: '', nodes: 257 } }),
      'spec.resources.nodes: must be at most 256',
    ],
    [
      'an empty command',
      base({ workload: { $case: 'command', command: { argv: [], env: {}, workingDir: '' } } }),
      'spec.command.argv: must name a program',
    ],
  ])('rejects %s with INVALID_ARGUMENT naming the field', async (_name, spec, message) => {
    const { error } = await submitRaw(raw, spec, admin);
    expect(error?.code).toBe(status.INVALID_ARGUMENT);
    expect(error?.details).toContain(message);
  });

  it('rejects bytes that are not a protobuf message with INVALID_ARGUMENT', async () => {
    const generic = new Client(cluster.controlPlanes[0]!.address, credentials.createInsecure());
    const error = await new Promise<ServiceError | null>((resolve) =>
      generic.makeUnaryRequest(
        '/gantry.v1.JobService/SubmitJob',
        (b: Buffer) => b,
        (b: Buffer) => b,
        Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]),
        admin,
        (e) => resolve(e),
      ),
    );
    generic.close();
    expect(error?.code).toBe(status.INVALID_ARGUMENT);
    expect(error?.details).toContain('request: is not a valid protobuf message');
  });

  it('rejects an oversized message with RESOURCE_EXHAUSTED', async () => {
    const { error } = await submitRaw(raw, base({ name: 'x'.repeat(5 * 1024 * 1024) }), admin);
    expect(error?.code).toBe(status.RESOURCE_EXHAUSTED);
  });

  it('rejects a missing or wrong API key with UNAUTHENTICATED', async () => {
    const missing = await submitRaw(raw, base({}), new Metadata());
    expect(missing.error?.code).toBe(status.UNAUTHENTICATED);
    expect(missing.error?.details).toContain('authorization');
    const wrong = await submitRaw(
      raw,
      base({}),
      bearerMetadata('gk_000000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'),
    );
    expect(wrong.error?.code).toBe(status.UNAUTHENTICATED);
    const garbage = await submitRaw(raw, base({}), bearerMetadata('not a key'));
    expect(garbage.error?.code).toBe(status.UNAUTHENTICATED);
  });

  it('keeps serving after all of that', async () => {
    const job = await client.submit(commandSpec(['true'], 1));
    expect(job.state).toBe(JobState.JOB_STATE_PENDING);
    expect((await client.get(job.id)).id).toBe(job.id);
  });
});
