import type { NodeAgentConfig } from '@gantry/config';
import {
  setServing,
  startGrpcServer,
  type RunningGrpcServer,
  type ServiceBinding,
} from '@gantry/grpc';
import type { Logger } from '@gantry/observability';
import { GANTRY_FILE_DESCRIPTOR_SET_BASE64, NodeAgentServiceService } from '@gantry/proto';
import type { ReapedGroup } from '@gantry/workers';
import type { AgentGateway } from './control-plane/gateway';
import type { AgentSession } from './control-plane/session';
import type { AgentNode } from './node/agent-node';
import type { OutboxSender } from './outbox/outbox-sender';
import { callObserver } from './rpc/call-observer';
import { nodeAgentService } from './rpc/node-agent-service';
import type { TaskSupervisor } from './tasks/task-supervisor';

export interface NodeAgentDeps {
  readonly config: NodeAgentConfig;
  readonly log: Logger;
  readonly node: AgentNode;
  readonly gpuModels: ReadonlyMap<number, string | null>;
  readonly supervisor: TaskSupervisor;
  /** Kills the tasks and engines a crashed predecessor left running. */
  readonly reapOrphans: () => Promise<ReapedGroup[]>;
  /** The inference engines (EngineManager): stopped once the tasks have stopped. */
  readonly engines: { shutdown(): Promise<void> };
  readonly session: AgentSession;
  readonly sender: OutboxSender;
  readonly gateway: AgentGateway;
}

/**
 * The agent's life: start-up in order (kill a crashed predecessor's orphans, tasks and engines,
 * serve NodeAgentService, register and heartbeat, deliver events), and a shutdown that is safe
 * to call twice: no new tasks, stop the running ones (SIGTERM, SIGKILL after the kill grace),
 * stop the engines while delivering the tasks' last events (within
 * GANTRY_AGENT_SHUTDOWN_FLUSH_SECONDS), close the server.
 */
export class NodeAgent {
  private server: RunningGrpcServer | undefined;
  private stopping: Promise<void> | undefined;

  constructor(private readonly d: NodeAgentDeps) {}

  get port(): number | undefined {
    return this.server?.port;
  }

  async start(): Promise<void> {
    const { config, log, node } = this.d;
    const reaped = await this.d.reapOrphans();
    if (reaped.length > 0)
      log.warn({ groups: reaped.length }, 'killed tasks left by a previous agent');
    const services: ServiceBinding[] = [
      {
        name: 'gantry.v1.NodeAgentService',
        definition: NodeAgentServiceService,
        implementation: nodeAgentService({
          supervisor: this.d.supervisor,
          credentials: () => this.d.session.current(),
          gpuModels: this.d.gpuModels,
          describe: () => node.describe(),
          observer: callObserver(log),
        }),
      },
    ];
    this.server = await startGrpcServer({
      host: config.bindHost,
      port: config.port,
      maxMessageBytes: config.maxMessageBytes,
      services,
      descriptorSetBase64: GANTRY_FILE_DESCRIPTOR_SET_BASE64,
    });
    node.address = `${config.advertiseHost}:${this.server.port}`;
    setServing(this.server, services, true);
    this.d.session.start();
    this.d.sender.start();
    log.info(
      {
        port: this.server.port,
        nodeName: config.nodeName,
        address: node.address,
        controlPlane: config.controlPlaneAddress,
        gpus: node.inventory.gpus.length,
        simulated: node.inventory.simulated,
      },
      'node agent ready',
    );
  }

  shutdown(signal = 'shutdown'): Promise<void> {
    this.stopping ??= this.stop(signal);
    return this.stopping;
  }

  private async stop(signal: string): Promise<void> {
    const { config, log } = this.d;
    const running = this.d.supervisor.snapshots().filter((t) => t.phase !== 'exited').length;
    log.info({ signal, running }, 'node agent shutting down');
    await this.d.supervisor.shutdown(config.killGraceSeconds * 1000);
    // The engines stop (SIGTERM, SIGKILL after their grace) while the last events go out.
    const [flushed] = await Promise.all([
      this.d.sender.flush(config.shutdownFlushSeconds * 1000),
      this.d.engines.shutdown(),
    ]);
    if (!flushed)
      log.warn(
        { seconds: config.shutdownFlushSeconds },
        'some task events could not be delivered before shutdown',
      );
    await this.d.sender.stop();
    await this.d.session.stop();
    await this.server?.shutdown(1000);
    this.d.gateway.close();
    log.info({}, 'node agent stopped');
  }
}
