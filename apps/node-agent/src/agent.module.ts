import { randomUUID } from 'node:crypto';
import { availableParallelism, hostname, totalmem } from 'node:os';
import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { taskBaseEnvironment, type NodeAgentConfig } from '@gantry/config';
import { FailedPreconditionError, systemClock, type Workload } from '@gantry/domain';
import { createLogger, type Logger } from '@gantry/observability';
import {
  discoverGpus,
  EngineManager,
  LeaseHolderBackend,
  OpenAIBackend,
  ProcessBackend,
  SimulatedBackend,
  type GpuInventory,
  type WorkerBackend,
} from '@gantry/workers';
import type { DestinationStream } from 'pino';
import { NodeAgent } from './agent';
import { GrpcAgentGateway } from './control-plane/gateway';
import { AgentSession } from './control-plane/session';
import { SessionSlot } from './control-plane/step-claims';
import { engineProviders } from './engine.providers';
import { AgentNode, parseLabels } from './node/agent-node';
import { Outbox } from './outbox/outbox';
import { OutboxSender } from './outbox/outbox-sender';
import { toNodeInventory } from './protocol/mapping';
import { TaskSupervisor } from './tasks/task-supervisor';
import { CONFIG, GPU_MODELS, GPUS, LOGGER } from './tokens';
import { AGENT_VERSION } from './version';

export interface NodeAgentModuleOptions {
  /** Where log lines go; stdout by default. */
  readonly logDestination?: DestinationStream;
}

type Models = ReadonlyMap<number, string | null>;

/**
 * The node agent's composition root: every part is a plain class built here by a factory, so
 * the parts stay testable without Nest, and Nest owns their wiring and order.
 */
function providers(config: NodeAgentConfig, options: NodeAgentModuleOptions): Provider[] {
  return [
    { provide: CONFIG, useValue: config },
    {
      provide: LOGGER,
      useFactory: () =>
        createLogger({
          name: 'node-agent',
          level: config.logLevel,
          base: { node: config.nodeName },
          destination: options.logDestination,
        }),
    },
    {
      provide: GPUS,
      inject: [LOGGER],
      useFactory: (log: Logger) =>
        discoverGpus({
          nvidiaSmi: config.nvidiaSmi,
          simulateGpus: config.simulateGpus,
          nodeName: config.nodeName,
          log,
        }),
    },
    {
      provide: GPU_MODELS,
      inject: [GPUS],
      useFactory: (gpus: GpuInventory): Models => new Map(gpus.gpus.map((g) => [g.index, g.model])),
    },
    {
      provide: ProcessBackend,
      inject: [LOGGER],
      useFactory: (log: Logger) =>
        new ProcessBackend({
          stateDir: config.stateDir,
          baseEnv: { ...taskBaseEnvironment() },
          killGraceMs: config.killGraceSeconds * 1000,
          log,
        }),
    },
    {
      provide: SimulatedBackend,
      inject: [GPU_MODELS],
      useFactory: (gpuModels: Models) =>
        new SimulatedBackend({ gpuModels, speedup: config.simulationSpeedup }),
    },
    ...engineProviders(config),
    { provide: Outbox, useFactory: () => new Outbox(config.outboxMaxBytes) },
    {
      provide: TaskSupervisor,
      inject: [ProcessBackend, SimulatedBackend, OpenAIBackend, Outbox, LOGGER],
      useFactory: (
        process: ProcessBackend,
        simulated: SimulatedBackend,
        openai: OpenAIBackend,
        outbox: Outbox,
        log: Logger,
      ) => {
        const backendFor = (workload: Workload): WorkerBackend => {
          switch (workload.kind) {
            case 'command':
              return process;
            case 'simulated':
              return simulated;
            case 'shard':
            case 'inference_reasoning':
              return openai;
            case 'lease':
              return leaseHolder;
            default:
              throw new FailedPreconditionError(
                `${workload.kind} jobs are run by the control plane; they never reach an agent`,
              );
          }
        };
        // The lease holder stops a lease's renter tasks through the supervisor it belongs to.
        const leaseHolder = new LeaseHolderBackend({
          stopLeaseTasks: (leaseId, why) => supervisor.stopLeaseTasks(leaseId, why),
        });
        const supervisor: TaskSupervisor = new TaskSupervisor({
          backendFor,
          outbox,
          clock: systemClock,
          log,
          killGraceMs: config.killGraceSeconds * 1000,
        });
        outbox.onStale((ref, why) => supervisor.stopStale(ref, why));
        return supervisor;
      },
    },
    {
      provide: AgentNode,
      inject: [GPUS, TaskSupervisor, EngineManager],
      useFactory: (gpus: GpuInventory, supervisor: TaskSupervisor, engines: EngineManager) =>
        new AgentNode(
          {
            nodeName: config.nodeName,
            instanceId: randomUUID(),
            agentVersion: AGENT_VERSION,
            startTime: new Date(),
            labels: parseLabels(config.labels),
          },
          toNodeInventory(gpus, {
            hostname: hostname(),
            cpuCount: availableParallelism(),
            memoryBytes: totalmem(),
          }),
          supervisor,
          () => engines.warmEngines(),
        ),
    },
    {
      provide: GrpcAgentGateway,
      useFactory: () =>
        new GrpcAgentGateway(
          config.controlPlaneAddress,
          config.maxMessageBytes,
          config.reconnectMaxSeconds * 1000,
        ),
    },
    {
      provide: AgentSession,
      inject: [GrpcAgentGateway, AgentNode, SessionSlot, LOGGER],
      useFactory: (gateway: GrpcAgentGateway, node: AgentNode, slot: SessionSlot, log: Logger) => {
        const session = new AgentSession({
          gateway,
          node,
          bootstrapToken: config.bootstrapToken,
          log,
        });
        slot.bind(session);
        return session;
      },
    },
    {
      provide: OutboxSender,
      inject: [Outbox, GrpcAgentGateway, AgentSession, LOGGER],
      useFactory: (outbox: Outbox, gateway: GrpcAgentGateway, session: AgentSession, log: Logger) =>
        new OutboxSender({
          outbox,
          gateway,
          session,
          batchSize: config.reportBatchSize,
          clock: systemClock,
          log,
        }),
    },
    {
      provide: NodeAgent,
      inject: [
        LOGGER,
        AgentNode,
        GPU_MODELS,
        TaskSupervisor,
        ProcessBackend,
        EngineManager,
        AgentSession,
        OutboxSender,
        GrpcAgentGateway,
      ],
      useFactory: (
        log: Logger,
        node: AgentNode,
        gpuModels: Models,
        supervisor: TaskSupervisor,
        process: ProcessBackend,
        engines: EngineManager,
        session: AgentSession,
        sender: OutboxSender,
        gateway: GrpcAgentGateway,
      ) =>
        new NodeAgent({
          config,
          log,
          node,
          gpuModels,
          supervisor,
          reapOrphans: async () => [
            ...(await process.reapOrphans()),
            ...(await engines.reapOrphans()),
          ],
          engines,
          session,
          sender,
          gateway,
        }),
    },
  ];
}

@Module({})
export class NodeAgentModule {
  static register(config: NodeAgentConfig, options: NodeAgentModuleOptions = {}): DynamicModule {
    return { module: NodeAgentModule, providers: providers(config, options), exports: [NodeAgent] };
  }
}
