import { readBraceGroup } from './latex';

// Final-answer extraction for the exact-answer verifier and the reasoning `vote` step: where in
// a completion the model states its answer. Most specific first: a box, then a stated final
// answer, then the last number as a last resort.

const BOX = /\\(?:boxed|fbox)(?![a-zA-Z])/g;
// "final answer is X", "the answer is X", "Answer: X", GSM8K's "#### X" (case-insensitive).
const STATED = /(?:final\s+answer|the\s+answer)\s*(?:is\s*:?|:|=)|\banswer\s*:|####/gi;
const NUMBER =
  /(?:(?<![\w)\]}])[-+\u2212])?(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?(?:\/\d+)?/g;

/**
 * The final answer a completion states, trimmed, or null when it states none: the content of
 * the last complete `\boxed{...}` or `\fbox{...}` (nested braces allowed; `\boxed 5` too); else
 * the first line after the last "final answer is", "the answer is", "answer:" or GSM8K's "####"
 * (up to the end of its sentence, Markdown emphasis dropped); else the last number in
 * the text (thousands separators, decimals, exponents and `a/b` fractions kept whole).
 */
export function extractAnswer(text: string): string | null {
  return lastBoxed(text) ?? lastStated(text) ?? lastNumber(text);
}

function lastBoxed(text: string): string | null {
  let found: string | null = null;
  for (const match of text.matchAll(BOX)) {
    const after = match.index + match[0].length;
    const brace = /^\s*\{/.exec(text.slice(after));
    if (brace) {
      const group = readBraceGroup(text, after + brace[0].length - 1);
      if (group && group.content.trim() !== '') found = group.content.trim();
      continue;
    }
    const bare = /^ +([^\s$]+)/.exec(text.slice(after)); // `\boxed 5`
    if (bare) found = bare[1]!;
  }
  return found;
}

function lastStated(text: string): string | null {
  const matches = [...text.matchAll(STATED)];
  for (let i = matches.length - 1; i >= 0; i--) {
    const match = matches[i]!;
    // The answer may start on a later line ("The final answer is:\n\n$$42$$").
    const rest = text.slice(match.index + match[0].length).replace(/^[\s*_]+/, '');
    const answer = endOfSentence(rest.split('\n')[0]!)
      .replace(/[\s*_]+$/, '')
      .trim();
    if (answer !== '') return answer;
  }
  return null;
}

/** Cuts at the first full stop that ends a sentence (followed by a space), not a decimal's. */
function endOfSentence(text: string): string {
  const stop = /[.!?;](?=\s)/.exec(text);
  return stop ? text.slice(0, stop.index) : text;
}

function lastNumber(text: string): string | null {
  const matches = text.match(NUMBER);
  return matches?.at(-1)?.replace('\u2212', '-') ?? null;
}
