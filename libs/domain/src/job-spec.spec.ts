import { ValidationError } from './errors';
import { parseJobSpec } from './job-spec';

function violationsOf(input: unknown): Array<{ field: string; message: string }> {
  try {
    parseJobSpec(input);
  } catch (error) {
    if (error instanceof ValidationError) return [...error.violations];
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('parseJobSpec', () => {
  it('applies defaults to a minimal command spec', () => {
    const spec = parseJobSpec({ command: { argv: ['/usr/bin/python3', 'train.py'] } });
    expect(spec).toEqual({
      name: 'python3',
      queue: 'default',
      priority: 100,
      priorityClass: 'batch',
      dependencies: [],
      resources: { gpus: 0, gpuModel: null, nodes: 1 },
      labels: {},
      timeLimitSeconds: null,
      workload: {
        kind: 'command',
        argv: ['/usr/bin/python3', 'train.py'],
        env: {},
        workingDir: null,
      },
    });
  });

  it('normalises the GPU model to its catalog id', () => {
    const spec = parseJobSpec({
      resources: { gpus: 2, gpu_model: 'h100-80gb' },
      simulated: { gpu_seconds: 5 },
    });
    expect(spec.resources).toEqual({ gpus: 2, gpuModel: 'H100-80GB', nodes: 1 });
    expect(spec.workload).toEqual({ kind: 'simulated', gpuSeconds: 5, exitCode: 0, seed: 0 });
  });

  it('takes a multi-node request: gpus on each of nodes nodes', () => {
    const spec = parseJobSpec({ resources: { gpus: 8, nodes: 4 }, simulated: { gpu_seconds: 5 } });
    expect(spec.resources).toEqual({ gpus: 8, gpuModel: null, nodes: 4 });
  });

  it.each([
    [undefined, 'spec', 'is required'],
    [
      {},
      'spec.workload',
      'one of command, simulated, inference_batch, inference_reasoning, rl_synthetic is required',
    ],
    [
      { command: { argv: ['x'] }, rl_synthetic: {}, shard: {} },
      'spec.rl_synthetic.policy_model',
      'is required',
    ],
    [
      { command: { argv: ['x'] }, simulated: { gpu_seconds: 1 } },
      'spec.workload',
      'set only one of command, simulated',
    ],
    [{ command: { argv: [] } }, 'spec.command.argv', 'must name a program'],
    [{ command: { argv: [' '] } }, 'spec.command.argv', 'argv[0] must name a program'],
    [
      { command: { argv: ['x'] }, resources: { gpus: -1 } },
      'spec.resources.gpus',
      'must be at least 0',
    ],
    [
      { command: { argv: ['x'] }, resources: { gpus: 8, nodes: 0 } },
      'spec.resources.nodes',
      'must be at least 1',
    ],
    [
      { command: { argv: ['x'] }, resources: { gpus: 8, nodes: 257 } },
      'spec.resources.nodes',
      'must be at most 256',
    ],
    [
      { command: { argv: ['x'] }, resources: { nodes: 2 } },
      'spec.resources.nodes',
      'is 2; a multi-node job needs resources.gpus of at least 1 on each node',
    ],
    [
      { command: { argv: ['x'] }, resources: { gpus: 65 } },
      'spec.resources.gpus',
      'must be at most 64',
    ],
    [
      { command: { argv: ['x'] }, resources: { gpus: 1.5 } },
      'spec.resources.gpus',
      'must be a whole number',
    ],
    [
      { command: { argv: ['x'] }, resources: { gpus: 1, gpu_model: 'TPU-v5' } },
      'spec.resources.gpu_model',
      'must be one of B200-192GB',
    ],
    [
      { command: { argv: ['x'] }, resources: { gpu_model: 'H100-80GB' } },
      'spec.resources.gpu_model',
      'needs resources.gpus of at least 1',
    ],
    [{ command: { argv: ['x'] }, priority: 1001 }, 'spec.priority', 'must be at most 1000'],
    [
      { command: { argv: ['x'] }, queue: 'Bad Queue' },
      'spec.queue',
      'must be 1-63 lower-case letters',
    ],
    [
      { command: { argv: ['x'], env: { CUDA_VISIBLE_DEVICES: '0' } } },
      'spec.command.env.CUDA_VISIBLE_DEVICES',
      'is set by the agent',
    ],
    [
      { command: { argv: ['x'], env: { 'BAD-NAME': '1' } } },
      'spec.command.env.BAD-NAME',
      'must be a valid variable name',
    ],
    [
      { command: { argv: ['x'], working_dir: 'rel' } },
      'spec.command.working_dir',
      'must be an absolute path',
    ],
    [
      { command: { argv: ['x'] }, time_limit_seconds: 0 },
      'spec.time_limit_seconds',
      'must be greater than 0',
    ],
    [{ simulated: { gpu_seconds: 0 } }, 'spec.simulated.gpu_seconds', 'must be greater than 0'],
    [{ command: { argv: ['x'] }, colour: 'red' }, 'spec', 'unknown field(s) colour'],
  ])('rejects %j at %s', (input, field, message) => {
    const found = violationsOf(input);
    expect(found).toContainEqual({ field, message: expect.stringContaining(message) as string });
  });

  it('names every bad field at once', () => {
    const found = violationsOf({ command: { argv: ['x'] }, priority: -5, resources: { gpus: -1 } });
    expect(found.map((v) => v.field).sort()).toEqual(['spec.priority', 'spec.resources.gpus']);
  });

  it('rejects a spec larger than the limit', () => {
    const found = violationsOf({
      command: { argv: ['x'], env: { BIG: 'a'.repeat(30_000) } },
      labels: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, 'v'.repeat(256)])),
      name: 'n',
      queue: 'q',
      command_pad: 'x'.repeat(300_000),
    });
    expect(found).toEqual([
      { field: 'spec', message: expect.stringContaining('the limit is 262144') as string },
    ]);
  });

  it('keeps the error message readable', () => {
    expect(() => parseJobSpec({ command: { argv: ['x'] }, resources: { gpus: -1 } })).toThrow(
      'spec.resources.gpus: must be at least 0',
    );
  });
});
