/**
 * Validation of an uploaded batch input file (docs/job-kinds.md): every line is
 * `{"custom_id", "method": "POST", "url": <endpoint>, "body": {...}}`; a bad line is reported
 * with its 1-based line number (`line 17: custom_id "a-3" appears twice (first on line 4)`).
 * Blank lines are skipped. The caller checks the file's size (`maxFileBytes`) before reading.
 */
import type { InferenceEndpoint } from '@gantry/domain';
import type { BatchRequest } from './batch-request';

export const BATCH_LINE_LIMITS = {
  maxRequests: 50_000,
  maxFileBytes: 200 * 1024 * 1024,
  maxCustomIdLength: 512,
  /** Errors kept for the report; `errorCount` counts them all. */
  maxReportedErrors: 100,
} as const;

/** One problem of one line; `line` is null for the file as a whole (it has no requests). */
export interface BatchLineError {
  readonly line: number | null;
  readonly message: string;
}

export type BatchLinesResult =
  | { readonly ok: true; readonly requests: BatchRequest[] }
  | { readonly ok: false; readonly errors: BatchLineError[]; readonly errorCount: number };

/** `line 17: message`, or the message alone for the whole file. */
export function formatBatchLineError(error: BatchLineError): string {
  return error.line === null ? error.message : `line ${error.line}: ${error.message}`;
}

const FIELDS = ['custom_id', 'method', 'url', 'body'];

/**
 * Validates lines one at a time (a file of 200 MB is streamed, not held): `push` each line in
 * order, then `finish`. Requests get `index` in order and `body.model` set to the job's model.
 */
export class BatchLineValidator {
  private readonly requests: BatchRequest[] = [];
  private readonly errors: BatchLineError[] = [];
  private readonly firstLineOf = new Map<string, number>();
  private errorCount = 0;
  private lineNumber = 0;
  private nonBlankLines = 0;

  constructor(
    private readonly job: { readonly endpoint: InferenceEndpoint; readonly model: string },
  ) {}

  push(text: string): void {
    const line = ++this.lineNumber;
    if (text.trim() === '' || this.nonBlankLines > BATCH_LINE_LIMITS.maxRequests) return;
    if (++this.nonBlankLines > BATCH_LINE_LIMITS.maxRequests) {
      this.fail(line, `the file has more than ${BATCH_LINE_LIMITS.maxRequests} requests`);
      return;
    }
    const before = this.errorCount;
    const request = this.check(line, text);
    if (request && this.errorCount === before) this.requests.push(request);
  }

  finish(): BatchLinesResult {
    if (this.requests.length === 0 && this.errorCount === 0)
      this.fail(null, 'the file has no requests');
    return this.errorCount === 0
      ? { ok: true, requests: this.requests }
      : { ok: false, errors: this.errors, errorCount: this.errorCount };
  }

  /** Records a problem; returns undefined so checks can `return this.fail(...)`. */
  private fail(line: number | null, message: string): undefined {
    this.errorCount++;
    if (this.errors.length < BATCH_LINE_LIMITS.maxReportedErrors)
      this.errors.push({ line, message });
    return undefined;
  }

  private check(line: number, text: string): BatchRequest | undefined {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return this.fail(line, 'is not valid JSON');
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      return this.fail(line, 'is not a JSON object');
    const o = value as Record<string, unknown>;
    const unknown = Object.keys(o).filter((k) => !FIELDS.includes(k));
    if (unknown.length > 0) this.fail(line, `unknown field(s) ${unknown.join(', ')}`);
    const customId = this.checkCustomId(line, o.custom_id);
    if (o.method !== 'POST')
      this.fail(
        line,
        `method must be "POST"${o.method === undefined ? '' : `, not ${JSON.stringify(o.method)}`}`,
      );
    const { endpoint, model } = this.job;
    if (o.url !== endpoint)
      this.fail(
        line,
        `url must be "${endpoint}" (the job's endpoint)${o.url === undefined ? '' : `, not ${JSON.stringify(o.url)}`}`,
      );
    const body = o.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body))
      return this.fail(line, 'body must be a JSON object');
    const b = body as Record<string, unknown>;
    if (b.model !== undefined && b.model !== model)
      this.fail(
        line,
        `body.model is ${JSON.stringify(b.model)}; it must be the job's model "${model}"`,
      );
    if (b.stream !== undefined && b.stream !== false)
      this.fail(line, 'body.stream must be false (batch answers are not streamed)');
    if (customId === undefined) return undefined;
    return { index: this.requests.length, customId, url: endpoint, body: { ...b, model } };
  }

  private checkCustomId(line: number, id: unknown): string | undefined {
    if (id === undefined || id === '') return this.fail(line, 'custom_id is required');
    if (typeof id !== 'string') return this.fail(line, 'custom_id must be a string');
    if (id.length > BATCH_LINE_LIMITS.maxCustomIdLength)
      return this.fail(
        line,
        `custom_id is ${id.length} characters; at most ${BATCH_LINE_LIMITS.maxCustomIdLength} are allowed`,
      );
    const first = this.firstLineOf.get(id);
    if (first !== undefined)
      return this.fail(
        line,
        `custom_id ${JSON.stringify(id)} appears twice (first on line ${first})`,
      );
    this.firstLineOf.set(id, line);
    return id;
  }
}

/** Validates a whole file's lines; see BatchLineValidator. */
export function parseBatchLines(
  lines: Iterable<string>,
  job: { readonly endpoint: InferenceEndpoint; readonly model: string },
): BatchLinesResult {
  const validator = new BatchLineValidator(job);
  for (const line of lines) validator.push(line);
  return validator.finish();
}
