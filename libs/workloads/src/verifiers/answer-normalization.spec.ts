import { answerKey, answersEqual, answerValue, normalizeAnswer } from './answer-normalization';

describe('normalizeAnswer', () => {
  it.each([
    // numbers: one canonical form per value
    ['42', '42'],
    ['  42 ', '42'],
    ['+42', '42'],
    ['-7', '-7'],
    ['\u22127', '-7'],
    ['5.0', '5'],
    ['5.', '5'],
    ['1,234', '1234'],
    ['1,234,567.5', '1234567.5'],
    ['1e3', '1000'],
    ['2.5E-1', '0.25'],
    ['.5', '0.5'],
    ['$42$', '42'],
    ['$$42$$', '42'],
    ['\\(42\\)', '42'],
    ['$\\boxed{42}$.', '42'],
    ['\\text{42}', '42'],
    ['x = 42', '42'],
    // fractions
    ['3/4', '0.75'],
    ['\\frac{3}{4}', '0.75'],
    ['\\dfrac{3}{4}', '0.75'],
    ['\\tfrac{3}{4}', '0.75'],
    ['\\frac34', '0.75'],
    ['-\\frac{3}{4}', '-0.75'],
    ['\\frac{-3}{4}', '-0.75'],
    ['1/3', '0.333333333333'],
    ['1/0', '1/0'],
    // units and currency
    ['12 cm', '12'],
    ['12cm', '12'],
    ['12 \\text{ cm}', '12'],
    ['9 cm^2', '9'],
    ['5 square feet', '5'],
    ['3 m/s', '3'],
    ['$5', '5'],
    ['\\$5', '5'],
    ['-$5', '-5'],
    ['5 dollars', '5'],
    ['1,000 dollars.', '1000'],
    ['50%', '50'],
    ['50\\%', '50'],
    ['30^\\circ', '30'],
    ['30^{\\circ}', '30'],
    ['30°', '30'],
    // text answers: LaTeX spacing, wrappers, whitespace, case, trailing punctuation
    ['\\text{Monday}.', 'monday'],
    ['  New   York ', 'newyork'],
    ['\\frac{\\sqrt{3}}{2}', '{\\sqrt{3}}/{2}'],
    ['\\dfrac{\\sqrt{3}}{2}', '{\\sqrt{3}}/{2}'],
    ['\\left( 1, 2 \\right)', '(1,2)'],
    ['10\\,000', '10000'],
    ['a\\!b\\;c', 'abc'],
    ['5x', '5x'],
    ['2 and 3', '2and3'],
    ['(A)', '(a)'],
  ])('%j -> %j', (answer, expected) => {
    expect(normalizeAnswer(answer)).toBe(expected);
  });
});

describe('answerValue', () => {
  it('reads numbers and refuses text', () => {
    expect(answerValue('\\dfrac{1}{8}')).toBe(0.125);
    expect(answerValue('1,234 cm')).toBe(1234);
    expect(answerValue('Monday')).toBeNull();
    expect(answerValue('1,23')).toBeNull();
  });
});

describe('answersEqual', () => {
  it.each([
    ['0.75', '3/4', true],
    ['0.75', '\\frac{3}{4}', true],
    ['0.333', '1/3', false],
    ['0.3333333333', '1/3', true],
    ['1000', '1e3', true],
    ['1,000', '1000.0', true],
    ['12 cm', '12', true],
    ['$5', '5 dollars', true],
    ['50%', '50', true],
    ['50%', '0.5', false],
    ['-2', '2', false],
    ['0', '-0', true],
    ['1e-12', '0', false],
    ['Monday', '\\text{monday}', true],
    ['Monday', 'Tuesday', false],
    ['41', '42', false],
    ['5x', '5', false],
  ])('%j vs %j -> %j', (a, b, expected) => {
    expect(answersEqual(a, b)).toBe(expected);
    expect(answersEqual(b, a)).toBe(expected);
  });
});

describe('answerKey', () => {
  it('groups completions by their normalised final answer', () => {
    const keys = [
      'So it is \\boxed{\\frac{3}{4}}.',
      'The answer is 0.75.',
      '#### 3/4',
      'I give up.',
    ].map(answerKey);
    expect(keys).toEqual(['0.75', '0.75', '0.75', null]);
  });
});
