import { spawn } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { type RedisPlan } from './redis-plan';
import { type Supervisor } from './supervisor';

/** A Redis `gantry up` uses, and how to let go of it. */
export interface RunningRedis {
  readonly url: string;
  /** Stops and removes a Redis that `gantry up` started; nothing for REDIS_URL. */
  stop(): Promise<void>;
}

/** Whether `program --version` runs (found on PATH, executable). */
export function programRuns(program: string): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(program, ['--version'], { stdio: 'ignore' });
    child.once('error', () => resolve(false));
    child.once('exit', (code) => resolve(code === 0));
  });
}

/** Whether testcontainers finds a working container runtime (fails in milliseconds without). */
export async function dockerAnswers(): Promise<boolean> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

/** Sends PING and resolves true on +PONG (false on any error or after `timeoutMs`). */
export function pingRedis(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const finish = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => finish(data.toString().startsWith('+PONG')));
  });
}

export interface RedisStartDeps {
  readonly supervisor: Supervisor;
  readonly dataDir: string;
  readonly logsDir: string;
  freePort(): Promise<number>;
  /** Polls until the check passes; throws on timeout or when the cluster is aborted. */
  waitUntil(what: string, check: () => Promise<boolean>): Promise<void>;
}

/** Brings up the planned Redis (always with maxmemory-policy noeviction, as Gantry requires). */
export async function startRedis(plan: RedisPlan, deps: RedisStartDeps): Promise<RunningRedis> {
  if (plan.kind === 'url') return { url: plan.url, stop: async () => {} };
  if (plan.kind === 'container') return startContainer();
  const port = await deps.freePort();
  const dir = join(deps.dataDir, 'redis');
  await rm(dir, { recursive: true, force: true });
  // Redis is Gantry's rebuildable buffer (PostgreSQL is the truth), so no persistence: the
  // control plane's reconciler re-enqueues every unfinished job after a restart.
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    'no',
    '--maxmemory-policy',
    'noeviction',
    '--daemonize',
    'no',
    '--protected-mode',
    'yes',
    '--logfile',
    '',
  ];
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await deps.supervisor.start({
    name: 'redis',
    command: plan.program,
    args,
    env: {},
    logFile: join(deps.logsDir, 'redis.log'),
    tier: 0,
  });
  await deps.waitUntil('Redis', () => pingRedis('127.0.0.1', port));
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () => rm(dir, { recursive: true, force: true }),
  };
}

async function startContainer(): Promise<RunningRedis> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const container = await new GenericContainer('redis:7-alpine')
    .withCommand([
      'redis-server',
      '--save',
      '',
      '--appendonly',
      'no',
      '--maxmemory-policy',
      'noeviction',
    ])
    .withExposedPorts(6379)
    .withWaitStrategy(Wait.forLogMessage('Ready to accept connections'))
    .start();
  return {
    url: `redis://${container.getHost()}:${container.getMappedPort(6379)}`,
    stop: async () => {
      await container.stop({ remove: true });
    },
  };
}
