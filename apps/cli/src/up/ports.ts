import { createServer } from 'node:net';

/**
 * A TCP port free on `host` right now (the kernel picks it). Another process could take it
 * before the child binds it; the child then fails to start and `gantry up` says which one.
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Whether `port` can be bound on `host` now (for a --port the user chose). */
export function portFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

export interface WaitOptions {
  readonly timeoutMs: number;
  readonly intervalMs: number;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** A reason to stop waiting (a child died, Ctrl-C), checked before every try. */
  readonly aborted: () => string | undefined;
}

/** Polls `check` until it passes; throws naming `what` on timeout or abort. */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  options: WaitOptions,
): Promise<void> {
  const deadline = options.now() + options.timeoutMs;
  for (;;) {
    const reason = options.aborted();
    if (reason) throw new Error(`stopped waiting for ${what}: ${reason}`);
    if (await check()) return;
    if (options.now() >= deadline)
      throw new Error(`${what} not ready after ${Math.round(options.timeoutMs / 1000)}s`);
    await options.sleep(options.intervalMs);
  }
}
