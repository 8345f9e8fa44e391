/**
 * Reading and writing the OpenAI bodies the job kinds exchange with an engine: the request body
 * of one sampled call, the text of an answer, its token usage, and its error message.
 */
import type { InferenceEndpoint, SamplingParams } from '@gantry/domain';
import type { InferenceAnswer } from '../ports';

/** True for a 2xx status: the engine answered the request. */
export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/**
 * The body of one sampled call: chat sends the prompt as one user message, completions sends
 * it as `prompt`. One choice per call (`n` is never sent): each sample has its own seed.
 */
export function samplingBody(
  endpoint: InferenceEndpoint,
  model: string,
  prompt: string,
  sampling: SamplingParams,
): Record<string, unknown> {
  const params = {
    temperature: sampling.temperature,
    top_p: sampling.topP,
    max_tokens: sampling.maxTokens,
    seed: sampling.seed,
  };
  return endpoint === '/v1/chat/completions'
    ? { model, messages: [{ role: 'user', content: prompt }], ...params }
    : { model, prompt, ...params };
}

function firstChoice(body: unknown): Record<string, unknown> | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const choices = (body as { choices?: unknown }).choices;
  const first: unknown = Array.isArray(choices) ? choices[0] : undefined;
  return first !== null && typeof first === 'object'
    ? (first as Record<string, unknown>)
    : undefined;
}

/**
 * The generated text of an answer body: `choices[0].message.content` (chat) or
 * `choices[0].text` (completions); null when the body has neither.
 */
export function completionText(endpoint: InferenceEndpoint, body: unknown): string | null {
  const choice = firstChoice(body);
  if (endpoint === '/v1/chat/completions') {
    const message = choice?.message as { content?: unknown } | undefined;
    return typeof message?.content === 'string' ? message.content : null;
  }
  return typeof choice?.text === 'string' ? choice.text : null;
}

/** The tokens an answer used: `usage.total_tokens`, or prompt plus completion tokens, or 0. */
export function usageTokens(body: unknown): number {
  if (body === null || typeof body !== 'object') return 0;
  const usage = (body as { usage?: Record<string, unknown> }).usage;
  if (!usage || typeof usage !== 'object') return 0;
  const count = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0);
  return count(usage.total_tokens) || count(usage.prompt_tokens) + count(usage.completion_tokens);
}

/** A short description of an error answer: the engine's own message when it gave one. */
export function engineErrorMessage(answer: InferenceAnswer): string {
  const body = answer.body;
  let detail = '';
  if (typeof body === 'string') detail = body;
  else if (body !== null && typeof body === 'object') {
    const error = (body as { error?: unknown; message?: unknown }).error;
    const message =
      error !== null && typeof error === 'object'
        ? (error as { message?: unknown }).message
        : error;
    detail =
      typeof message === 'string'
        ? message
        : typeof (body as { message?: unknown }).message === 'string'
          ? String((body as { message?: unknown }).message)
          : '';
  }
  const trimmed = detail.trim().slice(0, 500);
  return trimmed
    ? `the engine answered ${answer.status}: ${trimmed}`
    : `the engine answered ${answer.status}`;
}
