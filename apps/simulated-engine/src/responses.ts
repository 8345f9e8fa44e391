import { answerText, countTokens, truncateTokens } from './answers';
import type { CompletionRequest } from './requests';

/** The engine-wide inputs of every answer. */
export interface AnswerSettings {
  readonly accuracy: number;
  readonly engineSeed: number;
}

/** The fields shared by both endpoints' answers, before they are shaped. */
interface Choice {
  readonly index: number;
  readonly text: string;
  readonly finishReason: 'stop' | 'length';
}

function choices(request: CompletionRequest, settings: AnswerSettings): Choice[] {
  return Array.from({ length: request.n }, (_, index) => {
    const full = answerText({
      model: request.model,
      prompt: request.prompt,
      seed: request.seed + index,
      temperature: request.temperature,
      accuracy: settings.accuracy,
      engineSeed: settings.engineSeed,
    });
    const { text, truncated } = truncateTokens(full, request.maxTokens);
    return { index, text, finishReason: truncated ? 'length' : 'stop' };
  });
}

function usage(request: CompletionRequest, answers: readonly Choice[]) {
  const completion = answers.reduce((sum, c) => sum + countTokens(c.text), 0);
  return {
    prompt_tokens: request.promptTokens,
    completion_tokens: completion,
    total_tokens: request.promptTokens + completion,
  };
}

/** The body of a POST /v1/completions answer, in OpenAI's shape (`text_completion`). */
export function completionBody(
  id: string,
  createdSeconds: number,
  request: CompletionRequest,
  settings: AnswerSettings,
): object {
  const answers = choices(request, settings);
  return {
    id: `cmpl-${id}`,
    object: 'text_completion',
    created: createdSeconds,
    model: request.model,
    choices: answers.map((c) => ({
      index: c.index,
      text: c.text,
      logprobs: null,
      finish_reason: c.finishReason,
    })),
    usage: usage(request, answers),
  };
}

/** The body of a POST /v1/chat/completions answer, in OpenAI's shape (`chat.completion`). */
export function chatCompletionBody(
  id: string,
  createdSeconds: number,
  request: CompletionRequest,
  settings: AnswerSettings,
): object {
  const answers = choices(request, settings);
  return {
    id: `chatcmpl-${id}`,
    object: 'chat.completion',
    created: createdSeconds,
    model: request.model,
    choices: answers.map((c) => ({
      index: c.index,
      message: { role: 'assistant', content: c.text },
      logprobs: null,
      finish_reason: c.finishReason,
    })),
    usage: usage(request, answers),
  };
}

/** OpenAI's error body: `{"error": {message, type, param, code}}`. */
export function errorBody(
  message: string,
  type: string,
  param: string | null = null,
  code: string | null = null,
): object {
  return { error: { message, type, param, code } };
}

/** GET /v1/models: the one served model. */
export function modelsBody(model: string, createdSeconds: number): object {
  return {
    object: 'list',
    data: [{ id: model, object: 'model', created: createdSeconds, owned_by: 'gantry-simulated' }],
  };
}
