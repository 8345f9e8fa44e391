import { Metadata } from '@grpc/grpc-js';
import type { WatchJobRequest, WatchJobResponse } from '@gantry/proto';
import { FakeStreamCall } from '../testing/fake-stream-call';
import { aPendingJob, anAttempt } from '../testing/job-records';
import { controlPlaneParts } from '../testing/parts';
import { WatchStreamer } from './watch';

const scope = { tenantId: 'ten_a', admin: false };

/** A running job whose history has `lines` log entries after its start. */
async function aJobWithLogs(lines: number) {
  jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask'] });
  const parts = controlPlaneParts();
  parts.jobs.add(
    aPendingJob('job_w', { state: 'scheduled', attempt: 1 }),
    anAttempt('job_w', 1, 'node_1'),
  );
  const reports = [
    { type: 'started' as const, backend: 'process' },
    ...Array.from({ length: lines }, (_, i) => ({
      type: 'log' as const,
      stream: 'stdout' as const,
      lines: [`line ${i}`],
    })),
  ];
  await parts.jobs.applyTaskEvents(
    'node_1',
    reports.map((report, i) => ({ jobId: 'job_w', attempt: 1, rank: 0, sequence: i + 1, report })),
    parts.clock.now(),
    3,
  );
  const streamer = new WatchStreamer(parts.jobs, parts.signals);
  const call = new FakeStreamCall<WatchJobRequest, WatchJobResponse>(
    { jobId: 'job_w', fromSequence: 0 },
    new Metadata(),
  );
  return { ...parts, streamer, call };
}

describe('WatchStreamer', () => {
  afterEach(() => jest.useRealTimers());

  it('sends a history longer than one page', async () => {
    const { streamer, call } = await aJobWithLogs(1_200);
    const streaming = streamer.stream(scope, call.request, call.asCall());
    await call.until(() => call.written.length === 1_201);
    expect(call.written.map((m) => m.event?.sequence)).toEqual(
      Array.from({ length: 1_201 }, (_, i) => i + 1),
    );
    call.cancel();
    await streaming;
  });

  it('waits for the client to drain before writing more', async () => {
    const { streamer, call } = await aJobWithLogs(3);
    call.backpressure = true;
    const streaming = streamer.stream(scope, call.request, call.asCall());
    await call.until(() => call.written.length === 1);
    await Promise.resolve();
    expect(call.written).toHaveLength(1);
    call.drain();
    await call.until(() => call.written.length === 4);
    call.cancel();
    await streaming;
  });

  it('ends, and stops listening, when the client cancels while the stream waits to drain', async () => {
    const { streamer, call, signals } = await aJobWithLogs(3);
    call.backpressure = true;
    const streaming = streamer.stream(scope, call.request, call.asCall());
    await call.until(() => call.written.length === 1);
    expect(signals.listenersOf('job_w')).toBe(1);
    call.cancel();
    await streaming;
    expect(call.written).toHaveLength(1);
    expect(signals.listenersOf('job_w')).toBe(0);
  });
});
