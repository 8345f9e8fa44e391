import { FailedPreconditionError } from '@gantry/domain';
import { Job, JobState, type SubmitJobRequest } from '@gantry/proto';
import { ExitCode } from '../errors/exit-codes';
import { runCli } from '../run-cli';
import { fakeEnvironment } from '../testing/fake-environment';

const A = 'job_01jd8zq3m2x7abcdefghjkmnpq';
const pending = Job.fromPartial({ id: 'job_e0', state: JobState.JOB_STATE_PENDING });

describe('gantry submit: classes, dependencies, arrays', () => {
  it('sends --class, --after and --array and prints every element id with --parsable', async () => {
    const requests: SubmitJobRequest[] = [];
    const { env, stdout } = fakeEnvironment({
      submitJob: async (request) => {
        requests.push(request);
        return { job: pending, created: true, arrayJobIds: ['job_e0', 'job_e1', 'job_e2'] };
      },
    });
    const argv = ['submit', '--class', 'rl-rollout', '--after', `${A}:any`, '--array', '0-2'];
    await expect(runCli([...argv, '--parsable', '--simulate', '5'], env)).resolves.toBe(0);
    expect(stdout.text).toBe('job_e0\njob_e1\njob_e2\n');
    expect(requests[0]).toMatchObject({
      array: { first: 0, last: 2 },
      spec: { priorityClass: 'rl-rollout', dependencies: [{ jobId: A, condition: 2 }] },
    });
  });

  it.each([
    [
      ['--array', '0-3', '--wait'],
      '--wait follows one job, not an array; follow an element with gantry watch JOB_ID',
    ],
    [['--array', '9-3'], 'array: must be first-last with 0 <= first <= last (got 9-3)'],
    [['--after', 'job_1:later'], "--after: expected JOB[:ok|any|failed] (got 'job_1:later')"],
    [['--after', 'job_1'], 'spec.dependencies[0].job_id: must be a job id (job_...)'],
  ])('rejects %j before connecting (exit 2)', async (flags, message) => {
    const { env, stderr, connected } = fakeEnvironment({});
    await expect(runCli(['submit', ...flags, '--', 'true'], env)).resolves.toBe(ExitCode.Usage);
    expect(stderr.text).toBe(`gantry: error: ${message}\n`);
    expect(connected).toHaveLength(0);
  });
});

describe('gantry checkpoint', () => {
  it('records a checkpoint with its message', async () => {
    const calls: [string, string][] = [];
    const { env, stdout } = fakeEnvironment({
      recordCheckpoint: async (jobId, message) => {
        calls.push([jobId, message]);
        return Job.fromPartial({ id: jobId, lastCheckpointTime: new Date('2026-11-29T12:00:00Z') });
      },
    });
    await expect(runCli(['checkpoint', 'job_1', '--message', 'step 5'], env)).resolves.toBe(0);
    expect(calls).toEqual([['job_1', 'step 5']]);
    expect(stdout.text).toBe('job_1 checkpoint recorded at 2026-11-29T12:00:00.000Z\n');
  });

  it("reports a job that is not running with the server's message (exit 6)", async () => {
    const { env, stderr } = fakeEnvironment({
      recordCheckpoint: async () => {
        throw new FailedPreconditionError(
          'job job_1 is pending; only a running job can record a checkpoint',
        );
      },
    });
    await expect(runCli(['checkpoint', 'job_1'], env)).resolves.toBe(ExitCode.Conflict);
    expect(stderr.text).toBe(
      'gantry: error: job job_1 is pending; only a running job can record a checkpoint\n',
    );
  });
});

describe('--help', () => {
  it.each([
    ['submit', '--array 0-99'],
    ['checkpoint', 'gantry checkpoint job_'],
    ['queues', 'gantry queues put rl --parent research'],
    ['classes', 'gantry classes put serving --priority 1000 --no-preemptible'],
  ])('%s shows examples', async (command, example) => {
    const { env, stdout } = fakeEnvironment({});
    await expect(runCli([command, '--help'], env)).resolves.toBe(0);
    expect(stdout.text).toContain('Examples:');
    expect(stdout.text).toContain(example);
  });
});
