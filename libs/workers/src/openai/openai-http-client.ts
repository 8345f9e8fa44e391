import type { InferenceAnswer, InferenceCall, InferenceClient } from '@gantry/workloads';
import { systemTimers, type Timers } from '../ports';
import { EngineUnreachableError } from './engine-errors';

export interface OpenAIHttpClientOptions {
  /** The engine's root, e.g. `http://127.0.0.1:8000` (no trailing slash needed). */
  readonly baseUrl: string;
  /** The most one call may take, connection to last byte of the answer. */
  readonly timeoutMs: number;
  readonly timers?: Timers;
  /** Injected for tests of odd transports; the global fetch by default. */
  readonly fetch?: typeof fetch;
}

/** Why a fetch failed, from undici's `TypeError('fetch failed')` and its cause. */
function describeFailure(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return `${cause.message ?? 'connection failed'} (${cause.code})`;
  if (cause?.message) return cause.message;
  return error instanceof Error ? error.message : String(error);
}

/**
 * The InferenceClient of an OpenAI-compatible engine over HTTP: each call POSTs `body` as JSON
 * to `${baseUrl}${endpoint}` and resolves with the status, the parsed JSON body (the raw text
 * when it is not JSON) and the `x-request-id` header, whatever the status. It rejects with
 * EngineUnreachableError when the connection fails or the call outlives `timeoutMs`, and with
 * the signal's reason when the caller's `signal` aborts it.
 */
export class OpenAIHttpClient implements InferenceClient {
  private readonly baseUrl: string;
  private readonly timers: Timers;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: OpenAIHttpClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timers = options.timers ?? systemTimers;
    this.fetch = options.fetch ?? fetch;
  }

  async call(call: InferenceCall, signal?: AbortSignal): Promise<InferenceAnswer> {
    signal?.throwIfAborted();
    const url = `${this.baseUrl}${call.endpoint}`;
    const controller = new AbortController();
    let timedOut = false;
    const timer = this.timers.setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.options.timeoutMs);
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const response = await this.fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(call.body),
        signal: controller.signal,
      });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: the caller gets the text
      }
      return {
        status: response.status,
        body,
        requestId: response.headers.get('x-request-id') ?? '',
      };
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (timedOut)
        throw new EngineUnreachableError(url, `no answer within ${this.options.timeoutMs} ms`, {
          cause: error,
        });
      throw new EngineUnreachableError(url, describeFailure(error), { cause: error });
    } finally {
      this.timers.clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }
}
