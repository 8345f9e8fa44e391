import { evaluate, findArithmetic, formatRational, plus, rational } from './arithmetic';

describe('findArithmetic', () => {
  it.each([
    ['What is 17 * 23?', '17 * 23', '391'],
    ['Compute 2 + 3 * 4.', '2 + 3 * 4', '14'],
    ['What is 10 - 4 - 3?', '10 - 4 - 3', '3'],
    ['What is 8 / 4 / 2?', '8 / 4 / 2', '1'],
    ['What is 5-3?', '5 - 3', '2'],
    ['What is 5 - -3?', '5 - -3', '8'],
    ['What is -6 * 7?', '-6 * 7', '-42'],
    ['What is 7 / 2?', '7 / 2', '3.5'],
    ['What is 1 / 3?', '1 / 3', '1/3'],
    ['What is 1 / 8?', '1 / 8', '0.125'],
    ['What is -1 / 4?', '-1 / 4', '-0.25'],
    ['What is 123456789 * 987654321?', '123456789 * 987654321', '121932631112635269'],
  ])('%s -> %s = %s', (prompt, expression, value) => {
    const found = findArithmetic(prompt)!;
    expect(found.expression).toBe(expression);
    expect(formatRational(found.value)).toBe(value);
  });

  it('takes the last expression of a longer prompt', () => {
    const prompt = 'Earlier we saw 2 + 2. Question: What is 17 * 23?\nDraft: we need 17 * 23 here.';
    expect(findArithmetic(prompt)?.expression).toBe('17 * 23');
    expect(findArithmetic('First 1 + 1, then 6 * 7, finally nothing')?.expression).toBe('6 * 7');
  });

  it('skips an expression that divides by zero, and finds none in plain text or decimals', () => {
    expect(findArithmetic('What is 2 * 3? And 5 / 0?')?.expression).toBe('2 * 3');
    expect(findArithmetic('What is 5 / 0?')).toBeUndefined();
    expect(findArithmetic('Tell me about GPUs, version 2.5 or model x1-2')).toBeUndefined();
    expect(findArithmetic('What is 2.5 + 1?')).toBeUndefined();
  });
});

describe('rationals', () => {
  it('evaluate keeps precedence and left-to-right order', () => {
    expect(formatRational(evaluate('2 + 3 * 4 - 6 / 3')!)).toBe('12');
    expect(formatRational(evaluate('100 / 10 / 5')!)).toBe('2');
    expect(evaluate('1 / 0')).toBeUndefined();
  });

  it('plus adds a whole number, exactly', () => {
    expect(formatRational(plus(rational(7n, 2n)!, -2))).toBe('1.5');
    expect(formatRational(plus(rational(391n)!, 3))).toBe('394');
  });
});
