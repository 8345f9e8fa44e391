/**
 * Cross-replica wake-ups over Redis pub/sub: `<prefix>:signal:job:<jobId>` wakes WatchJob streams
 * of one job, `<prefix>:signal:scheduler` wakes the scheduler leader. Publishing uses the caller's
 * client; listening uses a dedicated subscriber connection (a subscribed connection can do
 * nothing else) that this class owns and closes. Lossy by design: receivers also poll.
 */
import { type Redis } from 'ioredis';
import { type Signals } from '../api';
import { type QueueLogger, toError } from '../logger';
import { type Keyspace, keyspace } from '../redis/keyspace';

export interface RedisSignalsOptions {
  /** Client to publish with; the caller owns it. The subscriber is a duplicate of it. */
  readonly redis: Redis;
  /** Key prefix, e.g. `gantry`. */
  readonly prefix: string;
  readonly logger: QueueLogger;
}

export class RedisSignals implements Signals {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly keys: Keyspace;
  private readonly logger: QueueLogger;
  /** Listeners per channel; a channel is subscribed while it has any. */
  private readonly listeners = new Map<string, Set<() => void>>();
  private closing: Promise<void> | undefined;

  constructor(options: RedisSignalsOptions) {
    this.publisher = options.redis;
    this.keys = keyspace(options.prefix);
    this.logger = options.logger;
    this.subscriber = options.redis.duplicate();
    this.subscriber.on('error', (error: Error) =>
      this.logger.warn({ err: error }, 'Signals subscriber error'),
    );
    this.subscriber.on('message', (channel: string) => this.deliver(channel));
  }

  async jobChanged(jobId: string): Promise<void> {
    await this.publisher.publish(this.keys.jobChannel(jobId), jobId);
  }

  onJobChanged(jobId: string, listener: () => void): () => void {
    return this.listen(this.keys.jobChannel(jobId), listener);
  }

  async schedulerWanted(): Promise<void> {
    await this.publisher.publish(this.keys.schedulerChannel, '');
  }

  onSchedulerWanted(listener: () => void): () => void {
    return this.listen(this.keys.schedulerChannel, listener);
  }

  /** Unsubscribes everything and closes the subscriber connection. Safe to call twice. */
  close(): Promise<void> {
    return (this.closing ??= this.closeSubscriber());
  }

  private async closeSubscriber(): Promise<void> {
    this.listeners.clear();
    try {
      await this.subscriber.quit();
    } catch {
      this.subscriber.disconnect(); // not connected: nothing to say goodbye to
    }
  }

  private listen(channel: string, listener: () => void): () => void {
    if (this.closing) return () => undefined;
    // A wrapper per registration, so the same function registered twice is removed once per call.
    const registration = (): void => listener();
    let registrations = this.listeners.get(channel);
    if (!registrations) {
      registrations = new Set();
      this.listeners.set(channel, registrations);
      this.track(channel, 'subscribe', this.subscriber.subscribe(channel));
    }
    registrations.add(registration);
    const own = registrations;
    return () => {
      if (!own.delete(registration) || own.size > 0 || this.listeners.get(channel) !== own) return;
      this.listeners.delete(channel);
      if (!this.closing) this.track(channel, 'unsubscribe', this.subscriber.unsubscribe(channel));
    };
  }

  private deliver(channel: string): void {
    for (const registration of [...(this.listeners.get(channel) ?? [])]) {
      try {
        registration();
      } catch (error) {
        this.logger.error({ err: toError(error), channel }, 'Signal listener threw');
      }
    }
  }

  private track(channel: string, what: string, command: Promise<unknown>): void {
    command.catch((error: unknown) => {
      if (!this.closing)
        this.logger.warn({ err: toError(error), channel }, `Signals ${what} failed`);
    });
  }
}
