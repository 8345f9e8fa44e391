import type { TaskAttemptRef, WorkerEvent } from '@gantry/workers';
import { Outbox, type OutboxEvent } from './outbox';

const a1: TaskAttemptRef = { taskId: 'a', jobId: 'job-a', attempt: 1, rank: 0 };
const b1: TaskAttemptRef = { taskId: 'b', jobId: 'job-b', attempt: 1, rank: 0 };
const started: WorkerEvent = { type: 'started', backend: 'process', pid: 1 };
const exited: WorkerEvent = { type: 'exited', exitCode: 0, signal: '', reason: '', message: '' };
const log = (...lines: string[]): WorkerEvent => ({ type: 'log', stream: 'stdout', lines });
const ids = (events: OutboxEvent[]) =>
  events.map((e) => `${e.ref.taskId}${e.ref.attempt}#${e.sequence}`);
const ack = (e: OutboxEvent, accepted = true, message = '') => ({
  ref: e.ref,
  sequence: e.sequence,
  accepted,
  message,
});

describe('Outbox', () => {
  it('numbers each attempt from 1 and keeps the order events happened in', () => {
    const outbox = new Outbox(1 << 20);
    outbox.append(a1, started, 1);
    outbox.append(b1, started, 2);
    outbox.append(a1, log('x'), 3);
    outbox.append({ ...a1, attempt: 2 }, started, 4);
    expect(ids(outbox.peek(10))).toEqual(['a1#1', 'b1#1', 'a1#2', 'a2#1']);
    expect(ids(outbox.peek(2))).toEqual(['a1#1', 'b1#1']);
    expect(outbox.peek(1)[0]).toEqual({ ref: a1, sequence: 1, time: 1, event: started });
  });

  it('keeps events until they are acknowledged', () => {
    const outbox = new Outbox(1 << 20);
    outbox.append(a1, started, 1);
    outbox.append(a1, log('x'), 2);
    outbox.append(a1, exited, 3);
    const [first, second] = outbox.peek(2);
    outbox.acknowledge([ack(first!)]);
    expect(ids(outbox.peek(10))).toEqual(['a1#2', 'a1#3']);
    expect(outbox.hasPending(a1)).toBe(true);
    outbox.acknowledge([ack(second!), ack(second!)]); // a duplicate ack changes nothing
    outbox.acknowledge(outbox.peek(10).map((e) => ack(e)));
    expect(outbox.size).toBe(0);
    expect(outbox.pendingBytes).toBe(0);
    expect(outbox.hasPending(a1)).toBe(false);
  });

  it('drops the rest of an attempt whose event was rejected, and says so once', () => {
    const outbox = new Outbox(1 << 20);
    const stale: [TaskAttemptRef, string][] = [];
    outbox.onStale((ref, why) => stale.push([ref, why]));
    outbox.append(a1, started, 1);
    outbox.append(b1, started, 2);
    outbox.append(a1, log('x'), 3);
    const [first] = outbox.peek(1);
    outbox.acknowledge([ack(first!, false, 'attempt 1 is not current')]);
    expect(ids(outbox.peek(10))).toEqual(['b1#1']);
    outbox.append(a1, exited, 4); // later events of the stale attempt are dropped too
    expect(ids(outbox.peek(10))).toEqual(['b1#1']);
    expect(stale).toEqual([[a1, 'attempt 1 is not current']]);
  });

  it('past its memory bound drops log lines (reporting the count), keeps the newest progress, start and exit', () => {
    const outbox = new Outbox(600); // room for a few small events
    outbox.append(a1, started, 1);
    for (let i = 0; i < 10; i++) outbox.append(a1, log(`line ${i}`), 2 + i);
    outbox.append(a1, { type: 'progress', fraction: 0.5, message: '' }, 20);
    outbox.append(a1, { type: 'progress', fraction: 0.6, message: '' }, 21);
    outbox.append(a1, exited, 22);
    const events = outbox.peek(100);
    expect(events.map((e) => e.sequence)).toEqual(events.map((_, i) => i + 1)); // no gaps
    expect(events[0]!.event).toEqual(started);
    expect(events.at(-1)!.event).toEqual(exited);
    // of the progress that came while full, only the newest is delivered, before the exit
    expect(events.at(-2)!.event).toEqual({ type: 'progress', fraction: 0.6, message: '' });
    expect(events.filter((e) => e.event.type === 'progress')).toHaveLength(1);
    const lines = events.flatMap((e) => (e.event.type === 'log' ? e.event.lines : []));
    const kept = lines.filter((l) => l.startsWith('line '));
    expect(kept.length).toBeLessThan(10);
    expect(lines.at(-1)).toBe(
      `[gantry-agent] ${10 - kept.length} log line(s) dropped: the control plane was unreachable and the agent's outbox was full`,
    );
  });

  it('past its memory bound keeps the newest checkpoint, with the time it happened', () => {
    const outbox = new Outbox(600);
    outbox.append(a1, started, 1);
    for (let i = 0; i < 10; i++) outbox.append(a1, log(`line ${i}`), 2 + i);
    outbox.append(a1, { type: 'checkpoint', message: 'step 1' }, 20);
    outbox.append(a1, { type: 'checkpoint', message: 'step 2' }, 21);
    outbox.append(a1, exited, 30);
    const events = outbox.peek(100);
    expect(events.map((e) => e.sequence)).toEqual(events.map((_, i) => i + 1));
    const checkpoints = events.filter((e) => e.event.type === 'checkpoint');
    expect(checkpoints.map((e) => [e.event, e.time])).toEqual([
      [{ type: 'checkpoint', message: 'step 2' }, 21],
    ]);
    expect(events.at(-2)).toBe(checkpoints[0]); // delivered before the exit
    expect(events.at(-1)!.event).toEqual(exited);
  });

  it('past its memory bound keeps a result, after the newest progress and before the exit', () => {
    const outbox = new Outbox(600);
    const result: WorkerEvent = {
      type: 'result',
      result: {
        kind: 'reasoning',
        answer: '391',
        accepted: true,
        stoppedEarly: false,
        callsMade: 8,
        callsSavedCache: 0,
        callsSavedInflight: 0,
        tokens: 100,
        steps: [],
        stopReason: '',
      },
    };
    outbox.append(a1, started, 1);
    for (let i = 0; i < 10; i++) outbox.append(a1, log(`line ${i}`), 2 + i);
    outbox.append(a1, { type: 'progress', fraction: 1, message: '8/8 engine calls' }, 20);
    outbox.append(a1, result, 21);
    outbox.append(a1, exited, 22);
    const events = outbox.peek(100).map((e) => e.event);
    expect(events.slice(-3)).toEqual([
      { type: 'progress', fraction: 1, message: '8/8 engine calls' },
      result,
      exited,
    ]);
  });

  it('delivers every checkpoint while it has room', () => {
    const outbox = new Outbox(1 << 20);
    outbox.append(a1, { type: 'checkpoint', message: 'step 1' }, 1);
    outbox.append(a1, { type: 'checkpoint', message: 'step 2' }, 2);
    expect(outbox.peek(10).map((e) => e.event)).toEqual([
      { type: 'checkpoint', message: 'step 1' },
      { type: 'checkpoint', message: 'step 2' },
    ]);
  });

  it('tells its listeners about every new event', () => {
    const outbox = new Outbox(1 << 20);
    let changes = 0;
    outbox.onChange(() => changes++);
    outbox.append(a1, started, 1);
    outbox.append(a1, log('x'), 2);
    expect(changes).toBe(2);
  });
});
