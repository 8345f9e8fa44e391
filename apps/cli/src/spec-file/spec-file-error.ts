import { UsageError } from '../errors/cli-errors';

/**
 * One problem with a spec file: the field path as the file spells it
 * (`inference_reasoning.steps[1].refine`, '' for the whole file) and, when the file has it, the
 * line. A problem with a value that came from a flag has `fromFlag` set: it is printed as the
 * server words it (`spec.priority: ...`), without the file.
 */
export interface SpecProblem {
  readonly path: string;
  readonly message: string;
  readonly line?: number;
  readonly fromFlag?: boolean;
}

/** At most this many problems are listed; the rest are counted. */
const MAX_SHOWN = 20;

/** `job.yaml:12: inference_reasoning.steps[1].refine: unknown field "inputs"`. */
export function formatProblem(file: string, problem: SpecProblem): string {
  if (problem.fromFlag)
    return problem.path ? `${problem.path}: ${problem.message}` : problem.message;
  const where = problem.line === undefined ? file : `${file}:${problem.line}`;
  return `${where}: ${problem.path ? `${problem.path}: ` : ''}${problem.message}`;
}

/**
 * A spec file that cannot be submitted as written (exit 2, like INVALID_ARGUMENT). Its message
 * has one line per problem, in file order; run-cli prints each as its own error line.
 */
export class SpecFileError extends UsageError {
  constructor(
    readonly file: string,
    readonly problems: readonly SpecProblem[],
  ) {
    const sorted = [...problems].sort(
      (a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER),
    );
    const lines = sorted.slice(0, MAX_SHOWN).map((p) => formatProblem(file, p));
    if (sorted.length > MAX_SHOWN) lines.push(`${file}: ... and ${sorted.length - MAX_SHOWN} more`);
    super(lines.join('\n'));
    this.name = 'SpecFileError';
  }

  /** The lines run-cli prints, one `gantry: error: ...` each. */
  lines(): string[] {
    return this.message.split('\n');
  }
}
