import { extractAnswer } from './answer-extraction';

describe('extractAnswer', () => {
  it.each([
    // boxed answers: the last complete box wins, nested braces kept whole
    ['So the answer is \\boxed{42}.', '42'],
    ['First \\boxed{1}, then on reflection \\boxed{2}', '2'],
    ['$\\boxed{\\frac{3}{4}}$', '\\frac{3}{4}'],
    ['\\boxed{\\text{x} = {1, {2}}}', '\\text{x} = {1, {2}}'],
    ['\\boxed { 7 }', '7'],
    ['\\fbox{12}', '12'],
    ['\\boxed 5$', '5'],
    ['\\boxed{9} and then a truncated \\boxed{1', '9'],
    ['\\boxed{} then 3', '3'],
    ['The answer is 5 but \\boxed{6}', '6'],
    // stated answers: the last statement, to the end of its sentence
    ['The final answer is 17. I hope it is correct.', '17'],
    ['Final Answer: $\\frac{1}{2}$', '$\\frac{1}{2}$'],
    ['the answer is: 3.5.', '3.5.'],
    ['**Answer:** 12 cm', '12 cm'],
    ['**Final answer: 8**', '8'],
    ['Answer: x\nanswer: y', 'y'],
    ['Natalia sold 48 clips in April.\n#### 72', '72'],
    ['#### 1,234', '1,234'],
    ['The answer is\n5 apples', '5 apples'],
    ['The final answer is:\n\n$$42$$\n\nDone.', '$$42$$'],
    // the last number as a last resort
    ['She has 3 apples and buys 4 more, 7 in all', '7'],
    ['It costs $1,234.50 now.', '1,234.50'],
    ['a temperature of -5 degrees', '-5'],
    ['from 3-5', '5'],
    ['about 1e3 units', '1e3'],
    ['three quarters: 3/4', '3/4'],
    ['minus \u22122', '-2'],
    // no answer at all
    ['I do not know.', null],
    ['', null],
  ])('%j -> %j', (text, expected) => {
    expect(extractAnswer(text)).toBe(expected);
  });
});
