/**
 * AgentGatewayService: how node agents talk to the control plane.
 * - Register: checks the bootstrap token; writes the node (PostgreSQL) with a fresh node token
 *   derived from the bootstrap secret; records a heartbeat (Redis). If the agent restarted (new
 *   instance id), attempts it ran that it no longer reports are abandoned (requeued).
 * - Heartbeat: checks the node token; records the beat (Redis); a lost node becomes ready;
 *   keeps the node's warm engines current for engine affinity (PostgreSQL, written only when
 *   they changed; a report that fails validation is logged and ignored, as a heartbeat must
 *   keep the node alive); answers with the attempts it reports that it must stop (stale or
 *   cancelled).
 * - ReportTaskEvents: applies each event in order (PostgreSQL); a report about a stale attempt
 *   is rejected, logged, and has no effect; wakes watchers and the scheduler.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { Metadata } from '@grpc/grpc-js';
import { type ControlPlaneConfig } from '@gantry/config';
import { derivedCredential, Reason, ValidationError, type Clock } from '@gantry/domain';
import { type CallObserver, unary } from '@gantry/grpc';
import { type Logger } from '@gantry/observability';
import type * as pb from '@gantry/proto';
import type { NodeLiveness } from '@gantry/queue';
import type {
  ChangedJob,
  JobRepository,
  NodeRecord,
  NodeRepository,
  WarmEngineRecord,
} from '@gantry/store';
import { JobEffects } from '../effects/job-effects.service';
import { ControlPlaneMetrics } from '../infrastructure/metrics.service';
import { CLOCK, CONFIG, JOBS, LIVENESS, LOGGER, NODES } from '../infrastructure/tokens';
import { AuthService } from './auth.service';
import { fromProtoInventory, sameWarmEngines } from './mappers/node.mapper';
import { fromProtoTaskEvents } from './mappers/task-event.mapper';

const NODE_NAME = /^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/;
const ADDRESS = /^[^\s:]+:\d{1,5}$/;

@Injectable()
export class AgentGatewayHandlers {
  constructor(
    private readonly auth: AuthService,
    private readonly effects: JobEffects,
    private readonly metrics: ControlPlaneMetrics,
    @Inject(NODES) private readonly nodes: NodeRepository,
    @Inject(JOBS) private readonly jobs: JobRepository,
    @Inject(LIVENESS) private readonly liveness: NodeLiveness,
    @Inject(CONFIG) private readonly config: ControlPlaneConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  private get interval(): pb.Duration {
    const ms = Math.round(this.config.heartbeatIntervalSeconds * 1000);
    return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 };
  }

  /** The node calls; the step-cache calls are StepCacheHandlers'. */
  implementation(
    observer: CallObserver,
  ): Pick<pb.AgentGatewayServiceServer, 'register' | 'heartbeat' | 'reportTaskEvents'> {
    return {
      register: unary(
        'Register',
        (req: pb.RegisterRequest, call) => this.register(req, call.metadata),
        observer,
      ),
      heartbeat: unary(
        'Heartbeat',
        (req: pb.HeartbeatRequest, call) => this.heartbeat(req, call.metadata),
        observer,
      ),
      reportTaskEvents: unary(
        'ReportTaskEvents',
        (req: pb.ReportTaskEventsRequest, call) => this.report(req, call.metadata),
        observer,
      ),
    };
  }

  private async register(
    req: pb.RegisterRequest,
    metadata: Metadata,
  ): Promise<pb.RegisterResponse> {
    this.auth.bootstrap(metadata);
    if (!NODE_NAME.test(req.nodeName))
      throw ValidationError.field(
        'node_name',
        'must be a DNS name (lower-case letters, digits, . and -)',
      );
    if (!ADDRESS.test(req.agentAddress))
      throw ValidationError.field('agent_address', 'must be host:port');
    if (!req.instanceId) throw ValidationError.field('instance_id', 'is required');
    const now = this.clock.now();
    const token = derivedCredential('node-token', this.config.bootstrapToken);
    const { node, previousInstanceId } = await this.nodes.register({
      name: req.nodeName,
      address: req.agentAddress,
      inventory: fromProtoInventory(req.inventory, 'inventory'),
      labels: req.labels,
      agentVersion: req.agentVersion,
      instanceId: req.instanceId,
      token,
      now,
    });
    await this.liveness.beat(node.id, now);
    const changed: ChangedJob[] = [];
    if (previousInstanceId !== null && previousInstanceId !== req.instanceId) {
      const reported = new Set(req.tasks.map((t) => `${t.task?.jobId}/${t.task?.attempt}`));
      for (const attempt of await this.jobs.activeAttemptsOn(node.id)) {
        if (attempt.state !== 'running' || reported.has(`${attempt.jobId}/${attempt.number}`))
          continue;
        const job = await this.jobs.abandonAttempt(
          attempt.jobId,
          attempt.number,
          Reason.NodeLost,
          `the agent on ${node.name} restarted and no longer runs attempt ${attempt.number}`,
          this.config.maxAttempts,
          now,
          attempt.rank,
        );
        if (job) changed.push(job);
      }
    }
    await this.effects.changed(changed);
    await this.effects.wake([], true);
    this.logger.info(
      {
        node: node.name,
        nodeId: node.id,
        gpus: node.inventory.gpus.length,
        simulated: node.inventory.simulated,
        restarted: changed.length,
      },
      'node registered',
    );
    return { nodeId: node.id, nodeToken: token.plaintext, heartbeatInterval: this.interval };
  }

  private async heartbeat(
    req: pb.HeartbeatRequest,
    metadata: Metadata,
  ): Promise<pb.HeartbeatResponse> {
    const node = await this.auth.node(metadata, req.nodeId);
    const now = this.clock.now();
    if (node.state === 'lost') {
      await this.nodes.markReady(node.id, now);
      this.logger.info({ node: node.name }, 'lost node is heartbeating again; ready');
      await this.effects.wake([], true);
    }
    await this.liveness.beat(node.id, now);
    await this.keepWarmEngines(node, req.inventory);
    const running = req.tasks
      .filter((t) => t.task)
      .map((t) => ({ jobId: t.task!.jobId, attempt: t.task!.attempt }));
    const orders = await this.jobs.stopOrders(node.id, running);
    return {
      stopTasks: orders.map((o) => ({
        taskId: o.jobId,
        jobId: o.jobId,
        attempt: o.attempt,
        rank: o.rank,
      })),
      heartbeatInterval: this.interval,
    };
  }

  /** Stores the warm engines a heartbeat reports where they differ from the node's record. */
  private async keepWarmEngines(
    node: NodeRecord,
    inventory: pb.NodeInventory | undefined,
  ): Promise<void> {
    if (!inventory) return; // nothing reported: nothing known to have changed
    let engines: readonly WarmEngineRecord[];
    try {
      engines = fromProtoInventory(inventory, 'inventory').warmEngines ?? [];
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      this.logger.warn(
        { node: node.name, why: error.message },
        'ignored the warm engines of a heartbeat',
      );
      return;
    }
    if (sameWarmEngines(node.inventory.warmEngines ?? [], engines)) return;
    await this.nodes.setWarmEngines(node.id, engines);
  }

  private async report(
    req: pb.ReportTaskEventsRequest,
    metadata: Metadata,
  ): Promise<pb.ReportTaskEventsResponse> {
    const node = await this.auth.node(metadata, req.nodeId);
    const events = fromProtoTaskEvents(req.events);
    const now = this.clock.now();
    const { outcomes, changed } = await this.jobs.applyTaskEvents(
      node.id,
      events,
      now,
      this.config.maxAttempts,
    );
    outcomes.forEach((outcome, i) => {
      this.metrics.taskEvents.inc({ outcome: outcome.accepted ? 'accepted' : 'rejected' });
      if (!outcome.accepted) {
        const e = events[i]!;
        this.logger.warn(
          {
            node: node.name,
            jobId: e.jobId,
            attempt: e.attempt,
            sequence: e.sequence,
            type: e.report.type,
            why: outcome.message,
          },
          'rejected a task report from a stale attempt',
        );
      }
    });
    await this.liveness.beat(node.id, now);
    await this.effects.changed(changed);
    await this.effects.wake(
      events.map((e) => e.jobId),
      false,
    );
    return {
      acks: outcomes.map((o, i) => ({
        task: req.events[i]!.task,
        sequence: req.events[i]!.sequence,
        accepted: o.accepted,
        message: o.message,
      })),
    };
  }
}
