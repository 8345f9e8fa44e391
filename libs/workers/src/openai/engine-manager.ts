import { join } from 'node:path';
import { UnavailableError } from '@gantry/domain';
import { systemTimers, type Timers } from '../ports';
import { reapOrphans, signalProcess, type ReapedGroup } from '../process/orphan-reaper';
import { ProcessGroupRecords } from '../process/process-groups';
import { procProcessTable } from '../process/process-table';
import { EngineDiedError, EngineStartError } from './engine-errors';
import { launchEngine } from './engine-launch';
import { Lease, type EngineLease } from './engine-lease';
import type { EngineEvent, EngineManagerOptions, EngineStopCause } from './engine-manager-options';
import type { ResolvedEngineCommand } from './engine-presets';
import { describeExit, type EngineExit, type EngineProcess } from './engine-process';
import { abortable, checkEngineRequest, type EngineRequest } from './engine-request';
import { ManagedEngine, type WarmEngine } from './managed-engine';
import { OpenAIHttpClient } from './openai-http-client';

export type { EngineEvent, EngineManagerOptions, EngineStopCause } from './engine-manager-options';

/**
 * Starts and keeps warm the inference engines of one node (ADR 9, "Engines"). `acquire` gives a
 * lease on the engine of a (model, revision, engine command, exact GPU set): a warm one is
 * reused; concurrent acquires of one engine share its start; engines of anything else on any of
 * those GPUs are stopped first. An engine without leases stops after `idleMs`. An engine that
 * dies while leased tells its lease holders (with its log's last lines) and is forgotten.
 */
export class EngineManager {
  private readonly engines = new Map<string, ManagedEngine>();
  private readonly timers: Timers;
  private readonly records: ProcessGroupRecords;
  private readonly host: string;
  private closing: Promise<void> | undefined;

  constructor(private readonly o: EngineManagerOptions) {
    this.timers = o.timers ?? systemTimers;
    this.records = new ProcessGroupRecords(join(o.stateDir, 'engine-groups'));
    this.host = o.host ?? '127.0.0.1';
  }

  /** Kills engines a crashed predecessor left running on this state dir; call before acquire. */
  reapOrphans(): Promise<ReapedGroup[]> {
    const table = this.o.processTable ?? procProcessTable;
    return reapOrphans(this.records, table, signalProcess, this.o.log);
  }

  /**
   * A lease on a ready engine for `request`. Rejects with a ValidationError for a bad request
   * or an engine this node cannot start, EngineStartError when the engine does not become
   * ready, or the signal's reason when `signal` aborts (the engine keeps starting for others).
   */
  async acquire(request: EngineRequest, signal?: AbortSignal): Promise<EngineLease> {
    const { identity, command } = checkEngineRequest(request, this.o.commands);
    const wanted = new ManagedEngine(identity);
    for (;;) {
      this.checkOpen();
      signal?.throwIfAborted();
      const existing = this.engines.get(wanted.key);
      if (existing && existing.state !== 'stopping') return this.lease(existing, signal);
      const blockers = [...this.engines.values()].filter((e) => e.overlaps(identity.gpuIndices));
      if (blockers.length === 0) break;
      const why = `its GPUs are needed for the ${wanted.label}`;
      await abortable(Promise.all(blockers.map((e) => this.stop(e, 'evicted', why))), signal);
    }
    this.engines.set(wanted.key, wanted);
    wanted.launch = this.launch(wanted, command);
    wanted.ready = this.start(wanted);
    return this.lease(wanted, signal);
  }

  /**
   * The engine command a job's `engine` field names on this node (`vllm`, `sglang`, `simulated`,
   * `custom`; '' is the agent's default). ValidationError (field `engine`) for one it cannot start.
   */
  engineName(preset: string): string {
    return this.o.commands.resolve(preset).name;
  }

  /** The engines of this node (starting, ready or stopping), for the agent's heartbeat. */
  warmEngines(): WarmEngine[] {
    return [...this.engines.values()].map((e) => e.snapshot());
  }

  /** Stops every engine and refuses new acquires. Safe to call twice. */
  shutdown(): Promise<void> {
    this.closing ??= Promise.all(
      [...this.engines.values()].map((e) =>
        this.stop(e, 'shutdown', 'the node agent is shutting down'),
      ),
    ).then(() => undefined);
    return this.closing;
  }

  private checkOpen(): void {
    if (this.closing) throw new UnavailableError('the engine manager is shutting down');
  }

  private async lease(engine: ManagedEngine, signal: AbortSignal | undefined): Promise<Lease> {
    engine.waiters++;
    this.clearIdle(engine);
    try {
      await abortable(engine.ready, signal);
    } catch (error) {
      engine.waiters--;
      this.startIdle(engine); // an abort: the engine may be ready with nobody left
      throw error;
    }
    engine.waiters--;
    if (engine.state !== 'ready' || !engine.client) {
      this.startIdle(engine);
      throw new EngineStartError(`${engine.label} stopped: ${engine.stopReason}`, []);
    }
    const lease = new Lease(engine.baseUrl, engine.client, engine.identity.preset, (l) => {
      engine.leases.delete(l);
      this.startIdle(engine);
    });
    engine.leases.add(lease);
    return lease;
  }

  /** Spawns the engine (see launchEngine) and watches its exit. */
  private async launch(
    engine: ManagedEngine,
    command: ResolvedEngineCommand,
  ): Promise<EngineProcess | undefined> {
    const proc = await launchEngine(engine, command, {
      ...this.o,
      host: this.host,
      timers: this.timers,
      records: this.records,
    });
    if (!proc) return undefined;
    void proc.exited.then((exit) => this.onExit(engine, proc, exit));
    this.emit({ type: 'starting', engine: engine.snapshot() });
    return proc;
  }

  /** Waits for the engine to be ready; on failure stops it, forgets it and rejects. */
  private async start(engine: ManagedEngine): Promise<void> {
    try {
      const proc = await engine.launch;
      if (proc) await proc.ready;
      if (engine.state !== 'starting') throw new Error('stopped');
      if (proc?.exitStatus) throw await proc.failure(`${describeExit(proc.exitStatus)} at once`);
      engine.client = new OpenAIHttpClient({
        baseUrl: engine.baseUrl,
        timeoutMs: this.o.requestTimeoutMs ?? 600_000,
        timers: this.timers,
      });
      engine.state = 'ready';
      this.emit({ type: 'ready', engine: engine.snapshot() });
      this.o.log.info({ engine: engine.snapshot() }, 'engine ready');
      this.startIdle(engine);
    } catch (error) {
      const failure =
        engine.state === 'stopping'
          ? new EngineStartError(
              `${engine.label} was stopped before it was ready: ${engine.stopReason}`,
              [],
            )
          : error instanceof EngineStartError
            ? error
            : new EngineStartError(`${engine.label} could not be started: ${String(error)}`, []);
      await this.stop(engine, 'start_failed', 'it failed to start');
      this.emit({ type: 'start_failed', engine: engine.snapshot(), error: failure });
      this.o.log.error({ engine: engine.snapshot(), err: failure }, 'engine failed to start');
      throw failure;
    }
  }

  /** Stops an engine (SIGTERM, SIGKILL after the grace) and forgets it; the same promise twice. */
  private stop(engine: ManagedEngine, cause: EngineStopCause, reason: string): Promise<void> {
    if (engine.stopped) return engine.stopped;
    engine.state = 'stopping';
    engine.stopReason = reason;
    this.clearIdle(engine);
    if (engine.leases.size > 0)
      this.o.log.warn({ engine: engine.snapshot(), reason }, 'stopping an engine that is leased');
    const died = new EngineDiedError(`${engine.label} was stopped: ${reason}`, []);
    for (const lease of engine.leases) lease.die(died);
    engine.leases.clear();
    engine.stopped = (async () => {
      const proc = await engine.launch.catch(() => undefined);
      await proc?.stop(this.o.stopGraceMs);
      await engine.unrecorded;
      this.forget(engine);
      if (cause !== 'start_failed') {
        this.emit({ type: 'stopped', engine: engine.snapshot(), cause });
        this.o.log.info({ engine: engine.snapshot(), cause }, 'engine stopped');
      }
    })();
    return engine.stopped;
  }

  /** A ready engine's process ended without being asked to: a crash. */
  private async onExit(
    engine: ManagedEngine,
    proc: EngineProcess,
    exit: EngineExit,
  ): Promise<void> {
    if (engine.state !== 'ready') return; // a start failure or a stop: handled there
    engine.state = 'stopping';
    engine.stopReason = `it ${describeExit(exit)}`;
    engine.stopped = Promise.resolve();
    this.clearIdle(engine);
    this.forget(engine);
    const error = new EngineDiedError(
      `${engine.label} ${describeExit(exit)}`,
      await proc.logTail(),
    );
    for (const lease of engine.leases) lease.die(error);
    engine.leases.clear();
    this.emit({ type: 'died', engine: engine.snapshot(), error });
    this.o.log.warn({ engine: engine.snapshot(), err: error }, 'engine died');
  }

  private forget(engine: ManagedEngine): void {
    if (this.engines.get(engine.key) === engine) this.engines.delete(engine.key);
  }

  private startIdle(engine: ManagedEngine): void {
    if (engine.state !== 'ready' || !engine.idle || engine.idleTimer) return;
    engine.idleTimer = this.timers.setTimeout(() => {
      engine.idleTimer = undefined;
      void this.stop(engine, 'idle', `idle for ${this.o.idleMs / 1000} s`);
    }, this.o.idleMs);
  }

  private clearIdle(engine: ManagedEngine): void {
    if (engine.idleTimer) this.timers.clearTimeout(engine.idleTimer);
    engine.idleTimer = undefined;
  }

  private emit(event: EngineEvent): void {
    try {
      this.o.onEvent?.(event);
    } catch (error) {
      this.o.log.error({ err: error, event: event.type }, 'engine event listener threw');
    }
  }
}
