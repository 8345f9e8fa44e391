import type { InferenceClient } from '@gantry/workloads';
import type { TimerHandle } from '../ports';
import type { EngineProcess } from './engine-process';
import type { Lease } from './engine-lease';

/** Where an engine is in its life. A crashed or stopped engine is forgotten. */
export type EngineState = 'starting' | 'ready' | 'stopping';

/** What identifies an engine: the same values mean the same (reusable) engine. */
export interface EngineIdentity {
  readonly model: string;
  readonly revision: string;
  /** The resolved engine command: `vllm`, `sglang`, `simulated` or `custom`. */
  readonly preset: string;
  /** Sorted, without duplicates. */
  readonly gpuIndices: readonly number[];
}

/** A warm engine as the agent reports it in its heartbeat. */
export interface WarmEngine extends EngineIdentity {
  readonly state: EngineState;
  /** 0 until a port is picked. */
  readonly port: number;
  /** The engine's main process (its process group id); 0 until spawned. */
  readonly pid: number;
  /** Leases held now. */
  readonly leases: number;
}

/** The key of an identity in the manager's map. */
export function engineKey(identity: EngineIdentity): string {
  return JSON.stringify([identity.model, identity.revision, identity.preset, identity.gpuIndices]);
}

/** `vllm engine for org/m@main on GPUs 0,1`: how messages and logs name an engine. */
export function engineLabel(identity: EngineIdentity): string {
  const gpus = identity.gpuIndices.join(',');
  return `${identity.preset} engine for ${identity.model}@${identity.revision} on GPUs ${gpus}`;
}

/** The manager's record of one engine (mutable; only EngineManager touches it). */
export class ManagedEngine {
  state: EngineState = 'starting';
  port = 0;
  baseUrl = '';
  /** Set once ready. */
  client: InferenceClient | undefined;
  /** The spawned process, or undefined when it was stopped before it was spawned. */
  launch!: Promise<EngineProcess | undefined>;
  /** Settles once the engine answers /health (or rejects with EngineStartError). */
  ready!: Promise<void>;
  /** Set once a stop began; settles when the process is gone and the record forgotten. */
  stopped: Promise<void> | undefined;
  /** Why it is being stopped, for the messages of those who were waiting. */
  stopReason = '';
  pid = 0;
  /** Settles once the process has exited and its process-group record is removed. */
  unrecorded: Promise<void> = Promise.resolve();
  readonly leases = new Set<Lease>();
  /** Acquires waiting for `ready`: they hold the engine like leases. */
  waiters = 0;
  idleTimer: TimerHandle | undefined;

  readonly key: string;
  readonly label: string;

  constructor(readonly identity: EngineIdentity) {
    this.key = engineKey(identity);
    this.label = engineLabel(identity);
  }

  get idle(): boolean {
    return this.leases.size === 0 && this.waiters === 0;
  }

  overlaps(gpuIndices: readonly number[]): boolean {
    return gpuIndices.some((gpu) => this.identity.gpuIndices.includes(gpu));
  }

  snapshot(): WarmEngine {
    return {
      ...this.identity,
      state: this.state,
      port: this.port,
      pid: this.pid,
      leases: this.leases.size,
    };
  }
}
