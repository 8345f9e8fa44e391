/**
 * The identity of one engine call of a reasoning step (ADR 9): identical calls (same model,
 * weights revision, endpoint, prompt or messages, sampling parameters and seed) run once, in
 * flight or from the result cache. The engine preset is not part of it, as the ADR says: the
 * same weights sampled with the same seed are taken to give the same answer.
 */
import { contentHash } from '../canonical';
import type { InferenceEndpoint, SamplingParams } from './fields';

/** One chat message. */
export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

/** What identifies an engine call: exactly one of `prompt` (completions) or `messages` (chat). */
export interface StepCall {
  readonly model: string;
  readonly revision: string;
  readonly endpoint: InferenceEndpoint;
  readonly prompt?: string;
  readonly messages?: readonly ChatMessage[];
  readonly sampling: SamplingParams;
}

/**
 * Bumped when the meaning of a cached value changes, so old entries stop matching. Part of
 * the hashed value, never of a request.
 */
const STEP_HASH_VERSION = 1;

/** sha256 (hex) of the canonical JSON of the call: the step cache's key. */
export function stepCallHash(call: StepCall): string {
  return contentHash({
    v: STEP_HASH_VERSION,
    model: call.model,
    revision: call.revision,
    endpoint: call.endpoint,
    ...(call.messages !== undefined
      ? { messages: call.messages.map((m) => ({ role: m.role, content: m.content })) }
      : { prompt: call.prompt ?? '' }),
    temperature: call.sampling.temperature,
    top_p: call.sampling.topP,
    max_tokens: call.sampling.maxTokens,
    seed: call.sampling.seed,
  });
}
