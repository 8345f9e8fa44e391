import { load, v, type Env, type Values } from './variable';

/** Where integration and end-to-end tests find their services. */
export const testSpec = {
  redisUrl: v.string(
    'REDIS_URL',
    'Tests: the Redis for tests that share one (each uses its own key prefix).',
    { default: 'redis://127.0.0.1:6379' },
  ),
  databaseUrl: v.string(
    'TEST_DATABASE_URL',
    'Tests: the PostgreSQL server (each test uses its own schema).',
    { default: 'postgres://postgres@127.0.0.1:5432/postgres' },
  ),
  redisServer: v.string(
    'GANTRY_TEST_REDIS_SERVER',
    'Tests: the redis-server program for tests that start their own.',
    { default: 'redis-server' },
  ),
  chromium: v.string(
    'GANTRY_TEST_CHROMIUM',
    "Tests: the Chromium the web portal's end-to-end test drives headless (Debian's `chromium`).",
    { default: '/usr/bin/chromium' },
  ),
};

export type TestConfig = Values<typeof testSpec>;

export function loadTestConfig(env: Env = process.env): TestConfig {
  return load(testSpec, env);
}
