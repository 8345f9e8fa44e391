/** What a reasoning job reports (docs/job-kinds.md), and its JSON form for `Job.result`. */
import type { ReasoningJobResult, StepKind } from '@gantry/domain';
import type { StopReason } from './run-context';

/** One step's part of the run. */
export interface StepSummary {
  readonly id: string;
  readonly kind: StepKind;
  /** `completed`: it emitted all its items; `stopped`: the run ended before it did. */
  readonly status: 'completed' | 'stopped';
  readonly items: number;
  /** Engine calls it asked for (sample, refine): made + saved. */
  readonly calls: number;
  readonly callsMade: number;
  readonly callsSavedCache: number;
  readonly callsSavedInflight: number;
  readonly tokens: number;
  /** verify: items accepted so far. */
  readonly accepted?: number;
  /** vote and select: the step's answer (null when it gave none). */
  readonly answer?: string | null;
}

export interface ReasoningResult {
  /** The final answer (extracted from the answering item), null when the run gave none. */
  readonly answer: string | null;
  /** The whole text of the answering item, null when none. */
  readonly text: string | null;
  /** True when a verifier accepted the answering item. */
  readonly accepted: boolean;
  /** True when a verifier judged the answering item (accepted or not). */
  readonly judged: boolean;
  /** True when the run ended before its DAG finished (an accepted item, a spent budget). */
  readonly stoppedEarly: boolean;
  readonly stopReason: StopReason;
  /** One sentence on how it ended. */
  readonly message: string;
  readonly callsMade: number;
  readonly callsSavedCache: number;
  readonly callsSavedInflight: number;
  /** Tokens of every answer the run used, cached ones included (what the budget counts). */
  readonly tokens: number;
  /** In the spec's order. */
  readonly steps: readonly StepSummary[];
}

/** The snake_case JSON of a result, as `Job.result` carries it. */
export function reasoningResultJson(result: ReasoningResult): Record<string, unknown> {
  return {
    answer: result.answer,
    text: result.text,
    accepted: result.accepted,
    stopped_early: result.stoppedEarly,
    stop_reason: result.stopReason,
    message: result.message,
    calls_made: result.callsMade,
    calls_saved_cache: result.callsSavedCache,
    calls_saved_inflight: result.callsSavedInflight,
    tokens: result.tokens,
    steps: result.steps.map((s) => ({
      id: s.id,
      kind: s.kind,
      status: s.status,
      items: s.items,
      calls: s.calls,
      calls_made: s.callsMade,
      calls_saved_cache: s.callsSavedCache,
      calls_saved_inflight: s.callsSavedInflight,
      tokens: s.tokens,
      ...(s.accepted !== undefined ? { accepted: s.accepted } : {}),
      ...(s.answer !== undefined ? { answer: s.answer } : {}),
    })),
  };
}

/**
 * A result as the job keeps it (`JobResult` of kind `reasoning`, what the agent's result event
 * carries): `accepted` null when no verifier judged the answer; `stopReason` the code
 * (`accepted`, `max_calls`, `max_tokens`) when the run ended early, '' when its DAG finished; a
 * step `ran` when it finished or made or saved a call; vote and select steps with their answer.
 */
export function reasoningJobResult(result: ReasoningResult): ReasoningJobResult {
  return {
    kind: 'reasoning',
    answer: result.answer,
    accepted: result.judged ? result.accepted : null,
    stoppedEarly: result.stoppedEarly,
    callsMade: result.callsMade,
    callsSavedCache: result.callsSavedCache,
    callsSavedInflight: result.callsSavedInflight,
    tokens: result.tokens,
    steps: result.steps.map((s) => ({
      id: s.id,
      items: s.items,
      calls: s.calls,
      answer: s.answer ?? null,
      accepted: s.accepted ?? 0,
      ran: s.status === 'completed' || s.calls > 0 || s.items > 0,
    })),
    stopReason: result.stopReason === 'completed' ? '' : result.stopReason,
  };
}
