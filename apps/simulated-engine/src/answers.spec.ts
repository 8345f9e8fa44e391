import { answerText, countTokens, truncateTokens, type AnswerInput } from './answers';
import { findArithmetic } from './arithmetic';

const base: AnswerInput = {
  model: 'sim-7b',
  prompt: 'What is 17 * 23?',
  seed: 0,
  temperature: 1,
  accuracy: 0.7,
  engineSeed: 0,
};

function boxed(text: string): string | undefined {
  return /\\boxed\{([^}]*)\}\.$/.exec(text)?.[1];
}

describe('answerText', () => {
  it('is a function of its inputs only, and each input matters', () => {
    expect(answerText(base)).toBe(answerText({ ...base }));
    const seeds = Array.from({ length: 20 }, (_, seed) => seed);
    const variants: Partial<AnswerInput>[] = [
      { model: 'other' },
      { engineSeed: 5 },
      { temperature: 0.5 },
      { prompt: 'What is 17 * 23 ?' },
    ];
    for (const variant of variants) {
      const differs = seeds.some(
        (seed) => answerText({ ...base, seed }) !== answerText({ ...base, ...variant, seed }),
      );
      expect({ variant, differs }).toEqual({ variant, differs: true });
    }
  });

  it('with temperature 0 does not depend on the seed', () => {
    const greedy = { ...base, temperature: 0 };
    const answers = new Set(
      Array.from({ length: 30 }, (_, seed) => answerText({ ...greedy, seed })),
    );
    expect(answers.size).toBe(1);
    // ... whereas sampling gives different answers for different seeds.
    const sampled = new Set(Array.from({ length: 30 }, (_, seed) => answerText({ ...base, seed })));
    expect(sampled.size).toBeGreaterThan(1);
  });

  it('answers arithmetic right with probability `accuracy`, else off by a small non-zero amount', () => {
    const seeds = Array.from({ length: 2000 }, (_, seed) => seed);
    const answers = seeds.map((seed) => boxed(answerText({ ...base, seed })));
    const right = answers.filter((a) => a === '391').length;
    expect(right / seeds.length).toBeGreaterThan(0.65);
    expect(right / seeds.length).toBeLessThan(0.75);
    for (const answer of answers) {
      const offset = Number(answer) - 391;
      expect(Math.abs(offset)).toBeLessThanOrEqual(3);
    }
    expect(seeds.every((seed) => boxed(answerText({ ...base, seed, accuracy: 1 })) === '391')).toBe(
      true,
    );
    expect(seeds.some((seed) => boxed(answerText({ ...base, seed, accuracy: 0 })) === '391')).toBe(
      false,
    );
  });

  it('reasons a little about the question it found, and ends with the boxed answer', () => {
    const text = answerText({ ...base, accuracy: 1 });
    expect(text).toMatch(/17 \* 23/);
    expect(text).toMatch(/ The answer is \\boxed\{391\}\.$/);
    // A refine prompt that quotes the draft still asks the same question.
    const refine = `Question: What is 17 * 23?\nDraft: ${text}\nCheck the draft and answer again.`;
    expect(findArithmetic(refine)?.expression).toBe('17 * 23');
  });

  it('gives filler text to any other prompt', () => {
    const text = answerText({ ...base, prompt: 'Tell me about GPU schedulers.' });
    expect(text).not.toMatch(/boxed/);
    expect(countTokens(text)).toBeGreaterThanOrEqual(12);
    expect(text).toMatch(/^[A-Z].*\.$/);
  });
});

describe('tokens', () => {
  it('counts whitespace-separated words', () => {
    expect(countTokens('')).toBe(0);
    expect(countTokens('  one two\nthree\t four ')).toBe(4);
  });

  it('truncates to max tokens and says so', () => {
    expect(truncateTokens('a b c d', 2)).toEqual({ text: 'a b', truncated: true });
    expect(truncateTokens('a b c d', 4)).toEqual({ text: 'a b c d', truncated: false });
    expect(truncateTokens('a b', undefined)).toEqual({ text: 'a b', truncated: false });
  });
});
