import { ValidationError } from '@gantry/domain';
import { LogStream, type TaskEvent } from '@gantry/proto';
import { fromProtoTaskEvents } from './task-event.mapper';

function anEvent(sequence: number, payload: TaskEvent['payload'], rank = 0): TaskEvent {
  return { task: { taskId: 'job_1', jobId: 'job_1', attempt: 2, rank }, sequence, payload };
}

const started = (backend = 'process'): TaskEvent['payload'] => ({
  $case: 'started',
  started: { backend, pid: 10 },
});

function violationOf(events: TaskEvent[]): string {
  try {
    fromProtoTaskEvents(events);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    const { field, message } = (error as ValidationError).violations[0]!;
    return `${field}: ${message}`;
  }
  throw new Error('expected a ValidationError');
}

describe('fromProtoTaskEvents', () => {
  it("keeps the rank of a multi-node job's task", () => {
    expect(fromProtoTaskEvents([anEvent(1, started(), 3)])[0]).toMatchObject({ rank: 3 });
  });

  it('maps each kind of event to a domain report', () => {
    const reports = fromProtoTaskEvents([
      anEvent(1, started('')),
      anEvent(2, { $case: 'progress', progress: { fraction: 0.5, message: 'half' } }),
      anEvent(3, {
        $case: 'log',
        log: { stream: LogStream.LOG_STREAM_STDERR, lines: ['oops'], rank: 0 },
      }),
      anEvent(4, {
        $case: 'log',
        log: { stream: LogStream.LOG_STREAM_STDOUT, lines: ['ok'], rank: 0 },
      }),
      anEvent(5, { $case: 'checkpoint', checkpoint: { message: 'epoch 3' } }),
      anEvent(6, {
        $case: 'exited',
        exited: { exitCode: 137, signal: 'SIGKILL', reason: 'TimeLimit', message: 'too long' },
      }),
    ]);
    expect(reports.every((r) => r.rank === 0)).toBe(true);
    expect(reports.map((r) => [r.jobId, r.attempt, r.sequence])).toEqual([
      ['job_1', 2, 1],
      ['job_1', 2, 2],
      ['job_1', 2, 3],
      ['job_1', 2, 4],
      ['job_1', 2, 5],
      ['job_1', 2, 6],
    ]);
    expect(reports.map((r) => r.report)).toEqual([
      { type: 'started', backend: 'unknown' },
      { type: 'progress', fraction: 0.5, message: 'half' },
      { type: 'log', stream: 'stderr', lines: ['oops'] },
      { type: 'log', stream: 'stdout', lines: ['ok'] },
      { type: 'checkpoint', message: 'epoch 3' },
      {
        type: 'exited',
        exitCode: 137,
        signal: 'SIGKILL',
        reason: 'TimeLimit',
        message: 'too long',
      },
    ]);
  });

  it.each([
    [
      'a missing task',
      [anEvent(1, started()), { sequence: 1, payload: started() }],
      'events[1].task.job_id: is required',
    ],
    [
      'an attempt below 1',
      [{ ...anEvent(1, started()), task: { taskId: 'j', jobId: 'j', attempt: 0, rank: 0 } }],
      'events[0].task.attempt: must be at least 1',
    ],
    ['a negative rank', [anEvent(1, started(), -1)], 'events[0].task.rank: must be at least 0'],
    [
      'a sequence below 1',
      [anEvent(1, started()), anEvent(2, started()), anEvent(0, started())],
      'events[2].sequence: must be at least 1',
    ],
    [
      'a fraction above 1',
      [anEvent(1, { $case: 'progress', progress: { fraction: 1.5, message: '' } })],
      'events[0].progress.fraction: must be 0-1',
    ],
    [
      'a fraction that is not a number',
      [anEvent(1, { $case: 'progress', progress: { fraction: NaN, message: '' } })],
      'events[0].progress.fraction: must be 0-1',
    ],
    [
      'no payload',
      [anEvent(1, started()), anEvent(2, undefined)],
      'events[1].payload: one of started, progress, log, checkpoint, result, exited is required',
    ],
  ] as [string, TaskEvent[], string][])('rejects %s naming the field', (_name, events, message) => {
    expect(violationOf(events)).toBe(message);
  });

  it('keeps the first 1024 characters of a checkpoint message', () => {
    const long = 'c'.repeat(1030);
    const [event] = fromProtoTaskEvents([
      anEvent(1, { $case: 'checkpoint', checkpoint: { message: long } }),
    ]);
    expect(event?.report).toEqual({ type: 'checkpoint', message: long.slice(0, 1024) });
  });

  it('rejects more than 10000 events at once', () => {
    const events = Array.from({ length: 10_001 }, (_, i) => anEvent(i + 1, started()));
    expect(violationOf(events)).toBe('events: must have at most 10000 entries');
    expect(fromProtoTaskEvents(events.slice(0, 10_000))).toHaveLength(10_000);
  });
});
