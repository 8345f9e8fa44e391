import type * as pb from '@gantry/proto';
import type { JobResult } from '@gantry/domain';

const date = (ms: number | null): Date | undefined => (ms === null ? undefined : new Date(ms));

/** A job's result on the wire (Job.result); undefined for kinds without one. */
export function toProtoResult(result: JobResult | null): pb.JobResult | undefined {
  if (!result) return undefined;
  switch (result.kind) {
    case 'batch':
      return {
        kind: {
          $case: 'batch',
          batch: {
            status: result.status,
            requestCounts: { ...result.requestCounts },
            outputFileId: result.outputFileId ?? '',
            errorFileId: result.errorFileId ?? '',
            expiresAt: date(result.expiresAt),
            errors: [...result.errors],
          },
        },
      };
    case 'reasoning':
      return {
        kind: {
          $case: 'reasoning',
          reasoning: {
            answer: result.answer ?? '',
            accepted: result.accepted ?? undefined,
            stoppedEarly: result.stoppedEarly,
            callsMade: result.callsMade,
            callsSavedCache: result.callsSavedCache,
            callsSavedInflight: result.callsSavedInflight,
            tokens: result.tokens,
            steps: result.steps.map((s) => ({ ...s, answer: s.answer ?? '' })),
            stopReason: result.stopReason,
          },
        },
      };
    case 'rl_synthetic': {
      const { kind: _kind, datasetFileId, requestCounts, errors, ...figures } = result;
      return {
        kind: {
          $case: 'rlSynthetic',
          rlSynthetic: {
            ...figures,
            datasetFileId: datasetFileId ?? '',
            requestCounts: { ...requestCounts },
            errors: [...errors],
          },
        },
      };
    }
  }
}
