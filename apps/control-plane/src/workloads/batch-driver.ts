/**
 * Drives an `inference_batch` parent (ADR 9), one idempotent step per call:
 *   1. validate: read the input file, check every line (errors name their line), write the
 *      validated request lines, create the shards (status in_progress);
 *   2. follow: sum the shards' progress into request_counts; cancel the live shards when the
 *      owner cancels or the completion window runs out;
 *   3. finalize (status finalizing, the file ids chosen first): merge every shard attempt's
 *      lines into one output and one error file, each custom_id once; end the job.
 */
import { Inject, Injectable } from '@nestjs/common';
import {
  newId,
  Reason,
  type BatchJobResult,
  type Clock,
  type InferenceBatchWorkload,
  type ParentEnding,
} from '@gantry/domain';
import type { FileStore } from '@gantry/files';
import { type Logger } from '@gantry/observability';
import type { FileRepository, JobView, ParentRepository } from '@gantry/store';
import {
  BatchLineValidator,
  formatBatchLineError,
  formatOutputLine,
  mergeBatchResults,
  parseShardProgress,
  planShards,
  readRequestLines,
  requestLine,
} from '@gantry/workloads';
import { JobEffects } from '../effects/job-effects.service';
import { CLOCK, FILES, FILE_STORE, LOGGER, PARENTS } from '../infrastructure/tokens';
import { ParentActions } from './parent-actions';
import { shardOutcome } from './shard-outcome';
import { parentKeys, shardSpecs } from './shard-specs';
import { publishFile, readAllLines, shardAttemptLines, writeLines } from './store-lines';

const MAX_ERRORS = 100;

function emptyResult(): BatchJobResult {
  return {
    kind: 'batch',
    status: 'validating',
    requestCounts: { total: 0, completed: 0, failed: 0 },
    outputFileId: null,
    errorFileId: null,
    expiresAt: null,
    errors: [],
  };
}

@Injectable()
export class BatchDriver {
  constructor(
    @Inject(PARENTS) private readonly parents: ParentRepository,
    @Inject(FILES) private readonly files: FileRepository,
    @Inject(FILE_STORE) private readonly store: FileStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly effects: JobEffects,
    private readonly actions: ParentActions,
  ) {}

  async advance(parent: JobView): Promise<void> {
    const workload = parent.spec.workload as InferenceBatchWorkload;
    const result = (parent.result as BatchJobResult | null) ?? emptyResult();
    if (result.status === 'validating') return this.validate(parent, workload, result);
    if (result.status === 'finalizing' && result.ending)
      return this.finalize(parent, result, result.ending);
    return this.follow(parent, result);
  }

  private async validate(
    parent: JobView,
    workload: InferenceBatchWorkload,
    result: BatchJobResult,
  ): Promise<void> {
    const validator = new BatchLineValidator({
      endpoint: workload.endpoint,
      model: workload.model,
    });
    for (const line of await readAllLines(this.store, `files/${workload.inputFileId}`))
      validator.push(line);
    const checked = validator.finish();
    if (!checked.ok || checked.requests.length === 0) {
      const errors = checked.ok
        ? ['the input file has no requests']
        : checked.errors.slice(0, MAX_ERRORS).map(formatBatchLineError);
      const count = checked.ok ? 1 : checked.errorCount;
      const message = `the input file has ${count} bad line(s); the first: ${errors[0]}`;
      return this.actions.end(
        parent.id,
        { status: 'failed', reason: Reason.InvalidInput, message },
        { ...result, status: 'failed', errors },
      );
    }
    const keys = parentKeys(parent.id);
    await writeLines(this.store, keys.requests, checked.requests.map(requestLine));
    const ranges = planShards(checked.requests.length, workload.shards);
    const specs = shardSpecs(parent.id, parent.spec, ranges, {
      ...workload,
      requestsKey: keys.requests,
    });
    const total = checked.requests.length;
    const shards = await this.parents.createShards(
      parent.id,
      specs,
      {
        ...result,
        status: 'in_progress',
        requestCounts: { total, completed: 0, failed: 0 },
        expiresAt: parent.submittedAt + workload.completionWindowSeconds * 1000,
      },
      `${total} requests in ${ranges.length} shard(s)`,
      this.clock.now(),
    );
    await this.effects.changed(shards);
    this.logger.info({ jobId: parent.id, requests: total, shards: shards.length }, 'batch started');
  }

  private async follow(parent: JobView, result: BatchJobResult): Promise<void> {
    const shards = await this.parents.shards(parent.id);
    const outcome = shardOutcome({
      cancelling: parent.state === 'cancelling',
      expired: result.expiresAt !== null && this.clock.now() >= result.expiresAt,
      shards,
      total: result.requestCounts.total,
      countsOf: (shard) => parseShardProgress(shard.progressMessage) ?? { answered: 0, failed: 0 },
    });
    if (outcome.kind === 'cancel') return this.actions.cancelShards(parent.id, outcome.reason);
    if (outcome.kind === 'done') return this.startFinalizing(parent, result, outcome.ending);
    const counts = outcome.counts;
    if (JSON.stringify(counts) === JSON.stringify(result.requestCounts)) return;
    const settled = counts.total === 0 ? 0 : (counts.completed + counts.failed) / counts.total;
    await this.parents.recordProgress(
      parent.id,
      { ...result, requestCounts: counts },
      Math.min(1, settled),
      `${counts.completed + counts.failed}/${counts.total} requests (${counts.completed} answered, ${counts.failed} failed)`,
      this.clock.now(),
    );
    await this.effects.wake([parent.id], false);
  }

  /** Chooses the output files' ids and how the job ends, before writing anything. */
  private async startFinalizing(
    parent: JobView,
    result: BatchJobResult,
    ending: ParentEnding,
  ): Promise<void> {
    const finalizing: BatchJobResult = {
      ...result,
      status: 'finalizing',
      ending,
      outputFileId: newId('file', this.clock),
      errorFileId: newId('file', this.clock),
    };
    await this.parents.recordProgress(
      parent.id,
      finalizing,
      parent.progress,
      'finalizing: merging the shards’ answers',
      this.clock.now(),
    );
    await this.finalize(parent, finalizing, ending);
  }

  private async finalize(
    parent: JobView,
    result: BatchJobResult,
    ending: ParentEnding,
  ): Promise<void> {
    const keys = parentKeys(parent.id);
    const requests = readRequestLines(await readAllLines(this.store, keys.requests), 0);
    const lines = [];
    for (const shard of await this.parents.shards(parent.id))
      if (shard.spec.workload.kind === 'shard')
        lines.push(...(await shardAttemptLines(this.store, shard.spec.workload.outputPrefix)));
    const unanswered = ending.status === 'cancelled' ? 'batch_cancelled' : 'batch_expired';
    const merged = mergeBatchResults(requests, lines, unanswered);
    const now = this.clock.now();
    const base = { tenantId: parent.tenantId, jobId: parent.id };
    await publishFile(
      this.store,
      this.files,
      {
        ...base,
        id: result.outputFileId!,
        filename: `${parent.id}.output.jsonl`,
        lines: merged.output.map(formatOutputLine),
      },
      now,
    );
    await publishFile(
      this.store,
      this.files,
      {
        ...base,
        id: result.errorFileId!,
        filename: `${parent.id}.errors.jsonl`,
        lines: merged.errors.map(formatOutputLine),
      },
      now,
    );
    await this.actions.end(parent.id, ending, {
      ...result,
      status: ending.status,
      requestCounts: merged.counts,
    });
    this.logger.info({ jobId: parent.id, status: ending.status, ...merged.counts }, 'batch ended');
  }
}
