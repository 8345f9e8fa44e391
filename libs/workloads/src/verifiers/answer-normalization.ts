import { extractAnswer } from './answer-extraction';
import { replaceCommand } from './latex';

// Normalisation of final answers, so that answers that mean the same compare equal: the
// exact-answer verifier compares a candidate's answer with the reference, and the reasoning
// `vote` step groups candidates by their normalised answer.
//
// Numbers: thousands separators (1,234), a leading + or $, a trailing .0, exponents (1e3),
// fractions (3/4, \frac{3}{4}, \dfrac34) and trailing units (12 cm, 5 dollars, 30^\circ) are
// read as one value. A percent sign is a unit like any other: `50%` equals `50`, not `0.5`,
// because graders' reference answers (GSM8K, MATH) state a percentage as its number. Other
// answers are compared as text: LaTeX delimiters, \text{}, spacing commands (\, \! \;),
// \left/\right, whitespace, case and trailing punctuation dropped.

/** Relative tolerance of numeric comparison: 0.75 equals 3/4, 0.333 does not equal 1/3. */
export const ANSWER_RELATIVE_TOLERANCE = 1e-6;

const WRAPPERS = [
  'text',
  'textbf',
  'textit',
  'textrm',
  'mathrm',
  'mathbf',
  'mbox',
  'boxed',
  'fbox',
];
const SPACING = /\\[,!;:> ]|\\q?quad(?![a-zA-Z])|~/g;
const DEGREES = /\^\s*\{?\s*\\circ\s*\}?|\\circ|°|\\degree(?![a-zA-Z])/g;
const DIGITS = String.raw`(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)?(?:\.\d+)?(?:e[-+]?\d+)?`;
const PLAIN = new RegExp(String.raw`^[-+]?(?=\.?\d)${DIGITS}$`);
const FRACTION = new RegExp(String.raw`^([-+]?(?=\.?\d)${DIGITS})/((?=\.?\d)${DIGITS})$`);
// A unit after a number: words (12 cm, 5 square feet, 3 m/s, 9 cm^2) or a percent sign. Glued
// to the number it must be two letters or more (12cm), so that `5x` stays an expression.
const UNIT =
  /^(.*?\d)(?:\s+[a-z]+(?:(?:\s+|\/)[a-z]+)*|[a-z]{2,}(?:\/[a-z]+)?)(?:\^\{?[23]\}?|[²³])?$|^(.*?\d)\s*%$/;

/**
 * The canonical form of an answer, equal for answers that mean the same: for a number, its
 * value printed with 12 significant digits (`\frac{3}{4}`, `0.75` and `$0.750` all give
 * `0.75`; `1,234 cm` gives `1234`); otherwise the cleaned text, lower case, without
 * whitespace (`\text{Monday}.` gives `monday`).
 */
export function normalizeAnswer(answer: string): string {
  const text = cleanAnswer(answer);
  const value = numberValue(text);
  return value === null ? withoutSpaces(text) : formatNumber(value);
}

/**
 * The normalised final answer of a whole completion (`normalizeAnswer(extractAnswer(text))`),
 * or null when it states none: the key the reasoning `vote` step groups candidates by.
 */
export function answerKey(completion: string): string | null {
  const answer = extractAnswer(completion);
  return answer === null ? null : normalizeAnswer(answer);
}

/** The numeric value of an answer (after normalisation), or null when it is not a number. */
export function answerValue(answer: string): number | null {
  return numberValue(cleanAnswer(answer));
}

/**
 * Whether two answers mean the same: numbers within `ANSWER_RELATIVE_TOLERANCE` of each other,
 * anything else equal as normalised text.
 */
export function answersEqual(a: string, b: string): boolean {
  const [left, right] = [cleanAnswer(a), cleanAnswer(b)];
  const [x, y] = [numberValue(left), numberValue(right)];
  if (x === null || y === null) return withoutSpaces(left) === withoutSpaces(right);
  return Math.abs(x - y) <= ANSWER_RELATIVE_TOLERANCE * Math.max(Math.abs(x), Math.abs(y), 1e-9);
}

function cleanAnswer(answer: string): string {
  let text = peel(answer.replace(/\u2212/g, '-'));
  text = replaceCommand(text, WRAPPERS, (content) => ` ${content} `);
  text = replaceCommand(text, ['[dt]?frac'], (content) => `{${content}}/`); // \frac{a}{b} -> {a}/{b}
  text = text
    .replace(/\\[dt]?frac\s*(\d)\s*(\d)/g, '$1/$2') // \frac34
    .replace(/\{([^{}]*)\}\/\{([^{}]*)\}/g, '($1)/($2)')
    .replace(/\((-?[\d.]+)\)\/\((-?[\d.]+)\)/g, '$1/$2')
    .replace(/\\left(?![a-zA-Z])|\\right(?![a-zA-Z])/g, '')
    .replace(SPACING, ' ')
    .replace(DEGREES, ' ')
    .replace(/\\%/g, '%')
    .replace(/\\\$/g, '$')
    .toLowerCase();
  text = peel(text);
  text = text.replace(/^\$\s*(?=[-+]?\.?\d)/, '').replace(/^([-+]?)\$\s*(?=\.?\d)/, '$1'); // $5
  text = text.replace(/^[a-z]\s*=\s*(?=\S)/, ''); // x = 5
  return text.replace(/\s+/g, (space, offset: number) =>
    /\d/.test(text[offset - 1] ?? '') && /[a-z%]/.test(text[offset + space.length] ?? '')
      ? ' ' // kept between a number and its unit: read below, then dropped
      : '',
  );
}

/**
 * Removes surrounding whitespace, trailing punctuation, and `$...$`, `$$...$$`, `\(...\)` or
 * `\[...\]` around the whole answer, as often as they nest (`$42$.` gives `42`).
 */
function peel(answer: string): string {
  let text = answer.trim();
  for (;;) {
    text = text.replace(/[.,;:!?]+$/, '').trim();
    const inner =
      /^\$\$([\s\S]*)\$\$$/.exec(text)?.[1] ??
      /^\$([\s\S]*)\$$/.exec(text)?.[1] ??
      /^\\\(([\s\S]*)\\\)$/.exec(text)?.[1] ??
      /^\\\[([\s\S]*)\\\]$/.exec(text)?.[1];
    if (inner === undefined) return text;
    text = inner.trim();
  }
}

function numberValue(text: string): number | null {
  const unit = UNIT.exec(text);
  const bare = unit ? (unit[1] ?? unit[2]!) : text;
  const plain = bare.replace(/\s+/g, '');
  if (PLAIN.test(plain)) return toNumber(plain);
  const fraction = FRACTION.exec(plain);
  if (!fraction) return null;
  const denominator = toNumber(fraction[2]!);
  return denominator === 0 ? null : toNumber(fraction[1]!) / denominator;
}

function withoutSpaces(text: string): string {
  return text.replace(/\s+/g, '');
}

function toNumber(text: string): number {
  return Number(text.replace(/,/g, ''));
}

function formatNumber(value: number): string {
  const rounded = Number(value.toPrecision(12));
  return Object.is(rounded, -0) ? '0' : String(rounded);
}
