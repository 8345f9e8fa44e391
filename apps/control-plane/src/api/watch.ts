/**
 * WatchJob: reads the job's history from PostgreSQL from `from_sequence` on and writes it to the
 * stream, then waits for a wake-up (Redis pub/sub from whichever replica recorded the change, or
 * a poll timeout, since pub/sub can drop messages) and reads again. Ends after the final state's
 * entry is sent. The job's state is read before its events, so a final state seen means its
 * entry is among the events read after.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { ServerWritableStream } from '@grpc/grpc-js';
import { isTerminal } from '@gantry/domain';
import type * as pb from '@gantry/proto';
import type { Signals } from '@gantry/queue';
import type { JobRepository, Scope } from '@gantry/store';
import { JOBS, SIGNALS } from '../infrastructure/tokens';
import { toProtoEvent } from './mappers/job.mapper';

const PAGE = 500;
const POLL_MS = 1000;

@Injectable()
export class WatchStreamer {
  constructor(
    @Inject(JOBS) private readonly jobs: JobRepository,
    @Inject(SIGNALS) private readonly signals: Signals,
  ) {}

  async stream(
    scope: Scope,
    req: pb.WatchJobRequest,
    call: ServerWritableStream<pb.WatchJobRequest, pb.WatchJobResponse>,
  ): Promise<void> {
    let next = Math.max(1, req.fromSequence);
    let woken = false;
    let wake: () => void = () => undefined;
    const unsubscribe = this.signals.onJobChanged(req.jobId, () => {
      woken = true;
      wake();
    });
    call.on('cancelled', () => wake());
    try {
      for (;;) {
        woken = false;
        const job = await this.jobs.get(scope, req.jobId);
        let events = await this.jobs.events(scope, req.jobId, next, PAGE);
        while (events.length > 0) {
          for (const event of events) {
            if (call.cancelled) return;
            if (!call.write({ event: toProtoEvent(event) })) await drainedOrGone(call);
            next = event.sequence + 1;
          }
          events = events.length < PAGE ? [] : await this.jobs.events(scope, req.jobId, next, PAGE);
        }
        if (isTerminal(job.state) || call.cancelled) return;
        if (!woken) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, POLL_MS);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
        }
      }
    } finally {
      unsubscribe();
    }
  }
}

/** A cancelled call never drains (grpc-js destroys it), so waiting only for 'drain' hangs. */
function drainedOrGone(call: ServerWritableStream<unknown, unknown>): Promise<void> {
  return new Promise((resolve) => {
    const events = ['drain', 'cancelled', 'close'];
    const done = (): void => {
      for (const event of events) call.off(event, done);
      resolve();
    };
    for (const event of events) call.once(event, done);
  });
}
