import { ManualClock, UnauthenticatedError, UnavailableError } from '@gantry/domain';
import { silentLogger } from '@gantry/observability';
import type { ReportTaskEventsRequest, ReportTaskEventsResponse } from '@gantry/proto';
import type { TaskAttemptRef } from '@gantry/workers';
import type { Credentials } from '../control-plane/session';
import { SteppedSleep } from '../control-plane/stepped-sleep';
import { Outbox } from './outbox';
import { OutboxSender, type SenderSession } from './outbox-sender';

/** A control plane whose answers each test scripts; it records every batch it gets. */
class ScriptedGateway {
  readonly batches: { request: ReportTaskEventsRequest; token: string }[] = [];
  failures: Error[] = [];
  reject = new Set<string>();
  private called: (() => void)[] = [];

  async reportTaskEvents(
    request: ReportTaskEventsRequest,
    token: string,
  ): Promise<ReportTaskEventsResponse> {
    this.batches.push({ request, token });
    this.called.splice(0).forEach((f) => f());
    const failure = this.failures.shift();
    if (failure) throw failure;
    return {
      acks: request.events.map((e) => ({
        task: e.task,
        sequence: e.sequence,
        accepted: !this.reject.has(e.task!.taskId),
        message: this.reject.has(e.task!.taskId) ? 'stale attempt' : '',
      })),
    };
  }

  /** Resolves once `count` batches have arrived. */
  async received(count: number): Promise<void> {
    while (this.batches.length < count)
      await new Promise<void>((resolve) => this.called.push(resolve));
  }

  sent(): string[] {
    return this.batches.flatMap((b) =>
      b.request.events.map((e) => `${e.task!.taskId}#${e.sequence}`),
    );
  }
}

class FakeSession implements SenderSession {
  credentials: Credentials | null = { nodeId: 'node-1', token: 'token-1' };
  readonly invalidated: string[] = [];
  private listeners: (() => void)[] = [];

  current(): Credentials | null {
    return this.credentials;
  }
  invalidate(token: string): void {
    this.invalidated.push(token);
    this.credentials = null;
  }
  onRegistered(listener: () => void): void {
    this.listeners.push(listener);
  }
  register(token: string): void {
    this.credentials = { nodeId: 'node-1', token };
    this.listeners.forEach((l) => l());
  }
}

const ref = (taskId: string): TaskAttemptRef => ({ taskId, jobId: `job-${taskId}`, attempt: 1 });
const log = (line: string) => ({ type: 'log' as const, stream: 'stdout' as const, lines: [line] });

function setUp(batchSize = 2) {
  const outbox = new Outbox(1 << 20);
  const gateway = new ScriptedGateway();
  const session = new FakeSession();
  const steps = new SteppedSleep();
  const clock = new ManualClock(0);
  const sender = new OutboxSender({
    outbox,
    gateway,
    session,
    batchSize,
    clock,
    log: silentLogger(),
    sleep: steps.sleep,
    backoff: { initialMs: 100, maxMs: 1000 },
  });
  return { outbox, gateway, session, steps, clock, sender };
}

describe('OutboxSender', () => {
  let stop: (() => Promise<void>) | undefined;
  afterEach(async () => stop?.());

  it('delivers events in order, in batches, with the node token', async () => {
    const { outbox, gateway, sender } = setUp(2);
    stop = () => sender.stop();
    ['a', 'b', 'c'].forEach((line) => outbox.append(ref('t'), log(line), 1));
    sender.start();
    await gateway.received(2);
    expect(gateway.sent()).toEqual(['t#1', 't#2', 't#3']);
    expect(
      gateway.batches.map((b) => [b.request.nodeId, b.token, b.request.events.length]),
    ).toEqual([
      ['node-1', 'token-1', 2],
      ['node-1', 'token-1', 1],
    ]);
    expect(await sender.flush(1000)).toBe(true);
    expect(outbox.size).toBe(0);
  });

  it('keeps events while the control plane is down and resends them, in order, with backoff', async () => {
    const { outbox, gateway, steps, sender } = setUp(10);
    stop = () => sender.stop();
    gateway.failures = [new UnavailableError('down'), new UnavailableError('down')];
    outbox.append(ref('t'), log('a'), 1);
    sender.start();
    const first = await steps.next();
    outbox.append(ref('t'), log('b'), 2);
    first.wake();
    const second = await steps.next();
    expect([first.ms, second.ms]).toEqual([100, 200]);
    second.wake();
    await gateway.received(3);
    expect(gateway.batches.map((b) => b.request.events.map((e) => e.sequence))).toEqual([
      [1],
      [1, 2],
      [1, 2],
    ]);
    expect(await sender.flush(1000)).toBe(true);
  });

  it('hands a rejected token to the session and resumes once it has registered again', async () => {
    const { outbox, gateway, session, sender } = setUp();
    stop = () => sender.stop();
    gateway.failures = [new UnauthenticatedError('unknown node token')];
    outbox.append(ref('t'), log('a'), 1);
    sender.start();
    await gateway.received(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(session.invalidated).toEqual(['token-1']);
    session.register('token-2');
    await gateway.received(2);
    expect(gateway.batches[1]!.token).toBe('token-2');
    expect(await sender.flush(1000)).toBe(true);
  });

  it('drops the events of an attempt the control plane rejects', async () => {
    const { outbox, gateway, sender } = setUp(1);
    stop = () => sender.stop();
    const stale: string[] = [];
    outbox.onStale((r) => stale.push(r.taskId));
    gateway.reject.add('old');
    outbox.append(ref('old'), log('a'), 1);
    outbox.append(ref('old'), log('b'), 2);
    outbox.append(ref('new'), log('c'), 3);
    sender.start();
    expect(await sender.flush(1000)).toBe(true);
    expect(gateway.sent()).toEqual(['old#1', 'new#1']);
    expect(stale).toEqual(['old']);
  });

  it('flush gives up at its deadline when the control plane stays away', async () => {
    const { outbox, session, steps, clock, sender } = setUp();
    stop = () => sender.stop();
    session.credentials = null; // not registered: nothing can be sent
    outbox.append(ref('t'), log('a'), 1);
    sender.start();
    const flushed = sender.flush(5000);
    const wait = await steps.next();
    expect(wait.ms).toBe(5000);
    clock.advance(5000);
    wait.wake();
    expect(await flushed).toBe(false);
  });
});
