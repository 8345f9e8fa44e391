/**
 * Every Redis key Gantry writes lives under one prefix (GANTRY_REDIS_PREFIX, e.g. `gantry`), so
 * several clusters and parallel tests can share a Redis. BullMQ uses the same prefix, so its
 * queue keys are `<prefix>:<queue>:...`; ours are `<prefix>:<area>:...` and never collide.
 */
import { ValidationError } from '@gantry/domain';

/** The prefix without trailing colons: `gantry:` and `gantry` name the same keyspace. */
export function normalizePrefix(prefix: string): string {
  const base = prefix.replace(/:+$/, '');
  if (base.length === 0 || /\s/.test(base)) {
    throw ValidationError.field(
      'prefix',
      `Redis key prefix ${JSON.stringify(prefix)} must be non-empty and without spaces, e.g. "gantry"`,
    );
  }
  return base;
}

export interface Keyspace {
  /** The normalized prefix (also BullMQ's `prefix` option). */
  readonly prefix: string;
  /** Sorted set of pending job ids (see pending-score.ts). */
  readonly pending: string;
  /** Hash nodeId -> last heartbeat (epoch ms). */
  readonly nodeBeats: string;
  /**
   * The lease key of a named lease, holding `<replicaId>:<token>` with a TTL. The `{name}` hash
   * tag keeps it in one Redis Cluster slot with its fence counter (one script touches both).
   */
  lease(name: string): string;
  /** The fencing counter of a named lease; it never expires. */
  leaseFence(name: string): string;
  jobChannel(jobId: string): string;
  readonly schedulerChannel: string;
}

export function keyspace(prefix: string): Keyspace {
  const p = normalizePrefix(prefix);
  return {
    prefix: p,
    pending: `${p}:pending`,
    nodeBeats: `${p}:nodes:beats`,
    lease: (name) => `${p}:lease:{${name}}`,
    leaseFence: (name) => `${p}:lease:{${name}}:fence`,
    jobChannel: (jobId) => `${p}:signal:job:${jobId}`,
    schedulerChannel: `${p}:signal:scheduler`,
  };
}
