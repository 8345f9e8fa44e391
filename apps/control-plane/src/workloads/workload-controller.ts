/**
 * The workload controller (ADR 9), a step of the leader's loop: each live batch and RL parent is
 * moved on by its driver, one idempotent step at a time, oldest first. A parent whose step fails
 * is logged and retried at the next run; the others are not held up by it.
 */
import { Inject, Injectable } from '@nestjs/common';
import { type Logger } from '@gantry/observability';
import type { ParentRepository } from '@gantry/store';
import { LOGGER, PARENTS } from '../infrastructure/tokens';
import { BatchDriver } from './batch-driver';
import { RlDriver } from './rl-driver';

/** Parents advanced per run at most; the rest wait for the next run. */
const PER_RUN = 200;

@Injectable()
export class WorkloadController {
  constructor(
    @Inject(PARENTS) private readonly parents: ParentRepository,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly batch: BatchDriver,
    private readonly rl: RlDriver,
  ) {}

  /** Advances every live parent once; returns how many it looked at. */
  async run(): Promise<number> {
    const live = await this.parents.liveParents(PER_RUN);
    for (const parent of live) {
      try {
        if (parent.spec.workload.kind === 'inference_batch') await this.batch.advance(parent);
        else if (parent.spec.workload.kind === 'rl_synthetic') await this.rl.advance(parent);
      } catch (error) {
        this.logger.error(
          { err: error, jobId: parent.id },
          'could not advance a batch or RL job; retrying',
        );
      }
    }
    return live.length;
  }
}
