// Verifiers (ADR 9): rule-based scoring of candidates for reasoning `verify` steps and RL
// rejection sampling. `exact-answer` is pure; `unit-tests` runs code in an injected Sandbox.
export * from './verifier';
export * from './registry';
export { ExactAnswerVerifier } from './exact-answer-verifier';
export {
  UnitTestsVerifier,
  UNIT_TESTS_DEFAULTS,
  type UnitTestsOptions,
  type UnitTestsDeps,
} from './unit-tests-verifier';
export { extractAnswer } from './answer-extraction';
export {
  normalizeAnswer,
  answerKey,
  answerValue,
  answersEqual,
  ANSWER_RELATIVE_TOLERANCE,
} from './answer-normalization';
export { extractCode } from './code-extraction';
