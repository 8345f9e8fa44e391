import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports';
import { pingRedis, programRuns, startRedis } from './redis-runtime';
import { Supervisor } from './supervisor';

describe('programRuns', () => {
  it('is true for a program that answers --version and false for a missing one', async () => {
    await expect(programRuns(process.execPath)).resolves.toBe(true);
    await expect(programRuns('gantry-no-such-program')).resolves.toBe(false);
  });
});

describe('pingRedis', () => {
  it('is false when nothing speaks Redis on the port', async () => {
    const server = createServer((socket) => socket.end('-ERR not redis\r\n'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await expect(pingRedis('127.0.0.1', port)).resolves.toBe(false);
    server.close();
    await expect(pingRedis('127.0.0.1', await freePort())).resolves.toBe(false);
  });
});

describe('startRedis with redis-server', () => {
  let dir: string;
  let supervisor: Supervisor;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gantry-redis-'));
    supervisor = new Supervisor(5_000);
  });
  afterEach(async () => {
    await supervisor.stopAll();
    await rm(dir, { recursive: true, force: true });
  });

  it('starts a private redis-server on a free port and removes it on stop', async () => {
    const redis = await startRedis(
      { kind: 'redis-server', program: 'redis-server' },
      {
        supervisor,
        dataDir: dir,
        logsDir: join(dir, 'logs'),
        freePort,
        waitUntil: async (_what, check) => {
          while (!(await check())) await new Promise((resolve) => setImmediate(resolve));
        },
      },
    );
    const port = Number(/^redis:\/\/127\.0\.0\.1:(\d+)$/.exec(redis.url)?.[1]);
    await expect(pingRedis('127.0.0.1', port)).resolves.toBe(true);
    expect(existsSync(join(dir, 'redis'))).toBe(true);
    await supervisor.stopAll();
    await redis.stop();
    expect(existsSync(join(dir, 'redis'))).toBe(false);
    await expect(pingRedis('127.0.0.1', port)).resolves.toBe(false);
  });

  it('uses REDIS_URL as it is and leaves it alone', async () => {
    const redis = await startRedis(
      { kind: 'url', url: 'redis://cache:6379' },
      {
        supervisor,
        dataDir: dir,
        logsDir: dir,
        freePort,
        waitUntil: async () => {
          throw new Error('nothing to wait for');
        },
      },
    );
    expect(redis.url).toBe('redis://cache:6379');
    await expect(redis.stop()).resolves.toBeUndefined();
  });
});
