/**
 * Drives an `rl_synthetic` parent (ADR 9), one idempotent step per call:
 *   1. validate: read the problems file (errors name their line), plan K rollouts per problem
 *      (sample k with seed + k) as request lines, create the rollout shards (rolling_out);
 *   2. follow: a shard that finished goes to the `verify` queue (CPU workers score its answers
 *      into a verdicts file) while the others still roll out; verifying once all shards are done;
 *   3. finalize, once every shard has its verdicts: rejection sampling and the group filter over
 *      the answers and verdicts, the dataset file with provenance, pass@1 and pass@k; end.
 */
import { Inject, Injectable } from '@nestjs/common';
import {
  newId,
  Reason,
  type Clock,
  type ParentEnding,
  type RlSyntheticJobResult,
  type RlSyntheticWorkload,
} from '@gantry/domain';
import type { FileStore } from '@gantry/files';
import { type Logger } from '@gantry/observability';
import type { BullVerifyQueue } from '@gantry/queue';
import type { FileRepository, JobView, ParentRepository, ShardView } from '@gantry/store';
import {
  buildRlDataset,
  formatBatchLineError,
  parseProblemLines,
  parseShardProgress,
  planRollouts,
  planShards,
  readVerdictLines,
  requestLine,
  type Problem,
} from '@gantry/workloads';
import { JobEffects } from '../effects/job-effects.service';
import { CLOCK, FILES, FILE_STORE, LOGGER, PARENTS, VERIFY_QUEUE } from '../infrastructure/tokens';
import { ParentActions } from './parent-actions';
import { shardOutcome } from './shard-outcome';
import { parentKeys, shardSpecs } from './shard-specs';
import {
  publishFile,
  readAllLines,
  readWholeLines,
  shardAttemptLines,
  writeLines,
} from './store-lines';

const MAX_ERRORS = 100;

function emptyResult(): RlSyntheticJobResult {
  return {
    kind: 'rl_synthetic',
    status: 'validating',
    problems: 0,
    samples: 0,
    accepted: 0,
    acceptanceRate: 0,
    passAt1: 0,
    passAtK: 0,
    k: 0,
    groupsAllPassed: 0,
    groupsNonePassed: 0,
    kept: 0,
    datasetFileId: null,
    requestCounts: { total: 0, completed: 0, failed: 0 },
    errors: [],
  };
}

/** The problems of an RL job's problems file (already validated at its start). */
export async function readProblems(
  store: FileStore,
  workload: RlSyntheticWorkload,
): Promise<{ problems: Problem[]; errors: string[]; errorCount: number }> {
  const lines = await readAllLines(store, `files/${workload.problemsFileId}`);
  const parsed = parseProblemLines(lines, workload);
  return parsed.ok
    ? { problems: parsed.problems, errors: [], errorCount: 0 }
    : {
        problems: [],
        errors: parsed.errors.slice(0, MAX_ERRORS).map(formatBatchLineError),
        errorCount: parsed.errorCount,
      };
}

@Injectable()
export class RlDriver {
  constructor(
    @Inject(PARENTS) private readonly parents: ParentRepository,
    @Inject(FILES) private readonly files: FileRepository,
    @Inject(FILE_STORE) private readonly store: FileStore,
    @Inject(VERIFY_QUEUE) private readonly verify: BullVerifyQueue,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly effects: JobEffects,
    private readonly actions: ParentActions,
  ) {}

  async advance(parent: JobView): Promise<void> {
    const workload = parent.spec.workload as RlSyntheticWorkload;
    const result = (parent.result as RlSyntheticJobResult | null) ?? emptyResult();
    if (result.status === 'validating') return this.validate(parent, workload, result);
    if (result.status === 'finalizing' && result.ending)
      return this.finalize(parent, workload, result, result.ending);
    return this.follow(parent, result);
  }

  private async validate(
    parent: JobView,
    workload: RlSyntheticWorkload,
    result: RlSyntheticJobResult,
  ): Promise<void> {
    const { problems, errors, errorCount } = await readProblems(this.store, workload);
    if (errors.length > 0) {
      const message = `the problems file has ${errorCount} bad line(s); the first: ${errors[0]}`;
      return this.actions.end(
        parent.id,
        { status: 'failed', reason: Reason.InvalidInput, message },
        { ...result, status: 'failed', errors },
      );
    }
    const requests = planRollouts(problems, { ...workload, model: workload.policyModel });
    const keys = parentKeys(parent.id);
    await writeLines(this.store, keys.requests, requests.map(requestLine));
    const ranges = planShards(requests.length, workload.shards);
    const specs = shardSpecs(parent.id, parent.spec, ranges, {
      ...workload,
      model: workload.policyModel,
      requestsKey: keys.requests,
    });
    const shards = await this.parents.createShards(
      parent.id,
      specs,
      {
        ...result,
        status: 'rolling_out',
        problems: problems.length,
        k: workload.samplesPerProblem,
        requestCounts: { total: requests.length, completed: 0, failed: 0 },
      },
      `${problems.length} problems x ${workload.samplesPerProblem} samples in ${ranges.length} shard(s)`,
      this.clock.now(),
    );
    await this.effects.changed(shards);
  }

  private async follow(parent: JobView, result: RlSyntheticJobResult): Promise<void> {
    const shards = await this.parents.shards(parent.id);
    const outcome = shardOutcome({
      cancelling: parent.state === 'cancelling',
      expired: false,
      shards,
      total: result.requestCounts.total,
      countsOf: (shard) => parseShardProgress(shard.progressMessage) ?? { answered: 0, failed: 0 },
    });
    if (outcome.kind === 'cancel') return this.actions.cancelShards(parent.id, outcome.reason);
    if (outcome.kind === 'done' && outcome.ending.status !== 'completed')
      return this.actions.end(parent.id, outcome.ending, {
        ...result,
        status: endStatus(outcome.ending),
      });
    const verification = await this.verifyFinished(parent.id, shards);
    if (verification.failed)
      return this.actions.end(
        parent.id,
        { status: 'failed', reason: Reason.ShardsFailed, message: verification.failed },
        { ...result, status: 'failed' },
      );
    if (outcome.kind === 'done' && verification.missing === 0)
      return this.startFinalizing(parent, result);
    const counts = outcome.kind === 'running' ? outcome.counts : result.requestCounts;
    const status = outcome.kind === 'running' ? 'rolling_out' : 'verifying';
    const verified = shards.length - verification.missing;
    const message =
      status === 'rolling_out'
        ? `rolling out: ${counts.completed + counts.failed}/${counts.total} samples; ${verified}/${shards.length} shard(s) verified`
        : `verifying: ${verified}/${shards.length} shard(s) verified`;
    if (status === result.status && message === parent.message) return;
    const done = counts.total === 0 ? 0 : (counts.completed + counts.failed) / counts.total;
    const progress = 0.9 * done + (0.1 * verified) / Math.max(1, shards.length);
    await this.parents.recordProgress(
      parent.id,
      { ...result, status, requestCounts: counts },
      Math.min(1, progress),
      message,
      this.clock.now(),
    );
    await this.effects.wake([parent.id], false);
  }

  /** Queues the verification of every finished shard without verdicts; what is still missing. */
  private async verifyFinished(
    parentId: string,
    shards: readonly ShardView[],
  ): Promise<{ missing: number; failed: string | null }> {
    let missing = 0;
    for (const shard of shards) {
      const index = shard.spec.workload.kind === 'shard' ? shard.spec.workload.index : 0;
      if (await this.store.stat(parentKeys(parentId).verdicts(index))) continue;
      missing++;
      if (shard.state !== 'succeeded') continue;
      const order = { parentJobId: parentId, shardIndex: index };
      const state = await this.verify.state(order);
      if (state.state === 'failed')
        return { missing, failed: `verifying shard ${index} failed: ${state.reason}` };
      if (state.state === 'absent') await this.verify.enqueue(order);
    }
    return { missing, failed: null };
  }

  private async startFinalizing(parent: JobView, result: RlSyntheticJobResult): Promise<void> {
    const ending: ParentEnding = {
      status: 'completed',
      reason: Reason.Completed,
      message: 'every rollout was verified',
    };
    const finalizing = {
      ...result,
      status: 'finalizing' as const,
      ending,
      datasetFileId: newId('file', this.clock),
    };
    await this.parents.recordProgress(
      parent.id,
      finalizing,
      parent.progress,
      'finalizing: building the dataset',
      this.clock.now(),
    );
    await this.finalize(parent, parent.spec.workload as RlSyntheticWorkload, finalizing, ending);
  }

  private async finalize(
    parent: JobView,
    workload: RlSyntheticWorkload,
    result: RlSyntheticJobResult,
    ending: ParentEnding,
  ): Promise<void> {
    const { problems } = await readProblems(this.store, workload);
    const keys = parentKeys(parent.id);
    const answers = [];
    const verdicts = [];
    for (const shard of await this.parents.shards(parent.id)) {
      if (shard.spec.workload.kind !== 'shard') continue;
      answers.push(...(await shardAttemptLines(this.store, shard.spec.workload.outputPrefix)));
      const key = keys.verdicts(shard.spec.workload.index);
      verdicts.push(...readVerdictLines(await readWholeLines(this.store, key), key).lines);
    }
    const dataset = buildRlDataset(problems, answers, verdicts, {
      jobId: parent.id,
      spec: workload,
      engine: workload.engine ?? 'default',
    });
    await publishFile(
      this.store,
      this.files,
      {
        id: result.datasetFileId!,
        tenantId: parent.tenantId,
        jobId: parent.id,
        filename: `${parent.id}.dataset.jsonl`,
        lines: dataset.lines.map((line) => JSON.stringify(line)),
      },
      this.clock.now(),
    );
    const s = dataset.stats;
    await this.actions.end(parent.id, ending, {
      ...result,
      status: 'completed',
      problems: s.problems,
      samples: s.samples,
      accepted: s.accepted,
      acceptanceRate: s.acceptanceRate,
      passAt1: s.passAt1 ?? 0,
      passAtK: s.passAtK ?? 0,
      k: s.k,
      groupsAllPassed: s.groupsAllPassed,
      groupsNonePassed: s.groupsNonePassed,
      kept: s.kept,
      requestCounts: {
        total: s.samples + s.samplesUnanswered,
        completed: s.samples,
        failed: s.samplesUnanswered,
      },
    });
    this.logger.info({ jobId: parent.id, ...s }, 'rl job ended');
  }
}

function endStatus(ending: ParentEnding): RlSyntheticJobResult['status'] {
  return ending.status === 'cancelled' ? 'cancelled' : 'failed';
}
