/** What a reasoning job reports (docs/job-kinds.md), and its JSON form for `Job.result`. */
import type { StepKind } from '@gantry/domain';
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
}

export interface ReasoningResult {
  /** The final answer (extracted from the answering item), null when the run gave none. */
  readonly answer: string | null;
  /** The whole text of the answering item, null when none. */
  readonly text: string | null;
  /** True when a verifier accepted the answering item. */
  readonly accepted: boolean;
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
    })),
  };
}
