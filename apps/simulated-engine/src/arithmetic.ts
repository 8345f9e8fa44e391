/**
 * The arithmetic the simulated engine "knows": integer expressions with + - * / (usual
 * precedence, left to right, a leading minus on a number allowed), evaluated exactly as
 * fractions so that `7 / 2` is 3.5 and `1 / 3` is 1/3.
 */

/** An exact value: num/den in lowest terms, den > 0. */
export interface Rational {
  readonly num: bigint;
  readonly den: bigint;
}

/** An arithmetic question found in a prompt, with its exact value. */
export interface ArithmeticQuestion {
  /** The expression with single spaces around the operators, e.g. `17 * 23`. */
  readonly expression: string;
  readonly value: Rational;
}

// A number, then at least one (operator, number); not part of a word or a decimal number.
const EXPRESSION = /(?<![\w.])-?\d+(?:\s*[-+*/]\s*-?\d+)+(?!\w|\.\d)/g;
const OPERAND = /\s*(-?\d+)/y;
const OPERATOR = /\s*([-+*/])/y;

function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** `num/den` in lowest terms with a positive denominator; undefined when den is 0. */
export function rational(num: bigint, den = 1n): Rational | undefined {
  if (den === 0n) return undefined;
  const sign = den < 0n ? -1n : 1n;
  const g = gcd(num, den) || 1n;
  return { num: (sign * num) / g, den: (sign * den) / g };
}

function apply(a: Rational, op: string, b: Rational): Rational | undefined {
  switch (op) {
    case '+':
      return rational(a.num * b.den + b.num * a.den, a.den * b.den);
    case '-':
      return rational(a.num * b.den - b.num * a.den, a.den * b.den);
    case '*':
      return rational(a.num * b.num, a.den * b.den);
    default:
      return rational(a.num * b.den, a.den * b.num); // '/': undefined when b is 0
  }
}

/**
 * Operands and operators, alternating: where an operand is due, a '-' belongs to the number
 * (`5 - -3`); where an operator is due, it is the operator (`5-3`).
 */
function tokenize(expression: string): string[] {
  const tokens: string[] = [];
  let at = 0;
  for (let operand = true; ; operand = !operand) {
    const pattern = operand ? OPERAND : OPERATOR;
    pattern.lastIndex = at;
    const match = pattern.exec(expression);
    if (!match) return tokens;
    tokens.push(match[1]!);
    at = pattern.lastIndex;
  }
}

/** Evaluates one expression of the form EXPRESSION matches; undefined on division by zero. */
export function evaluate(expression: string): Rational | undefined {
  const tokens = tokenize(expression);
  const terms: Rational[] = [];
  const signs: string[] = [];
  let term = rational(BigInt(tokens[0]!))!;
  for (let i = 1; i + 1 < tokens.length; i += 2) {
    const op = tokens[i]!;
    const operand = rational(BigInt(tokens[i + 1]!))!;
    if (op === '*' || op === '/') {
      const next = apply(term, op, operand);
      if (!next) return undefined;
      term = next;
    } else {
      terms.push(term);
      signs.push(op);
      term = operand;
    }
  }
  terms.push(term);
  let value = terms[0]!;
  for (let i = 0; i < signs.length; i++) value = apply(value, signs[i]!, terms[i + 1]!)!;
  return value;
}

/**
 * The last arithmetic expression in `text` that has a value (`What is 17 * 23?` gives
 * `17 * 23` = 391); undefined when there is none.
 */
export function findArithmetic(text: string): ArithmeticQuestion | undefined {
  const matches = [...text.matchAll(EXPRESSION)].reverse();
  for (const match of matches) {
    const value = evaluate(match[0]);
    if (!value) continue;
    const expression = tokenize(match[0]).join(' ');
    return { expression, value };
  }
  return undefined;
}

/** Adds a whole number to a value. */
export function plus(value: Rational, offset: number): Rational {
  return rational(value.num + BigInt(offset) * value.den, value.den)!;
}

/**
 * The value as a person writes it: `391`, `-5`, `3.5` when the decimal ends (the denominator
 * has no prime factors but 2 and 5), otherwise the fraction `1/3`.
 */
export function formatRational(value: Rational): string {
  if (value.den === 1n) return value.num.toString();
  let den = value.den;
  let twos = 0;
  let fives = 0;
  while (den % 2n === 0n) [den, twos] = [den / 2n, twos + 1];
  while (den % 5n === 0n) [den, fives] = [den / 5n, fives + 1];
  if (den !== 1n) return `${value.num}/${value.den}`;
  const digits = Math.max(twos, fives);
  const scaled = (value.num * 10n ** BigInt(digits)) / value.den;
  const negative = scaled < 0n;
  const text = (negative ? -scaled : scaled).toString().padStart(digits + 1, '0');
  return `${negative ? '-' : ''}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}
