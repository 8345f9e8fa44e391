import type { VerifierName } from '@gantry/domain';
import { formatBatchLineError } from '../batch/batch-lines';
import { parseProblemLines, PROBLEM_LIMITS } from './problems';

const exact = { verifier: 'exact-answer' as const, samplesPerProblem: 8 };
const tests = { verifier: 'unit-tests' as const, samplesPerProblem: 8 };
const line = (fields: Record<string, unknown>) =>
  JSON.stringify({ id: 'p1', prompt: 'What is 6 * 7?', ...fields });

function errorsOf(
  lines: string[],
  job: { verifier: VerifierName; samplesPerProblem: number } = exact,
): string[] {
  const result = parseProblemLines(lines, job);
  if (result.ok) throw new Error('expected errors');
  return result.errors.map(formatBatchLineError);
}

describe('parseProblemLines', () => {
  it('takes exact-answer and unit-tests problems, numbers as answers, blank lines skipped', () => {
    expect(
      parseProblemLines([line({ answer: '42' }), '', line({ id: 'p2', answer: 42 })], exact),
    ).toEqual({
      ok: true,
      problems: [
        { id: 'p1', prompt: 'What is 6 * 7?', answer: '42' },
        { id: 'p2', prompt: 'What is 6 * 7?', answer: '42' },
      ],
    });
    expect(parseProblemLines([line({ tests: 'assert add(1, 2) == 3' })], tests)).toEqual({
      ok: true,
      problems: [{ id: 'p1', prompt: 'What is 6 * 7?', tests: 'assert add(1, 2) == 3' }],
    });
  });

  it.each([
    ['{', 'line 1: is not valid JSON'],
    ['"text"', 'line 1: is not a JSON object'],
    [line({ id: undefined, answer: '1' }), 'line 1: id is required'],
    [line({ id: 3, answer: '1' }), 'line 1: id must be a string'],
    [
      line({ id: 'x'.repeat(257), answer: '1' }),
      'line 1: id is 257 characters; at most 256 are allowed',
    ],
    [line({ prompt: ' ', answer: '1' }), 'line 1: prompt is required (a non-empty string)'],
    [line({}), 'line 1: answer is required by the exact-answer verifier'],
    [line({ answer: '' }), 'line 1: answer must be a non-empty string or a number'],
    [line({ answer: '1', solution: 'x' }), 'line 1: unknown field(s) solution'],
  ])('rejects %s', (text, message) => {
    expect(errorsOf([text])).toEqual([message]);
  });

  it('needs tests for unit-tests', () => {
    expect(errorsOf([line({ answer: '42' }), line({ id: 'p2', tests: 7 })], tests)).toEqual([
      'line 1: tests is required by the unit-tests verifier',
      'line 2: tests must be a non-empty string',
    ]);
  });

  it('names a duplicate id and its first line', () => {
    expect(errorsOf([line({ answer: '1' }), '', line({ answer: '2' })])).toEqual([
      'line 3: id "p1" appears twice (first on line 1)',
    ]);
  });

  it('rejects an empty file, too many problems, and too many rollouts', () => {
    expect(errorsOf([''])).toEqual(['the file has no problems']);
    const many = Array.from({ length: PROBLEM_LIMITS.maxProblems + 1 }, (_, i) =>
      line({ id: `p${i}`, answer: '1' }),
    );
    expect(errorsOf(many)).toEqual(['line 50001: the file has more than 50000 problems']);
    expect(
      errorsOf(many.slice(0, 1000), { verifier: 'exact-answer', samplesPerProblem: 1001 }),
    ).toEqual([
      '1000 problems with samples_per_problem 1001 make 1001000 rollouts; at most 1000000 are allowed',
    ]);
  });
});
