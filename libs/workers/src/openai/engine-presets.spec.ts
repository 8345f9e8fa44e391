import { ValidationError } from '@gantry/domain';
import { defaultEnginePreset, EngineCommands, type EngineCommandsOptions } from './engine-presets';

const instance = {
  model: 'Qwen/Qwen2.5-7B',
  revision: 'main',
  port: 41000,
  gpus: 2,
  host: '127.0.0.1',
};
const base: EngineCommandsOptions = {
  preset: 'auto',
  gpusSimulated: false,
  node: '/usr/bin/node',
  simulatedEngine: '/opt/gantry/simulated-engine/main.js',
};

function violation(run: () => unknown): { field: string; message: string } {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).violations[0]!;
  }
  throw new Error('expected a ValidationError');
}

describe('engine presets', () => {
  it('auto means simulated on simulated GPUs, vllm on real ones', () => {
    expect(defaultEnginePreset('auto', true)).toBe('simulated');
    expect(defaultEnginePreset('auto', false)).toBe('vllm');
    expect(defaultEnginePreset('sglang', true)).toBe('sglang');
  });

  it('renders the vllm, sglang and simulated command lines of ADR 9', () => {
    const commands = new EngineCommands(base);
    expect(commands.resolve('vllm').argv(instance)).toEqual(
      'vllm serve Qwen/Qwen2.5-7B --revision main --tensor-parallel-size 2 --host 127.0.0.1 --port 41000'.split(
        ' ',
      ),
    );
    expect(commands.resolve('sglang').argv(instance)).toEqual(
      'python -m sglang.launch_server --model-path Qwen/Qwen2.5-7B --revision main --tp-size 2 --host 127.0.0.1 --port 41000'.split(
        ' ',
      ),
    );
    expect(commands.resolve('simulated').argv(instance)).toEqual([
      '/usr/bin/node',
      '/opt/gantry/simulated-engine/main.js',
      '--model',
      'Qwen/Qwen2.5-7B',
      '--host',
      '127.0.0.1',
      '--port',
      '41000',
    ]);
  });

  it("resolves '' to the agent's default: the preset setting, or the custom command when set", () => {
    expect(new EngineCommands(base).resolve('').name).toBe('vllm');
    expect(new EngineCommands({ ...base, gpusSimulated: true }).resolve('').name).toBe('simulated');
    expect(
      new EngineCommands({ ...base, preset: 'sglang', gpusSimulated: true }).resolve('').name,
    ).toBe('sglang');
    const custom = new EngineCommands({
      ...base,
      command: 'my-server {model} --listen {host}:{port}',
    });
    expect(custom.defaultName).toBe('custom');
    expect(custom.resolve('').argv(instance)).toEqual([
      'my-server',
      'Qwen/Qwen2.5-7B',
      '--listen',
      '127.0.0.1:41000',
    ]);
    expect(custom.resolve('custom').name).toBe('custom');
    expect(custom.resolve('vllm').name).toBe('vllm'); // a job may still name a preset
  });

  it('refuses an engine this node cannot start, naming the field', () => {
    expect(violation(() => new EngineCommands(base).resolve('tgi'))).toEqual({
      field: 'engine',
      message: '"tgi" is not an engine this node can start (known: vllm, sglang, simulated)',
    });
    expect(violation(() => new EngineCommands(base).resolve('custom')).field).toBe('engine');
    const noSimulator = new EngineCommands({ ...base, simulatedEngine: undefined });
    expect(violation(() => noSimulator.resolve('simulated'))).toEqual({
      field: 'engine',
      message: '"simulated" needs the simulated engine, which is not installed on this node',
    });
  });

  it('checks GANTRY_ENGINE_COMMAND when built', () => {
    expect(
      violation(() => new EngineCommands({ ...base, command: 'vllm serve {model}' })).field,
    ).toBe('GANTRY_ENGINE_COMMAND');
    expect(
      violation(
        () =>
          new EngineCommands({
            ...base,
            simulatedEngine: undefined,
            command: '{node} {simulated_engine} --port {port}',
          }),
      ).message,
    ).toBe('uses {simulated_engine}, but the simulated engine is not installed on this node');
  });
});
