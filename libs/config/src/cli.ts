import { homedir } from 'node:os';
import { join } from 'node:path';
import { logLevel } from './shared';
import { load, v, type Env, type Values } from './variable';

export const cliSpec = {
  home: v.string(
    'GANTRY_HOME',
    'Where the CLI keeps its context (endpoint and key) and `gantry up` its data.',
    { default: join(homedir(), '.gantry'), defaultText: '~/.gantry' },
  ),
  endpoint: v.optionalString(
    'GANTRY_ENDPOINT',
    'host:port of the control plane; overrides the context.',
    { pattern: /^[^\s:]+:\d{1,5}$/, expected: 'host:port' },
  ),
  apiKey: v.optionalString('GANTRY_API_KEY', 'API key; overrides the context.'),
  redisUrl: v.optionalString(
    'REDIS_URL',
    '`gantry up`: the Redis to use; unset starts redis-server (or a container).',
    { pattern: /^rediss?:\/\//, expected: 'a redis:// or rediss:// URL' },
  ),
  redisServer: v.string(
    'GANTRY_REDIS_SERVER',
    '`gantry up`: the redis-server program started when REDIS_URL is unset.',
    { default: 'redis-server' },
  ),
  upStartTimeoutSeconds: v.number(
    'GANTRY_UP_START_TIMEOUT_SECONDS',
    '`gantry up`: how long to wait for Redis, the control plane and the nodes to be ready.',
    { default: 60, min: 1, max: 3600, unit: 'seconds' },
  ),
  upStopGraceSeconds: v.number(
    'GANTRY_UP_STOP_GRACE_SECONDS',
    '`gantry up`: time each process gets between SIGTERM and SIGKILL when the cluster stops.',
    { default: 10, min: 0, max: 600, unit: 'seconds' },
  ),
  childLogLevel: { ...logLevel, doc: '`gantry up`: log level of the processes it starts.' },
  tracesDir: v.optionalString(
    'GANTRY_TRACES_DIR',
    '`gantry simulate` and the trace benchmarks: the folder holding `philly/` and `itp/`; ' +
      'unset: `../shared/traces` beside the repository.',
  ),
};

export type CliConfig = Values<typeof cliSpec>;

export function loadCliConfig(env: Env = process.env): CliConfig {
  return load(cliSpec, env);
}

/** The environment a CLI passes to the processes it starts (`gantry up`). */
export function inheritedEnvironment(): Env {
  return { ...process.env };
}
