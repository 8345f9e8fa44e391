import { homedir } from 'node:os';
import { join } from 'node:path';
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
  ),
  apiKey: v.optionalString('GANTRY_API_KEY', 'API key; overrides the context.'),
  redisUrl: v.optionalString(
    'REDIS_URL',
    '`gantry up`: the Redis to use; unset starts redis-server (or a container).',
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
