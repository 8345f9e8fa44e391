import { randomUUID } from 'node:crypto';
import { availableParallelism, hostname, totalmem } from 'node:os';
import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { taskBaseEnvironment, type NodeAgentConfig } from '@gantry/config';
import { FailedPreconditionError, systemClock, type Workload } from '@gantry/domain';
import { createLogger, type Logger } from '@gantry/observability';
import {
  discoverGpus,
  ProcessBackend,
  SimulatedBackend,
  type GpuInventory,
  type WorkerBackend,
} from '@gantry/workers';
import type { DestinationStream } from 'pino';
import { NodeAgent } from './agent';
import { GrpcAgentGateway } from './control-plane/gateway';
import { AgentSession } from './control-plane/session';
import { AgentNode, parseLabels } from './node/agent-node';
import { Outbox } from './outbox/outbox';
import { OutboxSender } from './outbox/outbox-sender';
import { toNodeInventory } from './protocol/mapping';
import { TaskSupervisor } from './tasks/task-supervisor';
import { AGENT_VERSION } from './version';

const CONFIG = Symbol('NodeAgentConfig');
const LOGGER = Symbol('Logger');
const GPUS = Symbol('GpuInventory');
const GPU_MODELS = Symbol('GpuModels');

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
    { provide: Outbox, useFactory: () => new Outbox(config.outboxMaxBytes) },
    {
      provide: TaskSupervisor,
      inject: [ProcessBackend, SimulatedBackend, Outbox, LOGGER],
      useFactory: (
        process: ProcessBackend,
        simulated: SimulatedBackend,
        outbox: Outbox,
        log: Logger,
      ) => {
        const backendFor = (workload: Workload): WorkerBackend => {
          if (workload.kind === 'command') return process;
          if (workload.kind === 'simulated') return simulated;
          throw new FailedPreconditionError(
            `this agent cannot run ${workload.kind} workloads yet (the openai backend is being wired)`,
          );
        };
        const supervisor = new TaskSupervisor({
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
      inject: [GPUS, TaskSupervisor],
      useFactory: (gpus: GpuInventory, supervisor: TaskSupervisor) =>
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
        ),
    },
    {
      provide: GrpcAgentGateway,
      useFactory: () => new GrpcAgentGateway(config.controlPlaneAddress, config.maxMessageBytes),
    },
    {
      provide: AgentSession,
      inject: [GrpcAgentGateway, AgentNode, LOGGER],
      useFactory: (gateway: GrpcAgentGateway, node: AgentNode, log: Logger) =>
        new AgentSession({ gateway, node, bootstrapToken: config.bootstrapToken, log }),
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
          reapOrphans: () => process.reapOrphans(),
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
