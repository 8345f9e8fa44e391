import type { Clock } from '@gantry/domain';
import type { Logger } from '@gantry/observability';
import { Backoff, CONTROL_PLANE_BACKOFF, type BackoffOptions } from '../control-plane/backoff';
import type { AgentGateway } from '../control-plane/gateway';
import { isSessionLost, type Credentials } from '../control-plane/session';
import { Signal, sleep as realSleep, type Sleep } from '../control-plane/sleeper';
import { fromAcks, toTaskEvent } from '../protocol/mapping';
import type { Outbox } from './outbox';

/** The session as the sender needs it; defined here, where it is used. */
export interface SenderSession {
  current(): Credentials | null;
  invalidate(token: string, why: string): void;
  onRegistered(listener: () => void): void;
}

export interface OutboxSenderOptions {
  readonly outbox: Outbox;
  readonly gateway: Pick<AgentGateway, 'reportTaskEvents'>;
  readonly session: SenderSession;
  readonly batchSize: number;
  readonly clock: Clock;
  readonly log: Logger;
  readonly sleep?: Sleep;
  readonly backoff?: BackoffOptions;
}

/**
 * Delivers the outbox with ReportTaskEvents: the oldest `batchSize` events at a time, one call
 * in flight, so each attempt's events arrive in sequence order. Events leave the outbox only
 * when acknowledged; a failed call is retried with capped exponential backoff (the same batch,
 * plus what came since). UNAUTHENTICATED or NOT_FOUND hands over to the session, which
 * registers again; delivery resumes with the new credentials. Sleeps while there is nothing
 * to send or no credentials.
 */
export class OutboxSender {
  private readonly wake = new Signal();
  private readonly changed = new Signal();
  private readonly stopping = new AbortController();
  private readonly backoff: Backoff;
  private readonly sleep: Sleep;
  private loop: Promise<void> | undefined;

  constructor(private readonly o: OutboxSenderOptions) {
    this.backoff = new Backoff(o.backoff ?? CONTROL_PLANE_BACKOFF);
    this.sleep = o.sleep ?? realSleep;
    o.outbox.onChange(() => this.wake.notify());
    o.session.onRegistered(() => this.wake.notify());
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    this.wake.notify();
    await this.loop;
  }

  /** Waits until every event is acknowledged or `timeoutMs` passed; true when all were. */
  async flush(timeoutMs: number): Promise<boolean> {
    const deadline = this.o.clock.now() + timeoutMs;
    while (this.o.outbox.size > 0) {
      const left = deadline - this.o.clock.now();
      if (left <= 0) return false;
      const timeout = new AbortController();
      await Promise.race([this.changed.wait(), this.sleep(left, timeout.signal)]);
      timeout.abort();
    }
    return true;
  }

  private async run(): Promise<void> {
    while (!this.stopping.signal.aborted) {
      const credentials = this.o.session.current();
      if (this.o.outbox.size === 0 || !credentials) {
        await this.wake.wait();
        continue;
      }
      await this.sendBatch(credentials);
    }
  }

  private async sendBatch(credentials: Credentials): Promise<void> {
    const batch = this.o.outbox.peek(this.o.batchSize);
    try {
      const response = await this.o.gateway.reportTaskEvents(
        { nodeId: credentials.nodeId, events: batch.map(toTaskEvent) },
        credentials.token,
      );
      this.o.outbox.acknowledge(fromAcks(response.acks));
      this.changed.notify();
      if (response.acks.length >= batch.length) {
        if (this.backoff.attempts > 0) this.o.log.info({}, 'task events get through again');
        return this.backoff.reset();
      }
      // A control plane that acknowledges only part of a batch is overloaded or confused:
      // resend the rest, but not in a tight loop.
      const delay = this.backoff.next();
      this.o.log.warn(
        { sent: batch.length, acked: response.acks.length, retryInMs: delay },
        'some task events were not acknowledged; resending them',
      );
      await this.sleep(delay, this.stopping.signal);
    } catch (error) {
      if (isSessionLost(error))
        return this.o.session.invalidate(credentials.token, (error as Error).message);
      const delay = this.backoff.next();
      if (this.backoff.shouldLog())
        this.o.log.warn(
          { err: (error as Error).message, pending: this.o.outbox.size, retryInMs: delay },
          'cannot report task events; keeping them and retrying',
        );
      await this.sleep(delay, this.stopping.signal);
    }
  }
}
