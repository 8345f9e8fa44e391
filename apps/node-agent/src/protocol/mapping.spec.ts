import { LogStream } from '@gantry/proto';
import type { WorkerEvent } from '@gantry/workers';
import { toTaskEvent, toWarmEngines } from './mapping';

const ref = { taskId: 't1', jobId: 'job_1', attempt: 2, rank: 0 };
const payload = (event: WorkerEvent) =>
  toTaskEvent({ ref, sequence: 3, time: 1_000, event }).payload;

describe('toTaskEvent', () => {
  it('numbers, stamps and names the attempt', () => {
    const event = toTaskEvent({
      ref,
      sequence: 3,
      time: 1_000,
      event: { type: 'log', stream: 'stderr', lines: ['x'] },
    });
    expect(event).toEqual({
      task: ref,
      sequence: 3,
      time: new Date(1_000),
      payload: {
        $case: 'log',
        log: { stream: LogStream.LOG_STREAM_STDERR, lines: ['x'], rank: 0 },
      },
    });
  });

  it('maps a checkpoint', () => {
    expect(payload({ type: 'checkpoint', message: 'step 500' })).toEqual({
      $case: 'checkpoint',
      checkpoint: { message: 'step 500' },
    });
  });

  it('maps an exit with reason Preempted', () => {
    const exit = {
      exitCode: -1,
      signal: 'SIGTERM',
      reason: 'Preempted',
      message: 'preempted',
    } as const;
    expect(payload({ type: 'exited', ...exit })).toEqual({ $case: 'exited', exited: exit });
  });
});

describe('results and warm engines', () => {
  it('maps a result event to TaskEvent.result with the job result on the wire', () => {
    expect(
      payload({
        type: 'result',
        result: {
          kind: 'reasoning',
          answer: '391',
          accepted: null,
          stoppedEarly: true,
          callsMade: 3,
          callsSavedCache: 1,
          callsSavedInflight: 2,
          tokens: 40,
          steps: [{ id: 'v', items: 1, calls: 0, answer: '391', accepted: 0, ran: true }],
          stopReason: 'max_calls',
        },
      }),
    ).toEqual({
      $case: 'result',
      result: {
        result: {
          kind: {
            $case: 'reasoning',
            reasoning: {
              answer: '391',
              accepted: undefined,
              stoppedEarly: true,
              callsMade: 3,
              callsSavedCache: 1,
              callsSavedInflight: 2,
              tokens: 40,
              steps: [{ id: 'v', items: 1, calls: 0, answer: '391', accepted: 0, ran: true }],
              stopReason: 'max_calls',
            },
          },
        },
      },
    });
  });

  it('reports starting and ready engines, busy while leased or starting; not stopping ones', () => {
    const engine = {
      model: 'm',
      revision: 'main',
      preset: 'vllm',
      gpuIndices: [0, 1],
      port: 8000,
      pid: 10,
      leases: 0,
    };
    expect(
      toWarmEngines([
        { ...engine, state: 'ready' },
        { ...engine, state: 'ready', leases: 1, model: 'busy' },
        { ...engine, state: 'starting', model: 'starting' },
        { ...engine, state: 'stopping', model: 'gone' },
      ]),
    ).toEqual([
      { model: 'm', revision: 'main', engine: 'vllm', gpuIndices: [0, 1], busy: false },
      { model: 'busy', revision: 'main', engine: 'vllm', gpuIndices: [0, 1], busy: true },
      { model: 'starting', revision: 'main', engine: 'vllm', gpuIndices: [0, 1], busy: true },
    ]);
  });
});
