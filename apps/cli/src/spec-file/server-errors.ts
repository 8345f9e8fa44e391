import { type ValidationError } from '@gantry/domain';
import { type SpecFile } from './load-spec-file';
import { SpecFileError, type SpecProblem } from './spec-file-error';
import { nearestLine, type SpecSource } from './spec-source';

/**
 * A field the server names by its proto path may be spelled otherwise in the file: a duration
 * without its unit (`time_limit_seconds` -> `time_limit`) or a local file instead of its id
 * (`input_file_id` -> `input_file`).
 */
function filePath(source: SpecSource, path: string): string {
  if (source.lineOf(path) !== undefined) return path;
  const cut = path.lastIndexOf('.');
  const parent = cut < 0 ? '' : path.slice(0, cut + 1);
  const last = path.slice(cut + 1);
  for (const alias of [last.replace(/_seconds$/, ''), last.replace(/_id$/, '')])
    if (alias !== last && source.lineOf(parent + alias) !== undefined) return parent + alias;
  return path;
}

/** Whether a path is one of `set` or lies under (or over) one of them. */
function touches(set: ReadonlySet<string>, path: string): boolean {
  for (const flagged of set)
    if (
      path === flagged ||
      path.startsWith(`${flagged}.`) ||
      path.startsWith(`${flagged}[`) ||
      flagged.startsWith(`${path}.`)
    )
      return true;
  return false;
}

/**
 * Points the violations of a rejected spec (the server's, or parseJobSpec's run locally) at the
 * lines of the file: `spec.inference_reasoning.steps[2].refine.input: names "drafts", ...`
 * becomes `job.yaml:14: inference_reasoning.steps[2].refine.input: names "drafts", ...`. A
 * value a flag set, and anything outside the spec, keep the server's wording.
 */
export function locateViolations(
  error: ValidationError,
  file: SpecFile,
  fromFlags: ReadonlySet<string>,
): SpecFileError {
  const problems: SpecProblem[] = error.violations.map((violation) => {
    const match = /^spec(?:\.|$)(.*)$/.exec(violation.field);
    if (!match || touches(fromFlags, match[1]!))
      return { path: violation.field, message: violation.message, fromFlag: true };
    const path = filePath(file.source, match[1]!);
    return { path, message: violation.message, line: nearestLine(file.source, path) };
  });
  return new SpecFileError(file.source.name, problems);
}
