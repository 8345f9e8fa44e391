/**
 * A private `redis-server` for tests that need their own Redis (a different config, a crash, a
 * restart): a free port on 127.0.0.1, a temporary data directory, no persistence. `stop()` shuts
 * it down and removes the directory; `kill()` does the same with SIGKILL (a crash).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports';

export interface RedisServerOptions {
  /** Extra command-line options, e.g. `['--maxmemory-policy', 'allkeys-lru']`. */
  readonly args?: readonly string[];
  /** The program to run. Default `redis-server` (tests pass `loadTestConfig().redisServer`). */
  readonly command?: string;
  /** How long to wait for the first PONG. Default 10 000 ms. */
  readonly readyTimeoutMs?: number;
}

export interface RedisServerHandle {
  readonly url: string;
  readonly port: number;
  /** Shuts the server down (SIGTERM) and removes its directory. Safe to call twice. */
  stop(): Promise<void>;
  /** Kills the server (SIGKILL, like a crash) and removes its directory. Safe to call twice. */
  kill(): Promise<void>;
}

export async function startRedisServer(
  options: RedisServerOptions = {},
): Promise<RedisServerHandle> {
  // The free port may be taken between our probe and the server's bind: try a few ports.
  for (let attempt = 1; ; attempt++) {
    try {
      return await launch(options, await freePort());
    } catch (error) {
      if (attempt >= 3 || !String(error).includes('Address already in use')) throw error;
    }
  }
}

async function launch(options: RedisServerOptions, port: number): Promise<RedisServerHandle> {
  const command = options.command ?? 'redis-server';
  const dir = await mkdtemp(join(tmpdir(), 'gantry-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir];
  const child = spawn(
    command,
    [...args, '--save', '', '--appendonly', 'no', ...(options.args ?? [])],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError = error));

  const end = async (signal: NodeJS.Signals): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null && !spawnError) child.kill(signal);
    if (!spawnError) await exited;
    await rm(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 10_000);
  while (child.pid === undefined || (await serverPid(port)) !== child.pid) {
    const failure = spawnError ?? (child.exitCode !== null ? new Error('it exited') : undefined);
    if (failure || Date.now() > deadline) {
      await end('SIGKILL');
      const why = failure ? failure.message : 'it did not answer in time';
      throw new Error(
        `Could not start \`${command}\` on port ${port}: ${why}. Install redis-server ` +
          `(Debian: apt-get install redis-server) or set GANTRY_TEST_REDIS_SERVER.\n${output}`,
      );
    }
    await delay(20);
  }
  const url = `redis://127.0.0.1:${port}`;
  return { url, port, stop: once(() => end('SIGTERM')), kill: once(() => end('SIGKILL')) };
}

/**
 * Asks `INFO server` over raw RESP and returns the server's `process_id`, so a server that some
 * other process started on the same port is never mistaken for ours.
 */
async function serverPid(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    let reply = '';
    const finish = (pid: number | undefined): void => {
      socket.destroy();
      resolve(pid);
    };
    socket.setTimeout(1000, () => finish(undefined));
    socket.once('error', () => finish(undefined));
    socket.once('connect', () => socket.write('*2\r\n$4\r\nINFO\r\n$6\r\nserver\r\n'));
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString();
      if (reply.startsWith('-')) finish(undefined); // e.g. LOADING: not ready yet
      const match = /process_id:(\d+)\r\n/.exec(reply);
      if (match) finish(Number(match[1]));
    });
  });
}

function once(action: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= action());
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
