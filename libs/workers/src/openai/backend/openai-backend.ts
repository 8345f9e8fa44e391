import { ValidationError } from '@gantry/domain';
import type { Sandbox, StepCache } from '@gantry/workloads';
import type { RunningTask, StartTaskRequest, WorkerBackend } from '../../backend';
import { systemTimers, type Timers } from '../../ports';
import type { EngineProgram } from './engine-program';
import type { EngineSource } from './engine-acquire';
import { EngineTask } from './engine-task';
import { ReasoningProgram } from './reasoning-program';
import type { ShardStore } from './shard-files';
import { ShardProgram } from './shard-program';

export interface OpenAIBackendOptions {
  /** The node's engines (EngineManager). */
  readonly engines: EngineSource;
  /** The cluster's FileStore (GANTRY_STORAGE_DIR): shards' requests and answers. */
  readonly files: ShardStore;
  /** The agent's shared step cache for reasoning jobs (see ReasoningProgramDeps). */
  readonly stepCache: StepCache;
  /** Runs code for a `unit-tests` verifier; absent where none is available. */
  readonly sandbox?: Sandbox;
  /** Grace before giving up on a program the time limit stopped. */
  readonly killGraceMs: number;
  /** Between two "still waiting for engine" log lines while an engine starts (default 15 s). */
  readonly startNoticeMs?: number;
  /**
   * After an engine stopped answering: how long to wait to learn it died, so the attempt's
   * message carries its log tail (default 5 s).
   */
  readonly deathWaitMs?: number;
  readonly timers?: Timers;
}

/**
 * Runs the inference workloads an agent gets, `shard` and `inference_reasoning`, as programs
 * on an engine it supervises (ADR 9): the workload's engine (or the agent's default) for its
 * model and weights revision on the task's GPUs, started or reused through the EngineManager.
 * Reported as backend `openai`. See EngineTask for the task's life and exits.
 */
export class OpenAIBackend implements WorkerBackend {
  readonly name = 'openai';
  private readonly timers: Timers;

  constructor(private readonly o: OpenAIBackendOptions) {
    this.timers = o.timers ?? systemTimers;
  }

  async start(request: StartTaskRequest): Promise<RunningTask> {
    return new EngineTask({
      program: this.program(request),
      engines: this.o.engines,
      gpuIndices: request.gpuIndices,
      timeLimitMs: request.timeLimitMs,
      killGraceMs: this.o.killGraceMs,
      startNoticeMs: this.o.startNoticeMs ?? 15_000,
      deathWaitMs: this.o.deathWaitMs ?? 5_000,
      sink: request.sink,
      timers: this.timers,
    });
  }

  private program(request: StartTaskRequest): EngineProgram {
    const { workload, task } = request;
    switch (workload.kind) {
      case 'shard':
        return new ShardProgram(workload, task.attempt, this.o.files);
      case 'inference_reasoning':
        return new ReasoningProgram(workload, task.jobId, {
          stepCache: this.o.stepCache,
          ...(this.o.sandbox ? { sandbox: this.o.sandbox } : {}),
        });
      default:
        throw ValidationError.field(
          'spec.workload',
          `the openai backend runs shard and inference_reasoning workloads, not ${workload.kind}`,
        );
    }
  }
}
