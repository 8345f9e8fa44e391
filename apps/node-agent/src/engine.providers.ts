import { engineBaseEnvironment, type NodeAgentConfig } from '@gantry/config';
import { LocalDirectoryStore } from '@gantry/files';
import type { Logger } from '@gantry/observability';
import {
  EngineCommands,
  EngineManager,
  lazySandbox,
  OpenAIBackend,
  ProcessSandbox,
  type GpuInventory,
} from '@gantry/workers';
import type { StepCache } from '@gantry/workloads';
import type { Provider } from '@nestjs/common';
import { GrpcAgentGateway } from './control-plane/gateway';
import { agentStepCache, GatewayStepClaims, SessionSlot } from './control-plane/step-claims';
import { simulatedEnginePath } from './node/simulated-engine-path';
import { GPUS, LOGGER, STEP_CACHE } from './tokens';

/**
 * The `openai` backend and what it runs on: the FileStore (GANTRY_STORAGE_DIR), the engines
 * (GANTRY_ENGINE_*; the simulated engine beside the agent's build), the step cache shared by
 * the agent's reasoning jobs (through the control plane, bound to the session once it exists),
 * and a sandbox made the first time a unit-tests verifier needs one.
 */
export function engineProviders(config: NodeAgentConfig): Provider[] {
  return [
    {
      provide: EngineManager,
      inject: [GPUS, LOGGER],
      useFactory: (gpus: GpuInventory, log: Logger) =>
        new EngineManager({
          stateDir: config.stateDir,
          commands: new EngineCommands({
            preset: config.enginePreset,
            gpusSimulated: gpus.simulated,
            command: config.engineCommand,
            node: process.execPath,
            simulatedEngine: simulatedEnginePath(),
          }),
          env: engineBaseEnvironment(),
          startTimeoutMs: config.engineStartTimeoutSeconds * 1000,
          idleMs: config.engineIdleSeconds * 1000,
          stopGraceMs: config.engineStopGraceSeconds * 1000,
          log,
        }),
    },
    { provide: SessionSlot, useFactory: () => new SessionSlot() },
    {
      provide: STEP_CACHE,
      inject: [GrpcAgentGateway, SessionSlot, LOGGER],
      useFactory: (gateway: GrpcAgentGateway, slot: SessionSlot, log: Logger): StepCache =>
        agentStepCache(new GatewayStepClaims(gateway, slot), log),
    },
    {
      provide: OpenAIBackend,
      inject: [EngineManager, STEP_CACHE],
      useFactory: (engines: EngineManager, stepCache: StepCache) =>
        new OpenAIBackend({
          engines,
          files: new LocalDirectoryStore(config.storageDir),
          stepCache,
          sandbox: lazySandbox(() => ProcessSandbox.create()),
          killGraceMs: config.killGraceSeconds * 1000,
        }),
    },
  ];
}
