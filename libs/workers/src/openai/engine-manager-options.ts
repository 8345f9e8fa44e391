import type { Timers, WorkerLog } from '../ports';
import type { SpawnProcess } from '../process/process-backend';
import type { ProcessTable } from '../process/process-table';
import type { EngineDiedError, EngineStartError } from './engine-errors';
import type { EngineCommands } from './engine-presets';
import type { FindPort } from './free-port';
import type { WarmEngine } from './managed-engine';

/** Why the manager stopped an engine. */
export type EngineStopCause = 'idle' | 'evicted' | 'shutdown' | 'start_failed';

/** What happened to an engine, for logs, metrics and tests. */
export type EngineEvent =
  | { readonly type: 'starting' | 'ready'; readonly engine: WarmEngine }
  | { readonly type: 'start_failed'; readonly engine: WarmEngine; readonly error: EngineStartError }
  | { readonly type: 'died'; readonly engine: WarmEngine; readonly error: EngineDiedError }
  | { readonly type: 'stopped'; readonly engine: WarmEngine; readonly cause: EngineStopCause };

export interface EngineManagerOptions {
  /** Engine logs go to `<stateDir>/engines/`, process-group records to `<stateDir>/engine-groups/`. */
  readonly stateDir: string;
  readonly commands: EngineCommands;
  /** The engines' environment (PATH, HOME, LANG, HF_*...); CUDA_VISIBLE_DEVICES is added. */
  readonly env: Readonly<Record<string, string>>;
  /** GANTRY_ENGINE_START_TIMEOUT_SECONDS: from spawn to `GET /health` 200. */
  readonly startTimeoutMs: number;
  /** GANTRY_ENGINE_IDLE_SECONDS: an engine without leases stops after this long. */
  readonly idleMs: number;
  /** GANTRY_ENGINE_STOP_GRACE_SECONDS: between SIGTERM and SIGKILL. */
  readonly stopGraceMs: number;
  readonly log: WorkerLog;
  /** The most one engine call may take (default 10 minutes). */
  readonly requestTimeoutMs?: number;
  /** Between two `GET /health` probes while an engine starts (default 500 ms). */
  readonly healthIntervalMs?: number;
  /** Where engines listen (default 127.0.0.1). */
  readonly host?: string;
  readonly timers?: Timers;
  readonly onEvent?: (event: EngineEvent) => void;
  readonly findPort?: FindPort;
  readonly spawn?: SpawnProcess;
  readonly processTable?: ProcessTable;
}
