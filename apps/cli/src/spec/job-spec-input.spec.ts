import { ValidationError } from '@gantry/domain';
import { UsageError } from '../errors/cli-errors';
import { parsePairs, specFromFlags, specInputFromFlags } from './job-spec-input';
import { toProtoSpec } from './proto-spec';

describe('specFromFlags', () => {
  it('defaults to one GPU and applies the server defaults', () => {
    const spec = specFromFlags({}, ['python', 'train.py']);
    expect(spec).toEqual({
      name: 'python',
      queue: 'default',
      priority: 100,
      priorityClass: 'batch',
      dependencies: [],
      resources: { gpus: 1, gpuModel: null, nodes: 1 },
      labels: {},
      timeLimitSeconds: null,
      workload: { kind: 'command', argv: ['python', 'train.py'], env: {}, workingDir: null },
    });
  });

  it('reads every flag', () => {
    const spec = specFromFlags(
      {
        gpus: '4',
        gpuModel: 'h100-80gb',
        queue: 'rl',
        priority: '0',
        name: 'sweep',
        env: ['A=1', 'B=x=y', 'EMPTY='],
        label: ['team=rl'],
        workdir: '/tmp',
        timeLimit: '1h30m',
      },
      ['sh', '-c', 'echo hi'],
    );
    expect(spec.resources).toEqual({ gpus: 4, gpuModel: 'H100-80GB', nodes: 1 });
    expect(spec.queue).toBe('rl');
    expect(spec.priority).toBe(0);
    expect(spec.name).toBe('sweep');
    expect(spec.labels).toEqual({ team: 'rl' });
    expect(spec.timeLimitSeconds).toBe(5_400);
    expect(spec.workload).toEqual({
      kind: 'command',
      argv: ['sh', '-c', 'echo hi'],
      env: { A: '1', B: 'x=y', EMPTY: '' },
      workingDir: '/tmp',
    });
  });

  it('asks for several nodes with --nodes, --gpus on each', () => {
    const spec = specFromFlags({ nodes: '4', gpus: '8' }, ['torchrun', 'train.py']);
    expect(spec.resources).toEqual({ gpus: 8, gpuModel: null, nodes: 4 });
    expect(toProtoSpec(spec).resources).toEqual({ gpus: 8, gpuModel: '', nodes: 4 });
  });

  it('builds a simulated workload from --simulate', () => {
    const spec = specFromFlags({ simulate: '120', simulateExitCode: '3', gpus: '2' }, []);
    expect(spec.workload).toEqual({ kind: 'simulated', gpuSeconds: 120, exitCode: 3, seed: 0 });
    expect(spec.name).toBe('simulated');
  });

  it.each([
    [{ gpus: '-1' }, 'spec.resources.gpus: must be at least 0'],
    [{ gpus: 'two' }, 'spec.resources.gpus: must be a number'],
    [{ gpus: '1.5' }, 'spec.resources.gpus: must be a whole number'],
    [{ nodes: '0' }, 'spec.resources.nodes: must be at least 1'],
    [
      { nodes: '2', gpus: '0' },
      'spec.resources.nodes: is 2; a multi-node job needs resources.gpus of at least 1 on each node',
    ],
    [{ priority: '5000' }, 'spec.priority: must be at most 1000'],
    [{ gpuModel: 'K80' }, 'spec.resources.gpu_model: must be one of'],
    [{ queue: 'Bad Queue' }, 'spec.queue: must be 1-63 lower-case letters'],
    [{ env: ['CUDA_VISIBLE_DEVICES=0'] }, 'spec.command.env.CUDA_VISIBLE_DEVICES: is set by the'],
  ])('rejects %j with the server message', (flags, message) => {
    const run = () => specFromFlags(flags, ['true']);
    expect(run).toThrow(ValidationError);
    expect(run).toThrow(message);
  });

  it('rejects a non-positive simulation with the server message', () => {
    expect(() => specFromFlags({ simulate: '0' }, [])).toThrow(
      'spec.simulated.gpu_seconds: must be greater than 0',
    );
  });

  it.each([
    [{}, [], 'nothing to run'],
    [{ simulate: '10' }, ['true'], 'not both'],
    [{ simulateExitCode: '1' }, ['true'], '--simulate-exit-code needs --simulate'],
    [{ timeLimit: '90' }, ['true'], '--time-limit: must be a duration'],
    [{ env: ['NOVALUE'] }, ['true'], "--env: expected KEY=VALUE (got 'NOVALUE')"],
  ])('reports usage mistakes in %j', (flags, command, message) => {
    const run = () => specInputFromFlags(flags, command);
    expect(run).toThrow(UsageError);
    expect(run).toThrow(message);
  });
});

describe('parsePairs', () => {
  it('rejects an empty key', () => {
    expect(() => parsePairs(['=v'], '--label')).toThrow("--label: expected KEY=VALUE (got '=v')");
  });
});

describe('toProtoSpec', () => {
  it('carries a command spec over with a Duration time limit', () => {
    const proto = toProtoSpec(
      specFromFlags({ gpus: '2', timeLimit: '1.5s', env: ['A=1'] }, ['echo', 'hi']),
    );
    expect(proto).toEqual({
      name: 'echo',
      queue: 'default',
      priority: 100,
      priorityClass: 'batch',
      dependencies: [],
      resources: { gpus: 2, gpuModel: '', nodes: 1 },
      labels: {},
      timeLimit: { seconds: 1, nanos: 500_000_000 },
      workload: {
        $case: 'command',
        command: { argv: ['echo', 'hi'], env: { A: '1' }, workingDir: '' },
      },
    });
  });

  it('carries a simulated spec over', () => {
    const proto = toProtoSpec(specFromFlags({ simulate: '30', gpuModel: 'A100-80GB' }, []));
    expect(proto.workload).toEqual({
      $case: 'simulated',
      simulated: { gpuSeconds: 30, exitCode: 0, seed: 0 },
    });
    expect(proto.resources).toEqual({ gpus: 1, gpuModel: 'A100-80GB', nodes: 1 });
    expect(proto.timeLimit).toBeUndefined();
  });
});
