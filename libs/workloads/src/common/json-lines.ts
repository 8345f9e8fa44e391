/**
 * Reading back a JSONL file this system appended to, one line per record: a crash can leave the
 * last line torn, and it is ignored (its record is redone); a bad line anywhere else means the
 * file was damaged some other way: InternalError naming it, never a silent skip.
 */
import { InternalError } from '@gantry/domain';

/** The records of a file, and whether its last line was torn (and ignored). */
export interface JsonLines<T> {
  readonly lines: T[];
  readonly tornLastLine: boolean;
}

/**
 * The records of a file's lines, in order (blank lines skipped); `parse` returns undefined for
 * a value that is not a record. `source` names the file in errors.
 */
export function readJsonLines<T>(
  lines: Iterable<string>,
  source: string,
  parse: (value: unknown) => T | undefined,
): JsonLines<T> {
  const parsed: T[] = [];
  let torn: number | null = null;
  let number = 0;
  for (const text of lines) {
    number++;
    if (text.trim() === '') continue;
    if (torn !== null)
      throw new InternalError(`${source} line ${torn} is damaged (not the last line)`);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = undefined;
    }
    const record = value === undefined ? undefined : parse(value);
    if (record === undefined) torn = number;
    else parsed.push(record);
  }
  return { lines: parsed, tornLastLine: torn !== null };
}
