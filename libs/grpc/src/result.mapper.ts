/** A job's result (JobResult) between the domain and the wire, for the API and task events. */
import type * as pb from '@gantry/proto';
import type {
  BatchJobResult,
  JobResult,
  RequestCounts,
  RlSyntheticJobResult,
} from '@gantry/domain';

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
      const {
        kind: _kind,
        ending: _ending,
        datasetFileId,
        requestCounts,
        errors,
        ...figures
      } = result;
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

/** A job's result from the wire (a task's result event), without validation of its figures. */
export function fromProtoResult(result: pb.JobResult | undefined): JobResult | null {
  const kind = result?.kind;
  switch (kind?.$case) {
    case 'batch': {
      const b = kind.batch;
      return {
        kind: 'batch',
        status: b.status as BatchJobResult['status'],
        requestCounts: counts(b.requestCounts),
        outputFileId: b.outputFileId || null,
        errorFileId: b.errorFileId || null,
        expiresAt: b.expiresAt ? b.expiresAt.getTime() : null,
        errors: [...b.errors],
      };
    }
    case 'reasoning': {
      const r = kind.reasoning;
      return {
        kind: 'reasoning',
        answer: r.answer || null,
        accepted: r.accepted ?? null,
        stoppedEarly: r.stoppedEarly,
        callsMade: r.callsMade,
        callsSavedCache: r.callsSavedCache,
        callsSavedInflight: r.callsSavedInflight,
        tokens: r.tokens,
        steps: r.steps.map((s) => ({ ...s, answer: s.answer || null })),
        stopReason: r.stopReason,
      };
    }
    case 'rlSynthetic': {
      const { datasetFileId, requestCounts, errors, status, ...figures } = kind.rlSynthetic;
      return {
        kind: 'rl_synthetic',
        ...figures,
        status: status as RlSyntheticJobResult['status'],
        datasetFileId: datasetFileId || null,
        requestCounts: counts(requestCounts),
        errors: [...errors],
      };
    }
    default:
      return null;
  }
}

function counts(c: pb.RequestCounts | undefined): RequestCounts {
  return { total: c?.total ?? 0, completed: c?.completed ?? 0, failed: c?.failed ?? 0 };
}
