/**
 * The lines of a batch's output and error files, in OpenAI Batch's format (docs/job-kinds.md):
 * `{id, custom_id, response: {status_code, request_id, body}, error}`. An answer with a 2xx
 * status goes to the output file; any other status goes to the error file with its response
 * and `error.code` `engine_error`; a request never answered gets `batch_expired` or
 * `batch_cancelled` and no response.
 */
import type { InferenceAnswer } from '../ports';
import { engineErrorMessage, isSuccess } from '../common/engine-answer';
import type { BatchRequest } from './batch-request';

export type BatchErrorCode = 'engine_error' | 'batch_expired' | 'batch_cancelled';

/** One line of the output or error file. */
export interface BatchOutputLine {
  /** `req_<n>`, n the request's 1-based position in the request lines (the same in every attempt). */
  readonly id: string;
  readonly custom_id: string;
  readonly response: {
    readonly status_code: number;
    readonly request_id: string;
    readonly body: unknown;
  } | null;
  readonly error: { readonly code: BatchErrorCode; readonly message: string } | null;
}

/** The id of a request's lines. */
export function batchLineId(request: Pick<BatchRequest, 'index'>): string {
  return `req_${request.index + 1}`;
}

/** The line of an engine's answer, and which file it goes to. */
export function answerLine(
  request: BatchRequest,
  answer: InferenceAnswer,
): { readonly file: 'output' | 'error'; readonly line: BatchOutputLine } {
  const response = { status_code: answer.status, request_id: answer.requestId, body: answer.body };
  const ok = isSuccess(answer.status);
  return {
    file: ok ? 'output' : 'error',
    line: {
      id: batchLineId(request),
      custom_id: request.customId,
      response,
      error: ok ? null : { code: 'engine_error', message: engineErrorMessage(answer) },
    },
  };
}

const UNANSWERED: Record<Exclude<BatchErrorCode, 'engine_error'>, string> = {
  batch_expired: 'the completion window ran out before this request was answered',
  batch_cancelled: 'the batch was cancelled before this request was answered',
};

/** The error line of a request the batch ended without answering. */
export function unansweredLine(
  request: Pick<BatchRequest, 'index' | 'customId'>,
  code: 'batch_expired' | 'batch_cancelled',
): BatchOutputLine {
  return {
    id: batchLineId(request),
    custom_id: request.customId,
    response: null,
    error: { code, message: UNANSWERED[code] },
  };
}

/** The text of a line (no trailing newline). */
export function formatOutputLine(line: BatchOutputLine): string {
  return JSON.stringify(line);
}
