/**
 * What a job of an inference kind produced (docs/job-kinds.md), as the store keeps it and the API
 * shows it (`Job.result`). Batch and RL parents update theirs as they advance; a reasoning job's
 * comes from its task's result event.
 */
export type JobResult = BatchJobResult | ReasoningJobResult | RlSyntheticJobResult;

export interface RequestCounts {
  readonly total: number;
  readonly completed: number;
  readonly failed: number;
}

/** OpenAI Batch's statuses. */
export type BatchStatus =
  'validating' | 'in_progress' | 'finalizing' | 'completed' | 'expired' | 'cancelled' | 'failed';

export interface BatchJobResult {
  readonly kind: 'batch';
  readonly status: BatchStatus;
  readonly requestCounts: RequestCounts;
  readonly outputFileId: string | null;
  readonly errorFileId: string | null;
  /** When the completion window ends (epoch ms); null until the batch starts. */
  readonly expiresAt: number | null;
  /** Validation errors, one per bad line (at most 100). */
  readonly errors: readonly string[];
  /** While finalizing: how the job will end (kept by the control plane, not on the wire). */
  readonly ending?: ParentEnding;
}

/** How a parent being finalized will end, decided before its files are written. */
export interface ParentEnding {
  readonly status: 'completed' | 'expired' | 'cancelled' | 'failed';
  readonly reason: string;
  readonly message: string;
}

export interface ReasoningStepSummary {
  readonly id: string;
  readonly items: number;
  readonly calls: number;
  readonly answer: string | null;
  readonly accepted: number;
  readonly ran: boolean;
}

export interface ReasoningJobResult {
  readonly kind: 'reasoning';
  readonly answer: string | null;
  readonly accepted: boolean | null;
  readonly stoppedEarly: boolean;
  readonly callsMade: number;
  readonly callsSavedCache: number;
  readonly callsSavedInflight: number;
  readonly tokens: number;
  readonly steps: readonly ReasoningStepSummary[];
  /** Why the DAG stopped before its end; '' when it did not. */
  readonly stopReason: string;
}

export type RlSyntheticStatus =
  'validating' | 'rolling_out' | 'verifying' | 'finalizing' | 'completed' | 'cancelled' | 'failed';

export interface RlSyntheticJobResult {
  readonly kind: 'rl_synthetic';
  readonly status: RlSyntheticStatus;
  readonly problems: number;
  readonly samples: number;
  readonly accepted: number;
  readonly acceptanceRate: number;
  readonly passAt1: number;
  readonly passAtK: number;
  readonly k: number;
  readonly groupsAllPassed: number;
  readonly groupsNonePassed: number;
  readonly kept: number;
  readonly datasetFileId: string | null;
  readonly requestCounts: RequestCounts;
  readonly errors: readonly string[];
  /** While finalizing: how the job will end (kept by the control plane, not on the wire). */
  readonly ending?: ParentEnding;
}
