import type { ShardWorkload } from '@gantry/domain';
import {
  formatShardProgress,
  isSuccess,
  runShard,
  settledCustomIds,
  settlesRequest,
  type BatchOutputLine,
} from '@gantry/workloads';
import type { EngineProgram, ProgramContext, ProgramEngine } from './engine-program';
import { ProgressThrottle } from './engine-program';
import {
  attemptKeys,
  AttemptWriter,
  readEarlierAttempts,
  readShardRequests,
  type ShardStore,
} from './shard-files';

/**
 * How earlier attempts settled this shard's requests: per custom_id, answered (a 2xx line in
 * any attempt) or failed (only 4xx lines); lines of other custom_ids are not this shard's.
 */
function priorCounts(
  lines: readonly BatchOutputLine[],
  ids: ReadonlySet<string>,
): { readonly settled: Set<string>; readonly answered: number; readonly failed: number } {
  const settled = new Set([...settledCustomIds(lines)].filter((id) => ids.has(id)));
  const answered = new Set(
    lines
      .filter((l) => settlesRequest(l) && isSuccess(l.response!.status_code))
      .map((l) => l.custom_id),
  );
  const answeredHere = [...settled].filter((id) => answered.has(id)).length;
  return { settled, answered: answeredHere, failed: settled.size - answeredHere };
}

/**
 * One attempt of a `shard` (ADR 9): reads the shard's request lines and every earlier attempt's
 * files, sends only the requests they did not settle (runShard, `max_concurrency` in flight),
 * appends each answer to `<output_prefix>attempt-<n>.out.jsonl` or `.err.jsonl`, and reports
 * progress in the shared format (formatShardProgress: counts include what earlier attempts
 * settled). Ends cleanly once every request of the shard is settled.
 */
export class ShardProgram implements EngineProgram {
  readonly label: string;
  readonly engine: ProgramEngine;

  constructor(
    private readonly shard: ShardWorkload,
    private readonly attempt: number,
    private readonly store: ShardStore,
  ) {
    this.label = `shard ${shard.index} of ${shard.count} (${shard.parentJobId})`;
    this.engine = { model: shard.model, revision: shard.revision, preset: shard.engine ?? '' };
  }

  async run(ctx: ProgramContext): Promise<string> {
    const { shard, attempt, store } = this;
    const requests = await readShardRequests(store, shard);
    const earlier = await readEarlierAttempts(store, shard.outputPrefix, attempt);
    for (const file of earlier.tornFiles)
      ctx.log(`${file}: its torn last line was ignored (that request is sent again)`);
    const prior = priorCounts(earlier.lines, new Set(requests.map((r) => r.customId)));
    const keys = attemptKeys(shard.outputPrefix, attempt);
    ctx.log(
      `${this.label}: ${requests.length} requests (lines ${shard.firstLine + 1}-${shard.firstLine + shard.lineCount} of ${shard.requestsKey}); ` +
        `${prior.settled.size} settled by ${earlier.files.length} earlier attempt file(s); ` +
        `sending ${requests.length - prior.settled.size} to ${keys.output} and ${keys.error}`,
    );
    const writer = new AttemptWriter(store, shard.outputPrefix, attempt);
    const throttle = new ProgressThrottle((fraction, message) => ctx.progress(fraction, message));
    const counts = await runShard({
      requests,
      answered: prior.settled,
      client: ctx.client,
      concurrency: shard.maxConcurrency,
      sink: writer,
      signal: ctx.signal,
      onProgress: (done, total) =>
        throttle.report(
          done,
          total,
          formatShardProgress({
            done,
            total,
            answered: prior.answered + writer.answeredCount,
            failed: prior.failed + writer.failedCount,
          }),
        ),
    });
    const sent = counts.answered + counts.failed;
    return (
      `${this.label}: all ${counts.total} requests settled ` +
      `(${sent} sent: ${counts.answered} answered, ${counts.failed} failed; ${counts.skipped} settled by earlier attempts)`
    );
  }
}
