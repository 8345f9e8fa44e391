/**
 * The shared state of one reasoning run: its engine calls (through the step cache and the
 * concurrency limit), the whole-job budget, the counters the result reports, and how the run
 * ends early (an accepted item, a spent budget) or fails (the first real error aborts the rest).
 */
import {
  InternalError,
  stepCallHash,
  type InferenceEndpoint,
  type InferenceReasoningWorkload,
  type RefineStep,
  type SampleStep,
} from '@gantry/domain';
import { abortable } from '../common/abort';
import { samplingBody } from '../common/engine-answer';
import type { InferenceClient, StepCache, StepSource } from '../ports';
import { callEngine, type CallValue } from './engine-call';
import type { StepItem } from './item-stream';
import { Limiter } from './limiter';

/** Why a run ended: its DAG finished, a `stop_when_accepted` verify accepted, or a budget ran out. */
export type StopReason = 'completed' | 'accepted' | 'max_calls' | 'max_tokens';

/** Thrown through the steps to unwind them when the run stops early; never escapes the run. */
export class RunStopped extends Error {}

/** What one call step used. */
export interface CallCounters {
  /** Engine calls that answered (counted as they answer, so a stop right after misses none). */
  callsMade: number;
  callsSavedCache: number;
  callsSavedInflight: number;
  tokens: number;
}

const SAVED_COUNTER: Record<
  Exclude<StepSource, 'computed'>,
  'callsSavedCache' | 'callsSavedInflight'
> = {
  cache: 'callsSavedCache',
  inflight: 'callsSavedInflight',
};

export class RunContext {
  private readonly controller = new AbortController();
  private readonly limiter: Limiter;
  readonly counters = new Map<string, CallCounters>();
  stopReason: StopReason | null = null;
  stopMessage = '';
  accepted: { readonly stepId: string; readonly item: StepItem } | null = null;
  failure: Error | null = null;
  private requested = 0;
  private finishedCalls = 0;
  tokens = 0;

  constructor(
    private readonly spec: InferenceReasoningWorkload,
    private readonly deps: {
      readonly client: InferenceClient;
      readonly cache: StepCache;
      readonly onProgress?: (done: number, total: number) => void;
    },
    private readonly plannedCalls: number,
  ) {
    this.limiter = new Limiter(spec.maxConcurrency);
  }

  /** Aborts when the run stops or fails; every wait of the run listens to it. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Ends the run as the outer signal says (its reason becomes every wait's error). */
  abort(reason: unknown): void {
    this.controller.abort(reason);
  }

  /** Stops the run early (the first stop wins) and unwinds the caller. */
  stop(reason: Exclude<StopReason, 'completed'>, message: string): never {
    if (this.stopReason === null && this.failure === null && !this.signal.aborted) {
      this.stopReason = reason;
      this.stopMessage = message;
      this.controller.abort(new RunStopped(message));
    }
    throw new RunStopped(message);
  }

  /** A `stop_when_accepted` verify accepted `item`: it is the answer. */
  accept(stepId: string, item: StepItem): void {
    if (this.stopReason !== null || this.signal.aborted) return;
    this.accepted = { stepId, item };
    this.stop('accepted', `step "${stepId}" accepted item ${item.index}`);
  }

  /** The first real error fails the run; errors from unwinding after a stop are ignored. */
  fail(error: unknown): void {
    if (this.stopReason !== null || this.failure !== null || this.signal.aborted) return;
    this.failure = error instanceof Error ? error : new Error(String(error));
    this.controller.abort(this.failure);
  }

  /**
   * The text of call `i` of a sample or refine step with this prompt (seed `sampling.seed + i`),
   * from the cache, an identical call in flight, or the engine. Counts it against the budget.
   */
  async call(
    step: SampleStep | RefineStep,
    prompt: string,
    i: number,
    where: string,
  ): Promise<string> {
    this.reserve();
    const endpoint: InferenceEndpoint = step.chat ? '/v1/chat/completions' : '/v1/completions';
    const sampling = { ...step.sampling, seed: step.sampling.seed + i };
    const { model, revision } = this.spec;
    const hash = stepCallHash(
      step.chat
        ? { model, revision, endpoint, messages: [{ role: 'user', content: prompt }], sampling }
        : { model, revision, endpoint, prompt, sampling },
    );
    const body = samplingBody(endpoint, model, prompt, sampling);
    const compute = () =>
      this.limiter.run(() => this.compute(step.id, { endpoint, body }, where), this.signal);
    const { value, source } = await abortable(
      this.deps.cache.getOrCompute<CallValue>(hash, compute),
      this.signal,
    );
    if (typeof value?.text !== 'string')
      throw new InternalError(`${where}: the step cache returned a malformed value`);
    // a computed answer was counted as it came (before its slot went to the next call)
    if (source !== 'computed') {
      this.countersOf(step.id)[SAVED_COUNTER[source]]++;
      this.addTokens(step.id, typeof value.tokens === 'number' ? value.tokens : 0);
    }
    this.deps.onProgress?.(++this.finishedCalls, Math.max(this.plannedCalls, this.finishedCalls));
    return value.text;
  }

  countersOf(stepId: string): CallCounters {
    let counters = this.counters.get(stepId);
    if (!counters) {
      counters = { callsMade: 0, callsSavedCache: 0, callsSavedInflight: 0, tokens: 0 };
      this.counters.set(stepId, counters);
    }
    return counters;
  }

  /** Takes one call from the budget, or stops the run when it is spent. */
  private reserve(): void {
    const { maxCalls } = this.spec.budget;
    if (this.requested >= maxCalls)
      this.stop('max_calls', `the budget of ${maxCalls} calls ran out (budget.max_calls)`);
    this.checkTokens();
    this.requested++;
  }

  /**
   * Stops the run once its answers have used the token budget. Checked when a call is asked for
   * and again when it is about to go to the engine (calls wait for a slot while others answer).
   */
  private checkTokens(): void {
    const { maxTokens } = this.spec.budget;
    if (maxTokens !== null && this.tokens >= maxTokens)
      this.stop(
        'max_tokens',
        `the budget of ${maxTokens} tokens ran out after ${this.tokens} (budget.max_tokens)`,
      );
  }

  private addTokens(stepId: string, tokens: number): void {
    this.countersOf(stepId).tokens += tokens;
    this.tokens += tokens;
  }

  private answered(stepId: string, value: CallValue): void {
    this.countersOf(stepId).callsMade++;
    this.addTokens(stepId, value.tokens);
  }

  private async compute(
    stepId: string,
    call: { readonly endpoint: InferenceEndpoint; readonly body: Record<string, unknown> },
    where: string,
  ): Promise<CallValue> {
    this.checkTokens();
    const value = await callEngine(this.deps.client, call, where, this.signal);
    this.answered(stepId, value);
    return value;
  }
}
