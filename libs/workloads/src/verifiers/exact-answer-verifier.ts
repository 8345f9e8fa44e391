import { ValidationError } from '@gantry/domain';
import { extractAnswer } from './answer-extraction';
import { answersEqual } from './answer-normalization';
import type { Verdict, Verifier, VerifierProblem } from './verifier';

/**
 * `exact-answer`: takes the candidate's final answer (see `extractAnswer`) and accepts it when
 * it means the same as the problem's reference answer (see `answersEqual`). Score 1 or 0;
 * `extracted` is the answer as the candidate wrote it, null when it gave none.
 */
export class ExactAnswerVerifier implements Verifier {
  readonly name = 'exact-answer';

  async verify(candidate: string, problem: VerifierProblem): Promise<Verdict> {
    const expected = problem.answer;
    if (expected === undefined || expected.trim() === '')
      throw ValidationError.field(
        'answer',
        `problem "${problem.id}" has no reference answer, which the exact-answer verifier needs`,
      );
    const extracted = extractAnswer(candidate);
    if (extracted === null)
      return { accepted: false, score: 0, extracted, detail: 'no final answer found' };
    const accepted = answersEqual(extracted, expected);
    const detail = accepted
      ? `answer "${extracted}" matches the reference`
      : `answer "${extracted}" does not match the reference "${expected.trim()}"`;
    return { accepted, score: accepted ? 1 : 0, extracted, detail };
  }
}
