// The verifier contract (ADR 9): rule-based scorers of one candidate completion against one
// problem, used by the reasoning DAG's `verify` step and by RL synthetic data's rejection
// sampling. Pure over injected ports, so the control plane's verify workers, the agent and the
// tests all run the same code.

/** One problem as a verifier sees it: a line of an RL problems file, or a reasoning question. */
export interface VerifierProblem {
  readonly id: string;
  readonly prompt: string;
  /** The reference final answer (`exact-answer`). */
  readonly answer?: string;
  /** Python test code, typically asserts, run after the candidate's code (`unit-tests`). */
  readonly tests?: string;
}

/** What a verifier decided about one candidate. */
export interface Verdict {
  readonly accepted: boolean;
  /** 0 to 1; the rule-based verifiers give 1 when accepted and 0 otherwise. */
  readonly score: number;
  /**
   * What the verifier took from the candidate: its final answer (`exact-answer`) or its code
   * (`unit-tests`); null when it found nothing to take.
   */
  readonly extracted: string | null;
  /** A short human explanation: why it was accepted or rejected. */
  readonly detail: string;
}

/**
 * Scores candidates. `verify` resolves with a verdict for any candidate text (a wrong, empty or
 * hostile candidate is a rejection, not a throw); it rejects only when the verifier cannot do
 * its job: the problem lacks what the verifier needs (a `ValidationError`), or the sandbox
 * could not run at all.
 */
export interface Verifier {
  readonly name: string;
  verify(candidate: string, problem: VerifierProblem): Promise<Verdict>;
}
