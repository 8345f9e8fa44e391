/**
 * Test stand-ins for the verifier port of the reasoning and RL logic: a boxed-answer extractor
 * and FakeExactAnswerVerifier, which accepts a candidate whose `\boxed{}` answer equals the
 * reference exactly. The real verifiers (libs/workloads/src/verifiers) normalise far more; these
 * only keep the unit tests of the executors independent of them.
 */
import type { CandidateProblem, CandidateVerdict, CandidateVerifier } from '../common/verdict';

/** The content of the last `\boxed{...}`, null when there is none. */
export function boxedAnswer(text: string): string | null {
  const all = [...text.matchAll(/\\boxed\{([^}]*)\}/g)];
  return all.length > 0 ? all[all.length - 1]![1]!.trim() : null;
}

export class FakeExactAnswerVerifier implements CandidateVerifier {
  readonly problems: CandidateProblem[] = [];

  async verify(candidate: string, problem: CandidateProblem): Promise<CandidateVerdict> {
    this.problems.push(problem);
    const extracted = boxedAnswer(candidate);
    const accepted = extracted !== null && extracted === problem.answer;
    return {
      accepted,
      score: accepted ? 1 : 0,
      extracted,
      detail: accepted ? 'matches' : 'differs',
    };
  }
}
