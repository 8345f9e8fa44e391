import { ValidationError, type SimulatedWorkload } from '@gantry/domain';
import type { RunningTask, StartTaskRequest, WorkerBackend } from '../backend';
import { systemTimers, type Timers } from '../ports';
import { simulatedDurationMs } from './model';
import { SimulatedTask } from './simulated-task';

export interface SimulatedBackendOptions {
  /** The catalog model of each GPU index of this node (null when unknown). */
  readonly gpuModels: ReadonlyMap<number, string | null>;
  /** GANTRY_SIMULATION_SPEEDUP: divides every simulated duration. */
  readonly speedup: number;
  readonly timers?: Timers;
}

/**
 * Runs SimulatedWorkload, and nothing else: no process and no GPU, just the time the cost
 * model gives (model.ts), ten progress steps and deterministic log lines from the seed,
 * checkpoints at 25, 50 and 75 %, then the workload's exit code. Everything it writes says it
 * is a simulation.
 */
export class SimulatedBackend implements WorkerBackend {
  readonly name = 'simulated';

  constructor(private readonly options: SimulatedBackendOptions) {}

  async start(request: StartTaskRequest): Promise<RunningTask> {
    if (request.workload.kind !== 'simulated')
      throw ValidationError.field(
        'spec.workload',
        'the simulated backend runs only simulated workloads',
      );
    const workload: SimulatedWorkload = request.workload;
    const models = request.gpuIndices.map((i) => this.options.gpuModels.get(i) ?? null);
    const durationMs = simulatedDurationMs(workload.gpuSeconds, models, this.options.speedup);
    return new SimulatedTask({
      workload,
      durationMs,
      gpuModels: models,
      speedup: this.options.speedup,
      timeLimitMs: request.timeLimitMs,
      sink: request.sink,
      timers: this.options.timers ?? systemTimers,
    });
  }
}
