import {
  NotFoundError,
  PermissionDeniedError,
  UnavailableError,
  ValidationError,
} from '@gantry/domain';
import { Job, JobState, type SubmitJobRequest } from '@gantry/proto';
import { ControlPlaneUnreachableError } from './errors/cli-errors';
import { ExitCode } from './errors/exit-codes';
import { runCli } from './run-cli';
import { fakeEnvironment } from './testing/fake-environment';

const aJob = (overrides: Partial<Job> = {}): Job => ({
  ...Job.fromPartial({
    id: 'job_01',
    state: JobState.JOB_STATE_PENDING,
    reason: 'Submitted',
    spec: { name: 'echo', queue: 'default', priority: 100, resources: { gpus: 1 } },
    submitTime: new Date('2026-11-29T11:59:50Z'),
  }),
  ...overrides,
});

describe('runCli', () => {
  it('prints help with the exit codes and exits 0', async () => {
    const { env, stdout } = fakeEnvironment({});
    await expect(runCli(['--help'], env)).resolves.toBe(0);
    expect(stdout.text).toContain('Exit codes:');
    expect(stdout.text).toContain('5   control plane unreachable');
    expect(stdout.text).toMatch(/submit/);
  });

  it('exits 2 with one line for an unknown option', async () => {
    const { env, stderr } = fakeEnvironment({});
    await expect(runCli(['list', '--bogus'], env)).resolves.toBe(ExitCode.Usage);
    expect(stderr.text).toMatch(/^gantry: error: unknown option '--bogus'/);
  });

  it('validates a spec locally, with the server message, before connecting', async () => {
    const { env, stderr, connected } = fakeEnvironment({});
    await expect(runCli(['submit', '--gpus', '-1', '--', 'true'], env)).resolves.toBe(2);
    expect(stderr.text).toBe('gantry: error: spec.resources.gpus: must be at least 0\n');
    expect(connected).toHaveLength(0);
  });

  it('submits and prints the id and state, or only the id with --parsable', async () => {
    const requests: SubmitJobRequest[] = [];
    const { env, stdout } = fakeEnvironment({
      submitJob: async (request) => {
        requests.push(request);
        return { job: aJob(), created: true, arrayJobIds: [] };
      },
    });
    await expect(
      runCli(
        [
          'submit',
          '--gpus',
          '2',
          '--env',
          'A=1',
          '--idempotency-key',
          'k1',
          '--',
          'echo',
          '-n',
          'hi',
        ],
        env,
      ),
    ).resolves.toBe(0);
    expect(stdout.text).toBe('job_01 pending\n');
    expect(requests[0]).toMatchObject({
      idempotencyKey: 'k1',
      spec: {
        resources: { gpus: 2, gpuModel: '' },
        workload: { $case: 'command', command: { argv: ['echo', '-n', 'hi'], env: { A: '1' } } },
      },
    });
    stdout.text = '';
    await expect(runCli(['submit', '--parsable', '--', 'true'], env)).resolves.toBe(0);
    expect(stdout.text).toBe('job_01\n');
  });

  it('passes global flags to the connection wherever they appear', async () => {
    const { env, connected } = fakeEnvironment({ listNodes: async () => [] });
    await runCli(['--endpoint', 'h:1', 'nodes', '--api-key', 'k', '-o', 'json'], env);
    expect(connected[0]).toMatchObject({ endpoint: 'h:1', apiKey: 'k', output: 'json' });
  });

  it('prints get -o json as protobuf JSON with the enum name in state', async () => {
    const { env, stdout } = fakeEnvironment({
      getJob: async () => aJob({ state: JobState.JOB_STATE_RUNNING }),
    });
    await expect(runCli(['get', 'job_01', '-o', 'json'], env)).resolves.toBe(0);
    const printed = JSON.parse(stdout.text) as { id: string; state: string };
    expect(printed).toMatchObject({ id: 'job_01', state: 'JOB_STATE_RUNNING' });
    expect(Job.fromJSON(printed).state).toBe(JobState.JOB_STATE_RUNNING);
  });

  it.each([
    ['NOT_FOUND', new NotFoundError('job', 'job_x'), ExitCode.NotFound, 'job job_x not found'],
    ['PERMISSION_DENIED', new PermissionDeniedError('admin only'), ExitCode.Auth, 'admin only'],
    [
      'UNAVAILABLE',
      new ControlPlaneUnreachableError(
        '127.0.0.1:50051',
        new UnavailableError('UNAVAILABLE: No connection established'),
      ),
      ExitCode.Unavailable,
      'cannot reach the control plane at 127.0.0.1:50051 (UNAVAILABLE: No connection established); is it running? Start a local cluster with `gantry up`',
    ],
    [
      'INVALID_ARGUMENT',
      new ValidationError([{ field: 'job_id', message: 'is required' }]),
      ExitCode.Usage,
      'job_id: is required',
    ],
    ['anything else', new Error('boom'), ExitCode.Error, 'boom'],
  ])('maps %s to its exit code and one stderr line', async (_kind, error, code, message) => {
    const { env, stderr } = fakeEnvironment({
      getJob: async () => {
        throw error;
      },
    });
    await expect(runCli(['get', 'job_x'], env)).resolves.toBe(code);
    expect(stderr.text).toBe(`gantry: error: ${message}\n`);
  });

  it('lists jobs as a table, following pages with --all-pages', async () => {
    const pages = [
      { jobs: [aJob({ id: 'job_a' })], nextPageToken: 't2' },
      { jobs: [aJob({ id: 'job_b' })], nextPageToken: '' },
    ];
    const tokens: string[] = [];
    const { env, stdout } = fakeEnvironment({
      listJobs: async (request) => {
        tokens.push(request.pageToken);
        return pages[tokens.length - 1]!;
      },
    });
    await expect(runCli(['list', '--all-pages', '--state', 'pending'], env)).resolves.toBe(0);
    expect(tokens).toEqual(['', 't2']);
    expect(stdout.text.split('\n')[0]).toMatch(
      /^ID\s+NAME\s+QUEUE\s+STATE\s+REASON\s+GPUS\s+NODE\s+AGE$/,
    );
    expect(stdout.text).toContain('job_a');
    expect(stdout.text).toContain('job_b');
  });
});
