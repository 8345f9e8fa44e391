import { findArithmetic, formatRational, plus } from './arithmetic';
import { prngFor } from './prng';

/** What one generated answer depends on: nothing else (no clock, no call order). */
export interface AnswerInput {
  readonly model: string;
  /** The prompt text (a chat's messages rendered as `role: content` lines). */
  readonly prompt: string;
  /** The sampling seed of this one answer (a request's choice i uses seed + i). */
  readonly seed: number;
  readonly temperature: number;
  /** The probability that an arithmetic question is answered right. */
  readonly accuracy: number;
  /** The engine's own --seed: a different one is a different (equally deterministic) engine. */
  readonly engineSeed: number;
}

const REASONING: readonly ((expression: string, answer: string) => string)[] = [
  (e, a) => `Let's compute ${e} step by step. Working it through gives ${a}.`,
  (e, a) => `We need the value of ${e}. Doing the arithmetic carefully, the result is ${a}.`,
  (e, a) => `First, restate the problem: ${e}. Evaluating it gives ${a}.`,
  (e, a) => `The question asks for ${e}. Multiplying, adding and checking once more: ${a}.`,
];

const FILLER = (
  'the model considers each part of the request and writes a short reply that covers the ' +
  'main points with care while keeping the answer brief clear and useful for the reader who ' +
  'asked about this topic in some detail before'
).split(' ');

/** Offsets of a wrong answer: small, never zero. */
const WRONG_OFFSETS = [-3, -2, -1, 1, 2, 3];

/**
 * The engine's answer to one prompt, a pure function of `input`. With temperature 0 the seed is
 * ignored (greedy decoding gives one answer). An arithmetic question (the last expression in
 * the prompt) is answered right with probability `accuracy` (one draw per input), else off by
 * a small non-zero amount; the text reasons a little and ends with `The answer is \boxed{N}.`
 * Any other prompt gets deterministic filler text.
 */
export function answerText(input: AnswerInput): string {
  const seed = input.temperature === 0 ? null : input.seed;
  const next = prngFor(
    'answer',
    input.engineSeed,
    input.model,
    input.prompt,
    seed,
    input.temperature,
  );
  const question = findArithmetic(input.prompt);
  if (!question) return filler(next);
  const right = next() < input.accuracy;
  const value = right
    ? question.value
    : plus(question.value, WRONG_OFFSETS[Math.floor(next() * WRONG_OFFSETS.length)]!);
  const answer = formatRational(value);
  const reasoning = REASONING[Math.floor(next() * REASONING.length)]!;
  return `${reasoning(question.expression, answer)} The answer is \\boxed{${answer}}.`;
}

function filler(next: () => number): string {
  const count = 12 + Math.floor(next() * 28);
  const words: string[] = [];
  for (let i = 0; i < count; i++) {
    const word = FILLER[Math.floor(next() * FILLER.length)]!;
    const sentenceStart = i === 0 || words[i - 1]!.endsWith('.');
    const sentenceEnd = i === count - 1 || next() < 0.12;
    const cased = sentenceStart ? word[0]!.toUpperCase() + word.slice(1) : word;
    words.push(sentenceEnd ? `${cased}.` : cased);
  }
  return words.join(' ');
}

/** Tokens as the simulated engine counts them: whitespace-separated words. */
export function countTokens(text: string): number {
  const trimmed = text.trim();
  return trimmed === '' ? 0 : trimmed.split(/\s+/).length;
}

/**
 * The first `maxTokens` words of `text` (joined by single spaces), and whether it was cut.
 * Undefined `maxTokens` means no limit.
 */
export function truncateTokens(
  text: string,
  maxTokens: number | undefined,
): { readonly text: string; readonly truncated: boolean } {
  const words = text.trim() === '' ? [] : text.trim().split(/\s+/);
  if (maxTokens === undefined || words.length <= maxTokens) return { text, truncated: false };
  return { text: words.slice(0, maxTokens).join(' '), truncated: true };
}
