/**
 * The dispatcher: consumes the BullMQ dispatch queue on every replica and delivers each order to
 * its agent. An order names one task: an attempt of a single-node job, or one rank of a
 * multi-node job's attempt (each rank has its own order, to its own node). Contract:
 * - run order: reads the task (PostgreSQL); if it is still the job's current, dispatching
 *   attempt and was not told to stop, calls NodeAgent.RunTask (idempotent by task + attempt on
 *   the agent), with the gang's rendezvous for a multi-node job. Transport failures are retried
 *   with backoff by the queue; a refusal (invalid, stale) is final. When the last try fails, the
 *   task is abandoned: the job goes back to pending (or fails after its max attempts); for a
 *   multi-node job its other ranks are stopped first, so it starts everywhere or nowhere.
 * - stop order: calls NodeAgent.CancelTask. An agent that does not know the task cannot stop
 *   it, so the task is abandoned and a cancelling job ends cancelled.
 */
import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { type ControlPlaneConfig } from '@gantry/config';
import { GantryError, hostOf, Reason, rendezvousPort, type Clock } from '@gantry/domain';
import { callUnary } from '@gantry/grpc';
import { type Logger } from '@gantry/observability';
import { PermanentDispatchError, type DispatchOrder, type DispatchQueue } from '@gantry/queue';
import type { DispatchWork, JobRepository, NodeRecord, NodeRepository } from '@gantry/store';
import { toProtoSpec } from '@gantry/grpc';
import type { Gang } from '@gantry/proto';
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
      if (order.kind === 'run') await this.run(order, await this.node(order));
      else await this.stop(order, await this.node(order));
      this.metrics.dispatches.inc({ kind: order.kind, outcome: 'delivered' });
    } catch (error) {
      this.metrics.dispatches.inc({ kind: order.kind, outcome: 'error' });
      if (error instanceof GantryError && FINAL_CODES.has(error.code))
        throw new PermanentDispatchError(error.message);
      throw error;
    }
  }

  private async run(order: Extract<DispatchOrder, { kind: 'run' }>, node: NodeRecord) {
    const { jobId, attempt } = order;
    const rank = order.rank ?? 0;
    const work = await this.jobs.dispatchWork(jobId, attempt, rank);
    if (!work) return; // cancelled, requeued, stopped or already started: nothing to deliver
    const client = this.agents.client(node);
    await callUnary(
      client,
      'runTask',
      {
        task: { taskId: jobId, jobId, attempt, rank },
        spec: toProtoSpec(work.spec),
        gpuIndices: [...work.gpuIndices],
        ...gangOf(work),
      },
      this.agents.metadata(node),
      this.timeoutMs,
    );
    this.logger.debug({ jobId, attempt, rank, node: node.name }, 'task handed to its agent');
  }

  private async stop(
    order: Extract<DispatchOrder, { kind: 'stop' }>,
    node: NodeRecord,
  ): Promise<void> {
    const client = this.agents.client(node);
    const rank = order.rank ?? 0;
    const task = { taskId: order.jobId, jobId: order.jobId, attempt: order.attempt, rank };
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
      const what = rank === 0 ? '' : ` rank ${rank}`;
      await this.abandon(
        order,
        `the agent on ${node.name} does not run attempt ${order.attempt}${what}`,
      );
    }
  }

  async gaveUp(order: DispatchOrder, error: Error): Promise<void> {
    this.metrics.dispatches.inc({ kind: order.kind, outcome: 'gave_up' });
    this.logger.warn(
      {
        jobId: order.jobId,
        attempt: order.attempt,
        rank: order.rank ?? 0,
        kind: order.kind,
        err: error,
      },
      'gave up delivering an order',
    );
    if (order.kind !== 'run') return; // a dead node's stop orders are settled by the liveness check
    await this.abandon(order, `could not start on its node: ${error.message}`);
  }

  /** The task cannot be delivered: requeue the job (or end it, see abandonAttempt). */
  private async abandon(order: DispatchOrder, detail: string): Promise<void> {
    const changed = await this.jobs.abandonAttempt(
      order.jobId,
      order.attempt,
      Reason.DispatchFailed,
      detail,
      this.config.maxAttempts,
      this.clock.now(),
      order.rank ?? 0,
    );
    await this.effects.changed(changed ? [changed] : []);
  }
}

/** The rendezvous of a multi-node job's task: rank 0's host and the attempt's port. */
function gangOf(work: DispatchWork): { gang?: Gang } {
  if (!work.gang) return {};
  const master = work.gang.find((m) => m.rank === 0);
  return {
    gang: {
      rank: work.rank,
      size: work.gang.length,
      masterHost: master ? hostOf(master.address) : '',
      masterPort: rendezvousPort(work.jobId, work.attempt),
      nodeNames: work.gang.map((m) => m.nodeName),
    },
  };
}
