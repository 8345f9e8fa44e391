/**
 * One shard attempt (ADR 9): send the shard's requests to the engine with bounded concurrency,
 * skipping the custom_ids earlier attempts settled, and append each answer to the attempt's own
 * files through `sink`. An engine error status is an answer (it goes to the error file); an
 * engine that cannot be reached ends the attempt with UnavailableError (a later attempt resumes
 * where this one stopped). An abort stops it promptly: no new request starts, waits end, and it
 * rejects with the abort's reason.
 */
import { UnavailableError } from '@gantry/domain';
import type { InferenceClient } from '../ports';
import { abortable, abortError } from '../common/abort';
import type { BatchRequest } from './batch-request';
import { answerLine, batchLineId, type BatchOutputLine } from './output-lines';

/**
 * Where an attempt's lines go: its `.out.jsonl` and `.err.jsonl` files. Calls are made one at a
 * time, in completion order (never two appends at once); a rejection ends the attempt.
 */
export interface ShardSink {
  answered(line: BatchOutputLine): Promise<void>;
  failed(line: BatchOutputLine): Promise<void>;
}

export interface ShardRun {
  /** The shard's requests, in order. */
  readonly requests: readonly BatchRequest[];
  /** custom_ids to skip: settled by earlier attempts (see settledCustomIds). */
  readonly answered: ReadonlySet<string>;
  readonly client: InferenceClient;
  /** Requests in flight, at least 1. */
  readonly concurrency: number;
  readonly sink: ShardSink;
  /** Called at the start and after each request: settled so far (skipped included), of all. */
  readonly onProgress?: (done: number, total: number) => void;
  readonly signal?: AbortSignal;
}

/** What an attempt did: `skipped` settled before it, `answered` and `failed` by it. */
export interface ShardCounts {
  readonly total: number;
  readonly skipped: number;
  readonly answered: number;
  readonly failed: number;
}

/** Runs one shard attempt; resolves with its counts when every request it sent is written. */
export async function runShard(run: ShardRun): Promise<ShardCounts> {
  const { requests, client, sink, signal } = run;
  if (!Number.isInteger(run.concurrency) || run.concurrency < 1)
    throw new RangeError(`concurrency must be a whole number >= 1, got ${run.concurrency}`);
  signal?.throwIfAborted();
  const pending = requests.filter((r) => !run.answered.has(r.customId));
  const total = requests.length;
  const counts = { total, skipped: total - pending.length, answered: 0, failed: 0 };
  run.onProgress?.(counts.skipped, total);

  let failure: Error | null = null;
  let next = 0;
  let writes: Promise<void> = Promise.resolve();
  const write = (file: 'output' | 'error', line: BatchOutputLine) => {
    const written = writes.then(() =>
      file === 'output' ? sink.answered(line) : sink.failed(line),
    );
    writes = written.catch(() => undefined);
    return written;
  };

  const worker = async () => {
    while (failure === null && !signal?.aborted && next < pending.length) {
      const request = pending[next++]!;
      let answer;
      try {
        answer = await abortable(
          client.call({ endpoint: request.url, body: request.body }, signal),
          signal,
        );
      } catch (error) {
        if (!signal?.aborted)
          failure ??= new UnavailableError(
            `the engine did not answer request "${request.customId}" (${batchLineId(request)}): ${
              error instanceof Error ? error.message : String(error)
            }`,
            { cause: error },
          );
        return;
      }
      const { file, line } = answerLine(request, answer);
      try {
        await write(file, line);
      } catch (error) {
        failure ??= error instanceof Error ? error : new Error(String(error));
        return;
      }
      if (file === 'output') counts.answered++;
      else counts.failed++;
      run.onProgress?.(counts.skipped + counts.answered + counts.failed, total);
    }
  };
  await Promise.all(Array.from({ length: Math.min(run.concurrency, pending.length) }, worker));
  if (signal?.aborted) throw abortError(signal);
  const ended = failure as Error | null; // assigned by the workers, which TypeScript cannot see
  if (ended) throw ended;
  return counts;
}
