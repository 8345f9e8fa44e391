import { JobEvent, JobState, StateChange } from '@gantry/proto';
import { runCli } from '../run-cli';
import { fakeEnvironment } from '../testing/fake-environment';
import { applyEvent, initialView } from './job-view-state';

const at = new Date('2026-11-29T12:00:07Z');

/** A job that saves a checkpoint, is preempted, runs again and succeeds. */
function preemptedHistory(): JobEvent[] {
  const event = (sequence: number, attempt: number, payload: JobEvent['payload']) =>
    JobEvent.fromPartial({ sequence, time: at, attempt, payload });
  const state = (to: JobState, reason = '', message = '') => ({
    $case: 'stateChange' as const,
    stateChange: StateChange.fromPartial({ to, reason, message }),
  });
  return [
    event(1, 1, state(JobState.JOB_STATE_RUNNING)),
    event(2, 1, { $case: 'checkpoint', checkpoint: { message: 'step 500' } }),
    event(3, 1, {
      $case: 'notice',
      notice: { reason: 'Preempted', message: 'preempted for job_z; SIGTERM now, SIGKILL in 60s' },
    }),
    event(4, 1, state(JobState.JOB_STATE_PENDING, 'Preempted', 'waiting to run again')),
    event(5, 2, state(JobState.JOB_STATE_RUNNING)),
    event(6, 2, state(JobState.JOB_STATE_SUCCEEDED, 'Completed')),
  ];
}

function watching(tty: boolean) {
  return fakeEnvironment(
    {
      async *watchJob() {
        for (const event of preemptedHistory()) yield event;
      },
    },
    { tty },
  );
}

describe('watch: checkpoints and notices', () => {
  it('prints a line for each checkpoint and notice', async () => {
    const { env, stdout } = watching(false);
    await expect(runCli(['watch', 'job_1'], env)).resolves.toBe(0);
    expect(stdout.text.split('\n')).toEqual([
      '12:00:07 state     running [attempt 1]',
      '12:00:07 checkpoint step 500',
      '12:00:07 notice    Preempted: preempted for job_z; SIGTERM now, SIGKILL in 60s [attempt 1]',
      '12:00:07 state     pending (Preempted: waiting to run again) [attempt 1]',
      '12:00:07 state     running [attempt 2]',
      '12:00:07 state     succeeded (Completed) [attempt 2]',
      '',
    ]);
  });

  it('shows the notice and the last checkpoint in the live view', async () => {
    const { env, stdout } = watching(true);
    await runCli(['watch', 'job_1'], env);
    expect(stdout.text).toContain(
      'notice: Preempted: preempted for job_z; SIGTERM now, SIGKILL in 60s',
    );
    expect(stdout.text).toContain('checkpoint 12:00:07 step 500');
    expect(stdout.text).toContain('job_1  succeeded (Completed)  attempt 2');
  });

  it('keeps the checkpoint across attempts and drops the notice at the next state change', () => {
    let view = initialView('job_1');
    const events = preemptedHistory();
    for (const event of events.slice(0, 3)) view = applyEvent(view, event);
    expect(view).toMatchObject({
      lastCheckpoint: '12:00:07 step 500',
      notice: 'Preempted: preempted for job_z; SIGTERM now, SIGKILL in 60s',
    });
    for (const event of events.slice(3)) view = applyEvent(view, event);
    expect(view).toMatchObject({ lastCheckpoint: '12:00:07 step 500', notice: '', attempt: 2 });
  });

  it('prints checkpoint and notice events as protobuf JSON with -o json', async () => {
    const { env, stdout } = watching(false);
    await runCli(['watch', 'job_1', '-o', 'json'], env);
    const lines = stdout.text.trim().split('\n');
    expect(JSON.parse(lines[1]!)).toMatchObject({ checkpoint: { message: 'step 500' } });
    expect(JSON.parse(lines[2]!)).toMatchObject({ notice: { reason: 'Preempted' } });
  });
});
