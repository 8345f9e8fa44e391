import { ValidationError } from '@gantry/domain';
import {
  parseEngineCommand,
  renderEngineCommand,
  type EngineCommandTemplate,
  type EnginePlaceholder,
} from './engine-command';

/** The engines Gantry knows how to start (ADR 9), as command templates. */
export const ENGINE_PRESETS = {
  vllm: 'vllm serve {model} --revision {revision} --tensor-parallel-size {gpus} --host {host} --port {port}',
  sglang:
    'python -m sglang.launch_server --model-path {model} --revision {revision} --tp-size {gpus} --host {host} --port {port}',
  simulated: '{node} {simulated_engine} --model {model} --host {host} --port {port}',
} as const;

export type EnginePresetName = keyof typeof ENGINE_PRESETS;

export const ENGINE_PRESET_NAMES = Object.keys(ENGINE_PRESETS) as EnginePresetName[];

/** GANTRY_ENGINE_PRESET: a preset, or `auto` (simulated on simulated GPUs, else vllm). */
export type EnginePresetSetting = 'auto' | EnginePresetName;

/** The name an agent's GANTRY_ENGINE_COMMAND is known by. */
export const CUSTOM_ENGINE = 'custom';

/** Resolves `auto`: the simulated engine where the GPUs are simulated, vLLM on real ones. */
export function defaultEnginePreset(
  setting: EnginePresetSetting,
  gpusSimulated: boolean,
): EnginePresetName {
  if (setting !== 'auto') return setting;
  return gpusSimulated ? 'simulated' : 'vllm';
}

export interface EngineCommandsOptions {
  /** GANTRY_ENGINE_PRESET. */
  readonly preset: EnginePresetSetting;
  /** Whether the agent's GPUs are simulated (for `auto`). */
  readonly gpusSimulated: boolean;
  /** GANTRY_ENGINE_COMMAND: a custom template; when set, the agent's default engine. */
  readonly command?: string;
  /** `{node}`: the Node.js binary that runs the simulated engine (the agent's own). */
  readonly node: string;
  /** `{simulated_engine}`: the simulated engine's main.js; absent where it is not installed. */
  readonly simulatedEngine?: string;
}

/** The values of one engine's own placeholders. */
export interface EngineInstance {
  readonly model: string;
  readonly revision: string;
  readonly port: number;
  readonly gpus: number;
  readonly host: string;
}

/** An engine command picked by name, ready to render for one engine. */
export interface ResolvedEngineCommand {
  /** `vllm`, `sglang`, `simulated` or `custom`: part of what makes two engines the same. */
  readonly name: string;
  argv(instance: EngineInstance): string[];
}

/**
 * The engine commands of one agent: the presets, plus GANTRY_ENGINE_COMMAND as `custom`, and
 * which of them is the default (the custom command when set, else the preset setting). Built
 * once at start-up: a bad template is a ValidationError naming GANTRY_ENGINE_COMMAND.
 */
export class EngineCommands {
  readonly defaultName: string;
  private readonly templates = new Map<string, EngineCommandTemplate>();
  private readonly agentValues: Partial<Record<EnginePlaceholder, string>>;

  constructor(options: EngineCommandsOptions) {
    this.agentValues = { node: options.node, simulated_engine: options.simulatedEngine };
    for (const name of ENGINE_PRESET_NAMES)
      this.templates.set(name, parseEngineCommand(ENGINE_PRESETS[name], `preset ${name}`));
    if (options.command !== undefined) {
      const custom = parseEngineCommand(options.command, 'GANTRY_ENGINE_COMMAND');
      if (custom.placeholders.has('simulated_engine') && options.simulatedEngine === undefined)
        throw ValidationError.field(
          'GANTRY_ENGINE_COMMAND',
          'uses {simulated_engine}, but the simulated engine is not installed on this node',
        );
      this.templates.set(CUSTOM_ENGINE, custom);
    }
    this.defaultName =
      options.command !== undefined
        ? CUSTOM_ENGINE
        : defaultEnginePreset(options.preset, options.gpusSimulated);
  }

  /**
   * The command for a job's `engine` field: '' for the agent's default, else a preset name (or
   * `custom` where GANTRY_ENGINE_COMMAND is set). Throws a ValidationError (field `engine`) for
   * a name this agent cannot start.
   */
  resolve(engine: string): ResolvedEngineCommand {
    const name = engine === '' ? this.defaultName : engine;
    const template = this.templates.get(name);
    if (!template)
      throw ValidationError.field(
        'engine',
        `"${engine}" is not an engine this node can start (known: ${[...this.templates.keys()].join(', ')})`,
      );
    if (template.placeholders.has('simulated_engine') && !this.agentValues.simulated_engine)
      throw ValidationError.field(
        'engine',
        `"${name}" needs the simulated engine, which is not installed on this node`,
      );
    return {
      name,
      argv: (instance) =>
        renderEngineCommand(template, {
          ...this.agentValues,
          model: instance.model,
          revision: instance.revision,
          port: String(instance.port),
          gpus: String(instance.gpus),
          host: instance.host,
        }),
    };
  }
}
