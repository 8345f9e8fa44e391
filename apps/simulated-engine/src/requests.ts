import { countTokens } from './answers';

/**
 * The completion requests the simulated engine accepts, checked the way OpenAI's API checks
 * them: a problem is a RequestError naming the field (`param`), answered 400 (404 for an
 * unknown model) with an OpenAI error body.
 */

/** A request the engine will not answer: its HTTP status and OpenAI error fields. */
export class RequestError extends Error {
  override readonly name = 'RequestError';

  constructor(
    readonly status: number,
    message: string,
    readonly param: string | null,
    readonly code: string | null = null,
  ) {
    super(message);
  }
}

/** A checked completion or chat-completion request, reduced to what shapes the answer. */
export interface CompletionRequest {
  readonly model: string;
  /** The prompt text; a chat's messages as `role: content` lines. */
  readonly prompt: string;
  /** Words in the prompt (a chat's: in its messages' contents). */
  readonly promptTokens: number;
  readonly n: number;
  /** undefined: no limit. */
  readonly maxTokens: number | undefined;
  readonly seed: number;
  readonly temperature: number;
}

const ROLES = ['system', 'developer', 'user', 'assistant', 'tool'];
const MAX_N = 128;

function invalid(param: string, message: string): RequestError {
  return new RequestError(400, `${param}: ${message}`, param);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalInteger(
  body: Record<string, unknown>,
  param: string,
  min: number,
  max: number,
): number | undefined {
  const value = body[param];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw invalid(param, `must be an integer from ${min} to ${max}`);
  return value;
}

/** The fields both endpoints share: model, n, max_tokens, seed, temperature, stream. */
function common(
  body: Record<string, unknown>,
  served: string,
  maxTokensParams: readonly string[],
): Omit<CompletionRequest, 'prompt' | 'promptTokens'> {
  const model = body.model ?? served;
  if (typeof model !== 'string') throw invalid('model', 'must be a string');
  if (model !== served)
    throw new RequestError(
      404,
      `The model \`${model}\` does not exist (this engine serves \`${served}\`).`,
      'model',
      'model_not_found',
    );
  if (body.stream === true)
    throw invalid('stream', 'streaming is not supported by the simulated engine');
  const temperature = body.temperature ?? 1;
  if (typeof temperature !== 'number' || !(temperature >= 0 && temperature <= 2))
    throw invalid('temperature', 'must be a number from 0 to 2');
  let maxTokens: number | undefined;
  for (const param of maxTokensParams)
    maxTokens ??= optionalInteger(body, param, 1, Number.MAX_SAFE_INTEGER);
  return {
    model,
    n: optionalInteger(body, 'n', 1, MAX_N) ?? 1,
    maxTokens,
    seed: optionalInteger(body, 'seed', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER) ?? 0,
    temperature,
  };
}

/** Checks a POST /v1/completions body: `prompt` a string or an array of one string. */
export function parseCompletionRequest(body: unknown, served: string): CompletionRequest {
  if (!isObject(body)) throw invalid('body', 'must be a JSON object');
  const fields = common(body, served, ['max_tokens']);
  let prompt = body.prompt;
  if (prompt === undefined) throw invalid('prompt', 'is required');
  if (Array.isArray(prompt)) {
    if (prompt.length !== 1 || typeof prompt[0] !== 'string')
      throw invalid('prompt', 'must be a string or an array of one string');
    prompt = prompt[0];
  }
  if (typeof prompt !== 'string')
    throw invalid('prompt', 'must be a string or an array of one string');
  return { ...fields, prompt, promptTokens: countTokens(prompt) };
}

/** The text of a message's content: a string, or text parts (`{type: "text", text}`). */
function contentText(content: unknown, param: string): string {
  if (typeof content === 'string') return content;
  if (content === null || content === undefined) return '';
  if (!Array.isArray(content)) throw invalid(param, 'must be a string or an array of parts');
  return content
    .map((part, i) => {
      if (!isObject(part) || part.type !== 'text' || typeof part.text !== 'string')
        throw invalid(`${param}[${i}]`, 'must be a text part ({"type": "text", "text": ...})');
      return part.text;
    })
    .join('\n');
}

/** Checks a POST /v1/chat/completions body: `messages` a non-empty array of role and content. */
export function parseChatRequest(body: unknown, served: string): CompletionRequest {
  if (!isObject(body)) throw invalid('body', 'must be a JSON object');
  const fields = common(body, served, ['max_completion_tokens', 'max_tokens']);
  const messages = body.messages;
  if (messages === undefined) throw invalid('messages', 'is required');
  if (!Array.isArray(messages) || messages.length === 0)
    throw invalid('messages', 'must be a non-empty array');
  let promptTokens = 0;
  const lines = messages.map((message, i) => {
    const param = `messages[${i}]`;
    if (!isObject(message)) throw invalid(param, 'must be an object');
    if (typeof message.role !== 'string' || !ROLES.includes(message.role))
      throw invalid(`${param}.role`, `must be one of ${ROLES.join(', ')}`);
    if (message.role !== 'assistant' && message.content === undefined)
      throw invalid(`${param}.content`, 'is required');
    const text = contentText(message.content, `${param}.content`);
    promptTokens += countTokens(text);
    return `${message.role}: ${text}`;
  });
  return { ...fields, prompt: lines.join('\n'), promptTokens };
}
