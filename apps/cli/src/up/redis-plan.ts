import { FailedPreconditionError } from '@gantry/domain';

/** Where `gantry up` gets its Redis, in order of preference. */
export type RedisPlan =
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'redis-server'; readonly program: string }
  | { readonly kind: 'container' };

/** What is there to use; each probe is only asked when the ones before it came up empty. */
export interface RedisProbes {
  /** REDIS_URL, when set. */
  readonly configuredUrl: string | undefined;
  /** The redis-server program (GANTRY_REDIS_SERVER, default `redis-server`). */
  readonly redisServer: string;
  /** Whether `program` runs here (found on PATH and answers `--version`). */
  hasProgram(program: string): Promise<boolean>;
  /** Whether a Docker (or compatible) engine answers, for testcontainers. */
  dockerAnswers(): Promise<boolean>;
}

export class NoRedisError extends FailedPreconditionError {
  constructor(redisServer: string) {
    super(
      `gantry up needs Redis, and found none: REDIS_URL is unset, \`${redisServer}\` is not on PATH, ` +
        'and no Docker engine answers. Install Redis (`apt install redis-server`, or ' +
        '`brew install redis`), or set REDIS_URL=redis://host:6379 (with maxmemory-policy noeviction)',
    );
  }
}

/** REDIS_URL, else a redis-server on PATH, else a container, else an error saying what to install. */
export async function planRedis(probes: RedisProbes): Promise<RedisPlan> {
  if (probes.configuredUrl) return { kind: 'url', url: probes.configuredUrl };
  if (await probes.hasProgram(probes.redisServer))
    return { kind: 'redis-server', program: probes.redisServer };
  if (await probes.dockerAnswers()) return { kind: 'container' };
  throw new NoRedisError(probes.redisServer);
}

export function describePlan(plan: RedisPlan): string {
  switch (plan.kind) {
    case 'url':
      return `REDIS_URL (${redactUrl(plan.url)})`;
    case 'redis-server':
      return `${plan.program}, started by gantry up`;
    case 'container':
      return 'a Redis container (testcontainers), started by gantry up';
  }
}

/** `redis://:secret@host:6379` -> `redis://***@host:6379`: never print a password. */
export function redactUrl(url: string): string {
  return url.replace(/^(rediss?:\/\/)[^@/]*@/, '$1***@');
}
