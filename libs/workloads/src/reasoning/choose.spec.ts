import { boxedAnswer } from '../testing/fake-verifier';
import { answerOf, bestScored, majorityAnswer } from './choose';
import type { StepItem } from './item-stream';

const item = (index: number, text: string, score?: number): StepItem => ({
  index,
  text,
  ...(score === undefined
    ? {}
    : { verdict: { accepted: score === 1, score, extracted: null, detail: '' } }),
});

describe('choosing an answer', () => {
  it('votes for the most frequent final answer, ties to the earliest', () => {
    const items = [
      item(3, '\\boxed{2}'),
      item(0, '\\boxed{1}'),
      item(1, 'none'),
      item(2, '\\boxed{2}'),
      item(4, '\\boxed{1}'),
    ];
    expect(majorityAnswer(items, boxedAnswer)).toEqual({ answer: '1', item: items[1], votes: 2 });
    expect(majorityAnswer([...items, item(5, '\\boxed{2}')], boxedAnswer)?.answer).toBe('2');
    expect(majorityAnswer([item(0, 'none')], boxedAnswer)).toBeNull();
  });

  it('selects the highest score, ties to the earliest, unjudged items left out', () => {
    const items = [item(2, 'c', 0.5), item(1, 'b', 0.9), item(0, 'a'), item(3, 'd', 0.9)];
    expect(bestScored(items)).toBe(items[1]);
    expect(bestScored([item(0, 'a')])).toBeNull();
  });

  it('takes an item answer from its verdict, else the extractor, else its text', () => {
    expect(
      answerOf(
        { index: 0, text: 'x', verdict: { accepted: true, score: 1, extracted: '7', detail: '' } },
        boxedAnswer,
      ),
    ).toBe('7');
    expect(answerOf(item(0, 'so \\boxed{8}'), boxedAnswer)).toBe('8');
    expect(answerOf(item(0, 'plain'), boxedAnswer)).toBe('plain');
  });
});
