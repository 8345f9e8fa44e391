/**
 * The CPU side of RL jobs (ADR 9): every replica takes orders from the `verify` queue,
 * GANTRY_VERIFY_CONCURRENCY at a time. An order scores one finished rollout shard: each answered
 * rollout (the first answer per custom_id, across the shard's attempts) is judged by the job's
 * verifier against its problem, verifications of a shard running in parallel up to the same
 * bound; the verdicts are written as one file at once (a retried order rewrites it whole), then
 * the leader is woken to move the job on.
 */
import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { type ControlPlaneConfig } from '@gantry/config';
import { InternalError, type RlSyntheticWorkload } from '@gantry/domain';
import type { FileStore } from '@gantry/files';
import { type Logger } from '@gantry/observability';
import type { BullVerifyQueue, Signals, VerifyOrder } from '@gantry/queue';
import type { JobRepository, ParentRepository } from '@gantry/store';
import { ProcessSandbox } from '@gantry/workers';
import {
  chooseLines,
  createVerifier,
  isAnswer,
  parseRolloutId,
  verifyRollout,
  type Sandbox,
  type VerdictLine,
} from '@gantry/workloads';
import {
  CONFIG,
  FILE_STORE,
  JOBS,
  LOGGER,
  PARENTS,
  SIGNALS,
  VERIFY_QUEUE,
} from '../infrastructure/tokens';
import { readProblems } from './rl-driver';
import { parentKeys } from './shard-specs';
import { shardAttemptLines, writeLines } from './store-lines';

const ADMIN = { tenantId: '', admin: true };

@Injectable()
export class VerifyWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private sandbox?: Promise<Sandbox>;

  constructor(
    @Inject(VERIFY_QUEUE) private readonly queue: BullVerifyQueue,
    @Inject(JOBS) private readonly jobs: JobRepository,
    @Inject(PARENTS) private readonly parents: ParentRepository,
    @Inject(FILE_STORE) private readonly store: FileStore,
    @Inject(SIGNALS) private readonly signals: Signals,
    @Inject(CONFIG) private readonly config: ControlPlaneConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.queue.startWorker((order) => this.verify(order), this.config.verifyConcurrency);
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue.close();
  }

  /** Scores one shard's rollouts into its verdicts file. */
  async verify(order: VerifyOrder): Promise<void> {
    const parent = await this.jobs.get(ADMIN, order.parentJobId);
    const workload = parent.spec.workload as RlSyntheticWorkload;
    if (workload.kind !== 'rl_synthetic')
      throw new InternalError(`job ${parent.id} is not an rl_synthetic job`);
    const shard = (await this.parents.shards(parent.id)).find(
      (s) => s.spec.workload.kind === 'shard' && s.spec.workload.index === order.shardIndex,
    );
    if (shard?.spec.workload.kind !== 'shard')
      throw new InternalError(`job ${parent.id} has no shard ${order.shardIndex}`);
    const { problems } = await readProblems(this.store, workload);
    const byId = new Map(problems.map((p) => [p.id, p]));
    const answers = [
      ...chooseLines(
        await shardAttemptLines(this.store, shard.spec.workload.outputPrefix),
      ).values(),
    ].filter(isAnswer);
    const verifier = createVerifier(workload.verifier, {
      sandbox: workload.verifier === 'unit-tests' ? await this.sandboxOnce() : undefined,
      unitTests: {
        timeLimitMs: workload.verifierOptions.timeLimitSeconds * 1000,
        memoryLimitBytes: workload.verifierOptions.memoryLimitMb * 1024 * 1024,
      },
    });
    const verdicts = await pooled(answers, this.config.verifyConcurrency, async (line) => {
      const id = parseRolloutId(line.custom_id);
      const problem = id ? byId.get(id.problemId) : undefined;
      if (!problem)
        throw new InternalError(`rollout ${line.custom_id} names no problem of job ${parent.id}`);
      return verifyRollout(line, problem, workload.endpoint, verifier);
    });
    await writeLines(
      this.store,
      parentKeys(parent.id).verdicts(order.shardIndex),
      verdicts.map((v: VerdictLine) => JSON.stringify(v)),
    );
    this.logger.info(
      {
        jobId: parent.id,
        shard: order.shardIndex,
        rollouts: verdicts.length,
        accepted: verdicts.filter((v) => v.accepted).length,
      },
      'rollouts verified',
    );
    await this.signals.schedulerWanted().catch(() => undefined);
  }

  private sandboxOnce(): Promise<Sandbox> {
    return (this.sandbox ??= ProcessSandbox.create({
      maxConcurrentRuns: this.config.verifyConcurrency,
    }));
  }
}

/** Maps items with at most `limit` calls in flight, keeping their order. */
async function pooled<T, R>(
  items: readonly T[],
  limit: number,
  f: (item: T) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
