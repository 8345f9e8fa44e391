import { parseJobSpec, SPEC_LIMITS, type ValidationError, type JobSpec } from '@gantry/domain';
import { JobSpec as PbJobSpec } from '@gantry/proto';
import { specInput, toDuration, toProtoSpec } from './job-spec.mapper';

const command = (argv: string[]): PbJobSpec['workload'] => ({
  $case: 'command',
  command: { argv, env: {}, workingDir: '' },
});

function aProtoSpec(fields: Partial<PbJobSpec> = {}): PbJobSpec {
  return {
    name: '',
    queue: '',
    labels: {},
    priorityClass: '',
    dependencies: [],
    workload: command(['train.py']),
    ...fields,
  };
}

describe('specInput', () => {
  it('is undefined for a missing spec, which parseJobSpec names', () => {
    expect(specInput(undefined)).toBeUndefined();
    expect(() => parseJobSpec(specInput(undefined))).toThrow('spec: is required');
  });

  it('treats empty strings, maps and messages as unset, so the defaults apply', () => {
    const input = specInput(
      aProtoSpec({ resources: { gpus: 2, gpuModel: '', nodes: 0 }, workload: command(['python']) }),
    );
    expect(input).toEqual({
      name: undefined,
      queue: undefined,
      priority: undefined,
      priority_class: undefined,
      dependencies: undefined,
      resources: { gpus: 2, gpu_model: undefined, nodes: undefined },
      labels: undefined,
      time_limit_seconds: undefined,
      command: { argv: ['python'], env: undefined, working_dir: undefined },
      simulated: undefined,
    });
    const spec = parseJobSpec(input);
    expect(spec).toMatchObject({
      name: 'python',
      queue: SPEC_LIMITS.defaultQueue,
      priority: SPEC_LIMITS.defaultPriority,
      resources: { gpus: 2, gpuModel: null, nodes: 1 },
      labels: {},
      timeLimitSeconds: null,
      workload: { kind: 'command', argv: ['python'], env: {}, workingDir: null },
    });
  });

  it('keeps a priority of 0 (optional in proto, so 0 is not "unset")', () => {
    const spec = parseJobSpec(specInput(aProtoSpec({ priority: 0 })));
    expect(spec.priority).toBe(0);
    expect(parseJobSpec(specInput(aProtoSpec({ priority: 7 }))).priority).toBe(7);
  });

  it('turns the time limit Duration into seconds', () => {
    const input = specInput(aProtoSpec({ timeLimit: { seconds: 90, nanos: 500_000_000 } }));
    expect(input).toMatchObject({ time_limit_seconds: 90.5 });
    expect(parseJobSpec(input).timeLimitSeconds).toBe(90.5);
  });

  it('maps a command workload with its env, working dir and the labels', () => {
    const input = specInput(
      aProtoSpec({
        labels: { team: 'rl' },
        workload: {
          $case: 'command',
          command: { argv: ['/bin/run', '--fast'], env: { SEED: '3' }, workingDir: '/work' },
        },
      }),
    );
    expect(input).toMatchObject({
      labels: { team: 'rl' },
      command: { argv: ['/bin/run', '--fast'], env: { SEED: '3' }, working_dir: '/work' },
      simulated: undefined,
    });
  });

  it('maps a simulated workload', () => {
    const input = specInput(
      aProtoSpec({
        workload: { $case: 'simulated', simulated: { gpuSeconds: 12.5, exitCode: 3, seed: 42 } },
      }),
    );
    expect(input).toMatchObject({
      command: undefined,
      simulated: { gpu_seconds: 12.5, exit_code: 3, seed: 42 },
    });
    expect(parseJobSpec(input).workload).toEqual({
      kind: 'simulated',
      gpuSeconds: 12.5,
      exitCode: 3,
      seed: 42,
    });
  });

  it('lets parseJobSpec name proto fields in its errors', () => {
    const error = (() => {
      try {
        parseJobSpec(
          specInput(
            aProtoSpec({ resources: { gpus: -1, gpuModel: 'TPU', nodes: 0 }, workload: undefined }),
          ),
        );
      } catch (e) {
        return e as ValidationError;
      }
      throw new Error('expected a ValidationError');
    })();
    expect(error.violations.map((v) => v.field)).toEqual(
      expect.arrayContaining(['spec.resources.gpus', 'spec.resources.gpu_model']),
    );
  });
});

describe('toProtoSpec', () => {
  const specs: [string, JobSpec][] = [
    [
      'a command job with everything set',
      parseJobSpec({
        name: 'train',
        queue: 'rl',
        priority: 0,
        resources: { gpus: 4, gpu_model: 'H100-80GB' },
        labels: { team: 'rl', 'app.kubernetes.io/name': 'x' },
        time_limit_seconds: 3600.25,
        command: { argv: ['python', 'train.py'], env: { SEED: '1' }, working_dir: '/data' },
      }),
    ],
    ['a command job with defaults', parseJobSpec({ command: { argv: ['true'] } })],
    [
      'a multi-node job',
      parseJobSpec({ resources: { gpus: 8, nodes: 4 }, command: { argv: ['torchrun', 'x.py'] } }),
    ],
    [
      'a simulated job',
      parseJobSpec({
        resources: { gpus: 2 },
        simulated: { gpu_seconds: 30, exit_code: 1, seed: 9 },
      }),
    ],
  ];

  it.each(specs)('round-trips %s through the wire and parseJobSpec', (_name, spec) => {
    const wire = PbJobSpec.decode(PbJobSpec.encode(toProtoSpec(spec)).finish());
    expect(parseJobSpec(specInput(wire))).toEqual(spec);
  });

  it('leaves the time limit unset when the spec has none', () => {
    expect(toProtoSpec(parseJobSpec({ command: { argv: ['true'] } })).timeLimit).toBeUndefined();
  });
});

describe('toDuration', () => {
  it('carries rounded nanoseconds into seconds', () => {
    expect(toDuration(1.9999999999)).toEqual({ seconds: 2, nanos: 0 });
    expect(toDuration(90.25)).toEqual({ seconds: 90, nanos: 250_000_000 });
    expect(toDuration(3600)).toEqual({ seconds: 3600, nanos: 0 });
  });
});
