/**
 * One validated request of a batch, as the shards read it back from `requests.jsonl` (ADR 9):
 * the same line format as the input (`{custom_id, method, url, body}`), with `body.model` set.
 */
import { InternalError, type InferenceEndpoint } from '@gantry/domain';

/** A request line after validation. */
export interface BatchRequest {
  /** 0-based position in `requests.jsonl`; its output lines' id is `req_<index + 1>`. */
  readonly index: number;
  readonly customId: string;
  readonly url: InferenceEndpoint;
  /** The JSON body, `model` always set. */
  readonly body: Readonly<Record<string, unknown>>;
}

/** The `requests.jsonl` line of a request (no trailing newline). */
export function requestLine(request: BatchRequest): string {
  return JSON.stringify({
    custom_id: request.customId,
    method: 'POST',
    url: request.url,
    body: request.body,
  });
}

/**
 * The requests of `requests.jsonl` lines (written by `requestLine`, so trusted), the first at
 * position `firstIndex`. A line that is not one is a damaged file: InternalError naming it.
 */
export function readRequestLines(lines: readonly string[], firstIndex: number): BatchRequest[] {
  return lines.map((text, i) => {
    const index = firstIndex + i;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = undefined;
    }
    const line = value as { custom_id?: unknown; url?: unknown; body?: unknown } | undefined;
    if (
      !line ||
      typeof line.custom_id !== 'string' ||
      (line.url !== '/v1/chat/completions' && line.url !== '/v1/completions') ||
      line.body === null ||
      typeof line.body !== 'object'
    )
      throw new InternalError(`request line ${index + 1} is damaged: ${text.slice(0, 200)}`);
    return {
      index,
      customId: line.custom_id,
      url: line.url,
      body: line.body as Record<string, unknown>,
    };
  });
}
