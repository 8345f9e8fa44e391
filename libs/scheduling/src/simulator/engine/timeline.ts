/**
 * Busy GPUs and pending jobs over time, as time-weighted means per fixed-width bucket: between
 * two events both are constant, so each interval adds value x length to the buckets it covers.
 * O(events + buckets) in all, and the chart shows averages, not whatever one instant sampled.
 */
import type { TimelinePoint } from './types';

export class Timeline {
  private readonly busy: number[] = [];
  private readonly pending: number[] = [];
  private last = 0;

  constructor(readonly bucketSeconds: number) {
    if (!(bucketSeconds > 0)) throw new RangeError(`timeline bucket: must be > 0 seconds`);
  }

  /** Busy GPUs and pending jobs were `busy` and `pending` from the last call until `now`. */
  advance(now: number, busy: number, pending: number): void {
    let from = this.last;
    if (now <= from) return;
    this.last = now;
    while (from < now) {
      const bucket = Math.floor(from / this.bucketSeconds);
      const end = Math.min(now, (bucket + 1) * this.bucketSeconds);
      while (this.busy.length <= bucket) {
        this.busy.push(0);
        this.pending.push(0);
      }
      this.busy[bucket]! += busy * (end - from);
      this.pending[bucket]! += pending * (end - from);
      from = end;
    }
  }

  /** One point per bucket up to the last `advance`; the last bucket is averaged over its part. */
  points(): TimelinePoint[] {
    return this.busy.map((busy, bucket) => {
      const start = bucket * this.bucketSeconds;
      const covered = Math.min(this.bucketSeconds, this.last - start);
      return {
        at: start,
        busyGpus: covered > 0 ? busy / covered : 0,
        pendingJobs: covered > 0 ? this.pending[bucket]! / covered : 0,
      };
    });
  }
}
