import { EventEmitter } from 'node:events';
import type { Metadata, ServerWritableStream } from '@grpc/grpc-js';

/**
 * The server side of a server-streaming call, in memory: keeps what the handler writes, ends
 * or fails as grpc-js would report it, and lets the test cancel it.
 */
export class FakeStreamCall<Req, Res> extends EventEmitter {
  readonly written: Res[] = [];
  cancelled = false;
  ended = false;
  /** While true, write() answers false as a full socket does, until drain(). */
  backpressure = false;
  error?: Error & { code?: number; details?: string };
  private readonly waiters: { condition: () => boolean; resolve: () => void }[] = [];

  constructor(
    readonly request: Req,
    readonly metadata: Metadata,
  ) {
    super();
    this.on('error', (error: Error) => {
      this.error = error;
      this.settle();
    });
  }

  asCall(): ServerWritableStream<Req, Res> {
    return this as unknown as ServerWritableStream<Req, Res>;
  }

  write(message: Res): boolean {
    this.written.push(message);
    this.settle();
    return !this.backpressure;
  }

  drain(): void {
    this.backpressure = false;
    this.emit('drain');
  }

  end(): void {
    this.ended = true;
    this.settle();
  }

  cancel(): void {
    this.cancelled = true;
    this.emit('cancelled');
  }

  /** Resolves once `condition` holds, checked after each write, end and error. */
  until(condition: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push({ condition, resolve });
      this.settle();
    });
  }

  private settle(): void {
    for (const waiter of [...this.waiters]) {
      if (waiter.condition()) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }
}
