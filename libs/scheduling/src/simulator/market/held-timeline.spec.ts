import type { JobRecord, JobRun, TimelinePoint } from '../engine/types';
import { heldGpusPerBucket } from './held-timeline';

const run = (startAt: number, endAt: number): JobRun => ({
  startAt,
  endAt,
  allocations: [],
  preempted: false,
  stopOrderedAt: null,
});

const record = (id: string, gpus: number, runs: JobRun[]): JobRecord => ({
  id,
  tenant: 'renter',
  queue: 'market-interruptible',
  priorityClass: 'rental-interruptible',
  submitAt: runs[0]!.startAt,
  firstStartAt: runs[0]!.startAt,
  endAt: runs.at(-1)!.endAt,
  duration: 0,
  gpus,
  preemptions: 0,
  lostGpuSeconds: 0,
  waitSeconds: 0,
  runs,
});

const buckets = (count: number, width: number): TimelinePoint[] =>
  Array.from({ length: count }, (_, i) => ({ at: i * width, busyGpus: 0, pendingJobs: 0 }));

describe('heldGpusPerBucket', () => {
  it('averages the GPUs held over each bucket, worked out by hand', () => {
    // Buckets of 100 s over [0, 250). Lease a: 2 GPUs over [50, 150); lease b: 4 GPUs over
    // [0, 40) and again over [180, 300) (cut at the timeline's end, 250).
    // Bucket 0: 2 x 50 + 4 x 40 = 260 -> 2.6. Bucket 1: 2 x 50 + 4 x 20 = 180 -> 1.8.
    // Bucket 2 covers [200, 250) only: 4 x 50 / 50 = 4.
    const held = heldGpusPerBucket(
      [record('a', 2, [run(50, 150)]), record('b', 4, [run(0, 40), run(180, 300)])],
      buckets(3, 100),
      100,
      250,
    );
    expect(held).toEqual([2.6, 1.8, 4]);
  });

  it('gives zeros without records and refuses an empty bucket width', () => {
    expect(heldGpusPerBucket([], buckets(2, 60), 60, 120)).toEqual([0, 0]);
    expect(() => heldGpusPerBucket([], buckets(1, 60), 0, 60)).toThrow(/bucket/);
  });
});
