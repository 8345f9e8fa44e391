import { createServer } from 'node:net';
import { freePort, portFree, waitUntil, type WaitOptions } from './ports';

describe('freePort and portFree', () => {
  it('finds a port that can be bound, and sees it taken once bound', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    await expect(portFree(port)).resolves.toBe(true);
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    await expect(portFree(port)).resolves.toBe(false);
    await new Promise((resolve) => server.close(resolve));
  });
});

describe('waitUntil', () => {
  function fakeTime(aborted: () => string | undefined = () => undefined) {
    let now = 0;
    const options: WaitOptions = {
      timeoutMs: 10_000,
      intervalMs: 500,
      now: () => now,
      sleep: async (ms) => {
        now += ms;
      },
      aborted,
    };
    return { options, elapsed: () => now };
  }

  it('returns once the check passes', async () => {
    const { options, elapsed } = fakeTime();
    let calls = 0;
    await waitUntil('the thing', async () => ++calls === 3, options);
    expect(calls).toBe(3);
    expect(elapsed()).toBe(1_000);
  });

  it('gives up after the timeout, naming what it waited for', async () => {
    const { options, elapsed } = fakeTime();
    await expect(waitUntil('the control plane', async () => false, options)).rejects.toThrow(
      'the control plane not ready after 10s',
    );
    expect(elapsed()).toBe(10_000);
  });

  it('stops at once when aborted', async () => {
    let checks = 0;
    const { options } = fakeTime(() => (checks >= 2 ? 'node-1 exited with code 1' : undefined));
    await expect(waitUntil('2 nodes', async () => (checks++, false), options)).rejects.toThrow(
      'stopped waiting for 2 nodes: node-1 exited with code 1',
    );
    expect(checks).toBe(2);
  });
});
