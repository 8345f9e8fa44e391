import { JobEvent, JobState, LogStream } from '@gantry/proto';
import { runCli } from '../run-cli';
import { fakeEnvironment } from '../testing/fake-environment';
import { applyEvent, initialView } from './job-view-state';

const at = new Date('2026-11-29T12:00:01Z');

function history(final: JobState): JobEvent[] {
  return [
    JobEvent.fromPartial({
      sequence: 1,
      time: at,
      payload: {
        $case: 'stateChange',
        stateChange: { to: JobState.JOB_STATE_PENDING, reason: 'Submitted' },
      },
    }),
    JobEvent.fromPartial({
      sequence: 2,
      time: at,
      attempt: 1,
      payload: { $case: 'stateChange', stateChange: { to: JobState.JOB_STATE_RUNNING } },
    }),
    JobEvent.fromPartial({
      sequence: 3,
      time: at,
      attempt: 1,
      payload: { $case: 'progress', progress: { fraction: 0.4, message: 'step 2/5' } },
    }),
    JobEvent.fromPartial({
      sequence: 4,
      time: at,
      attempt: 1,
      payload: {
        $case: 'log',
        log: { stream: LogStream.LOG_STREAM_STDERR, lines: ['warning: slow'] },
      },
    }),
    JobEvent.fromPartial({
      sequence: 5,
      time: at,
      attempt: 1,
      payload: {
        $case: 'stateChange',
        stateChange: {
          to: final,
          reason: 'NonZeroExit',
          message: 'exited with code 3',
          exitCode: 3,
        },
      },
    }),
  ];
}

function watching(final: JobState, tty = false) {
  return fakeEnvironment(
    {
      async *watchJob() {
        for (const event of history(final)) yield event;
      },
    },
    { tty },
  );
}

describe('gantry watch', () => {
  it.each([
    [JobState.JOB_STATE_SUCCEEDED, 0],
    [JobState.JOB_STATE_FAILED, 10],
    [JobState.JOB_STATE_CANCELLED, 11],
  ])('exits by how the job ended (%s -> %d)', async (final, code) => {
    const { env } = watching(final);
    await expect(runCli(['watch', 'job_1'], env)).resolves.toBe(code);
  });

  it('prints one plain line per event when not on a terminal', async () => {
    const { env, stdout } = watching(JobState.JOB_STATE_FAILED);
    await runCli(['watch', 'job_1'], env);
    expect(stdout.text.split('\n')).toEqual([
      '12:00:01 state     pending (Submitted)',
      '12:00:01 state     running [attempt 1]',
      '12:00:01 progress  40% step 2/5',
      '12:00:01 stderr    warning: slow',
      '12:00:01 state     failed (NonZeroExit: exited with code 3) [attempt 1]',
      '',
    ]);
  });

  it('prints protobuf JSON lines with -o json', async () => {
    const { env, stdout } = watching(JobState.JOB_STATE_SUCCEEDED);
    await runCli(['watch', 'job_1', '-o', 'json'], env);
    const lines = stdout.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { sequence: string });
    expect(lines).toHaveLength(5);
    expect(lines[2]).toMatchObject({ progress: { fraction: 0.4 } });
  });

  it('draws a live view with a progress bar on a terminal', async () => {
    const { env, stdout } = watching(JobState.JOB_STATE_SUCCEEDED, true);
    await runCli(['watch', 'job_1'], env);
    expect(stdout.text).toContain('\x1b[');
    expect(stdout.text).toContain('job_1  succeeded');
    expect(stdout.text).toMatch(/\[█{10}░{14}\] {2}40% {2}step 2\/5/);
    expect(stdout.text).toContain('│ ! warning: slow');
  });

  it('rejects a bad --from-sequence', async () => {
    const { env, stderr } = watching(JobState.JOB_STATE_SUCCEEDED);
    await expect(runCli(['watch', 'job_1', '--from-sequence', '-3'], env)).resolves.toBe(2);
    expect(stderr.text).toContain('--from-sequence: must be a whole number');
  });
});

describe('log lines of a multi-node job', () => {
  const fromRank = (rank: number) =>
    JobEvent.fromPartial({
      sequence: 7 + rank,
      time: at,
      attempt: 1,
      payload: {
        $case: 'log',
        log: { stream: LogStream.LOG_STREAM_STDOUT, lines: ['loss 1.2'], rank },
      },
    });

  it('are labelled with the rank that wrote them, beyond rank 0', async () => {
    const { env, stdout } = fakeEnvironment({
      async *watchJob() {
        yield fromRank(0);
        yield fromRank(2);
      },
    });
    await runCli(['watch', 'job_1'], env);
    expect(stdout.text.split('\n').slice(0, 2)).toEqual([
      '12:00:01 stdout    loss 1.2',
      '12:00:01 stdout    [rank 2] loss 1.2',
    ]);
    expect(applyEvent(initialView('job_1'), fromRank(3), 5).lastLines).toEqual([
      '[rank 3] loss 1.2',
    ]);
  });
});

describe('applyEvent', () => {
  it('keeps the last lines and resets progress when a new attempt starts', () => {
    let view = initialView('job_1');
    for (const event of history(JobState.JOB_STATE_RUNNING).slice(0, 4))
      view = applyEvent(view, event, 1);
    expect(view).toMatchObject({ progress: 0.4, lastLines: ['! warning: slow'], attempt: 1 });
    view = applyEvent(
      view,
      JobEvent.fromPartial({
        sequence: 9,
        attempt: 2,
        payload: { $case: 'stateChange', stateChange: { to: JobState.JOB_STATE_RUNNING } },
      }),
    );
    expect(view).toMatchObject({ progress: 0, attempt: 2, lastSequence: 9 });
  });
});
