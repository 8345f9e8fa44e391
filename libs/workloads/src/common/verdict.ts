/**
 * The least the job kinds need of a verifier (ADR 9: exact-answer, unit-tests). The real
 * verifiers (libs/workloads/src/verifiers) match these shapes; the names here are distinct so
 * both can be exported from the package.
 */

/** The problem a candidate answers: an id, its prompt, and what the verifier checks against. */
export interface CandidateProblem {
  readonly id: string;
  readonly prompt: string;
  /** The reference answer (exact-answer). */
  readonly answer?: string;
  /** The tests the candidate's code must pass (unit-tests). */
  readonly tests?: string;
}

/** A verifier's judgement of one candidate. */
export interface CandidateVerdict {
  readonly accepted: boolean;
  /** 0-1. */
  readonly score: number;
  /** The final answer or code it found in the candidate, null when none. */
  readonly extracted: string | null;
  /** A short human explanation. */
  readonly detail: string;
}

/** Judges candidates; a rejection means the verifier itself failed, not the candidate. */
export interface CandidateVerifier {
  verify(candidate: string, problem: CandidateProblem): Promise<CandidateVerdict>;
}

/** The verifier of a name (`exact-answer`, `unit-tests`). */
export type VerifierFor = (name: string) => CandidateVerifier;

/** The final answer of a completion (`\boxed{}`, "the answer is ..."), null when none. */
export type ExtractAnswer = (text: string) => string | null;
