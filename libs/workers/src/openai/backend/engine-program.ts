import type { JobResult } from '@gantry/domain';
import type { InferenceClient } from '@gantry/workloads';
import type { OutputStream } from '../../backend';

/** What a program runs on: the engine's model, weights revision and engine command. */
export interface ProgramEngine {
  readonly model: string;
  readonly revision: string;
  /** The workload's `engine` field; '' for the agent's default. */
  readonly preset: string;
}

/** What a program may do while it runs: call the engine, and tell the task's events. */
export interface ProgramContext {
  /** The leased engine. */
  readonly client: InferenceClient;
  /**
   * Aborts when the task is stopped (its reason a TaskStoppedError) or the engine goes away
   * (an EngineDiedError): the program must end promptly, rejecting with the reason.
   */
  readonly signal: AbortSignal;
  log(line: string, stream?: OutputStream): void;
  progress(fraction: number, message: string): void;
  /** The task's result event; at most once, before the program resolves. */
  result(result: JobResult): void;
}

/**
 * One workload run as a program against a leased engine (the `openai` backend's equivalent of
 * a process): `shard` and `inference_reasoning`.
 */
export interface EngineProgram {
  /** How messages name it: `shard 2 of 4 (job_...)`, `reasoning job_...`. */
  readonly label: string;
  readonly engine: ProgramEngine;
  /**
   * Runs to the end; resolves with the message of a clean exit (code 0), rejects with what
   * ended it (the signal's reason when the signal aborted).
   */
  run(context: ProgramContext): Promise<string>;
}

/**
 * Passes on progress only when it moves by a whole percent (and always the first and the
 * last), so a shard of 50,000 requests sends about a hundred events, not 50,000.
 */
export class ProgressThrottle {
  private lastPercent = -1;

  constructor(private readonly emit: (fraction: number, message: string) => void) {}

  report(done: number, total: number, message: string): void {
    const fraction = total > 0 ? Math.min(1, done / total) : 1;
    const percent = Math.floor(fraction * 100);
    if (percent === this.lastPercent && done < total) return;
    this.lastPercent = percent;
    this.emit(fraction, message);
  }
}
