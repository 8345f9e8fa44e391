/**
 * Marks nodes lost when their heartbeats stop. Reads last beats from Redis (a node Redis knows
 * nothing of, e.g. after a Redis restart, is timed from when this leader first looked); a node
 * silent past the timeout is marked lost in a fenced PostgreSQL transaction that requeues its
 * active attempts. Late reports from those attempts are then rejected as stale. Silence is timed
 * from the start of this leader's term at the earliest: while every replica was down, no agent
 * could heartbeat, and that is the control plane's outage, not the nodes' (counting it would
 * requeue every running task after a restart longer than the timeout).
 */
import { Inject, Injectable } from '@nestjs/common';
import { type ControlPlaneConfig } from '@gantry/config';
import type { Clock } from '@gantry/domain';
import { type Logger } from '@gantry/observability';
import type { NodeLiveness } from '@gantry/queue';
import type { FenceToken, NodeRepository } from '@gantry/store';
import { JobEffects } from '../effects/job-effects.service';
import { ControlPlaneMetrics } from '../infrastructure/metrics.service';
import { CLOCK, CONFIG, LIVENESS, LOGGER, NODES } from '../infrastructure/tokens';

@Injectable()
export class NodeLivenessCheck {
  private readonly firstLooked = new Map<string, number>();
  private termStartedAt = 0;

  constructor(
    @Inject(NODES) private readonly nodes: NodeRepository,
    @Inject(LIVENESS) private readonly liveness: NodeLiveness,
    @Inject(CONFIG) private readonly config: ControlPlaneConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly effects: JobEffects,
    private readonly metrics: ControlPlaneMetrics,
  ) {}

  /** Forget what an earlier term of leadership saw; silence counts from now at the earliest. */
  reset(): void {
    this.firstLooked.clear();
    this.termStartedAt = this.clock.now();
  }

  async run(fence: FenceToken): Promise<void> {
    const ready = (await this.nodes.list()).filter((n) => n.state === 'ready');
    const beats = await this.liveness.lastBeats(ready.map((n) => n.id));
    const now = this.clock.now();
    const timeoutMs = this.config.nodeLostTimeoutSeconds * 1000;
    for (const node of ready) {
      const beat = beats.get(node.id);
      // A look only stands in while Redis has no beat; an old one would make a later loss of
      // Redis' beats look like a long silence.
      if (beat !== undefined) this.firstLooked.delete(node.id);
      const looked = beat ?? this.firstLooked.get(node.id);
      if (looked === undefined) {
        this.firstLooked.set(node.id, now);
        continue;
      }
      const last = Math.max(looked, this.termStartedAt);
      if (now - last <= timeoutMs) continue;
      const silent = ((now - last) / 1000).toFixed(1);
      const changed = await this.nodes.markLost(
        fence,
        node.id,
        `node ${node.name} lost: no heartbeat for ${silent}s`,
        this.config.maxAttempts,
        now,
      );
      this.firstLooked.delete(node.id);
      this.metrics.nodesLost.inc();
      this.logger.warn(
        {
          node: node.name,
          nodeId: node.id,
          silentSeconds: Number(silent),
          requeued: changed.length,
        },
        'node lost',
      );
      await this.effects.changed(changed);
    }
  }
}
