import {
  FailedPreconditionError,
  NotFoundError,
  PermissionDeniedError,
  ValidationError,
} from '@gantry/domain';
import { PriorityClass, Queue } from '@gantry/proto';
import { ExitCode } from '../errors/exit-codes';
import { runCli } from '../run-cli';
import { fakeEnvironment } from '../testing/fake-environment';

describe('gantry queues', () => {
  it('lists the tree, and json for scripts', async () => {
    const queues = [
      Queue.fromPartial({ name: 'rl', parent: 'org' }),
      Queue.fromPartial({ name: 'org' }),
    ];
    const { env, stdout } = fakeEnvironment({ listQueues: async () => queues });
    await expect(runCli(['queues', 'list'], env)).resolves.toBe(0);
    expect(stdout.text).toMatch(/^ORG\/QUEUE +GUARANTEED +MAX +USED +WEIGHT\norg .*\n {2}rl /);
    stdout.text = '';
    await runCli(['queues', 'ls', '-o', 'json'], env);
    expect(JSON.parse(stdout.text)).toEqual({
      queues: [{ name: 'rl', parent: 'org' }, { name: 'org' }],
    });
  });

  it('puts a queue from its flags and prints what was saved', async () => {
    const sent: Queue[] = [];
    const { env, stdout } = fakeEnvironment({
      putQueue: async (queue) => (sent.push(queue), queue),
    });
    const argv = ['queues', 'put', 'rl', '--parent', 'org', '--guaranteed', 'H100-80GB=8'];
    await expect(runCli([...argv, '--max', '*=16', '--weight', '2'], env)).resolves.toBe(0);
    expect(sent[0]).toEqual({
      name: 'rl',
      parent: 'org',
      guaranteed: { 'H100-80GB': 8 },
      max: { '*': 16 },
      weight: 2,
      used: {},
    });
    expect(stdout.text).toBe(
      'queue rl saved: parent org, guaranteed H100-80GB=8, max *=16, weight 2\n',
    );
  });

  it.each([
    [
      new ValidationError([
        { field: 'queue.guaranteed["H100-80GB"]', message: 'must be at least 0' },
      ]),
      ExitCode.Usage,
      'queue.guaranteed["H100-80GB"]: must be at least 0',
    ],
    [new NotFoundError('queue', 'org'), ExitCode.NotFound, 'queue org not found'],
    [new PermissionDeniedError('needs an admin key'), ExitCode.Auth, 'needs an admin key'],
  ])(
    "prints the server's error %#  as one line with its exit code",
    async (error, code, message) => {
      const { env, stderr } = fakeEnvironment({
        putQueue: async () => {
          throw error;
        },
      });
      await expect(
        runCli(['queues', 'put', 'rl', '--guaranteed', 'H100-80GB=-1'], env),
      ).resolves.toBe(code);
      expect(stderr.text).toBe(`gantry: error: ${message}\n`);
    },
  );

  it('rejects a malformed quota before connecting', async () => {
    const { env, stderr, connected } = fakeEnvironment({});
    await expect(runCli(['queues', 'put', 'rl', '--max', '16'], env)).resolves.toBe(ExitCode.Usage);
    expect(stderr.text).toContain(
      "--max: expected MODEL=GPUS like H100-80GB=8 or '*=16' (got '16')",
    );
    expect(connected).toHaveLength(0);
  });

  it('deletes a queue; one with children is a conflict (exit 6)', async () => {
    const deleted: string[] = [];
    const { env, stdout } = fakeEnvironment({
      deleteQueue: async (name) => void deleted.push(name),
    });
    await expect(runCli(['queues', 'delete', 'rl'], env)).resolves.toBe(0);
    expect(deleted).toEqual(['rl']);
    expect(stdout.text).toBe('queue rl deleted\n');
    const failing = fakeEnvironment({
      deleteQueue: async () => {
        throw new FailedPreconditionError(
          'queue org has child queues (rl); delete or move them first',
        );
      },
    });
    await expect(runCli(['queues', 'delete', 'org'], failing.env)).resolves.toBe(ExitCode.Conflict);
    expect(failing.stderr.text).toBe(
      'gantry: error: queue org has child queues (rl); delete or move them first\n',
    );
  });
});

describe('gantry classes', () => {
  it('lists classes and puts one with every default applied', async () => {
    const sent: PriorityClass[] = [];
    const { env, stdout } = fakeEnvironment({
      listPriorityClasses: async () => [
        PriorityClass.fromPartial({ name: 'serving', priority: 1000 }),
      ],
      putPriorityClass: async (c) => (sent.push(c), c),
    });
    await expect(runCli(['classes', 'list'], env)).resolves.toBe(0);
    expect(stdout.text).toMatch(
      /^NAME +PRIORITY +PREEMPTIBLE +MIN RUNTIME +GRACE\nserving +1000 +no/,
    );
    stdout.text = '';
    await expect(
      runCli(['classes', 'put', 'bg', '--priority', '100', '--no-preemptible'], env),
    ).resolves.toBe(0);
    expect(sent[0]).toMatchObject({
      name: 'bg',
      priority: 100,
      preemptible: false,
      gracePeriod: { seconds: 30 },
    });
    expect(stdout.text).toBe('priority class bg saved: priority 100, never preempted, grace 30s\n');
  });

  it('needs --priority (exit 2)', async () => {
    const { env, stderr } = fakeEnvironment({});
    await expect(runCli(['classes', 'put', 'bg'], env)).resolves.toBe(ExitCode.Usage);
    expect(stderr.text).toContain("required option '--priority <p>' not specified");
  });
});
