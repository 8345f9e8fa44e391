import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  EngineManager,
  type EngineEvent,
  type EngineManagerOptions,
} from '../openai/engine-manager';
import { EngineCommands } from '../openai/engine-presets';
import type { WorkerLog } from '../ports';
import { isAlive } from './processes';
import { buildSimulatedEngine, removeSimulatedEngineBuild } from './simulated-engine';

const baseEnv = { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: '/tmp', LANG: 'C.UTF-8' };
const silent: WorkerLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** The events of one manager, kept, and awaitable. */
export class EngineEvents {
  readonly all: EngineEvent[] = [];
  private readonly waiting: {
    match: (e: EngineEvent) => boolean;
    resolve: (e: EngineEvent) => void;
  }[] = [];

  readonly record = (event: EngineEvent): void => {
    this.all.push(event);
    for (const w of this.waiting.filter((w) => w.match(event))) {
      this.waiting.splice(this.waiting.indexOf(w), 1);
      w.resolve(event);
    }
  };

  /** The first event (already seen or still to come) of `type` that `match` accepts. */
  next<T extends EngineEvent['type']>(
    type: T,
    match: (e: Extract<EngineEvent, { type: T }>) => boolean = () => true,
  ): Promise<Extract<EngineEvent, { type: T }>> {
    const accepts = (e: EngineEvent): e is Extract<EngineEvent, { type: T }> =>
      e.type === type && match(e as Extract<EngineEvent, { type: T }>);
    const seen = this.all.find(accepts);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) =>
      this.waiting.push({
        match: accepts,
        resolve: (e) => resolve(e as Extract<EngineEvent, { type: T }>),
      }),
    );
  }

  count(type: EngineEvent['type']): number {
    return this.all.filter((e) => e.type === type).length;
  }
}

/**
 * Engine managers over the real simulated engine, for tests: a state dir of their own, the
 * engine built once per test file, every manager shut down (and every engine checked gone)
 * after each test.
 */
export class EngineFixture {
  main = '';
  stateDir = '';
  private readonly managers: EngineManager[] = [];
  private readonly pids = new Set<number>();

  async setUp(): Promise<void> {
    this.main = await buildSimulatedEngine();
  }

  tearDown(): void {
    removeSimulatedEngineBuild(this.main);
  }

  beforeEach(): void {
    this.stateDir = mkdtempSync(join(tmpdir(), 'gantry-engines-'));
  }

  /** Shuts every manager down and kills whatever engine a failing test left alive. */
  async afterEach(): Promise<void> {
    await Promise.all(this.managers.splice(0).map((m) => m.shutdown()));
    for (const pid of this.pids) if (isAlive(pid)) process.kill(-pid, 'SIGKILL');
    this.pids.clear();
    rmSync(this.stateDir, { recursive: true, force: true });
  }

  /** A manager whose default engine is the simulated one, or `command` (a custom template). */
  manager(options: Partial<EngineManagerOptions> & { command?: string } = {}): {
    manager: EngineManager;
    events: EngineEvents;
  } {
    const events = new EngineEvents();
    const manager = new EngineManager({
      stateDir: this.stateDir,
      commands: new EngineCommands({
        preset: 'simulated',
        gpusSimulated: true,
        command: options.command,
        node: process.execPath,
        simulatedEngine: this.main,
      }),
      env: baseEnv,
      startTimeoutMs: 30_000,
      idleMs: 60_000,
      stopGraceMs: 5_000,
      healthIntervalMs: 20,
      log: silent,
      ...options,
      onEvent: (event) => {
        if (event.engine.pid) this.pids.add(event.engine.pid);
        events.record(event);
        options.onEvent?.(event);
      },
    });
    this.managers.push(manager);
    return { manager, events };
  }
}
