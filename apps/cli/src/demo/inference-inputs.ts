/**
 * The inputs of the demo's inference jobs: arithmetic questions, which the simulated engine
 * answers right with a seeded probability (about 70%), each with its exact answer so the demo
 * can tell right from wrong. The same questions every run, so the demo's output is repeatable.
 */

/** One question and its exact answer (`What is 12 * 7?`, `84`). */
export interface ArithmeticQuestion {
  /** `q-01`: the batch request's custom_id, or the RL problem's id. */
  readonly id: string;
  readonly question: string;
  readonly answer: string;
}

const OPERATORS = [
  { symbol: '+', apply: (a: number, b: number) => a + b },
  { symbol: '-', apply: (a: number, b: number) => a - b },
  { symbol: '*', apply: (a: number, b: number) => a * b },
] as const;

/**
 * `count` questions `What is A op B?` with whole answers of at least 0 (no division), ids
 * `<prefix>-01`, `<prefix>-02`, ..., their operands spread by `offset` so two sets differ.
 */
export function arithmeticQuestions(
  count: number,
  prefix: string,
  offset = 0,
): ArithmeticQuestion[] {
  const width = Math.max(2, String(count).length);
  return Array.from({ length: count }, (_, i) => {
    const n = i + offset;
    const x = 3 + ((n * 7) % 41);
    const y = 2 + ((n * 5) % 13);
    const op = OPERATORS[n % OPERATORS.length]!;
    // The larger operand first, so differences are never negative.
    const [a, b] = x >= y ? [x, y] : [y, x];
    return {
      id: `${prefix}-${String(i + 1).padStart(width, '0')}`,
      question: `What is ${a} ${op.symbol} ${b}?`,
      answer: String(op.apply(a, b)),
    };
  });
}

/** The endpoint the demo's batch requests go to. */
export const BATCH_ENDPOINT = '/v1/chat/completions';

/**
 * A batch input file (docs/job-kinds.md): one OpenAI Batch request line per question, with no
 * `model` in the body (the job's model applies).
 */
export function batchRequestLines(
  questions: readonly ArithmeticQuestion[],
  maxTokens: number,
): string {
  return questions
    .map((q) =>
      JSON.stringify({
        custom_id: q.id,
        method: 'POST',
        url: BATCH_ENDPOINT,
        body: { messages: [{ role: 'user', content: q.question }], max_tokens: maxTokens },
      }),
    )
    .map((line) => `${line}\n`)
    .join('');
}

/** An RL problems file for the exact-answer verifier: `{"id", "prompt", "answer"}` per line. */
export function problemLines(problems: readonly ArithmeticQuestion[]): string {
  return problems
    .map((p) => `${JSON.stringify({ id: p.id, prompt: p.question, answer: p.answer })}\n`)
    .join('');
}

/** The final answer of a completion: what its last `\boxed{...}` holds, if any. */
export function boxedAnswer(text: string): string | undefined {
  const all = [...text.matchAll(/\\boxed\{([^{}]*)\}/g)];
  return all.at(-1)?.[1]?.trim();
}
