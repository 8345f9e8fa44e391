/**
 * GPUs held by some of a replay's jobs (the leases) over time, as time-weighted means per
 * bucket of the replay's timeline: each run adds GPUs x seconds to the buckets it covers, so
 * the figure lines up with the timeline's busy GPUs (internal = busy - rented).
 */
import type { JobRecord, TimelinePoint } from '../engine/types';

/**
 * Mean GPUs the records held in each bucket of `timeline` (same length, same buckets; the last
 * bucket averaged over the part the timeline covers, as the timeline does).
 */
export function heldGpusPerBucket(
  records: Iterable<JobRecord>,
  timeline: readonly TimelinePoint[],
  bucketSeconds: number,
  /** When the timeline ends (its last advance), seconds. */
  end: number,
): number[] {
  if (!(bucketSeconds > 0)) throw new RangeError('timeline bucket: must be > 0 seconds');
  const held = new Array<number>(timeline.length).fill(0);
  for (const record of records)
    for (const run of record.runs) {
      let from = Math.max(0, run.startAt);
      const to = Math.min(run.endAt, end);
      while (from < to) {
        const bucket = Math.floor(from / bucketSeconds);
        if (bucket >= held.length) break;
        const stop = Math.min(to, (bucket + 1) * bucketSeconds);
        held[bucket]! += record.gpus * (stop - from);
        from = stop;
      }
    }
  return held.map((gpuSeconds, bucket) => {
    const covered = Math.min(bucketSeconds, end - bucket * bucketSeconds);
    return covered > 0 ? gpuSeconds / covered : 0;
  });
}
