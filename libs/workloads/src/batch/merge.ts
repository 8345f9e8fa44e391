/**
 * Finalizing a batch (ADR 9): the shards' attempt lines become one output file and one error
 * file, each `custom_id` once. Rules: an answer (2xx) beats any error line for the same
 * custom_id, whatever their order (a later attempt that answered a request an earlier one
 * failed is the better result); among answers the first wins, and among errors the first wins
 * (two attempts that ran at once both answered). A request with no line at all gets an
 * `unansweredCode` error line (the window expired, or the batch was cancelled).
 */
import { isSuccess } from '../common/engine-answer';
import type { BatchRequest } from './batch-request';
import { unansweredLine, type BatchOutputLine } from './output-lines';
import type { RequestCounts } from './status';

/** The line kept for each custom_id, by the rules above. */
export function chooseLines(lines: Iterable<BatchOutputLine>): Map<string, BatchOutputLine> {
  const chosen = new Map<string, BatchOutputLine>();
  for (const line of lines) {
    const kept = chosen.get(line.custom_id);
    if (!kept || (!isAnswer(kept) && isAnswer(line))) chosen.set(line.custom_id, line);
  }
  return chosen;
}

/** An output-file line: an answer with a 2xx status. */
export function isAnswer(line: BatchOutputLine): boolean {
  return line.error === null && line.response !== null && isSuccess(line.response.status_code);
}

export interface MergedBatch {
  /** Answers, in request order. */
  readonly output: BatchOutputLine[];
  /** Failures, in request order. */
  readonly errors: BatchOutputLine[];
  /** `failed` includes the requests never answered. */
  readonly counts: RequestCounts;
}

/**
 * The merged output and error lines of a batch. `requests` are the batch's requests in order;
 * `lines` every attempt's lines (output and error files), earlier attempts first.
 */
export function mergeBatchResults(
  requests: readonly Pick<BatchRequest, 'index' | 'customId'>[],
  lines: Iterable<BatchOutputLine>,
  unansweredCode: 'batch_expired' | 'batch_cancelled',
): MergedBatch {
  const chosen = chooseLines(lines);
  const output: BatchOutputLine[] = [];
  const errors: BatchOutputLine[] = [];
  for (const request of requests) {
    const line = chosen.get(request.customId) ?? unansweredLine(request, unansweredCode);
    (isAnswer(line) ? output : errors).push(line);
  }
  return {
    output,
    errors,
    counts: { total: requests.length, completed: output.length, failed: errors.length },
  };
}
