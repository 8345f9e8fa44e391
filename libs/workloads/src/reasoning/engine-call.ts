/**
 * One engine call of a reasoning step, and what its failures mean: an engine that cannot be
 * reached, or answers 5xx or 429, is UnavailableError (a later attempt may succeed); any other
 * error status is FailedPreconditionError (the same call fails the same way); a 2xx answer with
 * no completion text is InternalError. `where` names the step and call in every message.
 */
import {
  FailedPreconditionError,
  InternalError,
  UnavailableError,
  type InferenceEndpoint,
} from '@gantry/domain';
import {
  completionText,
  engineErrorMessage,
  isSuccess,
  usageTokens,
} from '../common/engine-answer';
import type { InferenceClient } from '../ports';

/** The value cached per engine call (JSON: it may cross processes). */
export interface CallValue {
  readonly text: string;
  readonly tokens: number;
}

/** Sends one call; resolves with its completion text and token usage. */
export async function callEngine(
  client: InferenceClient,
  call: { readonly endpoint: InferenceEndpoint; readonly body: Record<string, unknown> },
  where: string,
  signal: AbortSignal,
): Promise<CallValue> {
  let answer;
  try {
    answer = await client.call(call, signal);
  } catch (error) {
    if (signal.aborted) throw error;
    const why = error instanceof Error ? error.message : String(error);
    throw new UnavailableError(`${where}: the engine did not answer: ${why}`, { cause: error });
  }
  if (!isSuccess(answer.status)) {
    const message = `${where}: ${engineErrorMessage(answer)}`;
    throw answer.status >= 500 || answer.status === 429
      ? new UnavailableError(message)
      : new FailedPreconditionError(message);
  }
  const text = completionText(call.endpoint, answer.body);
  if (text === null)
    throw new InternalError(`${where}: the engine's answer has no completion text`);
  return { text, tokens: usageTokens(answer.body) };
}
