/**
 * The dispatcher: consumes the BullMQ dispatch queue on every replica and delivers each order to
 * its agent. Contract:
 * - run order: reads the attempt (PostgreSQL); if it is still the job's current, dispatching
 *   attempt, calls NodeAgent.RunTask (idempotent by task + attempt on the agent). Transport
 *   failures are retried with backoff by the queue; a refusal (invalid, stale) is final. When
 *   the last try fails, the attempt is abandoned: the job goes back to pending (or fails after
 *   its max attempts).
 * - stop order: calls NodeAgent.CancelTask. An agent that does not know the attempt cannot stop
 *   it, so the attempt is abandoned and a cancelling job ends cancelled.
 */
import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { type ControlPlaneConfig } from '@gantry/config';
import { GantryError, Reason, type Clock } from '@gantry/domain';
import { callUnary } from '@gantry/grpc';
import { type Logger } from '@gantry/observability';
import { PermanentDispatchError, type DispatchOrder, type DispatchQueue } from '@gantry/queue';
import type { JobRepository, NodeRecord, NodeRepository } from '@gantry/store';
import { toProtoSpec } from '@gantry/grpc';
import { JobEffects } from '../effects/job-effects.service';
import { ControlPlaneMetrics } from '../infrastructure/metrics.service';
import { CLOCK, CONFIG, DISPATCH_QUEUE, JOBS, LOGGER, NODES } from '../infrastructure/tokens';
import { AgentClients } from './agent-clients.service';

const FINAL_CODES = new Set(['INVALID_ARGUMENT', 'FAILED_PRECONDITION', 'PERMISSION_DENIED']);

@Injectable()
export class Dispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    @Inject(DISPATCH_QUEUE) private readonly queue: DispatchQueue,
    @Inject(JOBS) private readonly jobs: JobRepository,
    @Inject(NODES) private readonly nodes: NodeRepository,
    @Inject(CONFIG) private readonly config: ControlPlaneConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly agents: AgentClients,
    private readonly effects: JobEffects,
    private readonly metrics: ControlPlaneMetrics,
  ) {}

  onApplicationBootstrap(): void {
    this.queue.startWorker(
      {
        deliver: (order) => this.deliver(order),
        gaveUp: (order, error) => this.gaveUp(order, error),
      },
      this.config.dispatchConcurrency,
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue.close();
  }

  private get timeoutMs(): number {
    return this.config.dispatchTimeoutSeconds * 1000;
  }

  private async node(order: DispatchOrder): Promise<NodeRecord> {
    const node = await this.nodes.get(order.nodeId);
    if (!node) throw new PermanentDispatchError(`node ${order.nodeId} is not registered`);
    return node;
  }

  async deliver(order: DispatchOrder): Promise<void> {
    try {
      if (order.kind === 'run') await this.run(order.jobId, order.attempt, await this.node(order));
      else await this.stop(order, await this.node(order));
      this.metrics.dispatches.inc({ kind: order.kind, outcome: 'delivered' });
    } catch (error) {
      this.metrics.dispatches.inc({ kind: order.kind, outcome: 'error' });
      if (error instanceof GantryError && FINAL_CODES.has(error.code))
        throw new PermanentDispatchError(error.message);
      throw error;
    }
  }

  private async run(jobId: string, attempt: number, node: NodeRecord): Promise<void> {
    const work = await this.jobs.dispatchWork(jobId, attempt);
    if (!work) return; // cancelled, requeued or already started: nothing to deliver
    const client = this.agents.client(node);
    await callUnary(
      client,
      'runTask',
      {
        task: { taskId: jobId, jobId, attempt },
        spec: toProtoSpec(work.spec),
        gpuIndices: [...work.gpuIndices],
      },
      this.agents.metadata(node),
      this.timeoutMs,
    );
    this.logger.debug({ jobId, attempt, node: node.name }, 'task handed to its agent');
  }

  private async stop(
    order: Extract<DispatchOrder, { kind: 'stop' }>,
    node: NodeRecord,
  ): Promise<void> {
    const client = this.agents.client(node);
    const task = { taskId: order.jobId, jobId: order.jobId, attempt: order.attempt };
    try {
      await callUnary(
        client,
        'cancelTask',
        {
          task,
          gracePeriod: { seconds: Math.floor(order.graceSeconds), nanos: 0 },
          reason: order.reason,
        },
        this.agents.metadata(node),
        this.timeoutMs,
      );
    } catch (error) {
      if (!(error instanceof GantryError && error.code === 'NOT_FOUND')) throw error;
      await this.abandon(order, `the agent on ${node.name} does not run attempt ${order.attempt}`);
    }
  }

  async gaveUp(order: DispatchOrder, error: Error): Promise<void> {
    this.metrics.dispatches.inc({ kind: order.kind, outcome: 'gave_up' });
    this.logger.warn(
      { jobId: order.jobId, attempt: order.attempt, kind: order.kind, err: error },
      'gave up delivering an order',
    );
    if (order.kind !== 'run') return; // a dead node's stop orders are settled by the liveness check
    await this.abandon(order, `could not start on its node: ${error.message}`);
  }

  /** The attempt cannot be delivered: requeue the job (or end it, see abandonAttempt). */
  private async abandon(order: DispatchOrder, detail: string): Promise<void> {
    const changed = await this.jobs.abandonAttempt(
      order.jobId,
      order.attempt,
      Reason.DispatchFailed,
      detail,
      this.config.maxAttempts,
      this.clock.now(),
    );
    await this.effects.changed(changed ? [changed] : []);
  }
}
