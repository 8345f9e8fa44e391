import { hostname } from 'node:os';
import {
  bootstrapToken,
  CREDENTIAL_PATTERN,
  logLevel,
  maxMessageBytes,
  storageDir,
} from './shared';
import { load, v, type Env, type Values } from './variable';

export const controlPlaneSpec = {
  bindHost: v.string('GANTRY_BIND_HOST', 'Address the gRPC and HTTP servers listen on.', {
    default: '0.0.0.0',
  }),
  grpcPort: v.port(
    'GANTRY_GRPC_PORT',
    'Port of the gRPC API (JobService, AdminService, FileService, RentalService, AgentGatewayService); 0 picks a free one.',
    50051,
  ),
  httpPort: v.port(
    'GANTRY_HTTP_PORT',
    'Port of the HTTP server: /healthz, /readyz, /metrics, the web portal (/portal) and its JSON bridge (/rpc); 0 picks a free one.',
    8080,
  ),
  databaseUrl: v.optionalString(
    'DATABASE_URL',
    'PostgreSQL URL (postgres://user@host:5432/db). Unset: embedded PGlite in GANTRY_DATA_DIR.',
  ),
  databaseSchema: v.string(
    'GANTRY_DATABASE_SCHEMA',
    "PostgreSQL schema holding Gantry's tables; created if missing.",
    {
      default: 'public',
      pattern: /^[a-z_][a-z0-9_]{0,62}$/,
      expected: 'a lower-case SQL identifier',
    },
  ),
  dataDir: v.string(
    'GANTRY_DATA_DIR',
    'Directory of the embedded PGlite database (used when DATABASE_URL is unset).',
    { default: '.gantry/data' },
  ),
  redisUrl: v.string('REDIS_URL', 'Redis URL. Its maxmemory-policy must be noeviction.', {
    default: 'redis://127.0.0.1:6379',
    pattern: /^rediss?:\/\//,
    expected: 'a redis:// or rediss:// URL',
  }),
  redisPrefix: v.string(
    'GANTRY_REDIS_PREFIX',
    'Prefix of every Redis key and BullMQ queue, so clusters can share a Redis.',
    { default: 'gantry', pattern: /^[A-Za-z0-9_.:-]{1,64}$/, expected: 'letters, digits, _ . : -' },
  ),
  adminApiKey: v.string(
    'GANTRY_ADMIN_API_KEY',
    'API key of the admin tenant, registered at start-up (make one with `gantry keygen`).',
    {
      pattern: CREDENTIAL_PATTERN,
      expected: 'a key of the form gk_<18 hex>_<43 base64url> (run `gantry keygen`)',
    },
  ),
  bootstrapToken,
  replicaId: v.string('GANTRY_REPLICA_ID', 'Name of this replica in logs and the leader lease.', {
    default: `${hostname()}-${process.pid}`,
    defaultText: '<hostname>-<pid>',
  }),
  heartbeatIntervalSeconds: v.number(
    'GANTRY_HEARTBEAT_INTERVAL_SECONDS',
    'How often agents are told to heartbeat.',
    { default: 2, min: 0.05, max: 60, unit: 'seconds' },
  ),
  nodeLostTimeoutSeconds: v.number(
    'GANTRY_NODE_LOST_TIMEOUT_SECONDS',
    'A node silent this long is marked lost and its tasks requeued.',
    { default: 15, min: 0.2, max: 3600, unit: 'seconds' },
  ),
  schedulerIntervalSeconds: v.number(
    'GANTRY_SCHEDULER_INTERVAL_SECONDS',
    'Longest pause between scheduling cycles (a submit or a finished task starts one sooner).',
    { default: 1, min: 0.01, max: 60, unit: 'seconds' },
  ),
  schedulerBatchSize: v.number(
    'GANTRY_SCHEDULER_BATCH_SIZE',
    'Most pending jobs one scheduling cycle considers.',
    { default: 5000, min: 1, max: 1_000_000, integer: true, unit: 'jobs' },
  ),
  preemption: v.boolean(
    'GANTRY_PREEMPTION',
    'Whether the scheduler preempts preemptible jobs for higher classes and for queues reclaiming their guarantee.',
    true,
  ),
  backfill: v.boolean(
    'GANTRY_BACKFILL',
    'Whether blocked jobs get reservations that smaller jobs may backfill around without delaying them.',
    true,
  ),
  maxReservations: v.number(
    'GANTRY_MAX_RESERVATIONS',
    'Blocked jobs that get a reservation per cycle (the first ones in scheduling order).',
    { default: 8, min: 0, max: 10_000, integer: true, unit: 'jobs' },
  ),
  maxPreemptionsPerCycle: v.number(
    'GANTRY_MAX_PREEMPTIONS_PER_CYCLE',
    'Jobs one scheduling cycle may preempt at most; more are preempted in later cycles.',
    { default: 64, min: 0, max: 100_000, integer: true, unit: 'jobs' },
  ),
  maxPreemptionsPerJob: v.number(
    'GANTRY_MAX_PREEMPTIONS_PER_JOB',
    'A job preempted this often is not preempted for priority again (it still yields to a queue reclaiming its guarantee).',
    { default: 3, min: 0, max: 1000, integer: true, unit: 'preemptions' },
  ),
  preemptAfterWaitSeconds: v.number(
    'GANTRY_PREEMPT_AFTER_WAIT_SECONDS',
    'A job of a preemptible class preempts for priority only if it could otherwise not start within this long (serving jobs preempt at once).',
    { default: 1800, min: 0, max: 30 * 24 * 3600, unit: 'seconds' },
  ),
  starvationAgeSeconds: v.number(
    'GANTRY_STARVATION_AGE_SECONDS',
    'A job waiting this long (since submit, not counting time its earlier attempts ran) is starving: it goes before every class, its reservation is beyond GANTRY_MAX_RESERVATIONS, and it may preempt jobs that waited less (ADR 13).',
    { default: 3 * 24 * 3600, min: 60, max: 365 * 24 * 3600, unit: 'seconds' },
  ),
  opportunisticBelowPriority: v.number(
    'GANTRY_OPPORTUNISTIC_BELOW_PRIORITY',
    'Classes below this priority are opportunistic (ADR 11): jobs of higher classes take their GPUs at once, after the class grace, and place as if they were not there. The default covers rental-interruptible (50) and no default internal class; 0 turns it off.',
    { default: 100, min: 0, max: 1_000_000, integer: true },
  ),
  fairShareHalfLifeSeconds: v.number(
    'GANTRY_FAIR_SHARE_HALF_LIFE_SECONDS',
    'Usage this old counts half in fair share (dominant-resource share over GPU-seconds).',
    { default: 7 * 24 * 3600, min: 60, max: 365 * 24 * 3600, unit: 'seconds' },
  ),
  fabricLabel: v.string(
    'GANTRY_FABRIC_LABEL',
    "Node label naming a node's fabric domain; a multi-node job stays inside one domain.",
    { default: 'gantry.io/fabric' },
  ),
  defaultRuntimeSeconds: v.number(
    'GANTRY_DEFAULT_RUNTIME_SECONDS',
    'Runtime assumed for a job with no time limit and no history to learn an estimate from (reservations).',
    { default: 3600, min: 1, max: 30 * 24 * 3600, unit: 'seconds' },
  ),
  leaderLeaseSeconds: v.number(
    'GANTRY_LEADER_LEASE_SECONDS',
    'Scheduler leader lease; a dead leader is replaced after at most this long.',
    { default: 5, min: 0.3, max: 300, unit: 'seconds' },
  ),
  reconcileIntervalSeconds: v.number(
    'GANTRY_RECONCILE_INTERVAL_SECONDS',
    'How often the leader re-enqueues jobs whose Redis entry is missing and checks node liveness.',
    { default: 5, min: 0.1, max: 3600, unit: 'seconds' },
  ),
  maxAttempts: v.number(
    'GANTRY_MAX_ATTEMPTS',
    'Attempts a job gets when its node is lost or dispatch fails, before it fails.',
    { default: 3, min: 1, max: 100, integer: true, unit: 'attempts' },
  ),
  dispatchConcurrency: v.number(
    'GANTRY_DISPATCH_CONCURRENCY',
    'RunTask and CancelTask calls in flight per replica.',
    { default: 32, min: 1, max: 1024, integer: true, unit: 'calls' },
  ),
  dispatchRetries: v.number(
    'GANTRY_DISPATCH_RETRIES',
    'Tries of a RunTask call (exponential backoff) before the attempt is abandoned.',
    { default: 6, min: 1, max: 50, integer: true, unit: 'tries' },
  ),
  dispatchTimeoutSeconds: v.number(
    'GANTRY_DISPATCH_TIMEOUT_SECONDS',
    'Deadline of one call to an agent.',
    { default: 10, min: 0.1, max: 300, unit: 'seconds' },
  ),
  cancelGraceSeconds: v.number(
    'GANTRY_CANCEL_GRACE_SECONDS',
    'Time between SIGTERM and SIGKILL when a job is cancelled.',
    { default: 10, min: 0, max: 3600, unit: 'seconds' },
  ),
  shutdownGraceSeconds: v.number(
    'GANTRY_SHUTDOWN_GRACE_SECONDS',
    'Time to drain calls on SIGTERM before closing.',
    { default: 10, min: 0, max: 600, unit: 'seconds' },
  ),
  storageDir,
  maxFileBytes: v.number(
    'GANTRY_MAX_FILE_BYTES',
    'Largest file UploadFile accepts (batch request lines, RL problems).',
    { default: 512 * 1024 * 1024, min: 1024, integer: true, unit: 'bytes' },
  ),
  stepCacheTtlSeconds: v.number(
    'GANTRY_STEP_CACHE_TTL_SECONDS',
    "How long a reasoning step's engine answer stays in the cluster's step cache (identical calls of any job reuse it).",
    { default: 24 * 3600, min: 1, max: 365 * 24 * 3600, unit: 'seconds' },
  ),
  stepClaimTtlSeconds: v.number(
    'GANTRY_STEP_CLAIM_TTL_SECONDS',
    'How long a claim to compute a step lasts; identical calls wait for it, at most this long if its holder dies.',
    { default: 600, min: 1, max: 24 * 3600, unit: 'seconds' },
  ),
  verifyConcurrency: v.number(
    'GANTRY_VERIFY_CONCURRENCY',
    'Verifications (RL rollouts scored by a verifier) one replica runs at once, on its CPUs.',
    { default: 4, min: 1, max: 256, integer: true, unit: 'verifications' },
  ),
  workloadIntervalSeconds: v.number(
    'GANTRY_WORKLOAD_INTERVAL_SECONDS',
    'How often the leader advances batch and RL jobs (validate, plan shards, follow, finalize) besides when their shards change.',
    { default: 2, min: 0.05, max: 3600, unit: 'seconds' },
  ),
  leaseNoticeSeconds: v.number(
    'GANTRY_LEASE_NOTICE_SECONDS',
    'Notice an interruptible lease gets before its GPUs are taken back (the rental-interruptible class grace).',
    { default: 120, min: 0, max: 24 * 3600, integer: true, unit: 'seconds' },
  ),
  faultCreditSeconds: v.number(
    'GANTRY_FAULT_CREDIT_SECONDS',
    'Credit an on-demand or reserved lease cut short by a fault gets, in seconds of its price (at most what it had left).',
    { default: 3600, min: 0, max: 30 * 24 * 3600, integer: true, unit: 'seconds' },
  ),
  renterKillGraceSeconds: v.number(
    'GANTRY_RENTER_KILL_GRACE_SECONDS',
    "Time between SIGTERM and SIGKILL for a renter's jobs when their lease ends.",
    { default: 10, min: 0, max: 600, unit: 'seconds' },
  ),
  pricePressureWeight: v.number(
    'GANTRY_PRICE_PRESSURE_WEIGHT',
    'Market prices: how much the internal backlog raises a price (a in base x (1 + a x pressure + b x utilization); pressure is pending internal GPUs over capacity), inside the admin bounds.',
    { default: 1, min: 0, max: 100, unit: 'ratio' },
  ),
  priceUtilizationWeight: v.number(
    'GANTRY_PRICE_UTILIZATION_WEIGHT',
    'Market prices: how much internal utilization (busy internal GPUs over capacity) raises a price (b in the same formula).',
    { default: 0.5, min: 0, max: 100, unit: 'ratio' },
  ),
  offerHorizonSeconds: v.number(
    'GANTRY_OFFER_HORIZON_SECONDS',
    'How long on-demand and interruptible offers are forecast to stay available (free now and wanted by nothing queued now).',
    { default: 3600, min: 60, max: 30 * 24 * 3600, unit: 'seconds' },
  ),
  marketSampleIntervalSeconds: v.number(
    'GANTRY_MARKET_SAMPLE_INTERVAL_SECONDS',
    'How often the leader records a market sample (GPUs internal / rented / idle, revenue, queue pressure, prices) for the admin charts.',
    { default: 60, min: 1, max: 3600, unit: 'seconds' },
  ),
  maxMessageBytes,
  logLevel,
};

export type ControlPlaneConfig = Values<typeof controlPlaneSpec>;

export function loadControlPlaneConfig(env: Env = process.env): ControlPlaneConfig {
  return load(controlPlaneSpec, env);
}
