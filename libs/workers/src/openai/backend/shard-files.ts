/**
 * A shard attempt's files in the FileStore (ADR 9, "Resume without duplicates"): its slice of
 * the batch's request lines, every earlier attempt's output and error files, and its own two
 * files, appended to one line per answer.
 */
import { InternalError, type ShardWorkload } from '@gantry/domain';
import { readLines, type FileStore } from '@gantry/files';
import {
  formatOutputLine,
  readAttemptLines,
  readRequestLines,
  type BatchOutputLine,
  type BatchRequest,
  type ShardSink,
} from '@gantry/workloads';

/** The part of a FileStore a shard attempt uses. */
export type ShardStore = Pick<FileStore, 'read' | 'append' | 'list'>;

/** `<prefix>attempt-<n>.out.jsonl` and `.err.jsonl`: where attempt `n` writes. */
export function attemptKeys(
  outputPrefix: string,
  attempt: number,
): { readonly output: string; readonly error: string } {
  return {
    output: `${outputPrefix}attempt-${attempt}.out.jsonl`,
    error: `${outputPrefix}attempt-${attempt}.err.jsonl`,
  };
}

/**
 * The shard's requests: lines [first_line, first_line + line_count) of `requests_key`, read as
 * a stream (the file may hold 50,000 requests; only the slice is kept). InternalError when the
 * file is shorter or a line is damaged; NotFoundError when it is missing.
 */
export async function readShardRequests(
  store: ShardStore,
  shard: ShardWorkload,
): Promise<BatchRequest[]> {
  const end = shard.firstLine + shard.lineCount;
  const lines: string[] = [];
  let number = 0;
  for await (const { line } of readLines(store.read(shard.requestsKey))) {
    if (number >= shard.firstLine) lines.push(line);
    if (++number >= end) break;
  }
  if (lines.length < shard.lineCount)
    throw new InternalError(
      `${shard.requestsKey} has ${number} lines; shard ${shard.index} needs lines ${shard.firstLine + 1}-${end}`,
    );
  return readRequestLines(lines, shard.firstLine);
}

/** What the attempts before this one wrote. */
export interface EarlierAttempts {
  /** Every line of their output and error files, in file order. */
  readonly lines: BatchOutputLine[];
  /** The files read, and those whose torn last line was ignored. */
  readonly files: readonly string[];
  readonly tornFiles: readonly string[];
}

const ATTEMPT_FILE = /^attempt-(\d+)\.(out|err)\.jsonl$/;

/**
 * Reads the output and error files of every attempt before `attempt` under the shard's prefix.
 * A torn last line (an attempt that died mid-append, or one still running) is ignored.
 */
export async function readEarlierAttempts(
  store: ShardStore,
  outputPrefix: string,
  attempt: number,
): Promise<EarlierAttempts> {
  const keys = (await store.list(outputPrefix)).filter((key) => {
    const match = ATTEMPT_FILE.exec(key.slice(outputPrefix.length));
    return match !== null && Number(match[1]) < attempt;
  });
  const lines: BatchOutputLine[] = [];
  const tornFiles: string[] = [];
  for (const key of keys) {
    const text: string[] = [];
    for await (const { line } of readLines(store.read(key))) text.push(line);
    const read = readAttemptLines(text, key);
    lines.push(...read.lines);
    if (read.tornLastLine) tornFiles.push(key);
  }
  return { lines, files: keys, tornFiles };
}

/**
 * A ShardSink appending each line, with its newline, in one append to this attempt's output
 * or error file; it counts what it wrote.
 */
export class AttemptWriter implements ShardSink {
  answeredCount = 0;
  failedCount = 0;
  private readonly keys: { readonly output: string; readonly error: string };

  constructor(
    private readonly store: ShardStore,
    outputPrefix: string,
    attempt: number,
  ) {
    this.keys = attemptKeys(outputPrefix, attempt);
  }

  async answered(line: BatchOutputLine): Promise<void> {
    await this.store.append(this.keys.output, `${formatOutputLine(line)}\n`);
    this.answeredCount++;
  }

  async failed(line: BatchOutputLine): Promise<void> {
    await this.store.append(this.keys.error, `${formatOutputLine(line)}\n`);
    this.failedCount++;
  }
}
