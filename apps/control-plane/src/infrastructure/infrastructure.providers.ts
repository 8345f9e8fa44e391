/**
 * The control plane's connections and the adapters over them. Start-up order matters and fails
 * fast with a clear message: Redis must answer and use maxmemory-policy noeviction; PostgreSQL
 * (or PGlite) must open and migrate; the admin key from config is registered.
 */
import { type OnApplicationShutdown, type Provider } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { type ControlPlaneConfig } from '@gantry/config';
import { credentialFromPlaintext, InternalError, type Clock } from '@gantry/domain';
import { type Logger } from '@gantry/observability';
import {
  assertNoEviction,
  BullDispatchQueue,
  createRedis,
  RedisLeaderLease,
  RedisNodeLiveness,
  RedisPendingIndex,
  RedisSignals,
  RedisStepClaims,
  BullVerifyQueue,
} from '@gantry/queue';
import { LocalDirectoryStore } from '@gantry/files';
import {
  createDatabase,
  KyselyFileRepository,
  KyselyJobRepository,
  KyselyNodeRepository,
  KyselyParentRepository,
  KyselyLeaseRepository,
  KyselyMarketSampleRepository,
  KyselyPolicyRepository,
  KyselyTenantRepository,
  migrateToLatest,
  type Database,
} from '@gantry/store';
import {
  CLOCK,
  CONFIG,
  DATABASE,
  DISPATCH_QUEUE,
  FILES,
  FILE_STORE,
  JOBS,
  LEADER_LEASE,
  LIVENESS,
  LOGGER,
  NODES,
  PARENTS,
  LEASES,
  MARKET_SAMPLES,
  PENDING_INDEX,
  POLICY,
  REDIS,
  SIGNALS,
  STEP_CLAIMS,
  TENANTS,
  VERIFY_QUEUE,
} from './tokens';

/** Closes what the providers opened, in reverse order, once. */
export class Closer implements OnApplicationShutdown {
  constructor(
    private readonly database: Database,
    private readonly redis: Redis,
    private readonly signals: RedisSignals,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.signals.close();
    this.redis.disconnect();
    await this.database.close();
  }
}

export const infrastructureProviders: Provider[] = [
  {
    provide: REDIS,
    inject: [CONFIG, LOGGER],
    useFactory: async (config: ControlPlaneConfig, logger: Logger): Promise<Redis> => {
      const redis = createRedis(config.redisUrl);
      redis.on('error', (error: Error) => logger.warn({ err: error }, 'redis connection error'));
      await assertNoEviction(redis, config.redisUrl);
      return redis;
    },
  },
  {
    provide: DATABASE,
    inject: [CONFIG, LOGGER],
    useFactory: async (config: ControlPlaneConfig, logger: Logger): Promise<Database> => {
      const database = await createDatabase({
        url: config.databaseUrl,
        schema: config.databaseSchema,
        dataDir: config.dataDir,
      });
      const applied = await migrateToLatest(database.db);
      logger.info(
        { kind: database.kind, schema: database.schema, migrationsApplied: applied },
        'database ready',
      );
      return database;
    },
  },
  {
    provide: TENANTS,
    inject: [DATABASE],
    useFactory: (database: Database) => new KyselyTenantRepository(database),
  },
  {
    provide: JOBS,
    inject: [DATABASE, CLOCK],
    useFactory: (database: Database, clock: Clock) => new KyselyJobRepository(database, clock),
  },
  {
    provide: FILES,
    inject: [DATABASE],
    useFactory: (database: Database) => new KyselyFileRepository(database),
  },
  {
    provide: PARENTS,
    inject: [DATABASE, CLOCK],
    useFactory: (database: Database, clock: Clock) => new KyselyParentRepository(database, clock),
  },
  {
    provide: LEASES,
    inject: [DATABASE, CLOCK],
    useFactory: (database: Database, clock: Clock) => new KyselyLeaseRepository(database, clock),
  },
  {
    provide: MARKET_SAMPLES,
    inject: [DATABASE],
    useFactory: (database: Database) => new KyselyMarketSampleRepository(database),
  },
  {
    provide: VERIFY_QUEUE,
    inject: [CONFIG, LOGGER],
    useFactory: (config: ControlPlaneConfig, logger: Logger) =>
      new BullVerifyQueue({ url: config.redisUrl, prefix: config.redisPrefix, logger }),
  },
  {
    provide: FILE_STORE,
    inject: [CONFIG],
    useFactory: (config: ControlPlaneConfig) => new LocalDirectoryStore(config.storageDir),
  },
  {
    provide: NODES,
    inject: [DATABASE],
    useFactory: (database: Database) => new KyselyNodeRepository(database),
  },
  {
    provide: POLICY,
    inject: [DATABASE],
    useFactory: (database: Database) => new KyselyPolicyRepository(database),
  },
  {
    provide: 'ADMIN_BOOTSTRAP',
    inject: [TENANTS, CONFIG, CLOCK],
    useFactory: async (
      tenants: KyselyTenantRepository,
      config: ControlPlaneConfig,
      clock: Clock,
    ) => {
      const key = credentialFromPlaintext('api-key', config.adminApiKey);
      if (!key)
        throw new InternalError('GANTRY_ADMIN_API_KEY passed validation but cannot be parsed');
      return tenants.ensureAdmin(key, clock.now());
    },
  },
  {
    provide: PENDING_INDEX,
    inject: [REDIS, CONFIG],
    useFactory: (redis: Redis, config: ControlPlaneConfig) =>
      new RedisPendingIndex({ redis, prefix: config.redisPrefix }),
  },
  {
    provide: LIVENESS,
    inject: [REDIS, CONFIG],
    useFactory: (redis: Redis, config: ControlPlaneConfig) =>
      new RedisNodeLiveness({ redis, prefix: config.redisPrefix }),
  },
  {
    provide: SIGNALS,
    inject: [REDIS, CONFIG, LOGGER],
    useFactory: (redis: Redis, config: ControlPlaneConfig, logger: Logger) =>
      new RedisSignals({ redis, prefix: config.redisPrefix, logger }),
  },
  {
    provide: LEADER_LEASE,
    inject: [REDIS, DATABASE, CONFIG],
    useFactory: (redis: Redis, database: Database, config: ControlPlaneConfig) =>
      new RedisLeaderLease({
        redis,
        prefix: config.redisPrefix,
        replicaId: config.replicaId,
        ttlMs: Math.round(config.leaderLeaseSeconds * 1000),
        tokenFloor: async () => {
          const row = await database.db
            .selectFrom('scheduler_fence')
            .select('token')
            .executeTakeFirst();
          return Number(row?.token ?? 0);
        },
      }),
  },
  {
    provide: DISPATCH_QUEUE,
    inject: [CONFIG, LOGGER],
    useFactory: (config: ControlPlaneConfig, logger: Logger) =>
      new BullDispatchQueue({
        url: config.redisUrl,
        prefix: config.redisPrefix,
        tries: config.dispatchRetries,
        backoffMs: 250,
        logger,
      }),
  },
  {
    provide: STEP_CLAIMS,
    inject: [REDIS, CONFIG],
    useFactory: (redis: Redis, config: ControlPlaneConfig) =>
      new RedisStepClaims({
        redis,
        prefix: config.redisPrefix,
        valueTtlMs: Math.round(config.stepCacheTtlSeconds * 1000),
        claimTtlMs: Math.round(config.stepClaimTtlSeconds * 1000),
      }),
  },
  {
    provide: Closer,
    inject: [DATABASE, REDIS, SIGNALS],
    useFactory: (database: Database, redis: Redis, signals: RedisSignals) =>
      new Closer(database, redis, signals),
  },
];
