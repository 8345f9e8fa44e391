// @gantry/queue: the Redis side of Gantry (BullMQ dispatch queue, pending index, leader lease,
// node liveness, signals). Every key lives under one configurable prefix.
export * from './api';
export type { QueueLogger } from './logger';
export {
  createRedis,
  redisOptions,
  bullConnection,
  redactUrl,
  reconnectDelayMs,
  MAX_RECONNECT_DELAY_MS,
  type CreateRedisOptions,
} from './redis/create-redis';
export {
  assertNoEviction,
  readEvictionPolicy,
  RedisConfigError,
  type InfoReader,
} from './redis/assert-no-eviction';
export { keyspace, normalizePrefix, type Keyspace } from './redis/keyspace';
export {
  pendingScore,
  decodePendingScore,
  MAX_PRIORITY,
  MAX_SUBMITTED_AT,
} from './pending/pending-score';
export { RedisPendingIndex, type RedisPendingIndexOptions } from './pending/redis-pending-index';
export { dispatchJobId, parseDispatchJobId, type DispatchKey } from './dispatch/dispatch-job-id';
export { BullDispatchQueue, type BullDispatchQueueOptions } from './dispatch/bull-dispatch-queue';
export { RedisLeaderLease, type RedisLeaderLeaseOptions } from './lease/redis-leader-lease';
export { LeaderElector, type LeaderElectorOptions } from './lease/leader-elector';
export { systemTimers, CallTimeoutError, type Timers } from './lease/timers';
export { ManualTimers } from './lease/manual-timers';
export { RedisNodeLiveness, type RedisNodeLivenessOptions } from './liveness/redis-node-liveness';
export { RedisSignals, type RedisSignalsOptions } from './signals/redis-signals';
export {
  RedisStepClaims,
  type RedisStepClaimsOptions,
  type StepClaimOutcome,
} from './step-cache/redis-step-claims';
export {
  BullVerifyQueue,
  type BullVerifyQueueOptions,
  type VerifyOrder,
  type VerifyOrderState,
} from './verify/bull-verify-queue';
