/**
 * Reading a shard attempt's own output and error files back (ADR 9: resume without
 * duplicates). An attempt appends one line per answer, so a crash can leave the last line torn;
 * it is ignored (that request is sent again). A bad line anywhere else means the file was
 * damaged some other way: InternalError naming it, never a silent skip.
 */
import { isSuccess } from '../common/engine-answer';
import { readJsonLines, type JsonLines } from '../common/json-lines';
import type { BatchOutputLine } from './output-lines';

function asOutputLine(value: unknown): BatchOutputLine | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const line = value as Partial<BatchOutputLine>;
  const response = line.response as { status_code?: unknown } | null | undefined;
  if (typeof line.id !== 'string' || typeof line.custom_id !== 'string') return undefined;
  if (response !== null && typeof response?.status_code !== 'number') return undefined;
  return line as BatchOutputLine;
}

/** The lines of one attempt file, and whether its last line was torn (and ignored). */
export type AttemptLines = JsonLines<BatchOutputLine>;

/**
 * The output lines of one attempt file, given its lines in order (from any line splitter;
 * blank lines are skipped). `source` names the file in errors.
 */
export function readAttemptLines(lines: Iterable<string>, source: string): AttemptLines {
  return readJsonLines(lines, source, asOutputLine);
}

/**
 * Whether a line settles its request, so a later attempt does not send it again: an answer
 * (2xx), or a client error (4xx: the same request gets the same answer). A server error (5xx)
 * or a line with no response is sent again.
 */
export function settlesRequest(line: BatchOutputLine): boolean {
  const status = line.response?.status_code;
  return status !== undefined && (isSuccess(status) || (status >= 400 && status < 500));
}

/** The custom_ids earlier attempts settled (see settlesRequest): the set a new attempt skips. */
export function settledCustomIds(lines: Iterable<BatchOutputLine>): Set<string> {
  const settled = new Set<string>();
  for (const line of lines) if (settlesRequest(line)) settled.add(line.custom_id);
  return settled;
}
