import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Timers } from '../ports';
import type { ProcessGroupRecords } from '../process/process-groups';
import type { EngineManagerOptions } from './engine-manager-options';
import type { ResolvedEngineCommand } from './engine-presets';
import { EngineProcess } from './engine-process';
import { engineLogFile } from './engine-request';
import { findFreePort } from './free-port';
import type { ManagedEngine } from './managed-engine';

/** What launching needs from the manager. */
export interface LaunchContext extends Pick<
  EngineManagerOptions,
  'stateDir' | 'env' | 'startTimeoutMs' | 'healthIntervalMs' | 'log' | 'findPort' | 'spawn'
> {
  readonly host: string;
  readonly timers: Timers;
  readonly records: ProcessGroupRecords;
}

/**
 * Starts one engine's process: picks a free port (the engine's `port` and `baseUrl` are set),
 * renders its command, and spawns it with the manager's environment plus CUDA_VISIBLE_DEVICES
 * (its GPUs) and the markers the orphan reaper checks; its stdout and stderr go to
 * `<stateDir>/engines/<engine>.log`. Its process group is recorded under the manager's records
 * until it exits (`engine.unrecorded`), so an agent that died cannot leave it holding GPUs.
 * Undefined when the engine was stopped before it was spawned.
 */
export async function launchEngine(
  engine: ManagedEngine,
  command: ResolvedEngineCommand,
  ctx: LaunchContext,
): Promise<EngineProcess | undefined> {
  const { model, revision, gpuIndices } = engine.identity;
  engine.port = await (ctx.findPort ?? findFreePort)(ctx.host);
  const connectHost = ctx.host === '0.0.0.0' ? '127.0.0.1' : ctx.host;
  engine.baseUrl = `http://${connectHost}:${engine.port}`;
  const argv = command.argv({
    model,
    revision,
    port: engine.port,
    gpus: gpuIndices.length,
    host: ctx.host,
  });
  const logDir = join(ctx.stateDir, 'engines');
  await mkdir(logDir, { recursive: true });
  if (engine.state === 'stopping') return undefined;
  const marker = { taskId: `engine-${randomUUID()}`, attempt: 0 };
  const proc = await EngineProcess.start({
    label: engine.label,
    argv,
    env: {
      ...ctx.env,
      CUDA_VISIBLE_DEVICES: gpuIndices.join(','),
      GANTRY_TASK_ID: marker.taskId,
      GANTRY_ATTEMPT: String(marker.attempt),
    },
    logFile: join(logDir, engineLogFile(engine.identity)),
    baseUrl: engine.baseUrl,
    startTimeoutMs: ctx.startTimeoutMs,
    healthIntervalMs: ctx.healthIntervalMs ?? 500,
    timers: ctx.timers,
    spawn: ctx.spawn,
  });
  engine.pid = proc.pid ?? 0;
  const pgid = proc.pid;
  if (pgid !== undefined) {
    const record = { pgid, ...marker, jobId: '', program: argv[0]!, startedAt: Date.now() };
    const written = ctx.records.write(record).catch((error: unknown) => {
      ctx.log.error({ err: error, pgid }, 'cannot record an engine process group');
    });
    engine.unrecorded = proc.exited
      .then(() => written)
      .then(() => ctx.records.remove(pgid))
      .catch(() => undefined);
  }
  ctx.log.info({ engine: engine.snapshot(), argv }, 'starting an engine');
  return proc;
}
