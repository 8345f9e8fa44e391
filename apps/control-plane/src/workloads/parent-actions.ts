/**
 * What both drivers do to a parent: cancel its live shards (stop orders for the placed ones), and
 * end it with its final result. Everything here is idempotent, so a step interrupted by a crash
 * is simply done again by the next leader.
 */
import { Inject, Injectable } from '@nestjs/common';
import { type ControlPlaneConfig } from '@gantry/config';
import { Reason, type Clock, type JobResult, type ParentEnding } from '@gantry/domain';
import type { DispatchQueue } from '@gantry/queue';
import type { ParentRepository } from '@gantry/store';
import { JobEffects } from '../effects/job-effects.service';
import { CLOCK, CONFIG, DISPATCH_QUEUE, PARENTS } from '../infrastructure/tokens';

const STATE_OF = {
  completed: 'succeeded',
  expired: 'failed',
  failed: 'failed',
  cancelled: 'cancelled',
} as const;

@Injectable()
export class ParentActions {
  constructor(
    @Inject(PARENTS) private readonly parents: ParentRepository,
    @Inject(DISPATCH_QUEUE) private readonly dispatch: DispatchQueue,
    @Inject(CONFIG) private readonly config: ControlPlaneConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly effects: JobEffects,
  ) {}

  /** Cancels the parent's live shards; the placed ones get SIGTERM, then SIGKILL. */
  async cancelShards(parentId: string, reason: string): Promise<void> {
    const { changed, stops } = await this.parents.cancelShards(parentId, reason, this.clock.now());
    for (const stop of stops)
      await this.dispatch
        .enqueue({
          kind: 'stop',
          ...stop,
          graceSeconds: this.config.cancelGraceSeconds,
          reason: Reason.Cancelled,
        })
        .catch(() => undefined); // the reconciler resends stop orders of cancelling jobs
    await this.effects.changed(changed);
  }

  /** Ends the parent as `ending` says, with its final result. */
  async end(parentId: string, ending: ParentEnding, result: JobResult): Promise<void> {
    const { ending: _ending, ...final } = result as JobResult & { ending?: ParentEnding };
    const ended = await this.parents.endParent(
      parentId,
      STATE_OF[ending.status],
      ending.reason,
      ending.message,
      final,
      this.clock.now(),
    );
    if (ended) await this.effects.changed([ended]);
  }
}
