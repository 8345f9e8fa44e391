import type { InferenceClient } from '@gantry/workloads';
import type { EngineDiedError } from './engine-errors';

/**
 * The right to use a warm engine for one task. The engine stays up at least until every lease
 * on it is released (unless it dies, or its GPUs are taken for another engine, or the agent
 * shuts down: then `died` resolves and `signal` aborts).
 */
export interface EngineLease {
  /** The engine's root URL, e.g. `http://127.0.0.1:41234`. */
  readonly baseUrl: string;
  /** An InferenceClient for the engine (OpenAIHttpClient). */
  readonly client: InferenceClient;
  /** The engine command it runs: `vllm`, `sglang`, `simulated` or `custom`. */
  readonly engine: string;
  /**
   * Resolves with the reason when the engine goes away while this lease is held (a crash,
   * with the last lines of its log; or a stop by the agent); never settles otherwise.
   */
  readonly died: Promise<EngineDiedError>;
  /** Aborted, with the same EngineDiedError as reason, when `died` resolves. */
  readonly signal: AbortSignal;
  /** Gives the engine back (it stays warm for a while). Safe to call twice. */
  release(): void;
}

/** The manager's side of a lease. */
export class Lease implements EngineLease {
  readonly died: Promise<EngineDiedError>;
  private readonly controller = new AbortController();
  private resolveDied!: (error: EngineDiedError) => void;
  private done = false;

  constructor(
    readonly baseUrl: string,
    readonly client: InferenceClient,
    readonly engine: string,
    private readonly onRelease: (lease: Lease) => void,
  ) {
    this.died = new Promise((resolve) => (this.resolveDied = resolve));
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  release(): void {
    if (this.done) return;
    this.done = true;
    this.onRelease(this);
  }

  /** Tells the holder the engine is gone. Nothing happens after a release. */
  die(error: EngineDiedError): void {
    if (this.done) return;
    this.done = true;
    this.resolveDied(error);
    this.controller.abort(error);
  }
}
