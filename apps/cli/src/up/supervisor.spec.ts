import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Supervisor, type ChildExit } from './supervisor';

const node = process.execPath;

function script(code: string) {
  return [node, ['-e', code]] as const;
}

describe('Supervisor', () => {
  let dir: string;
  let supervisor: Supervisor;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gantry-supervisor-'));
  });
  afterEach(async () => {
    await supervisor.kill();
    await supervisor.stopAll();
    await rm(dir, { recursive: true, force: true });
  });

  function start(name: string, code: string, tier = 0) {
    const [command, args] = script(code);
    return supervisor.start({
      name,
      command,
      args,
      env: {},
      logFile: join(dir, `${name}.log`),
      tier,
    });
  }

  it('writes output to the log file and reports a child that exits on its own', async () => {
    supervisor = new Supervisor(5_000);
    const failed = new Promise<ChildExit>((resolve) => supervisor.onFailure(resolve));
    await start('crasher', 'console.log("starting"); console.error("boom"); process.exit(3)');
    const exit = await failed;
    expect(exit).toMatchObject({ name: 'crasher', code: 3, signal: null });
    expect(supervisor.failure?.name).toBe('crasher');
    const log = await readFile(join(dir, 'crasher.log'), 'utf8');
    expect(log).toContain('starting');
    expect(log).toContain('boom');
  });

  it('stops children with SIGTERM, highest tier first, and reports no failure', async () => {
    supervisor = new Supervisor(5_000);
    const order = join(dir, 'order.log');
    const onTerm = (name: string) =>
      `process.on("SIGTERM", () => { require("fs").appendFileSync(${JSON.stringify(order)}, "${name}\\n"); process.exit(0); });` +
      'console.log("ready"); setInterval(() => {}, 1000);';
    await start('redis', onTerm('redis'), 0);
    await start('control-plane', onTerm('control-plane'), 1);
    await start('node-1', onTerm('node-1'), 2);
    await waitForLog('node-1');
    await waitForLog('redis');
    await waitForLog('control-plane');
    await supervisor.stopAll();
    expect((await readFile(order, 'utf8')).trim().split('\n')).toEqual([
      'node-1',
      'control-plane',
      'redis',
    ]);
    expect(supervisor.failure).toBeUndefined();
  });

  it('SIGKILLs a child that ignores SIGTERM after the grace time', async () => {
    supervisor = new Supervisor(200);
    await start(
      'stubborn',
      'process.on("SIGTERM", () => {}); console.log("ready"); setInterval(() => {}, 1000);',
    );
    await waitForLog('stubborn');
    const started = Date.now();
    await supervisor.stopAll();
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('is safe to stop twice and to kill while stopping', async () => {
    supervisor = new Supervisor(60_000);
    await start(
      'stubborn',
      'process.on("SIGTERM", () => {}); console.log("ready"); setInterval(() => {}, 1000);',
    );
    await waitForLog('stubborn');
    const first = supervisor.stopAll();
    const second = supervisor.stopAll();
    expect(second).toBe(first);
    await supervisor.kill();
    await expect(first).resolves.toBeUndefined();
  });

  it('kills what a child started in other process groups when forced', async () => {
    supervisor = new Supervisor(60_000);
    const grandchild = join(dir, 'grandchild.pid');
    await start(
      'agent',
      'const c = require("child_process").spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], ' +
        `{ detached: true, stdio: "ignore" }); require("fs").writeFileSync(${JSON.stringify(grandchild)}, String(c.pid));` +
        'process.on("SIGTERM", () => {}); console.log("ready"); setInterval(() => {}, 1000);',
    );
    await waitForLog('agent');
    const pid = Number(await readFile(grandchild, 'utf8'));
    expect(alive(pid)).toBe(true);
    const stopping = supervisor.stopAll();
    await supervisor.kill();
    await stopping;
    await waitUntilDead(pid);
    expect(alive(pid)).toBe(false);
  });

  it('rejects when the program does not exist', async () => {
    supervisor = new Supervisor(1_000);
    await expect(
      supervisor.start({
        name: 'ghost',
        command: join(dir, 'no-such-program'),
        args: [],
        env: {},
        logFile: join(dir, 'ghost.log'),
        tier: 0,
      }),
    ).rejects.toThrow('cannot start ghost');
  });

  /** Running, not a zombie waiting for a parent that may never reap it (pid 1 in a container). */
  function alive(pid: number): boolean {
    try {
      const state = execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' });
      return state.trim() !== '' && !state.trim().startsWith('Z');
    } catch {
      return false;
    }
  }

  /** A SIGKILLed process is gone once the kernel has reaped it; poll for that. */
  async function waitUntilDead(pid: number): Promise<void> {
    for (let i = 0; i < 1_000 && alive(pid); i++)
      await new Promise((resolve) => setImmediate(resolve));
  }

  /** Waits until a child has written its log (it is running and has set its handlers). */
  async function waitForLog(name: string): Promise<void> {
    for (;;) {
      const text = await readFile(join(dir, `${name}.log`), 'utf8').catch(() => '');
      if (text.split('\n').includes('ready')) return;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
});
