/**
 * Validation of an RL problems file (docs/job-kinds.md): JSONL, one problem a line,
 * `{"id", "prompt", "answer"}` for exact-answer or `{"id", "prompt", "tests"}` for unit-tests,
 * ids unique. A bad line is reported with its 1-based number, like batch input lines.
 */
import type { VerifierName } from '@gantry/domain';
import { BATCH_LINE_LIMITS, type BatchLineError } from '../batch/batch-lines';

export const PROBLEM_LIMITS = {
  maxProblems: 50_000,
  /** Problems times samples_per_problem: the request lines a job generates. */
  maxRollouts: 1_000_000,
  maxIdLength: 256,
  maxPromptLength: 65_536,
} as const;

/** One problem of an RL job. */
export interface Problem {
  readonly id: string;
  readonly prompt: string;
  /** The reference answer (exact-answer); a number in the file becomes its text. */
  readonly answer?: string;
  /** Python tests run after the candidate's code (unit-tests). */
  readonly tests?: string;
}

export type ProblemLinesResult =
  | { readonly ok: true; readonly problems: Problem[] }
  | { readonly ok: false; readonly errors: BatchLineError[]; readonly errorCount: number };

const FIELDS = ['id', 'prompt', 'answer', 'tests'];

/** Validates a problems file's lines for `verifier`, with K samples per problem. */
export function parseProblemLines(
  lines: Iterable<string>,
  job: { readonly verifier: VerifierName; readonly samplesPerProblem: number },
): ProblemLinesResult {
  const problems: Problem[] = [];
  const errors: BatchLineError[] = [];
  let errorCount = 0;
  const fail = (line: number | null, message: string): undefined => {
    errorCount++;
    if (errors.length < BATCH_LINE_LIMITS.maxReportedErrors) errors.push({ line, message });
    return undefined;
  };
  const firstLineOf = new Map<string, number>();
  let number = 0;
  let nonBlank = 0;
  for (const text of lines) {
    number++;
    if (text.trim() === '' || nonBlank > PROBLEM_LIMITS.maxProblems) continue;
    if (++nonBlank > PROBLEM_LIMITS.maxProblems) {
      fail(number, `the file has more than ${PROBLEM_LIMITS.maxProblems} problems`);
      continue;
    }
    const before = errorCount;
    const problem = checkLine(number, text, job.verifier, firstLineOf, fail);
    if (problem && errorCount === before) problems.push(problem);
  }
  if (nonBlank === 0) fail(null, 'the file has no problems');
  const rollouts = problems.length * job.samplesPerProblem;
  if (errorCount === 0 && rollouts > PROBLEM_LIMITS.maxRollouts)
    fail(
      null,
      `${problems.length} problems with samples_per_problem ${job.samplesPerProblem} make ${rollouts} rollouts; at most ${PROBLEM_LIMITS.maxRollouts} are allowed`,
    );
  return errorCount === 0 ? { ok: true, problems } : { ok: false, errors, errorCount };
}

function checkLine(
  line: number,
  text: string,
  verifier: VerifierName,
  firstLineOf: Map<string, number>,
  fail: (line: number, message: string) => undefined,
): Problem | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail(line, 'is not valid JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return fail(line, 'is not a JSON object');
  const o = value as Record<string, unknown>;
  const unknown = Object.keys(o).filter((k) => !FIELDS.includes(k));
  if (unknown.length > 0) fail(line, `unknown field(s) ${unknown.join(', ')}`);
  const id = checkId(line, o.id, firstLineOf, fail);
  if (typeof o.prompt !== 'string' || o.prompt.trim() === '')
    fail(line, 'prompt is required (a non-empty string)');
  else if (o.prompt.length > PROBLEM_LIMITS.maxPromptLength)
    fail(
      line,
      `prompt is ${o.prompt.length} characters; at most ${PROBLEM_LIMITS.maxPromptLength} are allowed`,
    );
  const answer =
    typeof o.answer === 'number' && Number.isFinite(o.answer) ? String(o.answer) : o.answer;
  if (answer !== undefined && (typeof answer !== 'string' || answer.trim() === ''))
    fail(line, 'answer must be a non-empty string or a number');
  if (o.tests !== undefined && (typeof o.tests !== 'string' || o.tests.trim() === ''))
    fail(line, 'tests must be a non-empty string');
  if (verifier === 'exact-answer' && answer === undefined)
    fail(line, 'answer is required by the exact-answer verifier');
  if (verifier === 'unit-tests' && o.tests === undefined)
    fail(line, 'tests is required by the unit-tests verifier');
  if (id === undefined) return undefined;
  return {
    id,
    prompt: o.prompt as string,
    ...(typeof answer === 'string' ? { answer } : {}),
    ...(typeof o.tests === 'string' ? { tests: o.tests } : {}),
  };
}

function checkId(
  line: number,
  id: unknown,
  firstLineOf: Map<string, number>,
  fail: (line: number, message: string) => undefined,
): string | undefined {
  if (id === undefined || id === '') return fail(line, 'id is required');
  if (typeof id !== 'string') return fail(line, 'id must be a string');
  if (id.length > PROBLEM_LIMITS.maxIdLength)
    return fail(
      line,
      `id is ${id.length} characters; at most ${PROBLEM_LIMITS.maxIdLength} are allowed`,
    );
  const first = firstLineOf.get(id);
  if (first !== undefined)
    return fail(line, `id ${JSON.stringify(id)} appears twice (first on line ${first})`);
  firstLineOf.set(id, line);
  return id;
}
